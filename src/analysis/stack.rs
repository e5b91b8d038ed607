//! The temporal stack of a session: the target over the frames of the step
//! with the most frames (a constant scene), for the IEC items that need
//! repeated frames — temporal noise, stability, drift, stabilisation time.

use serde::{Deserialize, Serialize};

use super::radiometric::frame_reference;
use crate::error::Result;
use crate::formats::{open, DecodeOptions};
use crate::model::FrameResult;
use crate::model::Shape;
use crate::pixel::temporal::{TemporalStack, TemporalStats};
use crate::session::Session;
use crate::stats::steps::group_into_steps;

/// Fewest frames of one step for a stack: fewer cannot show a noise or a drift.
pub const MIN_STACK_FRAMES: usize = 5;

/// The stack of one step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StepStack {
    /// The step's reference, °C.
    pub reference_c: f64,
    /// What the stack shows.
    pub stats: TemporalStats,
}

/// The stack of the step with the most frames, if one has enough.
pub fn step_stack(
    session: &Session,
    frames: &[FrameResult],
    options: &DecodeOptions,
) -> Result<Option<StepStack>> {
    let with_frames: Vec<_> = session
        .observations
        .iter()
        .filter(|o| o.frame.is_some())
        .collect();
    let keys: Vec<f64> = with_frames.iter().map(|o| o.step_key_c()).collect();
    let Some(largest) = group_into_steps(&keys)
        .into_iter()
        .max_by_key(|members| members.len())
    else {
        return Ok(None);
    };
    if largest.len() < MIN_STACK_FRAMES || frames.len() != with_frames.len() {
        return Ok(None);
    }
    let first = &frames[largest[0]];
    let shape = match first.found {
        Some(f) => Shape::Circle(f.cx, f.cy, f.r),
        None => match session
            .manifest
            .roi
            .get("target")
            .and_then(Shape::from_spec)
        {
            Some(shape) => shape,
            None => return Ok(None),
        },
    };
    let folder = session.folder();
    let (columns, rows) = first.size;
    let mut stack = TemporalStack::new(shape.region(rows, columns));
    let mut sources: std::collections::HashMap<String, Box<dyn crate::formats::FrameSource>> =
        Default::default();
    for &i in &largest {
        let (file, index) = frame_reference(&frames[i].frame);
        if !sources.contains_key(file) {
            sources.insert(file.to_string(), open(&folder.join(file), options)?);
        }
        let source = sources.get_mut(file).expect("inserted above");
        let frame = source.read_frame(index.unwrap_or(0))?;
        let time = with_frames[i]
            .time
            .map(|t| t.timestamp_millis() as f64 / 1000.0);
        stack.add(&frame.temperatures, time);
    }
    let reference_c = largest
        .iter()
        .map(|&i| with_frames[i].reference_c)
        .sum::<f64>()
        / largest.len() as f64;
    Ok(stack.stats().map(|stats| StepStack { reference_c, stats }))
}
