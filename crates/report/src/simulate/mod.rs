//! `fevercheck simulate`: seeded synthetic blackbody sweeps in front of a
//! synthetic camera, written as a session folder.
//!
//! The default protocol is the Healy et al. 2021 sweep: 35.00 → 40.00 °C in
//! 0.25 °C steps (21 steps), here with 3 readings per step. At each reading the
//! sensor sees the target plus Gaussian noise, the camera model turns that
//! into a displayed value, and the display rounds it to its resolution (in
//! the display unit, °C or °F). The same seed gives the same session on every
//! machine (ChaCha8 generator).

pub mod frames;
pub mod model;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

pub use frames::SyntheticFrames;
pub use model::{CameraModel, CameraState};

use crate::ownership::OwnedFolder;
use fevercheck::session::{readings_from_table, CsvTable};
use fevercheck::session::{Manifest, Session, MANIFEST_FILE, READINGS_FILE};
use fevercheck::units::celsius_to_fahrenheit;
use fevercheck_io::atomic::write_atomically;
use fevercheck_io::error::{Error, Result};

/// Order in which one sweep visits the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SweepOrder {
    /// Coldest step first.
    Up,
    /// Warmest step first.
    Down,
    /// A seeded random order.
    Random,
}

impl SweepOrder {
    /// The label written in the `sweep` column.
    pub fn label(self) -> &'static str {
        match self {
            SweepOrder::Up => "up",
            SweepOrder::Down => "down",
            SweepOrder::Random => "random",
        }
    }
}

/// Everything that defines a simulated session.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// The camera.
    pub model: CameraModel,
    /// Seed of the random generator.
    pub seed: u64,
    /// First (coldest) step, °C.
    pub start_c: f64,
    /// Last (warmest) step, °C.
    pub stop_c: f64,
    /// Number of steps from start to stop inclusive.
    pub steps: usize,
    /// Readings per step and sweep.
    pub repeats: usize,
    /// Standard deviation of the sensor noise, °C.
    pub noise_sd_c: f64,
    /// Display resolution in the display unit (0 = no rounding).
    pub resolution: f64,
    /// Display in °F (`reported_f`) instead of °C.
    pub fahrenheit: bool,
    /// The sweeps, in order.
    pub sweeps: Vec<SweepOrder>,
    /// Stated accuracy written to session.toml, ±°C.
    pub stated_accuracy_c: f64,
    /// Alarm threshold written to session.toml, °C.
    pub alarm_threshold_c: f64,
    /// Write a radiometric frame per reading (honest, whatever the display does).
    pub frames: Option<SyntheticFrames>,
    /// Slow drift of the sensor with time, °C per hour (an honest warm-up).
    pub drift_c_per_h: f64,
    /// Time constant of the sensor's response, in readings (0 = instant): an
    /// honest but slow sensor whose first readings at a new step lag behind.
    pub lag_readings: f64,
    /// Slow periodic ambient ripple of the readings: amplitude, °C, and
    /// period, minutes (an air-conditioning cycle, a door opening).
    pub ripple: Option<(f64, f64)>,
    /// An honest warm-up: the sensor reads low at the start of the session
    /// by an amount, °C, that settles exponentially with a time constant,
    /// minutes (IEC 80601-2-59 asks for a warm-up before testing; a device
    /// tested too early shows this).
    pub warm_up: Option<(f64, f64)>,
    /// A transfer the camera declares (`[device.transfer] points`, °C):
    /// `[reference, expected reading]` pairs written to session.toml.
    pub declared_transfer: Option<Vec<[f64; 2]>>,
}

impl Simulation {
    /// The default protocol (docs/science.md §1) for `model` and `seed`.
    pub fn new(model: CameraModel, seed: u64) -> Self {
        Simulation {
            model,
            seed,
            start_c: 35.0,
            stop_c: 40.0,
            steps: 21,
            repeats: 3,
            noise_sd_c: 0.1,
            resolution: 0.1,
            fahrenheit: false,
            sweeps: vec![SweepOrder::Up],
            stated_accuracy_c: 0.5,
            alarm_threshold_c: 37.5,
            frames: None,
            drift_c_per_h: 0.0,
            lag_readings: 0.0,
            ripple: None,
            warm_up: None,
            declared_transfer: None,
        }
    }

    fn check(&self) -> Result<()> {
        let bad = |parameter, message: &str| Err(Error::parameter(parameter, message));
        if self.steps < 2 && self.start_c != self.stop_c {
            return bad(
                "steps",
                "at least 2 are needed for a sweep from `start` to `stop`",
            );
        }
        if self.steps == 0 || self.repeats == 0 || self.sweeps.is_empty() {
            return bad(
                "steps",
                "`steps`, `repeats` and `sweeps` must each give at least one",
            );
        }
        if self.steps * self.repeats * self.sweeps.len() > MAX_SIMULATED_READINGS {
            return bad(
                "repeats",
                "the simulation would write more than 1 000 000 readings",
            );
        }
        let finite = [self.start_c, self.stop_c, self.noise_sd_c, self.resolution];
        if finite.iter().any(|v| !v.is_finite()) || self.noise_sd_c < 0.0 || self.resolution < 0.0 {
            return bad(
                "noise",
                "temperatures must be finite; noise and resolution must not be negative",
            );
        }
        Ok(())
    }

    /// The step temperatures, coldest first.
    pub fn step_temperatures(&self) -> Vec<f64> {
        if self.steps == 1 {
            return vec![self.start_c];
        }
        let width = (self.stop_c - self.start_c) / (self.steps - 1) as f64;
        (0..self.steps)
            .map(|i| self.start_c + width * i as f64)
            .collect()
    }

    /// Runs the simulation and returns the readings in the order taken.
    pub fn run(&self) -> Result<Vec<SimulatedReading>> {
        self.check()?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let noise = Normal::new(0.0, self.noise_sd_c)
            .map_err(|e| Error::parameter("noise", e.to_string()))?;
        let steps = self.step_temperatures();
        let mut state = CameraState::default();
        let mut readings = Vec::new();
        let mut sensed: Option<f64> = None;
        let follow = if self.lag_readings > 0.0 {
            1.0 - (-1.0 / self.lag_readings).exp()
        } else {
            1.0
        };
        for &sweep in &self.sweeps {
            let mut order = steps.clone();
            match sweep {
                SweepOrder::Up => {}
                SweepOrder::Down => order.reverse(),
                SweepOrder::Random => order.shuffle(&mut rng),
            }
            for reference_c in order {
                for _ in 0..self.repeats {
                    let elapsed_h =
                        (readings.len() as i64 * SECONDS_BETWEEN_READINGS) as f64 / 3600.0;
                    let ripple = self.ripple.map_or(0.0, |(amplitude, period_min)| {
                        amplitude * (std::f64::consts::TAU * elapsed_h * 60.0 / period_min).sin()
                    });
                    let settling = self.warm_up.map_or(0.0, |(amplitude, tau_min)| {
                        -amplitude * (-elapsed_h * 60.0 / tau_min).exp()
                    });
                    let target = reference_c + self.drift_c_per_h * elapsed_h + ripple + settling;
                    let settled = sensed.map_or(target, |s| s + follow * (target - s));
                    sensed = Some(settled);
                    let seen_c = settled + noise.sample(&mut rng);
                    let shown_c = self.model.display(seen_c, &mut state);
                    readings.push(SimulatedReading {
                        reference_c,
                        seen_c,
                        displayed: self.round_to_display(shown_c),
                        sweep,
                    });
                }
            }
        }
        Ok(readings)
    }

    /// A displayed temperature in the display unit, rounded to the resolution.
    fn round_to_display(&self, shown_c: f64) -> f64 {
        let value = if self.fahrenheit {
            celsius_to_fahrenheit(shown_c)
        } else {
            shown_c
        };
        if self.resolution > 0.0 {
            (value / self.resolution).round() * self.resolution
        } else {
            value
        }
    }

    /// Display resolution in °C.
    fn resolution_c(&self) -> f64 {
        if self.fahrenheit {
            self.resolution * 5.0 / 9.0
        } else {
            self.resolution
        }
    }

    /// The session these readings make, built in memory exactly as
    /// [`Simulation::write_session`] followed by [`Session::load`] would (the
    /// same text, parsed by the same readers), for tests and calibration.
    pub fn to_session(&self) -> Result<Session> {
        let readings = self.run()?;
        let csv = self.readings_csv(&readings);
        let table = CsvTable::parse(&csv, Path::new(READINGS_FILE), 1)?;
        let parsed = readings_from_table(&table)?;
        let loaded = Manifest::parse(&self.manifest_toml(), Path::new(MANIFEST_FILE), false)?;
        let name = loaded.manifest.name.clone().unwrap_or_default();
        let mut session = Session::from_readings(&name, loaded.manifest, parsed);
        session.path = PathBuf::from("simulated");
        Ok(session)
    }

    /// Writes `readings.csv`, `session.toml` and any frames into `folder`.
    /// Refuses, unless `force`, a folder holding files fevercheck did not
    /// write there (or that changed since, `OwnedFolder`) and any existing
    /// session: a session is data, even one fevercheck simulated.
    pub fn write_session(&self, folder: &Path, force: bool) -> Result<()> {
        let readings_path = folder.join(READINGS_FILE);
        if !force && std::fs::symlink_metadata(&readings_path).is_ok() {
            return Err(Error::OutputInUse {
                path: folder.to_path_buf(),
                message: format!(
                    "{} already exists; add --force to replace the session",
                    readings_path.display()
                ),
            });
        }
        self.write_claimed(OwnedFolder::claim_session(folder, force)?, folder)
    }

    /// Writes the session into `folder`, replacing a session an earlier
    /// simulation wrote there and nobody changed since (the demo's own),
    /// and refusing anything else.
    pub fn replace_own_session(&self, folder: &Path) -> Result<()> {
        self.write_claimed(OwnedFolder::claim_session(folder, false)?, folder)
    }

    fn write_claimed(&self, mut owned: OwnedFolder, folder: &Path) -> Result<()> {
        let readings = self.run()?;
        let readings_path = folder.join(READINGS_FILE);
        let mut written = Vec::new();
        if let Some(frames) = &self.frames {
            let frame_folder = folder.join(FRAME_FOLDER);
            std::fs::create_dir_all(&frame_folder).map_err(|e| Error::write(&frame_folder, e))?;
            for (i, r) in readings.iter().enumerate() {
                let path = folder.join(frame_name(i, frames));
                let mut out = fevercheck_thermal::convert::writer(frames.format, &path, 1)?;
                out.write(&frames.render(r.seen_c, self.seed, i))?;
                written.extend(out.finish()?);
            }
        }
        owned.record_written(&written)?;
        let csv = self.readings_csv(&readings);
        write_atomically(&readings_path, csv.as_bytes())?;
        owned.record(&readings_path, csv.as_bytes());
        let manifest = self.manifest_toml();
        let manifest_path = folder.join(MANIFEST_FILE);
        write_atomically(&manifest_path, manifest.as_bytes())?;
        owned.record(&manifest_path, manifest.as_bytes());
        owned.save()
    }

    fn readings_csv(&self, readings: &[SimulatedReading]) -> String {
        let unit = if self.fahrenheit { "f" } else { "c" };
        let decimals = decimals_for(self.resolution);
        let frame_column = if self.frames.is_some() { ",frame" } else { "" };
        let mut out = format!("time,reference_c,reported_{unit},sweep{frame_column}\n");
        let start: DateTime<Utc> = SIMULATION_START.parse().expect("constant is RFC 3339");
        for (i, r) in readings.iter().enumerate() {
            let time = start + Duration::seconds(SECONDS_BETWEEN_READINGS * i as i64);
            let frame = self
                .frames
                .as_ref()
                .map(|f| format!(",{}", frame_name(i, f)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{},{:.3},{:.decimals$},{}{frame}",
                time.format("%Y-%m-%dT%H:%M:%SZ"),
                r.reference_c,
                r.displayed,
                r.sweep.label()
            );
        }
        out
    }

    fn manifest_toml(&self) -> String {
        let parameters = serde_json::to_string(&self.model).unwrap_or_default();
        format!(
            "# Written by fevercheck simulate (seed {seed}); camera {parameters}\n\
             # noise sd {noise} °C, {repeats} reading(s) per step, sweeps {sweeps}\n\
             name = \"Simulated {name} camera (seed {seed})\"\n\n\
             [device]\nmodel = \"fevercheck simulated {name} camera\"\n\
             stated_accuracy_c = {accuracy}\nalarm_threshold_c = {alarm}\n{resolution}\n\
             [reference]\nmodel = \"fevercheck simulated blackbody\"\n\
             uncertainty_c = 0.0  # the simulated reference is exact\n{declared}",
            seed = self.seed,
            noise = self.noise_sd_c,
            repeats = self.repeats,
            sweeps = self
                .sweeps
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join(","),
            name = self.model.name(),
            accuracy = self.stated_accuracy_c,
            alarm = self.alarm_threshold_c,
            resolution = if self.resolution > 0.0 {
                format!("display_resolution_c = {}\n", self.resolution_c())
            } else {
                String::new()
            },
            declared = match &self.declared_transfer {
                Some(points) => format!(
                    "\n[device.transfer]\npoints = [{}]\n",
                    points
                        .iter()
                        .map(|[reference, reading]| format!("[{reference:?}, {reading:?}]"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => String::new(),
            },
        )
    }
}

/// Folder of the frames inside a simulated session.
const FRAME_FOLDER: &str = "frames";

/// Name of frame `index`, relative to the session folder.
fn frame_name(index: usize, frames: &SyntheticFrames) -> String {
    format!("{FRAME_FOLDER}/{index:05}.{}", frames.extension())
}

/// Largest simulated session, readings: far beyond any lab protocol.
const MAX_SIMULATED_READINGS: usize = 1_000_000;

/// Time of the first simulated reading.
const SIMULATION_START: &str = "2026-01-05T09:00:00Z";

/// Seconds between simulated readings (a blackbody settles in about this).
const SECONDS_BETWEEN_READINGS: i64 = 30;

/// One simulated reading.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulatedReading {
    /// Blackbody temperature, °C.
    pub reference_c: f64,
    /// What the sensor saw (target plus sensor noise), °C.
    pub seen_c: f64,
    /// Displayed value in the display unit.
    pub displayed: f64,
    /// The sweep it belongs to.
    pub sweep: SweepOrder,
}

/// Decimals needed to write values at `resolution`; without a resolution, 6
/// (a millionth of a degree: far below any physical meaning).
fn decimals_for(resolution: f64) -> usize {
    if resolution <= 0.0 {
        return 6;
    }
    let mut decimals = 0;
    while decimals < 6
        && ((resolution * 10f64.powi(decimals as i32)).round()
            - resolution * 10f64.powi(decimals as i32))
        .abs()
            > 1e-9
    {
        decimals += 1;
    }
    decimals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_sweep_is_healys() {
        let steps = Simulation::new(CameraModel::Honest, 1).step_temperatures();
        assert_eq!(steps.len(), 21);
        assert_eq!(steps[0], 35.0);
        assert!((steps[1] - 35.25).abs() < 1e-12);
        assert_eq!(steps[20], 40.0);
    }

    #[test]
    fn the_same_seed_gives_the_same_readings() {
        let a = Simulation::new(CameraModel::Honest, 7).run().unwrap();
        let b = Simulation::new(CameraModel::Honest, 7).run().unwrap();
        let c = Simulation::new(CameraModel::Honest, 8).run().unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 63);
    }

    #[test]
    fn readings_are_rounded_to_the_display_resolution() {
        let mut sim = Simulation::new(CameraModel::Honest, 3);
        sim.resolution = 0.5;
        for r in sim.run().unwrap() {
            assert!((r.displayed * 2.0 - (r.displayed * 2.0).round()).abs() < 1e-9);
        }
    }

    #[test]
    fn fahrenheit_display_converts_before_rounding() {
        let mut sim = Simulation::new(CameraModel::Honest, 3);
        sim.fahrenheit = true;
        sim.noise_sd_c = 0.0;
        let readings = sim.run().unwrap();
        // 38.0 °C = 100.4 °F.
        let at_38 = readings.iter().find(|r| r.reference_c == 38.0).unwrap();
        assert!((at_38.displayed - 100.4).abs() < 1e-9);
    }

    #[test]
    fn up_and_down_sweeps_visit_every_step_in_both_orders() {
        let mut sim = Simulation::new(CameraModel::Honest, 3);
        sim.sweeps = vec![SweepOrder::Up, SweepOrder::Down];
        sim.repeats = 1;
        let readings = sim.run().unwrap();
        assert_eq!(readings.len(), 42);
        assert_eq!(readings[20].reference_c, 40.0);
        assert_eq!(readings[21].reference_c, 40.0);
        assert_eq!(readings[41].reference_c, 35.0);
        assert_eq!(readings[41].sweep, SweepOrder::Down);
    }

    #[test]
    fn decimals_follow_the_resolution() {
        assert_eq!(decimals_for(0.1), 1);
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(1.0), 0);
        assert_eq!(decimals_for(0.0), 6);
    }
}
