//! The laboratory battery of IEC 80601-2-59 as far as a session can show it
//! (docs/science.md §1, after Ghassemi et al. 2018): each item with its value,
//! its limit and pass/fail, or "not measurable from this session" with the
//! reason — never a silent pass.

use super::decision::decide;
use super::stack::{StepStack, MIN_STACK_FRAMES};
use crate::model::{Accuracy, Decision, FrameResult, IecItem, Step};
use crate::session::Observation;
use fevercheck_stats::regression::ols;
use fevercheck_stats::Interval;
use fevercheck_thermal::pixel::temporal::{TemporalStats, STABLE_BAND_C};

/// Laboratory accuracy limit, °C, over at least [`ACCURACY_RANGE_C`]
/// (IEC 80601-2-59 with an ETRS; docs/science.md §1).
pub(crate) const LABORATORY_ACCURACY_C: f64 = 0.5;
/// Reference range the laboratory accuracy must cover, °C.
pub(crate) const ACCURACY_RANGE_C: (f64, f64) = (34.0, 39.0);
/// Smallest detector, pixels (docs/science.md §1).
pub(crate) const MIN_DETECTOR: (usize, usize) = (320, 240);
/// Largest ETRS stability plus drift over the session, °C (docs/science.md §1).
pub(crate) const ETRS_STABILITY_DRIFT_C: f64 = 0.1;

fn item(
    name: &str,
    value: Option<f64>,
    unit: &str,
    limit: Option<f64>,
    pass: Option<bool>,
    note: String,
) -> IecItem {
    IecItem {
        item: name.into(),
        value,
        interval: None,
        unit: unit.into(),
        limit,
        pass,
        note,
    }
}

/// Shortest span of frames from which a drift per hour is given: 10
/// minutes, a sixth of the hour it is extrapolated to; over a few minutes of
/// one step the slope is dominated by frame-to-frame noise (a project
/// choice, with the slope's 95 % interval given beside the value).
pub(crate) const MIN_DRIFT_SPAN_S: f64 = 600.0;

fn not_measurable(name: &str, unit: &str, limit: Option<f64>, why: &str) -> IecItem {
    item(
        name,
        None,
        unit,
        limit,
        None,
        format!("not measurable from this session: {why}"),
    )
}

/// The battery for a session: `accuracy` is the best source (ETRS-corrected,
/// radiometric, else reported) with its name; `steps` the step table.
pub(crate) fn battery(
    accuracy: Option<(&str, &Accuracy)>,
    steps: &[Step],
    frames: &[FrameResult],
    observations: &[Observation],
    stack: Option<&StepStack>,
) -> Vec<IecItem> {
    let mut items = vec![
        laboratory_accuracy(accuracy, steps),
        detector_resolution(frames),
        etrs_stability(frames, observations),
        not_measurable(
            "mrtd",
            "°C",
            Some(0.1),
            "needs a four-bar target at known temperature differences",
        ),
        not_measurable(
            "uniformity",
            "°C",
            None,
            "needs frames of a uniform target filling the field of view",
        ),
    ];
    items.extend(stack_items(stack));
    items
}

/// Temporal noise, stability, drift and stabilisation time from the stack of
/// the step with the most frames. docs/science.md gives no camera limit for them:
/// values are reported, not judged.
fn stack_items(stack: Option<&StepStack>) -> Vec<IecItem> {
    let names = [
        ("temporal_noise", "°C"),
        ("stability", "°C"),
        ("drift", "°C/h"),
        ("stabilisation_time", "s"),
    ];
    let Some(stack) = stack else {
        let why = format!(
            "needs {MIN_STACK_FRAMES} or more frames of one reference step (a constant scene)"
        );
        return names
            .iter()
            .map(|(name, unit)| not_measurable(name, unit, None, &why))
            .collect();
    };
    let s = &stack.stats;
    let note = format!(
        "over {} frames of the {:.2} °C step; the standard gives no camera limit, reported only",
        s.frames, stack.reference_c
    );
    let untimed = "needs times for the frames (a `time` column)";
    let values = [
        s.temporal_noise_c,
        Some(s.stability_c),
        s.drift_c_per_h,
        s.stabilisation_s,
    ];
    names
        .iter()
        .zip(values)
        .map(|((name, unit), value)| match (*name, value) {
            (_, None) => not_measurable(name, unit, None, untimed),
            ("drift", Some(_)) => drift_item(s, &note),
            ("stabilisation_time", Some(_)) => stabilisation_item(s, &note),
            ("temporal_noise", Some(v)) => {
                let ci = s
                    .temporal_noise_ci_c
                    .map(|ci| {
                        format!(
                            "; 95 % CI {:.3} to {:.3} °C (chi-square, {} degrees of freedom: \
                             one pixel's interval, the median over the ROI is at least as \
                             precise)",
                            ci.low,
                            ci.high,
                            s.frames - 1
                        )
                    })
                    .unwrap_or_default();
                IecItem {
                    interval: s.temporal_noise_ci_c,
                    ..item(name, Some(v), unit, None, None, format!("{note}{ci}"))
                }
            }
            (_, Some(v)) => item(
                name,
                Some(v),
                unit,
                None,
                None,
                format!(
                    "{note}; the range of the target mean, which grows with the frames and \
                     the time they span: no confidence interval, compare it only with ranges \
                     over as many frames"
                ),
            ),
        })
        .collect()
}

/// Largest frame-to-frame sd of the target mean at which a stabilisation
/// time is given, °C: half the ±0.1 °C band, so a settled target stays
/// inside the band 95 % of the time (±2 sd); a noisier mean leaves and
/// re-enters the band by chance (a project choice).
pub(crate) const MAX_SETTLING_NOISE_C: f64 = STABLE_BAND_C / 2.0;

/// Fewest frames that must stay in the band after the stabilisation: one
/// or two frames at the end are in the band by definition or by chance (a
/// project choice).
pub(crate) const MIN_SETTLED_FRAMES: usize = 3;

/// The stabilisation time with the frames either side of it; not
/// measurable when the target mean is too noisy for the band or the frames
/// end before it has settled.
fn stabilisation_item(s: &TemporalStats, note: &str) -> IecItem {
    let name = "stabilisation_time";
    if let Some(noise) = s.frame_noise_sd_c.filter(|&n| n > MAX_SETTLING_NOISE_C) {
        return not_measurable(
            name,
            "s",
            None,
            &format!(
                "the target mean varies by {noise:.3} °C (sd) from frame to frame; a settling \
                 into ±{STABLE_BAND_C} °C needs at most {MAX_SETTLING_NOISE_C} °C"
            ),
        );
    }
    if s.settled_frames < MIN_SETTLED_FRAMES {
        return not_measurable(
            name,
            "s",
            None,
            &format!(
                "the target mean is within ±{STABLE_BAND_C} °C of its final value only in the \
                 last {} frame(s): the frames end before it has settled (at least \
                 {MIN_SETTLED_FRAMES} needed)",
                s.settled_frames
            ),
        );
    }
    let how = match s.stabilisation_interval_s {
        Some(i) if i.high > 0.0 => format!(
            "settled between {:.0} s and {:.0} s (the frames either side), then within \
             ±{STABLE_BAND_C} °C of its final value for {} frames",
            i.low, i.high, s.settled_frames
        ),
        _ => format!(
            "within ±{STABLE_BAND_C} °C of its final value from the first frame (all {} frames)",
            s.settled_frames
        ),
    };
    IecItem {
        interval: s.stabilisation_interval_s,
        ..item(
            name,
            s.stabilisation_s,
            "s",
            None,
            None,
            format!("{note}; {how}"),
        )
    }
}

/// The drift of the target mean, per hour, with its 95 % interval; not
/// measurable when the frames span less than [`MIN_DRIFT_SPAN_S`] (a rate
/// per hour from a few minutes of one step extrapolates noise).
fn drift_item(s: &TemporalStats, note: &str) -> IecItem {
    let span = s.span_s.unwrap_or(0.0);
    if span < MIN_DRIFT_SPAN_S {
        return not_measurable(
            "drift",
            "°C/h",
            None,
            &format!(
                "the frames of one step span {:.1} min; a drift per hour needs at least {:.0} \
                 min of frames of a constant scene",
                span / 60.0,
                MIN_DRIFT_SPAN_S / 60.0
            ),
        );
    }
    let ci = s
        .drift_ci_c_per_h
        .map(|ci| format!(" (95 % CI {:.2} to {:.2} °C/h)", ci.low, ci.high))
        .unwrap_or_default();
    IecItem {
        interval: s.drift_ci_c_per_h,
        ..item(
            "drift",
            s.drift_c_per_h,
            "°C/h",
            None,
            None,
            format!("{note}; over {:.1} min{ci}", span / 60.0),
        )
    }
}

fn laboratory_accuracy(accuracy: Option<(&str, &Accuracy)>, steps: &[Step]) -> IecItem {
    let name = "laboratory_accuracy";
    let Some((source, block)) = accuracy else {
        return not_measurable(name, "°C", Some(LABORATORY_ACCURACY_C), "no device values");
    };
    let step_source = if source == super::RADIOMETRIC_ETRS {
        super::RADIOMETRIC
    } else {
        source
    };
    let (low, high) = ACCURACY_RANGE_C;
    let inside: Vec<(f64, f64)> = steps
        .iter()
        .filter(|s| (low - 0.05..=high + 0.05).contains(&s.reference_c))
        .filter_map(|s| s.source(step_source).map(|v| (s.reference_c, v.error_c)))
        .collect();
    if inside.is_empty() {
        return not_measurable(
            name,
            "°C",
            Some(LABORATORY_ACCURACY_C),
            "no reference step between 34 and 39 °C",
        );
    }
    let worst = inside.iter().map(|(_, e)| e.abs()).fold(0.0, f64::max);
    let (first, last) = (inside[0].0, inside[inside.len() - 1].0);
    let covers = first <= low + 0.05 && last >= high - 0.05;
    let note =
        format!("largest step-mean error of the {source} values over {first:.2}–{last:.2} °C");
    if covers {
        // The same decision rule as the verdict, on the steps in range.
        let in_range: Vec<Step> = steps
            .iter()
            .filter(|s| (low - 0.05..=high + 0.05).contains(&s.reference_c))
            .cloned()
            .collect();
        let outcome = decide(
            &in_range,
            step_source,
            LABORATORY_ACCURACY_C,
            block.decision_rule,
        );
        let decision = outcome.as_ref().map(|o| o.decision);
        let pass = match decision {
            Some(Decision::Pass) => Some(true),
            Some(Decision::Fail) => Some(false),
            _ => None,
        };
        let how = format!(
            "{note}; judged by {} with each step's expanded uncertainty{}",
            block.decision_rule,
            if decision.is_some_and(Decision::is_conditional) {
                ": conditional, the data cannot decide at this uncertainty"
            } else {
                ""
            }
        );
        item(
            name,
            Some(worst),
            "°C",
            Some(LABORATORY_ACCURACY_C),
            pass,
            how,
        )
    } else {
        item(
            name,
            Some(worst),
            "°C",
            Some(LABORATORY_ACCURACY_C),
            None,
            format!(
                "{note}; not judged: the test needs the sweep to cover at least {low}–{high} °C"
            ),
        )
    }
}

fn detector_resolution(frames: &[FrameResult]) -> IecItem {
    let name = "detector_resolution";
    let Some(smallest) = frames.iter().map(|f| f.size).min_by_key(|(w, h)| w * h) else {
        return not_measurable(
            name,
            "pixels",
            Some((MIN_DETECTOR.0 * MIN_DETECTOR.1) as f64),
            "no frames",
        );
    };
    let pass = smallest.0 >= MIN_DETECTOR.0 && smallest.1 >= MIN_DETECTOR.1;
    item(
        name,
        Some((smallest.0 * smallest.1) as f64),
        "pixels",
        Some((MIN_DETECTOR.0 * MIN_DETECTOR.1) as f64),
        Some(pass),
        format!(
            "frames are {}×{}; at least {}×{} required",
            smallest.0, smallest.1, MIN_DETECTOR.0, MIN_DETECTOR.1
        ),
    )
}

/// The ETRS seen across the session, as IEC 80601-2-59 asks: its stability
/// plus its drift, each counted once. The drift is the change over the
/// session's duration of a straight line against time (with its 95 %
/// interval from the slope's); the stability is the range of the readings
/// about that line — the raw range would hold the drift a second time (an
/// ETRS ramping 0.05 °C with 0.014 °C of scatter was reported 0.112 °C
/// where it moved 0.064 °C). Without times the drift cannot be separated
/// and the raw range is the value.
fn etrs_stability(frames: &[FrameResult], observations: &[Observation]) -> IecItem {
    let name = "etrs_stability_drift";
    // Each frame's result belongs to the next observation with a frame;
    // without frames, none is looked for (`zip` asks the frames first).
    let with_frames = observations.iter().filter(|o| o.frame.is_some());
    let seen: Vec<(Option<f64>, f64)> = frames
        .iter()
        .zip(with_frames)
        .filter_map(|(f, o)| {
            f.etrs
                .map(|e| (o.time.map(|t| t.timestamp() as f64), e.seen_c))
        })
        .collect();
    if seen.len() < 2 {
        return not_measurable(
            name,
            "°C",
            Some(ETRS_STABILITY_DRIFT_C),
            "no ETRS ROI ([roi.etrs]) in two or more frames",
        );
    }
    let values: Vec<f64> = seen.iter().map(|s| s.1).collect();
    let times: Vec<f64> = seen.iter().filter_map(|s| s.0).collect();
    let split = (times.len() == values.len())
        .then(|| stability_and_drift(&times, &values))
        .flatten();
    let (stability, drift, drift_interval) = match split {
        Some(s) => (s.stability_c, s.drift_c, s.drift_interval_c),
        None => (range_of(&values), 0.0, None),
    };
    let value = stability + drift;
    let interval = drift_interval.map(|(low, high)| Interval {
        low: stability + low,
        high: stability + high,
    });
    let limit = ETRS_STABILITY_DRIFT_C;
    let (pass, judged) = match interval {
        Some(i) if i.high <= limit => (Some(true), "within the limit across the interval"),
        Some(i) if i.low > limit => (Some(false), "beyond the limit across the interval"),
        Some(_) => (
            None,
            "not judged: the interval reaches across the limit, so the frames cannot decide",
        ),
        None => (
            Some(value <= limit),
            "no interval: the frames have no times",
        ),
    };
    let mut note = match split {
        Some(_) => format!(
            "stability {stability:.3} °C (range of the ETRS ROI mean about its line in time) plus \
             drift {drift:.3} °C over the session"
        ),
        None => {
            format!("range {stability:.3} °C of the ETRS ROI mean (no times: drift not separated)")
        }
    };
    if let Some((low, high)) = drift_interval {
        note.push_str(&format!(
            "; the drift's 95 % interval {low:.3}–{high:.3} °C, so {:.3}–{:.3} °C in all",
            stability + low,
            stability + high
        ));
    }
    let mut judged_item = item(
        name,
        Some(value),
        "°C",
        Some(limit),
        pass,
        format!("{note}; {judged}"),
    );
    judged_item.interval = interval;
    judged_item
}

/// An ETRS's stability and drift, each once.
#[derive(Debug, Clone, Copy, PartialEq)]
struct StabilityAndDrift {
    /// Range of the readings about their line in time, °C.
    stability_c: f64,
    /// |slope| × the time spanned, °C.
    drift_c: f64,
    /// The least and most drift the slope's 95 % interval gives, °C.
    drift_interval_c: Option<(f64, f64)>,
}

/// Splits readings `values` at `times` (seconds) into stability and drift
/// (see [`etrs_stability`]); `None` when no line can be fitted.
fn stability_and_drift(times: &[f64], values: &[f64]) -> Option<StabilityAndDrift> {
    let fit = ols(times, values)?;
    let span = range_of(times);
    let residuals: Vec<f64> = times
        .iter()
        .zip(values)
        .map(|(t, v)| v - fit.predict(*t))
        .collect();
    Some(StabilityAndDrift {
        stability_c: range_of(&residuals),
        drift_c: (fit.slope * span).abs(),
        drift_interval_c: drift_over(fit.slope_ci, span),
    })
}

/// Largest minus smallest of `values`.
fn range_of(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        - values.iter().copied().fold(f64::INFINITY, f64::min)
}

/// The least and the most drift, °C, over `span` seconds that a slope in
/// `slope_ci` (°C/s) gives: none when the interval holds zero; `None` when
/// the interval is not finite (two frames leave no degrees of freedom).
fn drift_over(slope_ci: Interval, span: f64) -> Option<(f64, f64)> {
    let (a, b) = (slope_ci.low * span, slope_ci.high * span);
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let least = if a <= 0.0 && b >= 0.0 {
        0.0
    } else {
        a.abs().min(b.abs())
    };
    Some((least, a.abs().max(b.abs())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use fevercheck_thermal::pixel::region::Region;

    #[test]
    fn an_etrs_ramp_is_counted_once() {
        // Issue #25: a ramp of 0.05 °C over 870 s (14.5 min), 30 frames,
        // with ±0.007 °C alternating about it. By hand: the line through
        // the alternating pattern is the ramp itself tilted by the pattern's
        // correlation with time (small), so the drift is 0.05 °C within a few
        // thousandths and the scatter about it spans 0.014 °C; the raw range
        // near 0.06 °C, and stability plus drift must be near it, not 0.11.
        let times: Vec<f64> = (0..30).map(|i| 30.0 * f64::from(i)).collect();
        let values: Vec<f64> = times
            .iter()
            .enumerate()
            .map(|(i, t)| 21.0 + 0.05 * t / 870.0 + if i % 2 == 0 { 0.007 } else { -0.007 })
            .collect();
        let split = stability_and_drift(&times, &values).unwrap();
        assert!((split.drift_c - 0.05).abs() < 0.002, "{split:?}");
        assert!((split.stability_c - 0.014).abs() < 0.002, "{split:?}");
        // The raw range is 0.061 (the ends of the ramp fall on opposite
        // signs of the pattern); range plus drift, the drift counted twice,
        // was 0.109.
        let raw = range_of(&values);
        let once = split.stability_c + split.drift_c;
        assert!((once - raw).abs() < 0.005, "{split:?} {raw}");
        assert!(once < 0.07, "{once}");
        let (low, high) = split.drift_interval_c.unwrap();
        assert!(low < 0.05 && high > 0.05, "{split:?}");
    }
    use fevercheck_thermal::pixel::temporal::{temporal_stats, PixelMoments};

    /// The stack statistics of target means `means`, one frame a minute.
    fn stats_of(means: &[f64]) -> TemporalStats {
        let frames: Vec<(Option<f64>, f64)> = means
            .iter()
            .enumerate()
            .map(|(i, &m)| (Some(60.0 * i as f64), m))
            .collect();
        temporal_stats(&PixelMoments::new(1, 1), &Region::default(), &frames).unwrap()
    }

    #[test]
    fn the_drift_interval_is_the_least_and_most_drift_a_slope_in_it_gives() {
        // 0.001 to 0.003 °C/s over 100 s: 0.1 to 0.3 °C.
        let (low, high) = drift_over(
            Interval {
                low: 0.001,
                high: 0.003,
            },
            100.0,
        )
        .unwrap();
        assert!((low - 0.1).abs() < 1e-12 && (high - 0.3).abs() < 1e-12);
        // A falling slope gives the same sizes; an interval holding zero, none.
        let (low, high) = drift_over(
            Interval {
                low: -0.003,
                high: -0.001,
            },
            100.0,
        )
        .unwrap();
        assert!((low - 0.1).abs() < 1e-12 && (high - 0.3).abs() < 1e-12);
        assert_eq!(
            drift_over(
                Interval {
                    low: -0.001,
                    high: 0.002
                },
                100.0
            ),
            Some((0.0, 0.2))
        );
        assert_eq!(
            drift_over(
                Interval {
                    low: f64::NAN,
                    high: 1.0
                },
                100.0
            ),
            None
        );
    }

    #[test]
    fn a_warming_target_settles_between_two_frames() {
        // Out of ±0.1 °C of the final 37.00 until the frame at 180 s.
        let s = stats_of(&[36.0, 36.5, 36.8, 36.95, 37.0, 37.02, 37.0]);
        let settling = stabilisation_item(&s, "n");
        assert_eq!(settling.value, Some(180.0));
        let between = settling.interval.unwrap();
        assert_eq!((between.low, between.high), (120.0, 180.0));
        assert!(settling.note.contains("for 4 frames"), "{}", settling.note);
    }

    #[test]
    fn a_noisy_or_unsettled_target_has_no_stabilisation_time() {
        // The later half 37.2, 37.0, 37.2, 37.0: differences −0.2, 0.2,
        // −0.2 with sd 0.230940, ÷ √2 = 0.163 °C.
        let noisy = stats_of(&[37.0, 37.2, 37.0, 37.2, 37.0, 37.2, 37.0]);
        let item = stabilisation_item(&noisy, "n");
        assert_eq!(item.value, None);
        assert!(item.note.contains("0.163 °C (sd)"), "{}", item.note);
        // Still rising at the end (a steady trend, not noise: 0.043 °C):
        // only the last two frames are in the band.
        let rising = stats_of(&[36.0, 36.2, 36.4, 36.6, 36.8, 36.92, 37.0]);
        let item = stabilisation_item(&rising, "n");
        assert_eq!(item.value, None);
        assert!(item.note.contains("last 2 frame(s)"), "{}", item.note);
    }
}
