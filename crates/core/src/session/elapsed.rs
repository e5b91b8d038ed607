//! Elapsed time between the instants of a `time` column: seconds from the
//! earliest reading, counted in whole milliseconds (toward zero), as every
//! time the analysis reports (a record's `elapsed_s`, the detectors' reading
//! times, the joining of two logs) is counted.
//!
//! chrono's `(when - origin).num_milliseconds()` is that count; it converts
//! both instants to UTC dates and times for each subtraction. Here each
//! instant becomes its Unix seconds and nanoseconds once, and a million
//! readings cost integer arithmetic on both cores — the same milliseconds,
//! bit for bit. An instant inside a leap second (nanoseconds ≥ 10⁹, as
//! chrono writes `23:59:60`) is left to chrono, whose subtraction counts the
//! leap second its own way.

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

/// Nanoseconds per millisecond.
const NANOS_PER_MILLI: i128 = 1_000_000;

/// Nanoseconds per second.
const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// Milliseconds per second.
const MILLIS_PER_SECOND: f64 = 1000.0;

/// An instant as its Unix seconds and the nanoseconds after them, which
/// order as the instants do (a leap second's nanoseconds ≥ 10⁹ after the
/// second it follows, as chrono orders them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct UnixInstant {
    seconds: i64,
    nanos: u32,
    time: DateTime<FixedOffset>,
}

impl UnixInstant {
    fn of(time: DateTime<FixedOffset>) -> Self {
        UnixInstant {
            seconds: time.timestamp(),
            nanos: time.timestamp_subsec_nanos(),
            time,
        }
    }

    fn in_leap_second(&self) -> bool {
        i128::from(self.nanos) >= NANOS_PER_SECOND
    }

    /// Whole milliseconds from `origin` to `self`, toward zero, as chrono
    /// counts them.
    fn milliseconds_since(&self, origin: &UnixInstant) -> i64 {
        if self.in_leap_second() || origin.in_leap_second() {
            return (self.time - origin.time).num_milliseconds();
        }
        let nanos_apart = i64::from(self.nanos) - i64::from(origin.nanos);
        // Integer division truncates toward zero, as chrono's count does.
        // Spans under 292 years fit 64 bits of nanoseconds (a 128-bit
        // division is several times slower); any span chrono can hold fits
        // 128 bits, and an i64 of milliseconds.
        let short = (self.seconds - origin.seconds)
            .checked_mul(NANOS_PER_SECOND as i64)
            .and_then(|nanos| nanos.checked_add(nanos_apart));
        match short {
            Some(nanos) => nanos / NANOS_PER_MILLI as i64,
            None => {
                let nanos = (i128::from(self.seconds) - i128::from(origin.seconds))
                    * NANOS_PER_SECOND
                    + i128::from(nanos_apart);
                (nanos / NANOS_PER_MILLI) as i64
            }
        }
    }
}

/// Seconds from `origin` to `when`, in whole milliseconds.
pub(crate) fn seconds_between(origin: DateTime<FixedOffset>, when: DateTime<FixedOffset>) -> f64 {
    UnixInstant::of(when).milliseconds_since(&UnixInstant::of(origin)) as f64 / MILLIS_PER_SECOND
}

/// Seconds from the earliest time of `items` (by `time_of`) to each item's
/// time, in whole milliseconds, collected as `C`: a `Vec<Option<f64>>`
/// (`None` where an item has no time), or an `Option<Vec<f64>>` (`None`
/// unless every item has one). Nothing per item is kept between the two
/// passes: a million readings write only the result.
pub(crate) fn seconds_from_earliest<T, C>(
    items: &[T],
    time_of: impl Fn(&T) -> Option<DateTime<FixedOffset>> + Sync,
) -> C
where
    T: Sync,
    C: FromParallelIterator<Option<f64>>,
{
    // Instants order as their UTC dates and times, which chrono keeps:
    // the earliest is found without counting seconds.
    let earliest = items
        .par_iter()
        .filter_map(&time_of)
        .min()
        .map(UnixInstant::of);
    items
        .par_iter()
        .map(|item| {
            let (time, earliest) = time_of(item).zip(earliest)?;
            let milliseconds = UnixInstant::of(time).milliseconds_since(&earliest);
            Some(milliseconds as f64 / MILLIS_PER_SECOND)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    /// chrono's own count, the definition this module reproduces.
    fn chrono_seconds(origin: &str, when: &str) -> f64 {
        (at(when) - at(origin)).num_milliseconds() as f64 / 1000.0
    }

    #[test]
    fn milliseconds_are_counted_as_chrono_counts_them() {
        let pairs = [
            ("2026-01-05T09:00:00Z", "2026-01-05T09:00:30Z"),
            // Sub-millisecond parts on both sides: 0.2 ms apart is 0 ms,
            // though their whole milliseconds differ.
            ("2026-01-05T09:00:00.0019Z", "2026-01-05T09:00:00.0021Z"),
            ("2026-01-05T09:00:00.0011Z", "2026-01-05T09:00:00.0019Z"),
            // Backwards: toward zero, not down.
            ("2026-01-05T09:00:00.0021Z", "2026-01-05T09:00:00.0019Z"),
            ("2026-01-05T09:00:01.5Z", "2026-01-05T09:00:00.2Z"),
            // Offsets, and a day, a month, a leap day and a century apart.
            ("2026-01-05T09:00:00+05:30", "2026-01-05T09:00:00-08:00"),
            ("2024-02-28T23:59:59.999Z", "2024-03-01T00:00:00Z"),
            ("1999-12-31T23:00:00-01:00", "2100-01-01T00:00:00+14:00"),
            ("1969-12-31T23:59:59.9995Z", "1970-01-01T00:00:00.0004Z"),
            // Beyond 292 years: counted in 128 bits.
            ("0001-01-01T00:00:00.0005Z", "9999-12-31T23:59:59.9994Z"),
            ("9999-12-31T23:59:59.9994Z", "0001-01-01T00:00:00.0005Z"),
        ];
        for (origin, when) in pairs {
            assert_eq!(
                seconds_between(at(origin), at(when)),
                chrono_seconds(origin, when),
                "{origin} → {when}"
            );
        }
    }

    #[test]
    fn a_leap_second_is_counted_by_chrono() {
        let leap =
            DateTime::parse_from_str("2016-12-31 23:59:60.5 +0000", "%Y-%m-%d %H:%M:%S%.f %z")
                .unwrap();
        let before = at("2016-12-31T23:59:59Z");
        let after = at("2017-01-01T00:00:00Z");
        assert_eq!(seconds_between(before, leap), 1.5);
        assert_eq!(
            seconds_between(leap, after),
            (after - leap).num_milliseconds() as f64 / 1000.0
        );
    }

    #[test]
    fn seconds_run_from_the_earliest_time_wherever_it_is() {
        let times = [
            Some(at("2026-01-05T09:00:10Z")),
            None,
            Some(at("2026-01-05T10:00:00+01:00")), // 09:00:00 UTC, the earliest
            Some(at("2026-01-05T09:01:00.25Z")),
        ];
        let each: Vec<Option<f64>> = seconds_from_earliest(&times, |t| *t);
        assert_eq!(each, vec![Some(10.0), None, Some(0.0), Some(60.25)]);
        let all: Option<Vec<f64>> = seconds_from_earliest(&times, |t| *t);
        assert_eq!(all, None);
        let all: Option<Vec<f64>> = seconds_from_earliest(&[times[0], times[3]], |t| *t);
        assert_eq!(all, Some(vec![0.0, 50.25]));
        let none: [Option<DateTime<FixedOffset>>; 2] = [None, None];
        let each: Vec<Option<f64>> = seconds_from_earliest(&none, |t| *t);
        assert_eq!(each, vec![None, None]);
        let each: Vec<Option<f64>> = seconds_from_earliest(&none[..0], |t| *t);
        assert!(each.is_empty());
    }
}
