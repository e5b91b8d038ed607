//! Any CSV export, analysed by naming its columns: real exports have their own
//! layout (e.g. the FDA clinical data set: three header rows, oral reference
//! `aveOralM`, facial maximum `T_Max1` … `T_Max4` for four rounds).
//!
//! Each data row gives one observation per reported column. When several
//! reported columns are named, they are repeated measurements of the row's
//! subject (the `--subject` column, else the row's line), one per round, the
//! round named by the column; with one reported column a `--round` column
//! may name it. Empty cells and cells marked missing (`NA`, `#N/A`, …; see
//! `cells`) are missing data: the observation is skipped and counted in a
//! warning that names the lines. Any other cell that is not a finite number is an error.

use std::path::Path;

use super::cells::{is_missing, missing_cells_warning, temperature};
use super::csv_table::CsvTable;
use super::observation::Observation;
use super::readings::screen;
use super::readings::Readings;
use super::screening::TemperatureColumnInfo;
use super::time_reader::{assumed_utc_warning, time_cell, TimeReader};
use crate::model::ColumnNames;
use crate::units::TemperatureUnit;
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_io::escape::terminal::quoted;

/// Which columns of a foreign table hold what.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// Name of the reference temperature column.
    pub reference: String,
    /// Names of the device temperature columns (one or more).
    pub reported: Vec<String>,
    /// Name of the subject id column.
    pub subject: Option<String>,
    /// Name of the round (visit) column; when several reported columns are
    /// named, each is a round of its own and this stays `None`.
    pub round: Option<String>,
    /// The when of each row: one column holding date and time (`time`), or
    /// a date column and a clock column read together (`date`, `clock`).
    pub when: WhenColumns,
    /// Name of the sweep label column (`up`, `down`, `random`).
    pub sweep: Option<String>,
    /// Name of the blackbody set-point column, in the table's unit.
    pub setpoint: Option<String>,
    /// Name of the room temperature column, in the table's unit.
    pub ambient: Option<String>,
    /// 1-based row holding the column names.
    pub header_row: usize,
    /// Unit of the temperature columns.
    pub unit: TemperatureUnit,
}

impl Default for ColumnSpec {
    /// No columns named yet, the names in the first row, °C.
    fn default() -> Self {
        ColumnSpec {
            reference: String::new(),
            reported: Vec::new(),
            subject: None,
            round: None,
            when: WhenColumns::default(),
            sweep: None,
            setpoint: None,
            ambient: None,
            header_row: 1,
            unit: TemperatureUnit::Celsius,
        }
    }
}

/// The columns that say when a row was taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WhenColumns {
    /// One column holding the date and the time.
    pub time: Option<String>,
    /// A column holding the date, read with `clock`.
    pub date: Option<String>,
    /// A column holding the time of day, read after `date`.
    pub clock: Option<String>,
}

impl ColumnSpec {
    /// The columns `[columns]` of the session.toml at `manifest` names; an
    /// unknown unit, a header row of 0 or no reported column is an error
    /// naming session.toml.
    pub fn from_manifest(names: &ColumnNames, manifest: &Path) -> Result<ColumnSpec> {
        let unit = match names.unit.as_deref().map(str::trim) {
            None => TemperatureUnit::Celsius,
            Some(u) if ["c", "°c", "celsius"].contains(&u.to_lowercase().as_str()) => {
                TemperatureUnit::Celsius
            }
            Some(u) if ["f", "°f", "fahrenheit"].contains(&u.to_lowercase().as_str()) => {
                TemperatureUnit::Fahrenheit
            }
            Some(other) => {
                return Err(Error::invalid(
                    Location::file(manifest),
                    format!(
                        "`columns.unit` = {}: expected \"C\" or \"F\"",
                        quoted(other)
                    ),
                ))
            }
        };
        let header_row = names.header_row.unwrap_or(1);
        if header_row == 0 {
            return Err(Error::invalid(
                Location::file(manifest),
                "`columns.header_row` = 0: rows count from 1",
            ));
        }
        let reported = names.reported.names();
        if reported.is_empty() {
            return Err(Error::invalid(
                Location::file(manifest),
                "`columns.reported` names no column; expected the device's column, e.g. \
                 `reported = \"Display\"`, or a list of them",
            ));
        }
        Ok(ColumnSpec {
            reference: names.reference.clone(),
            reported,
            subject: names.subject.clone(),
            round: names.round.clone(),
            when: WhenColumns {
                time: names.time.clone(),
                date: names.date.clone(),
                clock: names.clock.clone(),
            },
            sweep: names.sweep.clone(),
            setpoint: names.setpoint.clone(),
            ambient: names.ambient.clone(),
            header_row,
            unit,
        })
    }
}

/// Reads `path` with the columns named in `spec`.
pub(super) fn read_named_columns(
    path: &Path,
    spec: &ColumnSpec,
    sheet: Option<&str>,
    times: &TimeReader,
) -> Result<Readings> {
    let table = CsvTable::read_sheet(path, spec.header_row, sheet)?;
    readings_from_named_columns_with(&table, spec, times)
}

/// Turns a parsed table into observations using `spec`, times in ISO 8601.
pub fn readings_from_named_columns(table: &CsvTable, spec: &ColumnSpec) -> Result<Readings> {
    readings_from_named_columns_with(table, spec, &TimeReader::default())
}

/// Turns a parsed table into observations using `spec`, times read by `times`.
pub fn readings_from_named_columns_with(
    table: &CsvTable,
    spec: &ColumnSpec,
    times: &TimeReader,
) -> Result<Readings> {
    if spec.reported.is_empty() {
        return Err(Error::parameter(
            "reported",
            "name at least one column of reported values",
        ));
    }
    let reference = find_column(table, &spec.reference)?;
    let reported: Vec<usize> = spec
        .reported
        .iter()
        .map(|name| find_column(table, name))
        .collect::<Result<_>>()?;
    let subject = spec
        .subject
        .as_deref()
        .map(|name| find_column(table, name))
        .transpose()?;
    let round = spec
        .round
        .as_deref()
        .map(|name| find_column(table, name))
        .transpose()?;
    let named = |name: &Option<String>| {
        name.as_deref()
            .map(|name| find_column(table, name))
            .transpose()
    };
    let (time, date, clock) = (
        named(&spec.when.time)?,
        named(&spec.when.date)?,
        named(&spec.when.clock)?,
    );
    let when = match (time, date, clock) {
        (None, None, None) => None,
        (Some(time), None, None) => Some((time, None)),
        (None, Some(date), Some(clock)) => Some((date, Some(clock))),
        _ => {
            return Err(Error::parameter(
                "time",
                "name either one column holding date and time (--time) or a date column and a \
                 clock column together (--date and --clock)",
            ))
        }
    };
    let (sweep, setpoint) = (named(&spec.sweep)?, named(&spec.setpoint)?);
    let ambient = named(&spec.ambient)?;
    let repeated = reported.len() > 1;
    if repeated && round.is_some() {
        return Err(Error::parameter(
            "round",
            "the reported columns already name the rounds; name a round column only with one \
             reported column",
        ));
    }

    let mut observations = Vec::new();
    let mut skipped_lines = Vec::new();
    let mut assumed_utc = 0;
    for row in table.rows() {
        let reference_c = temperature(table, row.line, reference, row.cell(reference), spec.unit)?;
        let Some(reference_c) = reference_c else {
            skipped_lines.push(row.line);
            continue;
        };
        let read_time = match when {
            None => None,
            Some((column, None)) => time_cell(table, row.line, column, row.cell(column), times)?,
            Some((date, Some(clock))) => {
                let (day, hour) = (row.cell(date), row.cell(clock));
                let text = if is_missing(day) || is_missing(hour) {
                    String::new()
                } else {
                    format!("{} {}", day.trim(), hour.trim())
                };
                time_cell(table, row.line, date, &text, times)?
            }
        };
        assumed_utc += read_time.as_ref().map_or(0, |t| usize::from(t.assumed_utc));
        let optional_temperature = |column: Option<usize>| match column {
            Some(index) => temperature(table, row.line, index, row.cell(index), spec.unit),
            None => Ok(None),
        };
        let setpoint_c = optional_temperature(setpoint)?;
        let ambient_c = optional_temperature(ambient)?;
        let sweep_label = sweep
            .map(|index| row.cell(index).to_string())
            .filter(|s| !s.is_empty());
        let subject_id = match subject {
            Some(index) => Some(row.cell(index).to_string()).filter(|s| !s.is_empty()),
            None if repeated => Some(format!("line {}", row.line)),
            None => None,
        };
        for (&column, column_name) in reported.iter().zip(&spec.reported) {
            let value = temperature(table, row.line, column, row.cell(column), spec.unit)?;
            let Some(value) = value else {
                skipped_lines.push(row.line);
                continue;
            };
            let mut observation = Observation::new(row.line, reference_c, Some(value));
            observation.subject = subject_id.clone();
            observation.time = read_time.as_ref().map(|t| t.time);
            observation.setpoint_c = setpoint_c;
            observation.ambient_c = ambient_c;
            observation.sweep = sweep_label.clone();
            observation.round = match round {
                Some(index) => Some(row.cell(index).to_string()).filter(|s| !s.is_empty()),
                None if repeated => Some(column_name.clone()),
                None => None,
            };
            observations.push(observation);
        }
    }
    if observations.is_empty() {
        return Err(Error::invalid(
            Location::file(&table.path),
            format!(
                "no row has both `{}` and a reported value; expected numbers in those columns",
                spec.reference
            ),
        ));
    }
    let warnings = missing_cells_warning(&table.path, &skipped_lines)
        .into_iter()
        .collect();
    let notes = table
        .reading_notes()
        .into_iter()
        .chain(assumed_utc_warning(&table.path, assumed_utc))
        .collect();
    let reference_column = TemperatureColumnInfo {
        name: spec.reference.clone(),
        unit: spec.unit,
    };
    let reported_column = TemperatureColumnInfo {
        name: spec.reported.join("/"),
        unit: spec.unit,
    };
    let suspects = screen(
        table,
        &observations,
        &reference_column,
        Some(&reported_column),
    )?;
    Ok(Readings {
        observations,
        warnings,
        notes,
        suspects,
    })
}

/// Index of the column called `name`: an exact match, else the only
/// case-insensitive match.
fn find_column(table: &CsvTable, name: &str) -> Result<usize> {
    let exact: Vec<usize> = positions(table, |h| h == name);
    let matches = if exact.is_empty() {
        positions(table, |h| h.eq_ignore_ascii_case(name))
    } else {
        exact
    };
    let location = Location::line(&table.path, table.header_line);
    match matches.as_slice() {
        [index] => Ok(*index),
        [] => {
            let names: Vec<&str> = table
                .header
                .iter()
                .map(String::as_str)
                .filter(|h| !h.is_empty())
                .collect();
            let shown = names
                .iter()
                .take(40)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            let more = if names.len() > 40 { ", …" } else { "" };
            Err(Error::invalid(
                location,
                format!(
                    "no column named {} in the header row; found: {shown}{more}",
                    quoted(name)
                ),
            ))
        }
        many => Err(Error::invalid(
            location,
            format!(
                "{} columns are named {} (columns {}); expected one",
                many.len(),
                quoted(name),
                many.iter()
                    .map(|i| (i + 1).to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

fn positions(table: &CsvTable, matches: impl Fn(&str) -> bool) -> Vec<usize> {
    table
        .header
        .iter()
        .enumerate()
        .filter(|(_, h)| matches(h))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(reference: &str, reported: &[&str]) -> ColumnSpec {
        ColumnSpec {
            reference: reference.into(),
            reported: reported.iter().map(|s| s.to_string()).collect(),
            when: WhenColumns::default(),
            header_row: 2,
            ..ColumnSpec::default()
        }
    }

    fn table(text: &str) -> CsvTable {
        CsvTable::parse(text, Path::new("export.csv"), 2).unwrap()
    }

    #[test]
    fn repeated_columns_become_observations_of_one_subject() {
        let t = table("title,,\nOral,IR1,IR2\n37.0,36.5,36.7\n38.0,,37.9\n");
        let readings = readings_from_named_columns(&t, &spec("Oral", &["IR1", "IR2"])).unwrap();
        assert_eq!(readings.observations.len(), 3);
        assert_eq!(readings.observations[2].subject.as_deref(), Some("line 4"));
        assert_eq!(readings.observations[2].reported_c, Some(37.9));
        assert!(
            readings.warnings[0].contains("1 observation(s) skipped")
                && readings.warnings[0].contains("(line 4)")
        );
    }

    #[test]
    fn column_names_match_case_insensitively_when_unambiguous() {
        let t = table("x\noral,ir\n37,37\n");
        assert!(readings_from_named_columns(&t, &spec("ORAL", &["IR"])).is_ok());
    }

    #[test]
    fn an_unknown_column_lists_the_header() {
        let t = table("x\noral,ir\n37,37\n");
        let err = readings_from_named_columns(&t, &spec("aveOralM", &["ir"])).unwrap_err();
        let err = err.to_string();
        assert!(
            err.contains("export.csv, line 2") && err.contains("found: oral, ir"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_cell_names_its_place() {
        let t = table("x\noral,ir\n37,warm\n");
        let err = readings_from_named_columns(&t, &spec("oral", &["ir"]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 3, column 2 (ir)") && err.contains("`warm`"),
            "{err}"
        );
    }
}
