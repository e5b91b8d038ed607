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

use rayon::prelude::*;

use super::observation::Observation;
use crate::model::SuspectValue;
use crate::units::TemperatureUnit;
use fevercheck_stats::descriptive::median_in_place;

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

/// The values of an observation the screening reads: 24 bytes where the
/// observation has 176. Read out once, on every core, they make each of the
/// screening's passes (medians, slips, outliers) read 24 MB of a million
/// readings instead of 176 MB.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct ScreenedRow {
    /// The observation's line.
    pub line: u64,
    /// Its reference, °C.
    pub reference_c: f64,
    /// Its reported value, °C, or NaN when it has none (no value read from
    /// a file is NaN).
    reported_c: f64,
}

impl ScreenedRow {
    /// The screened values of every observation, in order.
    pub(super) fn all(observations: &[Observation]) -> Vec<ScreenedRow> {
        observations
            .par_iter()
            .map(|o| ScreenedRow {
                line: o.line,
                reference_c: o.reference_c,
                reported_c: o.reported_c.unwrap_or(f64::NAN),
            })
            .collect()
    }

    /// The reported value, °C, when the observation has one.
    pub(super) fn reported_c(&self) -> Option<f64> {
        Some(self.reported_c).filter(|value| !value.is_nan())
    }
}

/// The median of a column's values (by `value_of`) as written in `unit`;
/// `None` for a column without values. The unit check and the unit-slip
/// rule both stand on it, so it is found once per column.
pub(super) fn written_median(
    rows: &[ScreenedRow],
    value_of: impl Fn(&ScreenedRow) -> Option<f64> + Sync,
    unit: TemperatureUnit,
) -> Option<f64> {
    let mut values: Vec<f64> = rows
        .par_iter()
        .filter_map(|o| value_of(o).map(|c| written(c, unit)))
        .collect();
    median_in_place(&mut values)
}

/// Whether a column whose values have the median `middle` as written is
/// mostly in the other unit than its name says: the whole column is
/// mislabelled.
pub(super) fn is_mislabelled(middle: f64, unit: TemperatureUnit) -> bool {
    let wrong_range = match unit {
        TemperatureUnit::Celsius => FAHRENHEIT_BODY_RANGE,
        TemperatureUnit::Fahrenheit => CELSIUS_PLAUSIBLE_RANGE,
    };
    within(middle, wrong_range)
}

/// A screened column: its header and unit, and the median of its values
/// as written ([`written_median`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Screened<'a> {
    pub column: &'a TemperatureColumnInfo,
    pub median: Option<f64>,
}

/// The suspect values of the observations' `rows`, whose references were
/// read from `reference` and device values from `reported`.
pub(super) fn suspect_values(
    rows: &[ScreenedRow],
    reference: Screened<'_>,
    reported: Option<Screened<'_>>,
) -> Vec<SuspectValue> {
    // The two columns' slips are found side by side.
    let (mut suspects, slips) = rayon::join(
        || {
            let mut suspects = unit_slips(rows, |o| Some(o.reference_c), reference, true);
            suspects.extend(reference_outliers(rows, reference.column));
            suspects
        },
        || reported.map(|column| unit_slips(rows, ScreenedRow::reported_c, column, false)),
    );
    if let (Some(column), Some(slips)) = (reported, slips) {
        // A device error is judged only where neither value is already a
        // suspect: a slipped reference makes any reading look far off.
        let flagged_lines: HashSet<u64> = suspects.iter().chain(&slips).map(|s| s.line).collect();
        suspects.extend(slips);
        suspects.extend(device_outliers(rows, &flagged_lines, column.column));
    }
    suspects.sort_by_key(|s| s.line);
    suspects.dedup_by(|a, b| a.line == b.line && a.is_reference == b.is_reference);
    suspects
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

/// Values (by `value_of`) plausible only in the other unit, in a column
/// whose median is in its own unit.
fn unit_slips(
    rows: &[ScreenedRow],
    value_of: impl Fn(&ScreenedRow) -> Option<f64> + Sync,
    screened: Screened<'_>,
    is_reference: bool,
) -> Vec<SuspectValue> {
    let column = screened.column;
    let (own, other, other_unit) = match column.unit {
        TemperatureUnit::Celsius => (CELSIUS_PLAUSIBLE_RANGE, FAHRENHEIT_BODY_RANGE, "°F"),
        TemperatureUnit::Fahrenheit => (FAHRENHEIT_PLAUSIBLE_RANGE, CELSIUS_PLAUSIBLE_RANGE, "°C"),
    };
    if !screened.median.is_some_and(|middle| within(middle, own)) {
        return Vec::new();
    }
    rows.par_iter()
        .filter_map(|o| {
            let w = written(value_of(o)?, column.unit);
            if !within(w, other) {
                return None;
            }
            let as_celsius = match column.unit {
                TemperatureUnit::Celsius => (w - 32.0) / 1.8,
                TemperatureUnit::Fahrenheit => w,
            };
            Some(SuspectValue {
                line: o.line,
                column: column.name.clone(),
                written: w,
                is_reference,
                reason: format!(
                    "{w} is a body temperature in {other_unit} ({as_celsius:.2} °C), not in the \
                     column's unit; write it in the column's unit"
                ),
            })
        })
        .collect()
}

/// References outside [`PLAUSIBLE_REFERENCE_RANGE_C`] (unit slips are
/// reported as such, not twice).
fn reference_outliers(rows: &[ScreenedRow], column: &TemperatureColumnInfo) -> Vec<SuspectValue> {
    let (low, high) = PLAUSIBLE_REFERENCE_RANGE_C;
    rows.par_iter()
        .filter(|o| !(low..=high).contains(&o.reference_c))
        .map(|o| {
            let c = o.reference_c;
            SuspectValue {
                line: o.line,
                column: column.name.clone(),
                written: written(c, column.unit),
                is_reference: true,
                reason: format!(
                    "a reference of {c:.2} °C is outside {low}–{high} °C, where no \
                     body-temperature test sets one; a typing slip?"
                ),
            }
        })
        .collect()
}

/// Device values whose error (device − reference) departs grossly from the
/// others' errors; rows on `flagged_lines` are neither judged nor counted
/// among the others.
fn device_outliers(
    rows: &[ScreenedRow],
    flagged_lines: &HashSet<u64>,
    column: &TemperatureColumnInfo,
) -> Vec<SuspectValue> {
    let error_of = |o: &ScreenedRow| {
        let shown = o.reported_c()?;
        (!flagged_lines.contains(&o.line)).then_some((shown, shown - o.reference_c))
    };
    let mut errors: Vec<f64> = rows
        .par_iter()
        .filter_map(|o| error_of(o).map(|(_, error)| error))
        .collect();
    if errors.len() < MIN_VALUES_FOR_OUTLIERS {
        return Vec::new();
    }
    let Some(centre) = median_in_place(&mut errors) else {
        return Vec::new();
    };
    // The errors' order no longer matters: they become their deviations.
    for error in &mut errors {
        *error = (*error - centre).abs();
    }
    let robust_sd = median_in_place(&mut errors).unwrap_or(0.0) * MAD_TO_SD;
    let limit = GROSS_ERROR_MIN_C.max(GROSS_ERROR_SDS * robust_sd);
    rows.par_iter()
        .filter_map(|o| {
            let (shown, error) = error_of(o)?;
            ((error - centre).abs() > limit).then(|| SuspectValue {
                line: o.line,
                column: column.name.clone(),
                written: written(shown, column.unit),
                is_reference: false,
                reason: format!(
                    "the device value is {error:+.2} °C from its reference while the others \
                     are {centre:+.2} °C on the median (more than {limit:.1} °C apart); a \
                     typing slip?"
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sweep(rows: &[(f64, f64)]) -> Vec<ScreenedRow> {
        let observations: Vec<Observation> = rows
            .iter()
            .enumerate()
            .map(|(i, &(r, d))| Observation::new(i as u64 + 2, r, Some(d)))
            .collect();
        ScreenedRow::all(&observations)
    }

    fn celsius(name: &str) -> TemperatureColumnInfo {
        TemperatureColumnInfo {
            name: name.into(),
            unit: TemperatureUnit::Celsius,
        }
    }

    /// The suspects of a sweep of (reference, reported) rows in two °C
    /// columns, each column's median found as `screen` finds it.
    fn suspects_of(rows: &[(f64, f64)]) -> Vec<SuspectValue> {
        let observations = sweep(rows);
        let (reference, reported) = (celsius("reference_c"), celsius("reported_c"));
        let screened = |column, value_of: fn(&ScreenedRow) -> Option<f64>| Screened {
            column,
            median: written_median(&observations, value_of, TemperatureUnit::Celsius),
        };
        suspect_values(
            &observations,
            screened(&reference, |o| Some(o.reference_c)),
            Some(screened(&reported, ScreenedRow::reported_c)),
        )
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
        let found = suspects_of(&rows);
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
        let found = suspects_of(&rows);
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
            let found = suspects_of(&rows);
            assert!(found.is_empty(), "{found:?}");
        }
    }

    #[test]
    fn a_row_without_a_reported_value_has_none_to_screen() {
        let observations = [
            Observation::new(2, 36.0, Some(36.4)),
            Observation::new(3, 36.5, None),
        ];
        let rows = ScreenedRow::all(&observations);
        assert_eq!(
            rows.iter()
                .map(|r| (r.line, r.reference_c))
                .collect::<Vec<_>>(),
            [(2, 36.0), (3, 36.5)]
        );
        assert_eq!(rows[0].reported_c(), Some(36.4));
        assert_eq!(rows[1].reported_c(), None);
    }

    #[test]
    fn a_whole_column_in_the_other_unit_is_mislabelled() {
        let column_of =
            |values: Vec<f64>| sweep(&values.iter().map(|&v| (v, v)).collect::<Vec<_>>());
        let median_of = |observations: &[ScreenedRow], unit| {
            written_median(observations, |o| Some(o.reference_c), unit)
        };
        let fahrenheit_in_celsius = column_of((0..10).map(|i| 95.0 + i as f64).collect());
        let middle = median_of(&fahrenheit_in_celsius, TemperatureUnit::Celsius);
        assert_eq!(middle, Some(99.5));
        assert!(is_mislabelled(99.5, TemperatureUnit::Celsius));
        let fine = column_of((0..10).map(|i| 35.0 + 0.5 * i as f64).collect());
        let middle = median_of(&fine, TemperatureUnit::Celsius).unwrap();
        assert!((middle - 37.25).abs() < 1e-12);
        assert!(!is_mislabelled(middle, TemperatureUnit::Celsius));
        // 37.25 °C read as °F is 99.05: a °F column of °C values is
        // mislabelled too.
        let as_fahrenheit = median_of(&fine, TemperatureUnit::Fahrenheit).unwrap();
        assert!((as_fahrenheit - 99.05).abs() < 1e-9);
        assert!(!is_mislabelled(as_fahrenheit, TemperatureUnit::Fahrenheit));
        assert!(is_mislabelled(37.25, TemperatureUnit::Fahrenheit));
        assert_eq!(median_of(&[], TemperatureUnit::Celsius), None);
    }
}
