//! A session: the observations of one device test and what is known about it.
//!
//! A session is a folder holding `readings.csv` and optionally `session.toml`
//! (docs/design.md), or a single CSV file: either in the `readings.csv` layout (a
//! `session.toml` beside it is read too) or any export whose columns are
//! named on the command line ([`ColumnSpec`]).

mod cells;
mod csv_table;
mod manifest;
mod named_columns;
mod observation;
mod readings;

use std::path::{Path, PathBuf};

pub use csv_table::CsvTable;
pub use manifest::{LoadedManifest, Manifest};
pub use named_columns::{readings_from_named_columns, ColumnSpec};
pub use observation::{parse_timestamp, Observation};
pub use readings::{readings_from_table, Readings};

use crate::error::{Error, Result};

/// File name of the readings inside a session folder.
pub const READINGS_FILE: &str = "readings.csv";
/// File name of the manifest inside a session folder.
pub const MANIFEST_FILE: &str = "session.toml";

/// Everything the analysis needs to know about one device test.
#[derive(Debug, Clone)]
pub struct Session {
    /// The folder or file the session was read from.
    pub path: PathBuf,
    /// Human name: `name` of session.toml, else the folder or file name.
    pub name: String,
    /// The parsed session.toml (empty when absent).
    pub manifest: Manifest,
    /// The observations, in file order.
    pub observations: Vec<Observation>,
    /// Suspicious but usable content found while reading.
    pub warnings: Vec<String>,
}

impl Session {
    /// Loads a session folder, or a CSV file in the `readings.csv` layout.
    pub fn load(path: &Path) -> Result<Session> {
        let (readings_path, folder) = if path.is_dir() {
            (path.join(READINGS_FILE), path.to_path_buf())
        } else {
            (
                path.to_path_buf(),
                path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            )
        };
        if !readings_path.exists() {
            return Err(Error::Unusable {
                path: path.to_path_buf(),
                message: format!(
                    "no {READINGS_FILE} here; a session folder holds {READINGS_FILE} (one row per \
                     observation) and optionally {MANIFEST_FILE}"
                ),
            });
        }
        let loaded = Manifest::load_optional(&folder.join(MANIFEST_FILE))?;
        let readings = readings::read_readings(&readings_path)?;
        Ok(Session::assemble(path, loaded, readings))
    }

    /// Loads any CSV export with its columns named by `spec`; `manifest` is an
    /// optional session.toml describing the device.
    pub fn load_named_columns(
        path: &Path,
        spec: &ColumnSpec,
        manifest: Option<&Path>,
    ) -> Result<Session> {
        let loaded = match manifest {
            Some(manifest) => Manifest::load_optional(manifest)?,
            None => Default::default(),
        };
        let readings = named_columns::read_named_columns(path, spec)?;
        Ok(Session::assemble(path, loaded, readings))
    }

    /// The folder frame paths are relative to: the session folder, or the
    /// folder of a readings file.
    pub fn folder(&self) -> PathBuf {
        if self.path.is_dir() {
            self.path.clone()
        } else {
            self.path.parent().unwrap_or(Path::new(".")).to_path_buf()
        }
    }

    fn assemble(
        path: &Path,
        loaded: manifest::LoadedManifest,
        readings: readings::Readings,
    ) -> Session {
        let name = loaded
            .manifest
            .name
            .clone()
            .unwrap_or_else(|| display_name(path));
        let mut warnings = loaded.warnings;
        warnings.extend(readings.warnings);
        Session {
            path: path.to_path_buf(),
            name,
            manifest: loaded.manifest,
            observations: readings.observations,
            warnings,
        }
    }
}

/// The last component of a path without extension, for a default name.
fn display_name(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".to_string())
}
