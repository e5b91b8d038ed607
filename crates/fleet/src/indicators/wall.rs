//! A wall in the upper readings: somewhere above the median the readings
//! stop, where people's temperatures go on. At each cut above the median,
//! the readings in a window just below it predict, through the shape of a
//! normal distribution of the camera's median and upper half's robust sd
//! (people coming in from the cold widen only the lower half), how many lie
//! in the window just above; an honest camera shows at least that many
//! (people's upper tail is heavier than a normal's, fevers add to it), a
//! camera that clamps or swaps high readings shows a cliff — wherever its
//! limit is, even above the cut of the upper-tail indicator.

use super::{at_least, chance_text, Indicator, Kind};
use crate::distribution::ReadingDistribution;
use fevercheck_stats::distribution::{normal_upper_tail, poisson_lower_tail};

/// Lowest share of the predicted readings above a cut that an honest
/// camera shows, judged against: the simulated honest cameras kept at least
/// 0.53 of it at 10 000 events (coarse displays, narrow populations, people
/// from the cold; 0.55 or more otherwise, README "Fleet calibration"). At
/// 0.5 a camera swapping nine high readings in ten was found 43 % of the
/// time instead of 27 %, with the honest margin only 0.03.
pub const WALL_CONTINUATION_HONEST_MIN: f64 = 0.4;

/// The cuts tried, robust sds above the median: from half of one (a
/// clamp that low narrows the spread as well) to four (where a camera of
/// 100 000 events still predicts 20 readings above a cut), in steps of a
/// tenth.
const CUTS_Z: (f64, f64, f64) = (0.5, 4.0, 0.1);

/// Width of the windows either side of a cut, robust sds of the upper
/// half, and at least [`WINDOW_MIN_C`] and one display step.
const WINDOW_Z: f64 = 0.5;
/// Narrowest window, °C: a display step.
const WINDOW_MIN_C: f64 = 0.1;

/// The window above a cut, in windows below it: twice as wide, to count
/// more of a thin tail.
const ABOVE_WINDOWS: f64 = 2.0;

/// Fewest predicted readings above a cut for the cut to be judged.
const PREDICTED_MIN: f64 = 10.0;

/// Largest chance, over all cuts tried, that a camera whose tail goes on
/// at [`WALL_CONTINUATION_HONEST_MIN`] of the prediction shows so few
/// readings above one: one in 10 000 per camera. Honest cameras' tails go
/// on at 0.53 or more of it (README "Fleet calibration"), so their chance
/// is far smaller still.
const CHANCE_MAX: f64 = 1e-4;

/// One cut tried.
struct Cut {
    at_c: f64,
    below: f64,
    above: f64,
    predicted: f64,
    chance: f64,
}

/// The wall indicator.
const WALL: Kind = Kind {
    id: "wall",
    name: "readings above the steepest cut, against what the readings below it predict",
    unit: "ratio",
    honest: at_least(WALL_CONTINUATION_HONEST_MIN),
    decisive: true,
};

/// The wall indicator of `readings`.
pub(super) fn assess(readings: &ReadingDistribution) -> Indicator {
    let median = readings.quantile(0.5);
    let sd = readings.upper_sd();
    if sd.is_nan() || sd <= 0.0 {
        return WALL.not_judged("the readings have no spread to predict a tail from".into());
    }
    let window = (WINDOW_Z * sd)
        .max(WINDOW_MIN_C)
        .max(readings.display_step());
    let (first, last, step) = CUTS_Z;
    let cuts = ((last - first) / step).round() as usize + 1;
    let normal_between = |a: f64, b: f64| normal_upper_tail(a) - normal_upper_tail(b);
    let mut worst: Option<Cut> = None;
    for i in 0..cuts {
        let z = first + i as f64 * step;
        let at_c = median + z * sd;
        let below = readings.mass_between(at_c - window, at_c);
        let above = readings.mass_between(at_c, at_c + ABOVE_WINDOWS * window);
        let w = window / sd;
        let shape = normal_between(z, z + ABOVE_WINDOWS * w) / normal_between(z - w, z);
        let predicted = below * shape;
        if !predicted.is_finite() || predicted < PREDICTED_MIN {
            continue;
        }
        let chance = poisson_lower_tail(
            above.floor() as u64,
            WALL_CONTINUATION_HONEST_MIN * predicted,
        )
        .unwrap_or(1.0);
        if worst.as_ref().is_none_or(|w| chance < w.chance) {
            worst = Some(Cut {
                at_c,
                below,
                above,
                predicted,
                chance,
            });
        }
    }
    let Some(cut) = worst else {
        return WALL.not_judged(format!(
            "no cut above the median predicts {PREDICTED_MIN} readings above it: too few readings"
        ));
    };
    let continuation = cut.above / cut.predicted;
    let beyond =
        continuation < WALL_CONTINUATION_HONEST_MIN && cut.chance * (cuts as f64) < CHANCE_MAX;
    WALL.judged(
        continuation,
        beyond,
        format!(
            "{:.0} readings in the {window:.2} °C below {:.2} °C predict {:.0} in the {:.2} °C above it; \
             {:.0} are there ({:.0} %){}",
            cut.below,
            cut.at_c,
            cut.predicted,
            ABOVE_WINDOWS * window,
            cut.above,
            100.0 * continuation,
            if beyond {
                format!(": a wall, which an honest camera shows with a chance {}", chance_text(cut.chance * cuts as f64))
            } else {
                String::new()
            }
        ),
    )
}
