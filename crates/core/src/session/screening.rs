//! Screening the readings for input mistakes before anything is concluded
//! from them: a value written in the other unit, or a value far outside the
//! session, is a mistake in the file, never evidence about the device
//! (docs/science.md §3). Such values are refused with their line, column and
//! the fix, or, when the caller asks, left out and listed in the report.
//!
//! Rules, per column:
//! - **unit slip**: in a °C column, a value that is a body temperature in °F
//!   (86–113, i.e. 30–45 °C) while the column's median is a °C temperature;
//!   in a °F column, a value that is a body temperature in °C (25–50) while
//!   the median is in °F. A whole column in the other unit is an error of its
//!   own (rename the column).
//! - **gross outlier, reference**: outside [`PLAUSIBLE_REFERENCE_RANGE_C`]
//!   (no body-temperature test sets a reference there; `3.75` for `37.5`).
//!   Not a statistical outlier rule: in clinical data a febrile subject at
//!   40.3 °C lies far outside the other subjects' oral temperatures and is
//!   exactly what the test is for.
//! - **gross outlier, device**: an error (device − reference) further than
//!   max([`GROSS_ERROR_MIN_C`], 10 robust sd) from the median error — a
//!   decimal or digit slip, not a calibration problem.
//!
//! The device rule needs at least [`MIN_VALUES_FOR_OUTLIERS`] values.

use std::collections::HashSet;

use super::observation::Observation;
use crate::model::SuspectValue;
use crate::units::TemperatureUnit;
use fevercheck_stats::descriptive::median;

/// Body temperatures written in °F: 30–45 °C.
const FAHRENHEIT_BODY_RANGE: (f64, f64) = (86.0, 113.0);
/// Body and room temperatures written in °C.
const CELSIUS_PLAUSIBLE_RANGE: (f64, f64) = (25.0, 50.0);
/// The same range written in °F.
const FAHRENHEIT_PLAUSIBLE_RANGE: (f64, f64) = (77.0, 122.0);
/// Fewest device values on which the device outlier rule decides.
pub(super) const MIN_VALUES_FOR_OUTLIERS: usize = 8;
/// References a body-temperature test can use, °C: blackbodies and
/// reference thermometers of fever screening work at 30–42 °C; outside
/// 20–50 °C a value is a slip of the pen or of the unit.
pub(super) const PLAUSIBLE_REFERENCE_RANGE_C: (f64, f64) = (20.0, 50.0);
/// Smallest departure of a device error from the median error that counts
/// as a gross outlier, °C: a displayed value 8 °C off the others is a typing
/// slip (37.2 → 47.2, 3.72), not the device's calibration.
pub(super) const GROSS_ERROR_MIN_C: f64 = 8.0;
/// Robust standard deviations of the errors that count as gross.
const GROSS_ERROR_SDS: f64 = 10.0;
/// MAD to standard deviation for normal data.
const MAD_TO_SD: f64 = 1.4826;

/// A temperature column of the readings: its header and unit.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TemperatureColumnInfo {
    /// Header name (or names, for several reported columns).
    pub name: String,
    /// The unit its values are written in.
    pub unit: TemperatureUnit,
}

/// The suspect values of `observations`, whose references were read from
/// `reference` and device values from `reported`.
pub(super) fn suspect_values(
    observations: &[Observation],
    reference: &TemperatureColumnInfo,
    reported: Option<&TemperatureColumnInfo>,
) -> Vec<SuspectValue> {
    let references: Vec<(u64, f64)> = observations
        .iter()
        .map(|o| (o.line, o.reference_c))
        .collect();
    // The two columns' slips are found side by side.
    let (mut suspects, slips) = rayon::join(
        || {
            let mut suspects = unit_slips(&references, reference, true);
            suspects.extend(reference_outliers(&references, reference));
            suspects
        },
        || {
            reported.map(|column| {
                let shown: Vec<(u64, f64)> = observations
                    .iter()
                    .filter_map(|o| o.reported_c.map(|r| (o.line, r)))
                    .collect();
                unit_slips(&shown, column, false)
            })
        },
    );
    if let (Some(column), Some(slips)) = (reported, slips) {
        // A device error is judged only where neither value is already a
        // suspect: a slipped reference makes any reading look far off.
        let flagged_lines: HashSet<u64> = suspects.iter().chain(&slips).map(|s| s.line).collect();
        let flagged = |line: u64| flagged_lines.contains(&line);
        let errors: Vec<(u64, f64, f64)> = observations
            .iter()
            .filter(|o| !flagged(o.line))
            .filter_map(|o| o.reported_c.map(|r| (o.line, r, r - o.reference_c)))
            .collect();
        suspects.extend(slips);
        suspects.extend(device_outliers(&errors, column));
    }
    suspects.sort_by_key(|s| s.line);
    suspects.dedup_by(|a, b| a.line == b.line && a.is_reference == b.is_reference);
    suspects
}

/// The median of a column as written, when its values are mostly in the
/// other unit than its name says: the whole column is mislabelled.
pub(super) fn mislabelled_column(values: &[f64], column: &TemperatureColumnInfo) -> Option<f64> {
    let written: Vec<f64> = values.iter().map(|&c| written(c, column.unit)).collect();
    let middle = median(&written)?;
    let wrong_range = match column.unit {
        TemperatureUnit::Celsius => FAHRENHEIT_BODY_RANGE,
        TemperatureUnit::Fahrenheit => CELSIUS_PLAUSIBLE_RANGE,
    };
    within(middle, wrong_range).then_some(middle)
}

/// A value in °C as written in `unit`.
fn written(celsius: f64, unit: TemperatureUnit) -> f64 {
    match unit {
        TemperatureUnit::Celsius => celsius,
        TemperatureUnit::Fahrenheit => celsius * 1.8 + 32.0,
    }
}

fn within(value: f64, (low, high): (f64, f64)) -> bool {
    (low..=high).contains(&value)
}

/// Values plausible only in the other unit, in a column whose median is in
/// its own unit.
fn unit_slips(
    values: &[(u64, f64)],
    column: &TemperatureColumnInfo,
    is_reference: bool,
) -> Vec<SuspectValue> {
    let written_values: Vec<f64> = values
        .iter()
        .map(|&(_, c)| written(c, column.unit))
        .collect();
    let Some(middle) = median(&written_values) else {
        return Vec::new();
    };
    let (own, other, other_unit) = match column.unit {
        TemperatureUnit::Celsius => (CELSIUS_PLAUSIBLE_RANGE, FAHRENHEIT_BODY_RANGE, "°F"),
        TemperatureUnit::Fahrenheit => (FAHRENHEIT_PLAUSIBLE_RANGE, CELSIUS_PLAUSIBLE_RANGE, "°C"),
    };
    if !within(middle, own) {
        return Vec::new();
    }
    values
        .iter()
        .zip(&written_values)
        .filter(|(_, &w)| within(w, other))
        .map(|(&(line, _), &w)| {
            let as_celsius = match column.unit {
                TemperatureUnit::Celsius => (w - 32.0) / 1.8,
                TemperatureUnit::Fahrenheit => w,
            };
            SuspectValue {
                line,
                column: column.name.clone(),
                written: w,
                is_reference,
                reason: format!(
                    "{w} is a body temperature in {other_unit} ({as_celsius:.2} °C), not in the \
                     column's unit; write it in the column's unit"
                ),
            }
        })
        .collect()
}

/// References outside [`PLAUSIBLE_REFERENCE_RANGE_C`] (unit slips are
/// reported as such, not twice).
fn reference_outliers(values: &[(u64, f64)], column: &TemperatureColumnInfo) -> Vec<SuspectValue> {
    let (low, high) = PLAUSIBLE_REFERENCE_RANGE_C;
    values
        .iter()
        .filter(|(_, c)| !(low..=high).contains(c))
        .map(|&(line, c)| SuspectValue {
            line,
            column: column.name.clone(),
            written: written(c, column.unit),
            is_reference: true,
            reason: format!(
                "a reference of {c:.2} °C is outside {low}–{high} °C, where no body-temperature \
                 test sets one; a typing slip?"
            ),
        })
        .collect()
}

/// Device values whose error departs grossly from the others' errors.
fn device_outliers(
    errors: &[(u64, f64, f64)],
    column: &TemperatureColumnInfo,
) -> Vec<SuspectValue> {
    if errors.len() < MIN_VALUES_FOR_OUTLIERS {
        return Vec::new();
    }
    let e: Vec<f64> = errors.iter().map(|v| v.2).collect();
    let Some(centre) = median(&e) else {
        return Vec::new();
    };
    let deviations: Vec<f64> = e.iter().map(|v| (v - centre).abs()).collect();
    let robust_sd = median(&deviations).unwrap_or(0.0) * MAD_TO_SD;
    let limit = GROSS_ERROR_MIN_C.max(GROSS_ERROR_SDS * robust_sd);
    errors
        .iter()
        .filter(|(_, _, error)| (error - centre).abs() > limit)
        .map(|&(line, shown, error)| SuspectValue {
            line,
            column: column.name.clone(),
            written: written(shown, column.unit),
            is_reference: false,
            reason: format!(
                "the device value is {error:+.2} °C from its reference while the others are \
                 {centre:+.2} °C on the median (more than {limit:.1} °C apart); a typing slip?"
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(rows: &[(f64, f64)]) -> Vec<Observation> {
        rows.iter()
            .enumerate()
            .map(|(i, &(r, d))| Observation::new(i as u64 + 2, r, Some(d)))
            .collect()
    }

    fn celsius(name: &str) -> TemperatureColumnInfo {
        TemperatureColumnInfo {
            name: name.into(),
            unit: TemperatureUnit::Celsius,
        }
    }

    fn healy(device: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
        (0..21)
            .map(|i| 35.0 + 0.25 * i as f64)
            .map(|r| (r, device(r)))
            .collect()
    }

    #[test]
    fn a_fahrenheit_reference_in_a_celsius_column_is_a_slip() {
        let mut rows = healy(|r| r);
        rows[6].0 = 98.6;
        let found = suspect_values(
            &sweep(&rows),
            &celsius("reference_c"),
            Some(&celsius("reported_c")),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].line, found[0].written, found[0].is_reference),
            (8, 98.6, true)
        );
        assert!(
            found[0].reason.contains("°F (37.00 °C)"),
            "{}",
            found[0].reason
        );
    }

    #[test]
    fn typing_slips_are_outliers_and_honest_or_manipulated_devices_are_not() {
        let mut rows = healy(|r| r + 0.1);
        rows[3].1 = 3.58;
        rows[10].0 = 3.75;
        let found = suspect_values(
            &sweep(&rows),
            &celsius("reference_c"),
            Some(&celsius("reported_c")),
        );
        let lines: Vec<u64> = found.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![5, 12], "{found:?}");
        // Compression, a clamp, a lookup table, an offset of −3 °C, a device
        // that falls to 33 °C at 40 °C: shapes and calibration, not slips.
        let devices: [&dyn Fn(f64) -> f64; 5] = [
            &|r| 37.0 + 0.1 * (r - 37.0),
            &|r: f64| r.min(37.3),
            &|r| if r < 37.0 { 36.9 } else { 37.1 },
            &|r| r - 3.0,
            &|r| if r < 37.0 { r } else { 37.0 - 1.3 * (r - 37.0) },
        ];
        for device in devices {
            let rows = healy(device);
            let found = suspect_values(
                &sweep(&rows),
                &celsius("reference_c"),
                Some(&celsius("reported_c")),
            );
            assert!(found.is_empty(), "{found:?}");
        }
    }

    #[test]
    fn a_whole_column_in_the_other_unit_is_mislabelled() {
        let fahrenheit_in_celsius: Vec<f64> = (0..10).map(|i| 95.0 + i as f64).collect();
        assert_eq!(
            mislabelled_column(&fahrenheit_in_celsius, &celsius("reference_c")),
            Some(99.5)
        );
        let fine: Vec<f64> = (0..10).map(|i| 35.0 + 0.5 * i as f64).collect();
        assert_eq!(mislabelled_column(&fine, &celsius("reference_c")), None);
    }
}
