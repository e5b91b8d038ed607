//! How a finding's evidence reads in report.md and report.html: a human
//! name with its unit for each key, and each value rounded as people read
//! it (report.json keeps the raw numbers).
//!
//! Most keys name themselves by the project's suffixes — `_c` is °C,
//! `_c_per_h` °C per hour, `_ci` a 95 % interval, `_share` a share shown as
//! a percentage — and the rest are listed in `NAMES`.

use serde_json::Value;

use super::format::fixed;

/// Names of the keys the suffix rule would not make readable.
const NAMES: &[(&str, &str)] = &[
    ("attractor_c", "Readings pulled toward"),
    ("at_c", "From the target temperature"),
    ("at_reference_c", "At the target temperature"),
    ("band_c", "Band"),
    ("bias_ci_c", "Bias, 95 % CI"),
    (
        "chi_square_improvement",
        "χ² improvement over a straight line",
    ),
    (
        "chi_square_improvement_over_ripple",
        "χ² improvement over an ambient ripple",
    ),
    ("constant_offset", "A constant offset explains it"),
    ("diff_adj_r2", "Difference regression, adjusted R²"),
    ("diff_slope", "Difference regression, slope"),
    ("difference_slope_ci", "Difference slope, 95 % CI"),
    ("distinct_values", "Distinct values displayed"),
    ("drift_ci", "Drift, 95 % CI (°C/h)"),
    ("drift_per_hour", "Drift (°C/h)"),
    ("example", "Example"),
    ("frame", "Frame"),
    ("hidden_targets_c", "Targets shown as normal"),
    ("largest_difference", "Largest difference"),
    ("line", "Straight line fitted"),
    ("df", "Degrees of freedom"),
    ("max_abs_step_error_c", "Largest step error"),
    ("mean_gap_h", "Mean gap between sweeps (h)"),
    ("min_chi_square", "Smallest χ²"),
    (
        "min_chi_square_over_ripple",
        "Smallest χ² over an ambient ripple",
    ),
    ("noise_sd_c", "Noise, one reading (sd)"),
    ("occupancy", "Share of displayable values used"),
    ("pairs", "Pairs"),
    ("peak", "Peak"),
    ("pixels", "Pixels"),
    ("plausible_drift_c_per_h", "Largest plausible honest drift"),
    ("plausible_ripple_c", "Largest plausible ambient ripple"),
    ("range_ratio", "Range of readings ÷ range of targets"),
    ("readings_at_step", "Readings at the step"),
    ("roi", "Region"),
    ("session_hours", "Session length (h)"),
    ("settled_readings_only", "Settled readings only"),
    ("shape", "Shape"),
    ("side", "Side"),
    ("significant_drops", "Significant drops"),
    ("slope_ci", "Slope, 95 % CI"),
    ("spearman_rho", "Spearman's ρ"),
    ("steps", "Steps"),
    ("steps_outside", "Steps outside the stated accuracy"),
    ("sweeps", "Sweeps"),
    (
        "t_beyond_plausible_time_effects",
        "t beyond plausible drift and ripple",
    ),
    ("t_min", "Smallest t"),
    (
        "targets_shown_normal_c",
        "Targets the declaration shows as normal",
    ),
    ("declared_points_c", "Declared points (target → reading)"),
    ("thresholds", "Thresholds"),
    ("time_basis", "Times from"),
    ("value_at_knee_c", "Reading at the knee"),
    ("values_c", "Values displayed"),
    ("warmest", "Warmest"),
];

/// What a value's numbers are.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Celsius,
    CelsiusPerHour,
    Seconds,
    Share,
    Plain,
}

impl Unit {
    fn of(key: &str) -> Unit {
        let key = key.trim_end_matches("_ci");
        if key.ends_with("_c_per_h") {
            Unit::CelsiusPerHour
        } else if key.ends_with("_c") || key.ends_with("_c_ci") {
            Unit::Celsius
        } else if key.ends_with("_s") {
            Unit::Seconds
        } else if key.ends_with("_share") || key.starts_with("share_") || key == "occupancy" {
            Unit::Share
        } else {
            Unit::Plain
        }
    }
}

/// The human name of an evidence key, with its unit.
pub fn evidence_name(key: &str) -> String {
    if let Some((_, name)) = NAMES.iter().find(|(k, _)| *k == key) {
        return name.to_string();
    }
    let unit = Unit::of(key);
    let stem = key
        .trim_end_matches("_ci")
        .trim_end_matches("_c_per_h")
        .trim_end_matches("_share")
        .trim_end_matches("_s")
        .trim_end_matches("_c");
    let mut words = stem.replace('_', " ");
    if let Some(first) = words.get(..1) {
        words = first.to_uppercase() + &words[1..];
    }
    if key.ends_with("_share") {
        words = format!("Share {}", words.to_lowercase());
    }
    if key.ends_with("_ci") {
        words.push_str(", 95 % CI");
    }
    match unit {
        Unit::Celsius => format!("{words} (°C)"),
        Unit::CelsiusPerHour => format!("{words} (°C/h)"),
        Unit::Seconds => format!("{words} (s)"),
        Unit::Share | Unit::Plain => words,
    }
}

/// A value of `key` as people read it: °C to two decimals, shares as
/// percentages, an interval as "low to high", lists joined.
pub fn evidence_text(key: &str, value: &Value) -> String {
    render(Unit::of(key), value)
}

fn render(unit: Unit, value: &Value) -> String {
    match value {
        Value::Number(n) => {
            let Some(x) = n.as_f64() else {
                return n.to_string();
            };
            if n.is_i64() || n.is_u64() {
                return n.to_string();
            }
            match unit {
                Unit::Share => format!("{:.1} %", 100.0 * x),
                Unit::Celsius | Unit::CelsiusPerHour => fixed(x, 2),
                Unit::Plain | Unit::Seconds => significant(x),
            }
        }
        Value::Object(map) => match (map.get("low"), map.get("high")) {
            (Some(low), Some(high)) if map.len() == 2 => {
                format!("{} to {}", render(unit, low), render(unit, high))
            }
            _ => map
                .iter()
                .map(|(k, v)| format!("{} {}", evidence_name(k), render(Unit::of(k), v)))
                .collect::<Vec<_>>()
                .join(", "),
        },
        Value::Array(items) if items.is_empty() => "none".to_string(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Array(pair) => pair
                    .iter()
                    .map(|v| render(unit, v))
                    .collect::<Vec<_>>()
                    .join(" → "),
                other => render(unit, other),
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Bool(true) => "yes".to_string(),
        Value::Bool(false) => "no".to_string(),
        Value::String(text) => text.clone(),
        Value::Null => "—".to_string(),
    }
}

/// A plain number with three significant digits (at least two decimals
/// below 10); below 0.001 in scientific notation (`1.2e-7`), as a chance
/// probability is read.
fn significant(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    if x.abs() < 1e-3 {
        return format!("{x:.1e}");
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).clamp(0, 6) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_read_as_names_with_units() {
        assert_eq!(evidence_name("attractor_c"), "Readings pulled toward");
        assert_eq!(evidence_name("reference_span_c"), "Reference span (°C)");
        assert_eq!(evidence_name("pinned_share"), "Share pinned");
        assert_eq!(evidence_name("difference_slope"), "Difference slope");
        assert_eq!(evidence_name("bias_c"), "Bias (°C)");
    }

    #[test]
    fn values_are_rounded_as_people_read_them() {
        assert_eq!(evidence_text("attractor_c", &json!(37.0075)), "37.01");
        assert_eq!(
            evidence_text("bias_ci_c", &json!({"low": 0.1946, "high": 0.2068})),
            "0.19 to 0.21"
        );
        assert_eq!(evidence_text("pinned_share", &json!(0.4286)), "42.9 %");
        assert_eq!(evidence_text("steps", &json!(21)), "21");
        assert_eq!(evidence_text("slope", &json!(0.213456)), "0.213");
        assert_eq!(
            evidence_text("values_c", &json!([36.5, 36.7])),
            "36.50, 36.70"
        );
        assert_eq!(
            evidence_text("declared_points_c", &json!([[34.0, 36.8], [40.0, 38.6]])),
            "34.00 → 36.80, 40.00 → 38.60"
        );
        assert_eq!(evidence_text("constant_offset", &json!(false)), "no");
        // Nested keys are named as top-level ones; shares as percentages.
        assert_eq!(
            evidence_text("example", &json!({"reading_c": 37.3, "reference_c": 38.5})),
            "Reading (°C) 37.30, Reference (°C) 38.50"
        );
        assert_eq!(evidence_text("share_at_extreme", &json!(0.0606)), "6.1 %");
        assert_eq!(evidence_name("share_at_extreme"), "Share at extreme");
        assert_eq!(evidence_text("significant_drops", &json!([])), "none");
        assert_eq!(evidence_text("bias_c", &json!(-0.001)), "0.00");
        assert_eq!(
            evidence_text("chance_probability", &json!(1.234e-7)),
            "1.2e-7"
        );
        assert_eq!(
            evidence_name("warm_up_time_constant_s"),
            "Warm up time constant (s)"
        );
    }
}
