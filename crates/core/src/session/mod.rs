//! A session: the observations of one device test and what is known about it.
//!
//! A session is a folder holding `readings.csv` and optionally `session.toml`
//! (docs/design.md), or a single CSV file: either in the `readings.csv` layout (a
//! `session.toml` beside it is read too) or any export whose columns are
//! named on the command line ([`ColumnSpec`]).

mod cells;
mod clock_offset;
mod csv_chunks;
mod csv_table;
mod elapsed;
mod known_keys;
mod log_join;
mod manifest;
mod named_columns;
mod observation;
mod paths;
mod readings;
mod row_errors;
mod screening;
mod text_encoding;
mod time_layouts;
mod time_reader;
mod time_sanity;
mod workbook;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use csv_table::CsvTable;
pub(crate) use elapsed::seconds_from_earliest;
pub use manifest::{LoadedManifest, Manifest};
pub use named_columns::{
    readings_from_named_columns, readings_from_named_columns_with, ColumnSpec, WhenColumns,
};
pub(crate) use observation::DistinctLabels;
pub use observation::Observation;
pub use readings::{readings_from_table, readings_from_table_with, Readings};
pub use time_reader::{parse_timestamp, TimeReader};

use crate::model::{LogPairing, SuspectValue, TimeSettings};
use fevercheck_io::error::{Error, Location, Result};

/// File name of the readings inside a session folder.
pub const READINGS_FILE: &str = "readings.csv";
/// File name of the manifest inside a session folder.
pub const MANIFEST_FILE: &str = "session.toml";

/// Everything the analysis needs to know about one device test. Read one
/// with [`Session::load`]; make one in memory with
/// [`Session::from_readings`] or [`Session::from_observations`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Session {
    /// The folder or file the session was read from.
    pub path: PathBuf,
    /// Human name: `name` of session.toml, else the folder or file name.
    pub name: String,
    /// The parsed session.toml (empty when absent).
    pub manifest: Manifest,
    /// The observations, in file order.
    pub observations: Vec<Observation>,
    /// Suspicious but usable content found while reading: it bears on the
    /// verdict.
    pub warnings: Vec<String>,
    /// How the files were read (encodings, sheets, times read as UTC): no
    /// bearing on the verdict, said so a reader can check it.
    pub notes: Vec<String>,
    /// Values left out as mistakes in the file (see [`LoadOptions`]).
    pub excluded: Vec<SuspectValue>,
    /// For a session given as two logs, how they were joined by time.
    pub pairing: Option<LogPairing>,
}

/// How a session is read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Leave out the rows whose values look like mistakes in the file (a
    /// unit or typing slip) and list them, instead of refusing the file.
    pub exclude_suspect_values: bool,
    /// Read a `session.toml` with keys this version does not know, warning
    /// about each, instead of refusing it.
    pub allow_unknown_keys: bool,
    /// How the files write times, over session.toml's `[time]`: a value
    /// given here replaces the one there (`--time-format`, `--time-zone`).
    pub time: TimeSettings,
    /// Read logs, frames and readings from outside the session folder
    /// (`--allow-outside`); each such file is then named in the report.
    pub allow_outside: bool,
    /// The sheet of a workbook to read (`--sheet`); the first when `None`.
    pub sheet: Option<String>,
}

/// Most suspect values listed in an error.
const SUSPECTS_LISTED: usize = 20;

impl Session {
    /// A session held in memory, named `name` (also its path), of readings
    /// parsed from text (by [`readings_from_table`] or the named-column
    /// readers), with their warnings and notes: for a program that has the
    /// text but no folder.
    pub fn from_readings(name: &str, manifest: Manifest, readings: Readings) -> Session {
        Session {
            path: PathBuf::from(name),
            name: name.to_string(),
            manifest,
            observations: readings.observations,
            warnings: readings.warnings,
            notes: readings.notes,
            excluded: Vec::new(),
            pairing: None,
        }
    }

    /// A session held in memory of observations made by hand (each with
    /// its line number), named `name` (also its path).
    pub fn from_observations(
        name: &str,
        manifest: Manifest,
        observations: Vec<Observation>,
    ) -> Session {
        let readings = Readings {
            observations,
            ..Readings::default()
        };
        Session::from_readings(name, manifest, readings)
    }

    /// Loads a session folder, or a CSV file in the `readings.csv` layout.
    pub fn load(path: &Path) -> Result<Session> {
        Session::load_with(path, &LoadOptions::default())
    }

    /// [`Session::load`] with options.
    pub fn load_with(path: &Path, options: &LoadOptions) -> Result<Session> {
        let (readings_path, folder) = if path.is_dir() {
            (path.join(READINGS_FILE), path.to_path_buf())
        } else {
            (
                path.to_path_buf(),
                path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            )
        };
        let manifest_path = folder.join(MANIFEST_FILE);
        // session.toml cannot allow itself to be read from elsewhere.
        paths::PathRule::new(&folder, options.allow_outside)
            .check(&manifest_path, &Location::file(&manifest_path))?;
        let mut loaded = Manifest::load_optional(&manifest_path, options.allow_unknown_keys)?;
        let mut rule = paths::PathRule::new(
            &folder,
            options.allow_outside || loaded.manifest.paths.allow_outside,
        );
        apply_time_options(&mut loaded.manifest.time, &options.time)?;
        if let Some(names) = loaded.manifest.columns.clone() {
            return Session::load_manifest_columns(path, &folder, &names, loaded, options, rule);
        }
        if path.is_dir() {
            if let Some(joined) = log_join::join_logs(&folder, &loaded.manifest, &mut rule)? {
                if readings_path.exists() {
                    return Err(Error::Unusable {
                        path: path.to_path_buf(),
                        message: format!(
                            "{MANIFEST_FILE} names a reference log and a device log, and \
                             {READINGS_FILE} is here too: keep one of the two ways of giving \
                             the observations, so that they are not mixed"
                        ),
                    });
                }
                let readings = readings::Readings {
                    observations: joined.observations,
                    warnings: joined.warnings,
                    notes: joined.notes,
                    suspects: Vec::new(),
                };
                let mut session =
                    Session::assemble(path, path, loaded, readings, options, &mut rule)?;
                session.pairing = Some(joined.pairing);
                return Ok(session);
            }
        }
        if !readings_path.exists() {
            return Err(Error::Unusable {
                path: path.to_path_buf(),
                message: format!(
                    "no {READINGS_FILE} here; a session folder holds {READINGS_FILE} (one row per \
                     observation) and optionally {MANIFEST_FILE}, or a {MANIFEST_FILE} naming a \
                     reference log and a device log to join by time"
                ),
            });
        }
        rule.check(&readings_path, &Location::file(&readings_path))?;
        let times = TimeReader::new(&loaded.manifest.time, &folder.join(MANIFEST_FILE))?;
        let readings = readings::read_readings(&readings_path, &times, options.sheet.as_deref())?;
        Session::assemble(path, &readings_path, loaded, readings, options, &mut rule)
    }

    /// A session whose session.toml names the columns of its table
    /// (`[columns]`): the table is `file` in the folder (readings.csv when
    /// not given), or the file `path` itself.
    fn load_manifest_columns(
        path: &Path,
        folder: &Path,
        names: &crate::model::ColumnNames,
        loaded: manifest::LoadedManifest,
        options: &LoadOptions,
        mut rule: paths::PathRule,
    ) -> Result<Session> {
        let manifest_path = folder.join(MANIFEST_FILE);
        if loaded.manifest.reference.log.is_some() || loaded.manifest.device.log.is_some() {
            return Err(Error::invalid(
                Location::file(&manifest_path),
                "`[columns]` names the columns of one table, and `[reference] log` / `[device] \
                 log` name two logs to join: keep one of the two ways of giving the \
                 observations, so that they are not mixed",
            ));
        }
        let table = if path.is_dir() {
            folder.join(names.file.as_deref().unwrap_or(READINGS_FILE))
        } else {
            path.to_path_buf()
        };
        rule.check(&table, &Location::file(&manifest_path))?;
        if !table.is_file() {
            return Err(Error::Unusable {
                path: table.clone(),
                message: format!(
                    "{MANIFEST_FILE}'s `[columns]` reads this table, and there is no such file; \
                     name the session's table with `file = \"…\"` in `[columns]`"
                ),
            });
        }
        let spec = ColumnSpec::from_manifest(names, &manifest_path)?;
        let times = TimeReader::new(&loaded.manifest.time, &manifest_path)?;
        let sheet = options.sheet.as_deref().or(names.sheet.as_deref());
        let readings = named_columns::read_named_columns(&table, &spec, sheet, &times)?;
        Session::assemble(path, &table, loaded, readings, options, &mut rule)
    }

    /// Loads any CSV export with its columns named by `spec`; `manifest` is an
    /// optional session.toml describing the device.
    pub fn load_named_columns(
        path: &Path,
        spec: &ColumnSpec,
        manifest: Option<&Path>,
    ) -> Result<Session> {
        Session::load_named_columns_with(path, spec, manifest, &LoadOptions::default())
    }

    /// [`Session::load_named_columns`] with options.
    pub fn load_named_columns_with(
        path: &Path,
        spec: &ColumnSpec,
        manifest: Option<&Path>,
        options: &LoadOptions,
    ) -> Result<Session> {
        let mut loaded = match manifest {
            // Named on the command line: it must be there.
            Some(manifest) => Manifest::read(manifest, options.allow_unknown_keys)?,
            None => Default::default(),
        };
        apply_time_options(&mut loaded.manifest.time, &options.time)?;
        let blamed = manifest.map_or_else(|| path.to_path_buf(), Path::to_path_buf);
        let times = TimeReader::new(&loaded.manifest.time, &blamed)?;
        let readings =
            named_columns::read_named_columns(path, spec, options.sheet.as_deref(), &times)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        let mut rule = paths::PathRule::new(
            folder,
            options.allow_outside || loaded.manifest.paths.allow_outside,
        );
        Session::assemble(path, path, loaded, readings, options, &mut rule)
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
        readings_path: &Path,
        loaded: manifest::LoadedManifest,
        readings: readings::Readings,
        options: &LoadOptions,
        rule: &mut paths::PathRule,
    ) -> Result<Session> {
        let (observations, excluded) = keep_or_refuse(
            readings_path,
            readings.observations,
            readings.suspects,
            options,
        )?;
        let name = loaded
            .manifest
            .name
            .clone()
            .unwrap_or_else(|| display_name(path));
        let folder = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(Path::new("."))
        };
        if let Some(frames) = loaded
            .manifest
            .matching
            .as_ref()
            .and_then(|m| m.frames.as_ref())
        {
            let manifest_path = folder.join(MANIFEST_FILE);
            rule.check(&folder.join(frames), &Location::file(&manifest_path))?;
        }
        // Each frame's path is checked once, at its first row; a session
        // without frames (a large log) is passed over on every core.
        if observations.par_iter().any(|o| o.frame.is_some()) {
            let mut checked = std::collections::HashSet::new();
            for observation in &observations {
                if let Some(frame) = &observation.frame {
                    if checked.insert(frame.as_str()) {
                        let place = Location::line(readings_path, observation.line);
                        rule.check(&folder.join(frame), &place)?;
                    }
                }
            }
        }
        let mut warnings = loaded.warnings;
        warnings.extend(readings.warnings);
        warnings.extend(rule.warning());
        warnings.extend(time_sanity::time_warnings(&observations));
        Ok(Session {
            path: path.to_path_buf(),
            name,
            manifest: loaded.manifest,
            observations,
            warnings,
            notes: readings.notes,
            excluded,
            pairing: None,
        })
    }
}

/// The observations without the suspect values' rows when they are to be
/// left out; otherwise an error listing the suspects.
fn keep_or_refuse(
    readings_path: &Path,
    observations: Vec<Observation>,
    suspects: Vec<SuspectValue>,
    options: &LoadOptions,
) -> Result<(Vec<Observation>, Vec<SuspectValue>)> {
    if suspects.is_empty() {
        return Ok((observations, suspects));
    }
    if !options.exclude_suspect_values {
        let mut listing: Vec<String> = suspects
            .iter()
            .take(SUSPECTS_LISTED)
            .map(|s| format!("  line {}, column {}: {}", s.line, s.column, s.reason))
            .collect();
        if suspects.len() > SUSPECTS_LISTED {
            listing.push(format!("  … and {} more", suspects.len() - SUSPECTS_LISTED));
        }
        return Err(Error::SuspectValues {
            path: readings_path.to_path_buf(),
            count: suspects.len(),
            listing: listing.join("\n"),
        });
    }
    // Suspects by line, so that screening a large file stays linear.
    let mut by_line: HashMap<u64, Vec<&SuspectValue>> = HashMap::new();
    for suspect in &suspects {
        by_line.entry(suspect.line).or_default().push(suspect);
    }
    let is_suspect = |o: &Observation| {
        by_line.get(&o.line).is_some_and(|found| {
            found
                .iter()
                .any(|s| s.is_reference || o.reported_c.is_some_and(|r| written_matches(r, s)))
        })
    };
    let kept = observations
        .into_iter()
        .filter(|o| !is_suspect(o))
        .collect();
    Ok((kept, suspects))
}

/// Whether a device value in °C is the suspect's written value (in °C or °F).
fn written_matches(celsius: f64, suspect: &SuspectValue) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
    close(celsius, suspect.written) || close(celsius * 1.8 + 32.0, suspect.written)
}

/// The last component of a path without extension, for a default name.
fn display_name(path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session".to_string())
}

/// The command line's `--time-format` and `--time-zone` (checked, and
/// blamed on the option when unusable) over session.toml's `[time]`.
fn apply_time_options(time: &mut TimeSettings, options: &TimeSettings) -> Result<()> {
    TimeReader::check_options(options)?;
    if options.format.is_some() {
        time.format.clone_from(&options.format);
    }
    if options.zone.is_some() {
        time.zone.clone_from(&options.zone);
    }
    Ok(())
}
