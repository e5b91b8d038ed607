//! The temporal stack of the step with the most frames (docs/science.md §4):
//! a constant scene seen many times gives the temporal noise, stability,
//! drift and stabilisation time of the IEC battery. Which frames belong to
//! it is decided before the measuring pass ([`stack_members`]); the pass
//! adds them to per-pixel moments; [`finish`] reads the statistics. No file
//! is opened here.

use serde::{Deserialize, Serialize};

use crate::model::{FrameResult, Shape};
use crate::session::{Observation, Session};
use fevercheck_stats::steps::group_into_steps;
use fevercheck_thermal::pixel::temporal::{temporal_stats, PixelMoments, TemporalStats};

/// Fewest frames of one step for a stack: fewer cannot show a noise or a drift.
pub(crate) const MIN_STACK_FRAMES: usize = 5;

/// The stack of one step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct StepStack {
    /// The step's reference, °C.
    pub reference_c: f64,
    /// What the stack shows.
    pub stats: TemporalStats,
}

/// Positions, among the observations with a frame, of the largest step's
/// frames, when it has at least [`MIN_STACK_FRAMES`].
pub(crate) fn stack_members(with_frames: &[&Observation]) -> Vec<usize> {
    let keys: Vec<f64> = with_frames.iter().map(|o| o.step_key_c()).collect();
    group_into_steps(&keys)
        .steps
        .into_iter()
        .max_by_key(|members| members.len())
        .filter(|members| members.len() >= MIN_STACK_FRAMES)
        .unwrap_or_default()
}

/// The stack's statistics from the pass's `moments` of the `members`' frames.
/// The temporal noise is read over the first member's target ROI (where
/// `auto` found it, else the declared one); stability and drift follow each
/// frame's target mean.
pub(crate) fn finish(
    session: &Session,
    with_frames: &[&Observation],
    results: &[FrameResult],
    members: &[usize],
    moments: &PixelMoments,
) -> Option<StepStack> {
    let first = results.get(*members.first()?)?;
    let shape = match first.found {
        Some(f) => Shape::Circle(f.cx, f.cy, f.r),
        None => session
            .manifest
            .roi
            .get("target")
            .and_then(Shape::from_spec)?,
    };
    let (rows, columns) = moments.size();
    let means: Vec<(Option<f64>, f64)> = members
        .iter()
        .filter_map(|&i| {
            let time = with_frames[i]
                .time
                .map(|t| t.timestamp_millis() as f64 / 1000.0);
            results[i].target.mean_c.map(|mean| (time, mean))
        })
        .collect();
    let stats = temporal_stats(moments, &shape.region(rows, columns), &means)?;
    let reference_c = members
        .iter()
        .map(|&i| with_frames[i].reference_c)
        .sum::<f64>()
        / members.len() as f64;
    Some(StepStack { reference_c, stats })
}
