//! `frame_clipping`: radiometric frames whose pixels are clipped at the
//! format's limits or pinned to one value (docs/science.md §3). Severity
//! "warning", or "manipulation" when the clipped pixels are inside the target
//! ROI. It looks at the session as a whole: the counts of each frame's
//! target ROI from the per-pixel pass; one finding for the worst frame,
//! counting the others.

use serde_json::json;

use super::{About, Detector, SessionInput};
use crate::model::{Finding, FrameResult, Severity};

/// Largest share of ROI pixels at the clip limit before flagging
/// (docs/science.md §3: "more than 1 % of the ROI at a clip limit").
pub(super) const CLIPPED_SHARE_MAX: f64 = 0.01;

/// Largest share one value may hold in a ROI that spans more than
/// [`PINNED_MIN_SPAN_C`] (docs/science.md §3: "more than 20 % of a ROI").
pub(super) const PINNED_SHARE_MAX: f64 = 0.20;

/// Span of a ROI above which one repeated value is suspicious, °C.
pub(super) const PINNED_MIN_SPAN_C: f64 = 1.0;

/// What the per-pixel pass counted in one ROI of one frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoiPixelCounts {
    /// Valid pixels in the ROI.
    pub pixels: usize,
    /// Pixels at the frame's clip or saturation limits.
    pub at_clip_limit: usize,
    /// Pixels holding the ROI's most frequent value.
    pub most_common_value_count: usize,
    /// That value, °C.
    pub most_common_value_c: f64,
    /// max − min of the ROI, °C.
    pub span_c: f64,
    /// Whether this is the target ROI.
    pub is_target: bool,
}

/// Looks for clipped or pinned pixels in the frames' target ROIs.
pub(super) struct FrameClippingDetector;

impl Detector for FrameClippingDetector {
    fn about(&self) -> About {
        About::manipulation("frame_clipping", false)
    }

    fn on_session(&self, input: &SessionInput) -> Vec<Finding> {
        let flagged: Vec<(&FrameResult, Finding)> = input
            .frames
            .iter()
            .filter_map(|f| frame_clipping("target", &f.frame, &target_counts(f)).map(|x| (f, x)))
            .collect();
        let count = flagged.len();
        let Some((_, mut worst)) = flagged
            .into_iter()
            .max_by_key(|(f, _)| f.target.clipped.max(f.target.most_common_count))
        else {
            return Vec::new();
        };
        if count > 1 {
            worst.message = format!("{} ({count} frames in all)", worst.message);
            worst
                .evidence
                .insert("frames_flagged".into(), serde_json::json!(count));
        }
        vec![worst]
    }
}

/// The target ROI's counts of one frame.
pub(super) fn target_counts(frame: &FrameResult) -> RoiPixelCounts {
    let target = &frame.target;
    RoiPixelCounts {
        pixels: target.valid,
        at_clip_limit: target.clipped,
        most_common_value_count: target.most_common_count,
        most_common_value_c: target.most_common_c.unwrap_or(f64::NAN),
        span_c: target.max_c.zip(target.min_c).map_or(0.0, |(a, b)| a - b),
        is_target: true,
    }
}

/// The finding for one ROI of one frame, if it is clipped or pinned.
pub fn frame_clipping(roi: &str, frame: &str, counts: &RoiPixelCounts) -> Option<Finding> {
    if counts.pixels == 0 {
        return None;
    }
    let clipped = counts.at_clip_limit as f64 / counts.pixels as f64;
    let pinned = counts.most_common_value_count as f64 / counts.pixels as f64;
    let is_clipped = clipped > CLIPPED_SHARE_MAX;
    let is_pinned = pinned > PINNED_SHARE_MAX && counts.span_c > PINNED_MIN_SPAN_C;
    if !is_clipped && !is_pinned {
        return None;
    }
    let what = if is_clipped {
        format!(
            "{:.1} % of its pixels are at the frame's clip limit",
            100.0 * clipped
        )
    } else {
        format!(
            "{:.1} % of its pixels hold the one value {:.2} °C although the ROI spans {:.2} °C",
            100.0 * pinned,
            counts.most_common_value_c,
            counts.span_c
        )
    };
    let severity = if counts.is_target {
        Severity::Manipulation
    } else {
        Severity::Warning
    };
    let message = format!(
        "ROI `{roi}` in frame {frame}: {what}; temperatures there are not measured values{}",
        if counts.is_target {
            ", and this is the target the device is judged on"
        } else {
            ""
        }
    );
    let evidence = json!({
        "roi": roi,
        "frame": frame,
        "pixels": counts.pixels,
        "clipped_share": clipped,
        "pinned_share": pinned,
        "pinned_value_c": counts.most_common_value_c,
        "roi_span_c": counts.span_c,
    });
    Some(Finding::new(
        "frame_clipping",
        "radiometric",
        severity,
        message,
        evidence,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(
        at_clip_limit: usize,
        most_common: usize,
        span_c: f64,
        is_target: bool,
    ) -> RoiPixelCounts {
        RoiPixelCounts {
            pixels: 1000,
            at_clip_limit,
            most_common_value_count: most_common,
            most_common_value_c: 37.0,
            span_c,
            is_target,
        }
    }

    #[test]
    fn clipping_just_above_one_percent_flags_and_just_below_does_not() {
        assert!(frame_clipping("bg", "f1", &counts(10, 5, 3.0, false)).is_none());
        let finding = frame_clipping("bg", "f1", &counts(11, 5, 3.0, false)).unwrap();
        assert_eq!(finding.severity, Severity::Warning);
        let target = frame_clipping("target", "f1", &counts(11, 5, 3.0, true)).unwrap();
        assert_eq!(target.severity, Severity::Manipulation);
    }

    #[test]
    fn a_pinned_value_flags_only_in_a_roi_that_spans_more_than_a_degree() {
        assert!(frame_clipping("t", "f", &counts(0, 201, 0.9, true)).is_none());
        assert!(frame_clipping("t", "f", &counts(0, 200, 3.0, true)).is_none());
        assert!(frame_clipping("t", "f", &counts(0, 201, 1.1, true)).is_some());
    }
}
