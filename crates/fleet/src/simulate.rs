//! Simulated cameras for calibrating the indicators and for the demo
//! fleet: honest cameras screening people drawn from the FDA study's
//! readings, with everything that makes honest logs differ — a calibration
//! offset, a body-temperature mode, the camera's noise, the room, a share
//! of people with fever, a display in 0.1 °C, 0.1 °F or 0.01 °C — and
//! cameras that normalise what they show in many ways and strengths.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use serde::Serialize;

use crate::event::Event;
use crate::state::CameraState;

/// The FDA study's T_Max1 readings (533 subjects, °C), data/fda_t_max1.txt.
const FDA_T_MAX1: &str = include_str!("../data/fda_t_max1.txt");

/// The people honest cameras see: the FDA readings, each drawn subject
/// varied by the visit-to-visit sd of a person's face temperature.
fn fda_readings() -> Vec<f64> {
    FDA_T_MAX1
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// sd added to each drawn subject's reading, °C: enough to fill the gaps
/// between the 533 values (read to 0.01 °C) without widening the people's
/// spread by more than 2 % (0.51 → 0.52 °C): honest cameras are simulated
/// no wider than the study's people, so the spread's limit is not set
/// against an easy case.
const VISIT_SD_C: f64 = 0.1;

/// What a simulated camera does with the temperature it measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Behaviour {
    /// Shows what it measured.
    Honest,
    /// Honest, its calibration drifting steadily over the log.
    Drifting {
        /// Drift from the first event to the last, °C.
        total_c: f64,
    },
    /// Honest, reading low after each morning's start (every 400 events),
    /// the shortfall decaying over the next 40 screenings.
    WarmingUp {
        /// Shortfall of the first screening of a day, °C.
        drop_c: f64,
    },
    /// Honest, but a share of the people come in from the cold, their skin
    /// 0.5–2 °C cooler.
    ColdArrivals {
        /// Share of people coming in from the cold.
        share: f64,
    },
    /// Honest, its offset changing by a step halfway through the log (a
    /// recalibration, or two cameras logged under one name).
    Recalibrated {
        /// The step, °C.
        step_c: f64,
    },
    /// Honest, screening a population narrower than the site's.
    NarrowPopulation {
        /// Its spread as a share of the FDA subjects'.
        scale: f64,
    },
    /// An honest camera whose log leaves out the screenings that raised
    /// the alarm (exported elsewhere): not a camera's doing, but the log
    /// then looks like a clamp's.
    AlarmsLeftOut,
    /// Honest, each person screened several times in a row (a queue
    /// re-scanned, a person stepping back): the log's readings are not
    /// independent.
    RepeatedScreenings {
        /// Screenings per person.
        times: usize,
    },
    /// Honest, a kiosk that shows "please retest" instead of a reading
    /// below a limit, so its log holds no reading below it.
    LowReadingsOmitted {
        /// The lowest reading shown, °C.
        below_c: f64,
    },
    /// Honest, half the people coming through a second entrance whose
    /// hall is warmer: two populations a step apart.
    TwoEntrances {
        /// The second population's offset, °C.
        step_c: f64,
    },
    /// Honest, a share of the screenings reading something other than a
    /// face (a hat, a scarf, a hand): 28–35 °C.
    Misreads {
        /// Share of misreads.
        share: f64,
    },
    /// Pulls every reading toward 36.5 °C: shown = 36.5 + slope × (measured − 36.5).
    Compressing {
        /// What is left of a degree.
        slope: f64,
    },
    /// Shows readings above a limit as the limit.
    Clamping {
        /// The limit, °C.
        at_c: f64,
    },
    /// Replaces readings above a limit by a normal value (36.3–37.2 °C),
    /// some of the time.
    SwappingHigh {
        /// The limit, °C.
        above_c: f64,
        /// Share of the high readings replaced.
        share: f64,
    },
    /// Replaces readings in a band just above the alarm by a normal value
    /// (36.3–37.2 °C) and shows those above the band as measured: mild
    /// fevers hidden, high ones left to show.
    BandHiding {
        /// Lowest reading hidden, °C.
        from_c: f64,
        /// Readings from here on are shown, °C.
        to_c: f64,
    },
    /// Shows each reading's difference from the running mean of the last
    /// readings, shrunk, around 36.6 °C: a baseline that adapts.
    AdaptiveBaseline {
        /// What is left of a degree of difference.
        pull: f64,
    },
    /// Shows a random normal value, whatever it measured.
    RandomNormal,
    /// Shows 36.6 °C with a little noise.
    ConstantWithNoise {
        /// sd of the noise, °C.
        sd_c: f64,
    },
}

impl Behaviour {
    /// A short name for tables.
    pub fn label(&self) -> String {
        match self {
            Behaviour::Honest => "honest".into(),
            Behaviour::Drifting { total_c } => {
                format!("honest, drifting {total_c:+} °C over the log")
            }
            Behaviour::WarmingUp { drop_c } => {
                format!("honest, {drop_c} °C low at each day's start")
            }
            Behaviour::ColdArrivals { share } => {
                format!("honest, {:.0} % arriving from the cold", 100.0 * share)
            }
            Behaviour::Recalibrated { step_c } => {
                format!("honest, offset stepping {step_c:+} °C halfway")
            }
            Behaviour::NarrowPopulation { scale } => format!("honest, population {scale} as wide"),
            Behaviour::AlarmsLeftOut => "honest, alarms left out of the log".into(),
            Behaviour::RepeatedScreenings { times } => {
                format!("honest, each person screened {times} times")
            }
            Behaviour::LowReadingsOmitted { below_c } => {
                format!("honest, no reading below {below_c} °C shown")
            }
            Behaviour::TwoEntrances { step_c } => {
                format!("honest, half the people {step_c:+} °C (two entrances)")
            }
            Behaviour::Misreads { share } => {
                format!("honest, {:.0} % misreads at 28–35 °C", 100.0 * share)
            }
            Behaviour::Compressing { slope } => format!("compressing to {slope}"),
            Behaviour::Clamping { at_c } => format!("clamping at {at_c} °C"),
            Behaviour::SwappingHigh { above_c, share } => {
                format!(
                    "swapping {:.0} % of readings above {above_c} °C",
                    100.0 * share
                )
            }
            Behaviour::BandHiding { from_c, to_c } => {
                format!("hiding readings in {from_c}–{to_c} °C")
            }
            Behaviour::AdaptiveBaseline { pull } => format!("adaptive baseline, pull {pull}"),
            Behaviour::RandomNormal => "random normal values".into(),
            Behaviour::ConstantWithNoise { sd_c } => format!("constant 36.6 °C ± {sd_c}"),
        }
    }

    /// Whether the camera shows what it measured (a log that leaves out
    /// the alarms is an honest camera's too).
    pub fn is_honest(&self) -> bool {
        !matches!(
            self,
            Behaviour::Compressing { .. }
                | Behaviour::Clamping { .. }
                | Behaviour::SwappingHigh { .. }
                | Behaviour::BandHiding { .. }
                | Behaviour::AdaptiveBaseline { .. }
                | Behaviour::RandomNormal
                | Behaviour::ConstantWithNoise { .. }
        )
    }

    /// Honest cameras unlike those the indicators were set on: each must
    /// stay unflagged (the log without its alarms is reported, not held).
    pub fn honest_variations() -> Vec<Behaviour> {
        vec![
            Behaviour::Drifting { total_c: 1.0 },
            Behaviour::Drifting { total_c: -1.5 },
            Behaviour::WarmingUp { drop_c: 1.5 },
            Behaviour::ColdArrivals { share: 0.3 },
            Behaviour::Recalibrated { step_c: 0.8 },
            Behaviour::NarrowPopulation { scale: 0.75 },
            Behaviour::AlarmsLeftOut,
            Behaviour::RepeatedScreenings { times: 3 },
            Behaviour::LowReadingsOmitted { below_c: 35.0 },
            Behaviour::TwoEntrances { step_c: 0.8 },
            Behaviour::Misreads { share: 0.05 },
        ]
    }

    /// The normalising behaviours the indicators are calibrated against.
    pub fn normalising_kinds() -> Vec<Behaviour> {
        vec![
            Behaviour::Compressing { slope: 0.2 },
            Behaviour::Compressing { slope: 0.4 },
            Behaviour::Compressing { slope: 0.5 },
            Behaviour::Clamping { at_c: 37.2 },
            Behaviour::Clamping { at_c: 37.4 },
            Behaviour::SwappingHigh {
                above_c: 37.3,
                share: 1.0,
            },
            Behaviour::SwappingHigh {
                above_c: 37.5,
                share: 0.9,
            },
            Behaviour::BandHiding {
                from_c: 37.5,
                to_c: 38.5,
            },
            Behaviour::AdaptiveBaseline { pull: 0.3 },
            Behaviour::RandomNormal,
            Behaviour::ConstantWithNoise { sd_c: 0.1 },
        ]
    }
}

/// How readings are displayed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Display {
    /// Tenths of a degree Celsius.
    TenthsCelsius,
    /// Tenths of a degree Fahrenheit (logged back in °C).
    TenthsFahrenheit,
    /// Hundredths of a degree Celsius.
    HundredthsCelsius,
    /// Halves of a degree Celsius (a coarse kiosk).
    HalvesCelsius,
    /// Whole degrees Fahrenheit (logged back in °C).
    WholeFahrenheit,
}

impl Display {
    fn show(self, celsius: f64) -> f64 {
        match self {
            Display::TenthsCelsius => (celsius * 10.0).round() / 10.0,
            Display::TenthsFahrenheit => {
                let f = ((celsius * 1.8 + 32.0) * 10.0).round() / 10.0;
                (f - 32.0) / 1.8
            }
            Display::HundredthsCelsius => (celsius * 100.0).round() / 100.0,
            Display::HalvesCelsius => (celsius * 2.0).round() / 2.0,
            Display::WholeFahrenheit => ((celsius * 1.8 + 32.0).round() - 32.0) / 1.8,
        }
    }
}

/// Everything that makes one honest camera's log differ from another's.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Site {
    /// Calibration offset of the camera, °C.
    pub offset_c: f64,
    /// Offset its body-temperature mode adds to face readings, °C (0: the
    /// camera shows skin temperature).
    pub body_mode_c: f64,
    /// How much of the population's spread this site's people have (a
    /// narrow population: one age group, one shift).
    pub population_scale: f64,
    /// The camera's own noise, sd, °C.
    pub noise_c: f64,
    /// Mean room temperature, °C.
    pub ambient_mean_c: f64,
    /// sd of the room temperature over the log, °C.
    pub ambient_sd_c: f64,
    /// How much a reading follows the room, °C per °C (0: compensated).
    pub ambient_slope: f64,
    /// Share of people with fever.
    pub febrile_share: f64,
    /// The display.
    pub display: Display,
}

impl Site {
    /// A site with every honest complication at a middle value: no offset,
    /// a body-temperature mode of +1 °C, the FDA subjects' spread, 0.1 °C
    /// of noise, a room of 22 ± 2 °C followed at 0.2 °C per °C, 2 % fevers,
    /// a display of tenths of °C.
    pub fn typical() -> Site {
        Site {
            offset_c: 0.0,
            body_mode_c: 1.0,
            population_scale: 1.0,
            noise_c: 0.1,
            ambient_mean_c: 22.0,
            ambient_sd_c: 2.0,
            ambient_slope: 0.2,
            febrile_share: 0.02,
            display: Display::TenthsCelsius,
        }
    }

    /// A random honest site; `febrile_share` fixed by the caller.
    pub fn random(rng: &mut impl Rng, febrile_share: f64) -> Site {
        let displays = [
            Display::TenthsCelsius,
            Display::TenthsCelsius,
            Display::TenthsFahrenheit,
            Display::HundredthsCelsius,
        ];
        Site {
            offset_c: rng.gen_range(-0.5..0.5),
            body_mode_c: if rng.gen_bool(0.5) {
                rng.gen_range(0.8..1.4)
            } else {
                0.0
            },
            population_scale: rng.gen_range(0.8..1.1),
            noise_c: rng.gen_range(0.05..0.25),
            ambient_mean_c: rng.gen_range(18.0..28.0),
            ambient_sd_c: rng.gen_range(0.5..3.0),
            ambient_slope: rng.gen_range(0.0..0.3),
            febrile_share,
            display: displays[rng.gen_range(0..displays.len())],
        }
    }
}

/// Mean of the FDA readings, °C, around which a site's population is
/// scaled.
const FDA_MEAN_C: f64 = 35.70;

/// Screenings per simulated day, for a camera warming up each morning.
const DAY_EVENTS: usize = 400;
/// Screenings over which a morning's shortfall decays to 1/e.
const WARM_UP_EVENTS: f64 = 40.0;

/// The median a normalising camera is set up to show, °C.
const NORMALISED_MEDIAN_C: f64 = 36.6;

/// Simulates `events` screenings of a camera called `camera` at `site`
/// behaving as `behaviour`, handing each event to `sink`.
pub fn screen(
    camera: &str,
    site: &Site,
    behaviour: Behaviour,
    events: usize,
    seed: u64,
    mut sink: impl FnMut(&Event),
) {
    let people = fda_readings();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let unit = Normal::new(0.0, 1.0).expect("sd 1 is valid");
    // Normalising cameras are sold as body-temperature cameras, set up so
    // that people read normal: their median is 36.6 ± 0.2 °C in a 23 °C
    // room, so an alarm at 37.5 °C sits where a real one does (the site's
    // room then moves it, as it moves an honest camera's readings). Honest
    // cameras keep the site's offset and mode (a median anywhere in
    // 35.2–37.6 °C).
    let body_mode = if behaviour.is_honest() {
        site.body_mode_c
    } else {
        NORMALISED_MEDIAN_C - FDA_MEAN_C - site.offset_c + rng.gen_range(-0.2..0.2)
    };
    let mut running_mean = 36.6;
    let mut event = Event::new(camera, 0.0);
    let population_scale = match behaviour {
        Behaviour::NarrowPopulation { scale } => scale,
        _ => site.population_scale,
    };
    let screenings_per_person = match behaviour {
        Behaviour::RepeatedScreenings { times } => times.max(1),
        _ => 1,
    };
    let mut face = FDA_MEAN_C;
    for index in 0..events {
        if index % screenings_per_person == 0 {
            let person = people[rng.gen_range(0..people.len())];
            face = FDA_MEAN_C
                + population_scale * (person - FDA_MEAN_C)
                + VISIT_SD_C * unit.sample(&mut rng);
            if rng.gen_bool(site.febrile_share) {
                face += rng.gen_range(1.0..3.0);
            }
            if let Behaviour::TwoEntrances { step_c } = behaviour {
                if rng.gen_bool(0.5) {
                    face += step_c;
                }
            }
        }
        if let Behaviour::ColdArrivals { share } = behaviour {
            if rng.gen_bool(share) {
                face -= rng.gen_range(0.5..2.0);
            }
        }
        let ambient = site.ambient_mean_c + site.ambient_sd_c * unit.sample(&mut rng);
        let measured = face
            + body_mode
            + site.offset_c
            + site.ambient_slope * (ambient - 23.0)
            + site.noise_c * unit.sample(&mut rng);
        let shown = match behaviour {
            Behaviour::Honest
            | Behaviour::ColdArrivals { .. }
            | Behaviour::NarrowPopulation { .. }
            | Behaviour::AlarmsLeftOut
            | Behaviour::RepeatedScreenings { .. }
            | Behaviour::LowReadingsOmitted { .. }
            | Behaviour::TwoEntrances { .. } => measured,
            Behaviour::Misreads { share } => {
                if rng.gen_bool(share) {
                    rng.gen_range(28.0..35.0)
                } else {
                    measured
                }
            }
            Behaviour::Drifting { total_c } => measured + total_c * index as f64 / events as f64,
            Behaviour::WarmingUp { drop_c } => {
                let since_start = (index % DAY_EVENTS) as f64;
                measured - drop_c * (-since_start / WARM_UP_EVENTS).exp()
            }
            Behaviour::Recalibrated { step_c } => {
                measured + if index >= events / 2 { step_c } else { 0.0 }
            }
            Behaviour::Compressing { slope } => 36.5 + slope * (measured - 36.5),
            Behaviour::Clamping { at_c } => measured.min(at_c),
            Behaviour::SwappingHigh { above_c, share } => {
                if measured > above_c && rng.gen_bool(share) {
                    rng.gen_range(36.3..37.2)
                } else {
                    measured
                }
            }
            Behaviour::BandHiding { from_c, to_c } => {
                if (from_c..to_c).contains(&measured) {
                    rng.gen_range(36.3..37.2)
                } else {
                    measured
                }
            }
            Behaviour::AdaptiveBaseline { pull } => {
                running_mean += (measured - running_mean) / 50.0;
                36.6 + pull * (measured - running_mean)
            }
            Behaviour::RandomNormal => 36.6 + 0.25 * unit.sample(&mut rng),
            Behaviour::ConstantWithNoise { sd_c } => 36.6 + sd_c * unit.sample(&mut rng),
        };
        event.temperature_c = site.display.show(shown);
        event.ambient_c = Some((ambient * 10.0).round() / 10.0);
        event.hour = Some(rng.gen_range(6..22));
        event.threshold_c = Some(37.5);
        event.alarm = Some(event.temperature_c >= 37.5);
        if behaviour == Behaviour::AlarmsLeftOut && event.alarm == Some(true) {
            continue;
        }
        if let Behaviour::LowReadingsOmitted { below_c } = behaviour {
            if event.temperature_c < below_c {
                continue;
            }
        }
        sink(&event);
    }
}

/// The state of a simulated camera (see [`screen`]).
pub fn camera_state(site: &Site, behaviour: Behaviour, events: usize, seed: u64) -> CameraState {
    let mut state = CameraState::default();
    screen("simulated", site, behaviour, events, seed, |e| state.add(e));
    state
}

/// A demonstration fleet: twelve cameras at an airport's gates, nine
/// honest and three normalising, as (name, site, behaviour) to [`screen`].
pub fn demo_fleet(seed: u64) -> Vec<(String, Site, Behaviour)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let normalising = [
        (3, Behaviour::Compressing { slope: 0.3 }),
        (7, Behaviour::Clamping { at_c: 37.3 }),
        (
            10,
            Behaviour::SwappingHigh {
                above_c: 37.5,
                share: 1.0,
            },
        ),
    ];
    (0..12)
        .map(|i| {
            let gate = format!("terminal-{}-gate-{:02}", 1 + i / 4, 1 + i % 4 * 3);
            let site = Site::random(&mut rng, [0.0, 0.01, 0.03][i % 3]);
            let behaviour = normalising
                .iter()
                .find(|(at, _)| *at == i)
                .map_or(Behaviour::Honest, |(_, b)| *b);
            (gate, site, behaviour)
        })
        .collect()
}
