//! Times that cannot be what the clock said: every reading at one instant
//! (a column copied down, a date without a time), or a year no test was
//! run in (a camera's clock never set starts in 1970 or in year 1). The
//! drift, warm-up and order tests read these times, so the report says
//! when they cannot be trusted.

use chrono::{DateTime, Datelike, FixedOffset};
use rayon::prelude::*;

use super::Observation;

/// Earliest plausible year of a test: radiometric fever screening with
/// logged readings postdates 1990 (and an unset clock reads 1970 or 1).
const EARLIEST_PLAUSIBLE_YEAR: i32 = 1990;

/// Latest plausible year of a test.
const LATEST_PLAUSIBLE_YEAR: i32 = 2100;

/// Warnings about the observations' times (read on every core, nothing
/// copied: a million readings are one pass).
pub(crate) fn time_warnings(observations: &[Observation]) -> Vec<String> {
    let times = || observations.par_iter().filter_map(|o| o.time);
    let mut warnings = Vec::new();
    let Some(first) = observations.iter().find_map(|o| o.time) else {
        return warnings;
    };
    // Counted only when every time is the first: on a log whose times
    // differ, the test stops at the first that does.
    let timed = if times().all(|t| t == first) {
        times().count()
    } else {
        0
    };
    if timed >= 2 {
        warnings.push(format!(
            "all {timed} readings carry the same time ({}): the tests of drift, warm-up and \
             order cannot use it; give each reading the time it was taken",
            first.to_rfc3339()
        ));
    }
    let implausible = |t: &DateTime<FixedOffset>| {
        !(EARLIEST_PLAUSIBLE_YEAR..=LATEST_PLAUSIBLE_YEAR).contains(&t.year())
    };
    if let Some(first) = times().find_first(implausible) {
        warnings.push(format!(
            "{} reading(s) are dated outside {EARLIEST_PLAUSIBLE_YEAR}–{LATEST_PLAUSIBLE_YEAR} \
             (the first: {}): a clock that was never set? The times are used as they are",
            times().filter(implausible).count(),
            first.to_rfc3339()
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(time: &str) -> Observation {
        let mut o = Observation::new(2, 36.0, Some(36.1));
        o.time = Some(chrono::DateTime::parse_from_rfc3339(time).unwrap());
        o
    }

    #[test]
    fn one_instant_for_every_reading_and_year_one_are_named() {
        let same = [at("2026-03-01T09:00:00Z"), at("2026-03-01T09:00:00Z")];
        let warnings = time_warnings(&same);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("all 2 readings carry the same time"));
        let ancient = [at("0001-01-01T00:00:00Z"), at("0001-01-01T00:00:30Z")];
        let warnings = time_warnings(&ancient);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("2 reading(s) are dated outside 1990–2100"));
        let ordinary = [at("2026-03-01T09:00:00Z"), at("2026-03-01T09:00:30Z")];
        assert!(time_warnings(&ordinary).is_empty());
    }
}
