//! The mergeable state of one camera: everything the indicators need, kept
//! as integers so that states built on any split of the events merge to
//! exactly the same state (the sum of counts does not depend on the order,
//! where sums of floating-point numbers would in their last bits).
//!
//! Temperatures are kept to 0.01 °C (a display shows 0.1 °C or 0.1 °F, both
//! coarser): a histogram of hundredths over [`LOWEST_C`, `HIGHEST_C`], whose
//! counts give the moments exactly (Chan, Golub & LeVeque 1979 merge moments
//! pairwise in floating point; integer sums make the same merge exact), the
//! sums of the regression on the room temperature, events per hour of the
//! day and what the log says of the alarm.

use crate::event::Event;

/// Lowest temperature counted as a reading of a person, °C: below it a
/// camera measured something else (a hat, a wall, nobody).
pub const LOWEST_C: f64 = 30.0;
/// Highest temperature counted as a reading of a person, °C (above the
/// hottest fever, 42–43 °C).
pub const HIGHEST_C: f64 = 45.0;
/// Hundredths of a degree per degree.
pub const HUNDREDTHS: f64 = 100.0;
/// Lowest bin in hundredths of a degree.
const LOWEST_HUNDREDTHS: i64 = 3000;
/// Number of bins: 30.00 to 45.00 °C inclusive, 0.01 °C each.
pub const BINS: usize = 1501;

/// One camera's accumulated events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraState {
    /// Events read, whatever their temperature.
    pub events: u64,
    /// Events below [`LOWEST_C`].
    pub below_range: u64,
    /// Events above [`HIGHEST_C`].
    pub above_range: u64,
    /// Events per 0.01 °C from [`LOWEST_C`]: bin `i` holds the readings
    /// that round to `LOWEST_C + i / 100`.
    pub histogram: Box<[u64; BINS]>,
    /// Events per hour of the day (0–23), where the log gives a time.
    pub per_hour: [u64; 24],
    /// Events in range with a room temperature.
    pub ambient_events: u64,
    /// Σ room temperature, hundredths of a degree.
    pub ambient_sum: i64,
    /// Σ room temperature², hundredths squared.
    pub ambient_square_sum: i128,
    /// Σ reading over the events with a room temperature, hundredths.
    pub reading_sum: i64,
    /// Σ reading² over the events with a room temperature.
    pub reading_square_sum: i128,
    /// Σ room temperature × reading, hundredths squared.
    pub cross_sum: i128,
    /// Events whose log says whether the alarm was raised.
    pub alarm_reported: u64,
    /// Events whose alarm was raised.
    pub alarm_raised: u64,
    /// Lowest and highest alarm threshold the log gave, hundredths.
    pub threshold_hundredths: Option<(i32, i32)>,
}

impl Default for CameraState {
    fn default() -> Self {
        CameraState {
            events: 0,
            below_range: 0,
            above_range: 0,
            histogram: Box::new([0; BINS]),
            per_hour: [0; 24],
            ambient_events: 0,
            ambient_sum: 0,
            ambient_square_sum: 0,
            reading_sum: 0,
            reading_square_sum: 0,
            cross_sum: 0,
            alarm_reported: 0,
            alarm_raised: 0,
            threshold_hundredths: None,
        }
    }
}

/// Most bytes a camera's state may take (issue #29: a fleet of 10⁵ cameras
/// shuffles 1.6 GB at most); the build fails beyond it.
pub const STATE_BYTES_MAX: usize = 16 * 1024;
const _: () = assert!(CameraState::BYTES <= STATE_BYTES_MAX);

/// `celsius` in whole hundredths of a degree (saturating far outside any
/// temperature, which is then simply out of range).
pub fn hundredths(celsius: f64) -> i64 {
    (celsius * HUNDREDTHS).round() as i64
}

impl CameraState {
    /// Counts one event. The reading must be finite (the log readers refuse
    /// others with their place).
    pub fn add(&mut self, event: &Event) {
        self.events += 1;
        if let Some(hour) = event.hour.filter(|h| *h < 24) {
            self.per_hour[usize::from(hour)] += 1;
        }
        if let Some(alarm) = event.alarm {
            self.alarm_reported += 1;
            self.alarm_raised += u64::from(alarm);
        }
        if let Some(threshold) = event.threshold_c.filter(|t| t.is_finite()) {
            let t = hundredths(threshold).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
            self.threshold_hundredths = Some(match self.threshold_hundredths {
                Some((low, high)) => (low.min(t), high.max(t)),
                None => (t, t),
            });
        }
        let reading = hundredths(event.temperature_c);
        let bin = reading.saturating_sub(LOWEST_HUNDREDTHS);
        if bin < 0 {
            self.below_range += 1;
            return;
        }
        if bin >= BINS as i64 {
            self.above_range += 1;
            return;
        }
        self.histogram[bin as usize] += 1;
        if let Some(ambient) = event.ambient_c.filter(|a| a.is_finite() && a.abs() < 1e6) {
            let ambient = hundredths(ambient);
            self.ambient_events += 1;
            self.ambient_sum += ambient;
            self.ambient_square_sum += i128::from(ambient) * i128::from(ambient);
            self.reading_sum += reading;
            self.reading_square_sum += i128::from(reading) * i128::from(reading);
            self.cross_sum += i128::from(ambient) * i128::from(reading);
        }
    }

    /// Adds `other`'s events to these: the state of both sets of events.
    pub fn merge(&mut self, other: &CameraState) {
        self.events += other.events;
        self.below_range += other.below_range;
        self.above_range += other.above_range;
        for (mine, theirs) in self.histogram.iter_mut().zip(other.histogram.iter()) {
            *mine += theirs;
        }
        for (mine, theirs) in self.per_hour.iter_mut().zip(other.per_hour) {
            *mine += theirs;
        }
        self.ambient_events += other.ambient_events;
        self.ambient_sum += other.ambient_sum;
        self.ambient_square_sum += other.ambient_square_sum;
        self.reading_sum += other.reading_sum;
        self.reading_square_sum += other.reading_square_sum;
        self.cross_sum += other.cross_sum;
        self.alarm_reported += other.alarm_reported;
        self.alarm_raised += other.alarm_raised;
        self.threshold_hundredths = match (self.threshold_hundredths, other.threshold_hundredths) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (mine, theirs) => mine.or(theirs),
        };
    }

    /// Events whose reading lies in the range of a person's temperature.
    pub fn in_range(&self) -> u64 {
        self.events - self.below_range - self.above_range
    }

    /// The alarm threshold, °C, when the log gave one and it never changed.
    pub fn threshold_c(&self) -> Option<f64> {
        match self.threshold_hundredths {
            Some((low, high)) if low == high => Some(f64::from(low) / HUNDREDTHS),
            _ => None,
        }
    }

    /// Bytes one camera's state takes in memory: the struct and its
    /// histogram (12 008 bytes of the 12 344).
    pub const BYTES: usize = std::mem::size_of::<CameraState>() + BINS * 8;

    /// The temperature of histogram bin `bin`, °C.
    pub fn bin_c(bin: usize) -> f64 {
        (LOWEST_HUNDREDTHS + bin as i64) as f64 / HUNDREDTHS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(t: f64, ambient: Option<f64>) -> Event {
        Event {
            ambient_c: ambient,
            hour: Some(9),
            ..Event::new("cam", t)
        }
    }

    #[test]
    fn states_of_any_split_merge_to_the_state_of_all() {
        let events: Vec<Event> = (0..200)
            .map(|i| {
                event(
                    35.0 + (i % 37) as f64 * 0.07,
                    Some(20.0 + (i % 11) as f64 * 0.3),
                )
            })
            .chain([event(29.0, None), event(46.0, Some(20.0))])
            .collect();
        let mut whole = CameraState::default();
        events.iter().for_each(|e| whole.add(e));
        for split in [1, 57, 199] {
            let (mut left, mut right) = (CameraState::default(), CameraState::default());
            events[..split].iter().for_each(|e| left.add(e));
            events[split..].iter().for_each(|e| right.add(e));
            right.merge(&left);
            assert_eq!(right, whole, "split at {split}");
        }
        assert_eq!(whole.events, 202);
        assert_eq!((whole.below_range, whole.above_range), (1, 1));
        assert_eq!(whole.in_range(), 200);
        assert_eq!(whole.per_hour[9], 202);
        // Out-of-range readings carry no room temperature into the sums.
        assert_eq!(whole.ambient_events, 200);
    }

    #[test]
    fn readings_fall_in_the_hundredth_they_round_to() {
        let mut state = CameraState::default();
        for t in [30.0, 36.504, 36.496, 45.0, 29.994, 45.006] {
            state.add(&event(t, None));
        }
        assert_eq!(state.histogram[0], 1);
        assert_eq!(state.histogram[650], 2);
        assert_eq!(state.histogram[BINS - 1], 1);
        assert_eq!((state.below_range, state.above_range), (1, 1));
        assert_eq!(CameraState::bin_c(650), 36.5);
    }
}
