//! Number formatting and text made safe to show, shared by the human-readable
//! exporters.

use fevercheck::model::{Finding, Report};
use fevercheck_stats::Interval;

/// A value with `decimals` decimals, or "—" when absent; never "-0.00"
/// (a value that rounds to zero has no sign).
pub(crate) fn number(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => fixed(v, decimals),
        _ => "—".to_string(),
    }
}

/// `value` with `decimals` decimals, without the sign of a negative value
/// that rounds to zero.
pub(crate) fn fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// `value` with `decimals` decimals and its sign ("+0.10", "-0.20"); a
/// value that rounds to zero has none ("0.00").
pub(crate) fn signed(value: f64, decimals: usize) -> String {
    let text = fixed(value, decimals);
    if text.starts_with('-') || text.chars().all(|c| c == '0' || c == '.') {
        text
    } else {
        format!("+{text}")
    }
}

/// A count and its noun, the noun in the plural unless the count is 1:
/// "1 sweep", "21 steps".
pub(crate) fn count_of(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

/// A measure in `unit`: whole counts (pixels) without decimals, others
/// with `decimals`.
pub(crate) fn measure(value: f64, unit: &str, decimals: usize) -> String {
    if unit == "pixels" && value.fract() == 0.0 {
        format!("{value:.0} {unit}")
    } else {
        format!("{} {unit}", fixed(value, decimals))
    }
}

/// An interval as `low to high`, or "—" when absent.
pub(crate) fn interval(value: Option<Interval>, decimals: usize) -> String {
    match value {
        Some(i) => format!("{} to {}", fixed(i.low, decimals), fixed(i.high, decimals)),
        None => "—".to_string(),
    }
}

/// A proportion as a percentage with one decimal, or "—".
pub(crate) fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{:.1} %", 100.0 * v))
}

/// The role the verdict gives `finding` ("primary signature", "supporting
/// signature"), after `separator`; empty for a finding without one.
pub(crate) fn role_after(report: &Report, finding: &Finding, separator: &str) -> String {
    report
        .signature_role(finding)
        .map(|role| format!("{separator}{role}"))
        .unwrap_or_default()
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
        assert_eq!(number(Some(-0.001), 2), "0.00");
        assert_eq!(number(Some(-0.006), 2), "-0.01");
        assert_eq!(count_of(1, "sweep", "sweeps"), "1 sweep");
        assert_eq!(count_of(0, "subject", "subjects"), "0 subjects");
        assert_eq!(measure(76800.0, "pixels", 2), "76800 pixels");
        assert_eq!(measure(0.126, "°C", 2), "0.13 °C");
    }
}
