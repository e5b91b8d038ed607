//! fevercheck: tells a test lab whether a fever-screening camera reports body
//! temperatures honestly and accurately.
//!
//! Data flows one way (see `DESIGN.md` of the project):
//!
//! ```text
//! readings.csv + session.toml ─► Session ─► observations (reference, reported)
//!                                               │
//!                     accuracy statistics ◄─────┤
//!                     detectors (findings) ◄────┘
//!                               │
//!                          Report (serde) ─► json / md / terminal summary
//! ```
//!
//! The binary `fevercheck` is a thin layer over [`analysis::analyze`],
//! [`simulate`] and [`check`].

pub mod analysis;
pub mod atomic;
pub mod check;
pub mod compare;
pub mod detect;
pub mod error;
pub mod export;
pub mod formats;
pub mod frame;
pub mod pixel;
pub mod radiometry;
pub mod report;
pub mod session;
pub mod simulate;
pub mod stats;
pub mod units;

pub use error::{Error, Location, Result};
