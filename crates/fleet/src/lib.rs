//! Audits a deployed fleet of fever-screening cameras from their screening
//! logs. No blackbody is needed: a camera that pulls its readings toward a
//! normal value leaves a fingerprint in the readings of the people it
//! screened — a spread narrower than people's, a few display values, an
//! empty upper tail, a wall where the tail should go on, no dependence on
//! the room — while an honest camera's readings look like people's.
//!
//! Each camera's events are accumulated into a [`CameraState`] of integer
//! counts and sums, which merge exactly: states built on any split of the
//! events (threads, files, partitions of a Spark or Dask cluster) merge to
//! the state of all of them, bit for bit. [`judge()`] turns the states into a
//! [`FleetAudit`], each camera `consistent`, `normalising` or `not_judged`
//! with its indicators, their honest ranges and the evidence.
//!
//! ```
//! use fevercheck_fleet::{judge, simulate, CameraJudgement, FleetState};
//!
//! let mut fleet = FleetState::default();
//! let site = simulate::Site::typical();
//! let clamp = simulate::Behaviour::Clamping { at_c: 37.3 };
//! simulate::screen("gate-1", &site, simulate::Behaviour::Honest, 5_000, 1, |e| fleet.add(e));
//! simulate::screen("gate-2", &site, clamp, 5_000, 2, |e| fleet.add(e));
//! let audit = judge(&fleet, Vec::new());
//! assert_eq!(audit.cameras[0].camera, "gate-2");
//! assert_eq!(audit.cameras[0].state, CameraJudgement::Normalising);
//! assert_eq!(audit.cameras[1].state, CameraJudgement::Consistent);
//! ```
//!
//! # Layering
//!
//! Beside `fevercheck-thermal`: it depends on `fevercheck-io` and
//! `fevercheck-stats` only, so the Python package can carry it without the
//! analysis of sweeps.
//!
//! ```compile_fail
//! use fevercheck::analyze;
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod batch;
pub mod distribution;
pub mod encoding;
pub mod event;
pub mod fleet_state;
pub mod indicators;
pub mod judge;
pub mod log;
pub mod simulate;
pub mod state;

pub use distribution::ReadingDistribution;
pub use event::Event;
pub use fleet_state::FleetState;
pub use judge::{judge, judge_camera, CameraAudit, CameraJudgement, FleetAudit};
pub use state::CameraState;
