//! What several charts read from every observation, found once per report
//! (on every core) and shared by every chart and both of its formats. A million
//! observations are 140 MB to read; the charts used to read them a dozen
//! times per format for ranges and points, most of their drawing time.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use super::style::{range_on_all_cores, temperature_range};
use fevercheck::model::Report;

/// A report and what its charts read from its observations, each found on
/// first use (by whichever thread asks first; the others wait for it).
pub struct Observed<'r> {
    /// The report the charts draw.
    pub report: &'r Report,
    temperature_range: OnceLock<(f64, f64)>,
    reference_span: OnceLock<(f64, f64)>,
    readings: OnceLock<Vec<(f64, f64)>>,
    measured: OnceLock<Vec<(f64, f64)>>,
    /// What single charts derive from the observations, by name.
    shared: Mutex<HashMap<&'static str, Arc<SharedCell>>>,
}

/// A value one chart derives, found once for both of its formats.
type SharedCell = OnceLock<Arc<dyn Any + Send + Sync>>;

impl<'r> Observed<'r> {
    /// Nothing read yet.
    pub fn of(report: &'r Report) -> Self {
        Observed {
            report,
            temperature_range: OnceLock::new(),
            reference_span: OnceLock::new(),
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

    /// The temperature axis of the temperature charts: the references, the
    /// readings, the alarm threshold and the normal band, with a margin.
    pub fn temperature_range(&self) -> (f64, f64) {
        *self
            .temperature_range
            .get_or_init(|| temperature_range(self.report))
    }

    /// The lowest and highest reference.
    pub fn reference_span(&self) -> (f64, f64) {
        *self
            .reference_span
            .get_or_init(|| {
                range_on_all_cores(self.report.observations.par_iter().map(|o| o.reference_c), 0.0)
            })
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

    /// (reference, radiometric value) of every observation with one.
    pub fn measured(&self) -> &[(f64, f64)] {
        self.measured.get_or_init(|| {
            self.report
                .observations
                .par_iter()
                .filter_map(|o| o.radiometric_c.map(|y| (o.reference_c, y)))
                .collect()
        })
    }
}
