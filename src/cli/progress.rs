//! The progress bar of long runs (indicatif): frames measured by `analyze`,
//! files inspected or converted in a batch. Shown only once a run has taken
//! more than a second, and never when standard error is not a terminal
//! (indicatif hides its bar then).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run may take before it gets a bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A bar that appears after [`SHOW_AFTER`].
pub struct Progress {
    started: Instant,
    bar: Mutex<Option<ProgressBar>>,
    /// What is being done ("measuring frames").
    message: &'static str,
    /// What is counted ("frames").
    unit: &'static str,
}

impl Progress {
    /// A bar not yet shown, saying `message` and counting `unit`.
    pub fn new(message: &'static str, unit: &'static str) -> Self {
        Progress {
            started: Instant::now(),
            bar: Mutex::new(None),
            message,
            unit,
        }
    }

    /// Records progress; shows the bar once the run is slow enough.
    pub fn update(&self, done: usize, total: usize) {
        if self.started.elapsed() < SHOW_AFTER {
            return;
        }
        let Ok(mut slot) = self.bar.lock() else {
            return;
        };
        let bar = slot.get_or_insert_with(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let template = format!(
                "{{msg}} {{bar:40}} {{pos}}/{{len}} {}, {{eta}} left",
                self.unit
            );
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            bar.set_message(self.message);
            bar
        });
        bar.set_position(done as u64);
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }
}
