//! The indicators calibrated like the sweep detectors: honest cameras of
//! many kinds (offsets, body-temperature modes, narrow populations, noise,
//! the room, 0–10 % fevers, 0.1 °C / 0.1 °F / 0.01 °C displays) against
//! normalising cameras of many kinds and strengths, at 1 000, 10 000 and
//! 100 000 events per camera, and again on 0.5 °C and whole-°F displays.
//! The rates printed are the README's "Fleet calibration" tables; the
//! asserts hold honest cameras to ≤ 1 % flagged at every count and the
//! normalising kinds at 10 000 events to ≥ 99 %, or, for the kinds a log
//! cannot always show, to the rate measured.

use fevercheck_fleet::indicators::IndicatorState;
use fevercheck_fleet::simulate::{camera_state, Behaviour, Display, Site};
use fevercheck_fleet::{judge_camera, CameraJudgement};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Febrile shares of the honest sites.
const FEBRILE_SHARES: [f64; 4] = [0.0, 0.01, 0.05, 0.10];

struct Rates {
    flagged: f64,
    /// Flagged share by the sites' febrile share.
    flagged_by_share: Vec<f64>,
    not_judged: f64,
    /// Per decisive indicator: (id, share beyond, lowest value, highest value).
    indicators: Vec<(String, f64, f64, f64)>,
}

fn rates(behaviour: Behaviour, events: usize, cameras: usize, salt: u64) -> Rates {
    rates_on(behaviour, None, events, cameras, salt)
}

/// [`rates`] with every site's display replaced by `display`.
fn rates_on(
    behaviour: Behaviour,
    display: Option<Display>,
    events: usize,
    cameras: usize,
    salt: u64,
) -> Rates {
    let audits: Vec<_> = (0..cameras)
        .into_par_iter()
        .map(|i| {
            let seed = salt * 1_000_003 + i as u64;
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut site = Site::random(&mut rng, FEBRILE_SHARES[i % FEBRILE_SHARES.len()]);
            if let Some(display) = display {
                site.display = display;
            }
            judge_camera("c", &camera_state(&site, behaviour, events, seed))
        })
        .collect();
    let share = |f: &dyn Fn(&fevercheck_fleet::CameraAudit) -> bool| {
        audits.iter().filter(|a| f(a)).count() as f64 / cameras as f64
    };
    let ids: Vec<String> = audits[0]
        .indicators
        .iter()
        .map(|i| i.id.to_string())
        .collect();
    let indicators = ids
        .iter()
        .map(|id| {
            let values: Vec<(f64, bool)> = audits
                .iter()
                .flat_map(|a| a.indicators.iter().filter(|i| i.id == id))
                .filter_map(|i| i.value.map(|v| (v, i.state == IndicatorState::Beyond)))
                .collect();
            let beyond = values.iter().filter(|v| v.1).count() as f64 / cameras as f64;
            let low = values.iter().map(|v| v.0).fold(f64::INFINITY, f64::min);
            let high = values.iter().map(|v| v.0).fold(f64::NEG_INFINITY, f64::max);
            (id.clone(), beyond, low, high)
        })
        .collect();
    let flagged_by_share = (0..FEBRILE_SHARES.len())
        .map(|f| {
            let of_share: Vec<_> = audits
                .iter()
                .skip(f)
                .step_by(FEBRILE_SHARES.len())
                .collect();
            let flagged = of_share
                .iter()
                .filter(|a| a.state == CameraJudgement::Normalising)
                .count();
            flagged as f64 / of_share.len() as f64
        })
        .collect();
    Rates {
        flagged_by_share,
        flagged: share(&|a| a.state == CameraJudgement::Normalising),
        not_judged: share(&|a| a.state == CameraJudgement::NotJudged),
        indicators,
    }
}

fn print(label: &str, events: usize, r: &Rates) {
    let parts: Vec<String> = r
        .indicators
        .iter()
        .map(|(id, beyond, low, high)| format!("{id} {:.1}% [{low:.3}, {high:.3}]", 100.0 * beyond))
        .collect();
    println!(
        "{label:<42} {events:>7}: flagged {:5.1} %  not judged {:5.1} %  | {}",
        100.0 * r.flagged,
        100.0 * r.not_judged,
        parts.join("  ")
    );
}

/// Share of cameras of each normalising kind that must be flagged at
/// 10 000 events: the 99 % where the log can show it, and for the
/// kinds it cannot always show, the rate measured when the indicators were
/// calibrated (README "Fleet calibration", 2026-12-05), less a margin for
/// the 400 cameras' sampling error, so a change that weakens them fails.
fn required_at_ten_thousand(behaviour: &Behaviour) -> f64 {
    match behaviour {
        // Narrowed to 0.18–0.35 °C: overlaps honest cameras on a narrow
        // population (from 0.32 °C). Measured 84.2 %.
        Behaviour::Compressing { slope } if *slope > 0.45 => 0.80,
        // A clamp or a swap far above the camera's median touches few
        // readings. Measured 98.5 % (37.4 °C) and 98.2 % (37.3 °C).
        Behaviour::Clamping { at_c } if *at_c > 37.3 => 0.97,
        Behaviour::SwappingHigh { share, .. } if *share >= 1.0 => 0.97,
        // One high reading in ten still shown fills the tail the wall
        // test looks at. Measured 26.8 %.
        Behaviour::SwappingHigh { .. } => 0.24,
        // Hiding a band of mild fevers leaves the higher ones, so the tail
        // goes on above a gap the wall test finds less often. Measured
        // 80.2 %.
        Behaviour::BandHiding { .. } => 0.75,
        _ => 0.99,
    }
}

#[test]
fn honest_cameras_are_rarely_flagged_and_normalising_ones_almost_always() {
    let cameras = |events: usize| if events >= 100_000 { 100 } else { 400 };
    let mut missed = Vec::new();
    for events in [1_000, 10_000, 100_000] {
        let honest = rates(Behaviour::Honest, events, 5 * cameras(events), 1);
        print("honest", events, &honest);
        if honest.flagged > 0.01 {
            missed.push(format!("honest flagged {:.3} at {events}", honest.flagged));
        }
        for (k, behaviour) in Behaviour::normalising_kinds().into_iter().enumerate() {
            let r = rates(behaviour, events, cameras(events), 100 + k as u64);
            print(&behaviour.label(), events, &r);
            if matches!(behaviour, Behaviour::SwappingHigh { .. }) {
                for (f, share) in FEBRILE_SHARES.iter().enumerate() {
                    println!(
                        "    at {:.0} % febrile: {:.1} %",
                        100.0 * share,
                        100.0 * r.flagged_by_share[f]
                    );
                }
            }
            let required = required_at_ten_thousand(&behaviour);
            if events == 10_000 && r.flagged < required {
                missed.push(format!(
                    "{} flagged {:.3} at {events}, {required} required",
                    behaviour.label(),
                    r.flagged
                ));
            }
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

#[test]
fn honest_cameras_unlike_those_the_indicators_were_set_on_are_not_flagged() {
    let mut flagged = Vec::new();
    for events in [1_000, 10_000, 100_000] {
        let cameras = if events >= 100_000 { 100 } else { 400 };
        let mut cases: Vec<(String, Behaviour, Option<Display>)> = Behaviour::honest_variations()
            .into_iter()
            .map(|b| (b.label(), b, None))
            .collect();
        for display in [Display::HalvesCelsius, Display::WholeFahrenheit] {
            cases.push((
                format!("honest, {display:?} display"),
                Behaviour::Honest,
                Some(display),
            ));
            // The narrowest honest population on a coarse display: the
            // spread's correction for the display must not push it below
            // the threshold.
            let narrow = Behaviour::NarrowPopulation { scale: 0.75 };
            cases.push((
                format!("{}, {display:?} display", narrow.label()),
                narrow,
                Some(display),
            ));
        }
        for (k, (label, behaviour, display)) in cases.into_iter().enumerate() {
            let r = rates_on(behaviour, display, events, cameras, 500 + k as u64);
            print(&label, events, &r);
            if behaviour != Behaviour::AlarmsLeftOut && r.flagged > 0.01 {
                flagged.push(format!("{label} flagged {:.3} at {events}", r.flagged));
            }
        }
    }
    assert!(flagged.is_empty(), "{flagged:#?}");
}

/// Normalising cameras whose display is coarser than 0.1 °C (0.5 °C, whole
/// °F): the display-values indicator is not judged there, so the others
/// must carry the judgement. Printed for the README; the asserts hold each
/// kind at 10 000 events to the share measured (README "Fleet
/// calibration", 2026-12-05) less a margin for 400 cameras' sampling error.
#[test]
fn normalising_cameras_on_coarse_displays_are_found_as_measured() {
    let mut missed = Vec::new();
    for display in [Display::HalvesCelsius, Display::WholeFahrenheit] {
        for events in [1_000, 10_000, 100_000] {
            let cameras = if events >= 100_000 { 100 } else { 400 };
            for (k, behaviour) in Behaviour::normalising_kinds().into_iter().enumerate() {
                let r = rates_on(behaviour, Some(display), events, cameras, 900 + k as u64);
                print(&format!("{}, {display:?}", behaviour.label()), events, &r);
                let required = required_on_a_coarse_display(&behaviour, display);
                if events == 10_000 && r.flagged < required {
                    missed.push(format!(
                        "{} on {display:?} flagged {:.3} at {events}, {required} required",
                        behaviour.label(),
                        r.flagged
                    ));
                }
            }
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

/// Share of a normalising kind that must be flagged at 10 000 events on a
/// coarse display: the share measured (0.5 °C display / whole °F display,
/// 2026-12-05) less about two standard errors of 400 cameras. On such
/// displays the display-values indicator is not judged, and the spread of
/// a camera compressing to 0.4–0.5 of a degree, once the display's
/// rounding is taken out, still overlaps narrow honest populations.
fn required_on_a_coarse_display(behaviour: &Behaviour, display: Display) -> f64 {
    let halves = display == Display::HalvesCelsius;
    match behaviour {
        // Measured 98.8 / 100 %, 68.5 / 64.5 %, 38.2 / 35.2 %.
        Behaviour::Compressing { slope } if *slope < 0.3 => 0.95,
        Behaviour::Compressing { slope } if *slope < 0.45 => 0.58,
        Behaviour::Compressing { .. } => 0.29,
        // Measured 99.2 / 98.0 % (37.2 °C), 91.8 / 96.8 % (37.4 °C).
        Behaviour::Clamping { at_c } if *at_c < 37.3 => 0.95,
        Behaviour::Clamping { .. } => 0.87,
        // Measured 83.2 / 94.0 % (all above 37.3 °C) and 2.2 / 40.5 %
        // (90 % above 37.5 °C).
        Behaviour::SwappingHigh { share, .. } if *share >= 1.0 => {
            if halves {
                0.77
            } else {
                0.89
            }
        }
        Behaviour::SwappingHigh { .. } => {
            if halves {
                0.0
            } else {
                0.33
            }
        }
        // Measured 1.0 / 28.5 %: the band is two or three display steps.
        Behaviour::BandHiding { .. } => {
            if halves {
                0.0
            } else {
                0.22
            }
        }
        // Measured 74.8 / 100 %.
        Behaviour::RandomNormal if halves => 0.69,
        // Adaptive baseline, constant, random values in whole °F: 100 %.
        _ => 0.97,
    }
}
