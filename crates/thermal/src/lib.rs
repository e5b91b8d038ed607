//! Radiometric thermal frames, read from the files cameras write and turned
//! into degrees Celsius: FLIR R-JPEG, SEQ, CSQ, FFF and FPF, InfiRay
//! and HTI radiometric JPEGs, InfiRay IRG, radiometric TIFF and 16-bit PNG, NumPy arrays and CSV matrices
//! ([`formats::open`]); FLIR's Planck and atmosphere model
//! ([`radiometry`]); per-pixel passes over regions of a frame ([`pixel`]);
//! and writers to CSV, TIFF, NPY and false-colour PNG ([`convert`]).
//!
//! Nothing here knows of sessions, devices or verdicts: the crate serves
//! anyone who reads thermal files.
//!
//! ```
//! use std::path::Path;
//!
//! use fevercheck_thermal::formats::{self, DecodeOptions};
//! use fevercheck_thermal::pixel::{frame_region_stats, Region, RegionScratch};
//! use fevercheck_thermal::radiometry::AtmosphereModel;
//! use fevercheck_thermal::RadiometryOverrides;
//!
//! // A FLIR AX8 picture (fixtures/real/SOURCES.md); exiftool and the
//! // Thermimage formula give 24.3597–25.4692 °C, mean 25.0308 °C.
//! let path = Path::new("../../fixtures/real/flir_ax8.jpg");
//! let thermimage = DecodeOptions {
//!     radiometry: RadiometryOverrides {
//!         atmosphere_model: Some(AtmosphereModel::Thermimage),
//!         ..RadiometryOverrides::default()
//!     },
//!     ..DecodeOptions::default()
//! };
//! let mut frames = formats::open(path, &thermimage)?;
//! let frame = frames.read_frame(0)?;
//! assert_eq!(frame.temperatures.dim(), (60, 80));
//! let whole = Region::whole(60, 80);
//! let stats = frame_region_stats(&frame, &whole, &mut RegionScratch::default());
//! assert!((stats.max_c.unwrap() - 25.4692).abs() < 0.01);
//! assert!((stats.mean_c.unwrap() - 25.0308).abs() < 0.01);
//! # Ok::<(), fevercheck_io::Error>(())
//! ```
//!
//! # Layering
//!
//! Above `fevercheck-io` and `fevercheck-stats`, below the analysis: code
//! here cannot name a session or a report.
//!
//! ```compile_fail
//! use fevercheck::session::Session;
//! ```

#![warn(missing_docs, unreachable_pub)]

pub mod calibrated_range;
pub mod convert;
pub mod formats;
pub mod frame;
mod overrides;
pub mod pixel;
pub mod radiometry;
pub mod raster;

pub use overrides::RadiometryOverrides;
