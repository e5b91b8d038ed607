//! fevercheck: tells a test lab whether a fever-screening camera reports body
//! temperatures honestly and accurately.
//!
//! Data flows one way (DESIGN.md):
//!
//! ```text
//! files ─► formats (decode) ─► Frame ─► pixel (ROI and frame statistics, LUTs)
//!                                              │
//! readings.csv + session.toml ─► Session ──────┴─► observations (reference, reported, radiometric)
//!                                                        │
//!                              stats (accuracy) ◄────────┤
//!                              detect (findings) ◄───────┘
//!                                        │
//!                                   Report (serde) ─► json / md / html / plots ─► compare
//! ```
//!
//! The binary `fevercheck` is a thin layer over [`analysis::analyze_with`],
//! [`simulate`], [`check`], [`formats`] with [`export`], and [`compare`].

pub mod analysis;
pub mod atomic;
pub mod check;
pub mod compare;
pub mod convert;
pub mod detect;
pub mod error;
pub mod formats;
pub mod frame;
pub mod model;
pub mod pixel;
pub mod radiometry;
pub mod report;
pub mod session;
pub mod simulate;
pub mod stats;
pub mod units;

pub use error::{Error, Location, Result};
