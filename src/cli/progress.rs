//! The progress bar of long frame analyses (indicatif): shown only once a
//! run has taken more than a second, and never when standard error is not a
//! terminal (indicatif hides its bar then).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run may take before it gets a bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A bar that appears after [`SHOW_AFTER`].
pub struct FrameProgress {
    started: Instant,
    bar: Mutex<Option<ProgressBar>>,
}

impl FrameProgress {
    /// A bar not yet shown.
    pub fn new() -> Self {
        FrameProgress {
            started: Instant::now(),
            bar: Mutex::new(None),
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
            if let Ok(style) =
                ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} frames, {eta} left")
            {
                bar.set_style(style);
            }
            bar.set_message("measuring frames");
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
