//! What several charts read from every observation, found once per report
//! (on every core) and shared by every chart and both of its formats. A million
//! observations are 140 MB to read; the charts used to read them a dozen
//! times per format for ranges and points, most of their drawing time.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use super::style::{joined, padded, primary_accuracy, widened, NONE_SEEN, NORMAL_BAND_C};
use fevercheck::model::Report;

/// A report and what its charts read from its observations, each found on
/// first use (by whichever thread asks first; the others wait for it).
pub struct Observed<'r> {
    /// The report the charts draw.
    pub report: &'r Report,
    extremes: OnceLock<Extremes>,
    readings: OnceLock<Vec<(f64, f64)>>,
    measured: OnceLock<Vec<(f64, f64)>>,
    /// What single charts derive from the observations, by name.
    shared: Mutex<HashMap<&'static str, Arc<SharedCell>>>,
}

/// The lowest and highest finite value of each kind in the observations,
/// found in one pass for every range a chart draws.
#[derive(Debug, Clone, Copy)]
struct Extremes {
    reference: (f64, f64),
    /// What the device reported, else its radiometric value.
    device: (f64, f64),
    /// What the device displayed, beside a declared transfer.
    displayed: (f64, f64),
}

impl Extremes {
    const NONE: Extremes = Extremes {
        reference: NONE_SEEN,
        device: NONE_SEEN,
        displayed: NONE_SEEN,
    };

    fn joined(self, other: Extremes) -> Extremes {
        Extremes {
            reference: joined(self.reference, other.reference),
            device: joined(self.device, other.device),
            displayed: joined(self.displayed, other.displayed),
        }
    }
}

/// A value one chart derives, found once for both of its formats.
type SharedCell = OnceLock<Arc<dyn Any + Send + Sync>>;

impl<'r> Observed<'r> {
    /// Nothing read yet.
    pub fn of(report: &'r Report) -> Self {
        Observed {
            report,
            extremes: OnceLock::new(),
            readings: OnceLock::new(),
            measured: OnceLock::new(),
            shared: Mutex::default(),
        }
    }

    /// What `find` gives, found once under `name` for every drawing that
    /// asks (the SVG and the PNG of a chart are drawn side by side: the
    /// second to ask waits for the first). A name is always given the same
    /// type.
    pub fn shared<T: Any + Send + Sync>(
        &self,
        name: &'static str,
        find: impl FnOnce() -> T,
    ) -> Arc<T> {
        let cell = {
            let mut cells = self.shared.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(cells.entry(name).or_default())
        };
        let value = Arc::clone(cell.get_or_init(|| Arc::new(find())));
        value
            .downcast::<T>()
            .unwrap_or_else(|_| unreachable!("{name} is always given one type"))
    }

    /// The extremes of the observations' values, read once on every core.
    fn extremes(&self) -> Extremes {
        *self.extremes.get_or_init(|| {
            self.report
                .observations
                .par_iter()
                .fold(
                    || Extremes::NONE,
                    |seen, o| Extremes {
                        reference: widened(seen.reference, o.reference_c),
                        device: o
                            .device_c()
                            .map_or(seen.device, |v| widened(seen.device, v)),
                        displayed: o
                            .displayed_c
                            .map_or(seen.displayed, |v| widened(seen.displayed, v)),
                    },
                )
                .reduce(|| Extremes::NONE, Extremes::joined)
        })
    }

    /// The temperature axis of the temperature charts: the references, the
    /// readings, the alarm threshold and the normal band, with a margin.
    pub fn temperature_range(&self) -> (f64, f64) {
        let seen = self.extremes();
        let alarm = primary_accuracy(self.report).map(|(_, a)| a.alarm_threshold_c);
        let fixed = alarm
            .into_iter()
            .chain([NORMAL_BAND_C.0, NORMAL_BAND_C.1])
            .fold(NONE_SEEN, widened);
        let all = [seen.reference, seen.device, seen.displayed, fixed];
        padded(all.into_iter().fold(NONE_SEEN, joined), 0.05)
    }

    /// The lowest and highest reference.
    pub fn reference_span(&self) -> (f64, f64) {
        padded(self.extremes().reference, 0.0)
    }

    /// The lowest and highest of the references and the device's values.
    pub fn reference_and_device_span(&self) -> (f64, f64) {
        let seen = self.extremes();
        padded(joined(seen.reference, seen.device), 0.0)
    }

    /// (reference, what the device displayed) of every observation with a
    /// displayed or reported value.
    pub fn readings(&self) -> &[(f64, f64)] {
        self.readings.get_or_init(|| {
            self.report
                .observations
                .par_iter()
                .filter_map(|o| o.displayed_c.or(o.reported_c).map(|y| (o.reference_c, y)))
                .collect()
        })
    }

    /// (reference, radiometric value) of every observation with one (none
    /// without frames: a radiometric value is a frame's).
    pub fn measured(&self) -> &[(f64, f64)] {
        self.measured.get_or_init(|| {
            if self.report.frames.is_empty() {
                return Vec::new();
            }
            self.report
                .observations
                .par_iter()
                .filter_map(|o| o.radiometric_c.map(|y| (o.reference_c, y)))
                .collect()
        })
    }
}
