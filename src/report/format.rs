//! Number formatting and text made safe to show, shared by the human-readable
//! exporters.

use crate::stats::Interval;

/// A value with `decimals` decimals, or "—" when absent.
pub fn number(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => "—".to_string(),
    }
}

/// An interval as `low to high`, or "—" when absent.
pub fn interval(value: Option<Interval>, decimals: usize) -> String {
    match value {
        Some(i) => format!("{:.decimals$} to {:.decimals$}", i.low, i.high),
        None => "—".to_string(),
    }
}

/// A proportion as a percentage with one decimal, or "—".
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{:.1} %", 100.0 * v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_values_are_dashes() {
        assert_eq!(number(Some(37.256), 2), "37.26");
        assert_eq!(number(None, 2), "—");
        assert_eq!(
            interval(
                Some(Interval {
                    low: 0.1,
                    high: 0.25
                }),
                2
            ),
            "0.10 to 0.25"
        );
        assert_eq!(percent(Some(0.5)), "50.0 %");
    }
}
