//! `readings.csv`: one row per observation, columns named as in docs/design.md.
//!
//! Columns (any order, names case-insensitive): `reference_c` or `reference_f`
//! (required), `reported_c` or `reported_f`, `frame`, `time`, `setpoint_c` or
//! `setpoint_f`, `sweep`, `subject`, `round`, `ambient_c` or `ambient_f`. A session needs `reported_*` or
//! `frame`.
//! Other columns are kept out of the analysis without complaint.
//!
//! Refused, with file, line, column and value: an empty file, a missing
//! required column, a column given twice (or in both units), a cell that is not
//! a finite number, a time that is not ISO 8601. A row whose reference is
//! missing, or that has neither a reported value nor a frame, is left out,
//! its line named in a warning (empty and `NA`-like cells: `cells`).
//! References outside 20–50 °C give a warning.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::cells::{missing_cells_warning, temperature};
use super::csv_table::{CsvTable, TableRow};
use super::observation::Observation;
use super::row_errors::RowErrors;
use super::screening::{
    is_mislabelled, suspect_values, written_median, Screened, ScreenedRow, TemperatureColumnInfo,
};
use super::time_reader::{assumed_utc_warning, time_cell, TimeReader};
use crate::model::SuspectValue;
use crate::units::TemperatureUnit;
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_io::escape::terminal::quoted;
use fevercheck_io::timings;

/// The observations of a readings file and the warnings raised reading it.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    /// One per data row, in file order.
    pub observations: Vec<Observation>,
    /// Messages about suspicious but usable content.
    pub warnings: Vec<String>,
    /// Notes on how the file was read (its encoding, its sheet, times read
    /// as UTC): no bearing on the verdict.
    pub notes: Vec<String>,
    /// Values that look like mistakes in the file (see `screening`).
    pub suspects: Vec<SuspectValue>,
}

/// A temperature column: its index and unit.
#[derive(Debug, Clone, Copy)]
struct TemperatureColumn {
    index: usize,
    unit: TemperatureUnit,
}

/// Where each known column is in the header.
#[derive(Debug, Default)]
struct Columns {
    reference: Option<TemperatureColumn>,
    reported: Option<TemperatureColumn>,
    setpoint: Option<TemperatureColumn>,
    ambient: Option<TemperatureColumn>,
    frame: Option<usize>,
    time: Option<usize>,
    sweep: Option<usize>,
    subject: Option<usize>,
    round: Option<usize>,
}

/// Reads and validates a readings file.
pub(super) fn read_readings(
    path: &Path,
    times: &TimeReader,
    sheet: Option<&str>,
) -> Result<Readings> {
    let table = CsvTable::read_sheet(path, 1, sheet)?;
    timings::done("table parsed");
    readings_from_table_with(&table, times)
}

/// Validates a parsed table as a readings file, its times in ISO 8601.
pub fn readings_from_table(table: &CsvTable) -> Result<Readings> {
    readings_from_table_with(table, &TimeReader::default())
}

/// Validates a parsed table as a readings file, its times read by `times`.
pub fn readings_from_table_with(table: &CsvTable, times: &TimeReader) -> Result<Readings> {
    let columns = find_columns(table)?;
    let (observations, assumed_utc, missing_lines) = match every_row_read(table, &columns, times) {
        Some((observations, assumed_utc)) => (observations, assumed_utc, Vec::new()),
        None => rows_read_one_by_one(table, &columns, times)?,
    };
    timings::done("rows read");
    if observations.is_empty() {
        let message = if missing_lines.is_empty() {
            "the file has a header but no data rows; expected one row per observation"
        } else {
            "every data row lacks its reference or its reported value (empty or marked \
             missing); expected at least one complete row"
        };
        return Err(Error::invalid(Location::file(&table.path), message));
    }
    let info = |column: TemperatureColumn| TemperatureColumnInfo {
        name: table.header[column.index].clone(),
        unit: column.unit,
    };
    let reference = info(columns.reference.expect("find_columns requires it"));
    let reported = columns.reported.map(info);
    let suspects = screen(table, &observations, &reference, reported.as_ref())?;
    timings::done("values screened");
    Ok(Readings {
        observations,
        warnings: missing_cells_warning(&table.path, &missing_lines)
            .into_iter()
            .collect(),
        notes: table
            .reading_notes()
            .into_iter()
            .chain(assumed_utc_warning(&table.path, assumed_utc))
            .collect(),
        suspects,
    })
}

/// Every row's observation and how many times were read as UTC, when
/// every row is one (no row is an error or lacks a value) — a large file's
/// rows read on every core straight into the session's list.
fn every_row_read(
    table: &CsvTable,
    columns: &Columns,
    times: &TimeReader,
) -> Option<(Vec<Observation>, usize)> {
    let assumed_utc = CountPerWorker::new();
    let observations = table.read_every_row(
        |row| {
            let (observation, utc) = read_row(table, columns, row, times).ok().flatten()?;
            if utc {
                assumed_utc.add_one();
            }
            Some(observation)
        },
        || Observation::new(0, f64::NAN, None),
    )?;
    Some((observations, assumed_utc.total()))
}

/// A count each worker thread adds to its own counter, on a cache line of
/// its own: a million rows counted from both cores into one counter spent
/// 15 ms passing its line between them.
struct CountPerWorker(Vec<OwnLine>);

/// A counter alone on its cache line (128 bytes: two 64-byte lines, as
/// neighbouring lines are fetched in pairs).
#[repr(align(128))]
struct OwnLine(AtomicUsize);

impl CountPerWorker {
    fn new() -> Self {
        // One counter per worker, and one for a thread outside the pool.
        CountPerWorker(
            (0..=rayon::current_num_threads())
                .map(|_| OwnLine(AtomicUsize::new(0)))
                .collect(),
        )
    }

    fn add_one(&self) {
        let worker = rayon::current_thread_index().map_or(0, |index| index + 1);
        if let Some(counter) = self.0.get(worker % self.0.len()) {
            counter.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn total(self) -> usize {
        self.0
            .into_iter()
            .map(|counter| counter.0.into_inner())
            .sum()
    }
}

/// The observations of the rows read one by one, with how many times were
/// read as UTC and the lines of the rows without a reference or a device
/// value; an error names the first bad rows.
fn rows_read_one_by_one(
    table: &CsvTable,
    columns: &Columns,
    times: &TimeReader,
) -> Result<(Vec<Observation>, usize, Vec<u64>)> {
    let mut observations = Vec::with_capacity(table.rows().len());
    let mut assumed_utc = 0;
    let mut errors = RowErrors::new(&table.path);
    let mut missing_lines = Vec::new();
    let read = |row: &TableRow<'_>| read_row(table, columns, row, times);
    table.read_rows(read, |row, result| {
        let Some(read) = errors.note(result) else {
            return;
        };
        let Some((observation, utc)) = read else {
            missing_lines.push(row.line);
            return;
        };
        assumed_utc += usize::from(utc);
        observations.push(observation);
    });
    errors.finish()?;
    Ok((observations, assumed_utc, missing_lines))
}

/// The suspect values of the observations; a column wholly in the other
/// unit is an error naming the column. Each column's median is found once,
/// the two columns side by side, for the unit check and the screening.
pub(super) fn screen(
    table: &CsvTable,
    observations: &[Observation],
    reference: &TemperatureColumnInfo,
    reported: Option<&TemperatureColumnInfo>,
) -> Result<Vec<SuspectValue>> {
    let rows = ScreenedRow::all(observations);
    let (reference_median, reported_median) = rayon::join(
        || written_median(&rows, |o| Some(o.reference_c), reference.unit),
        || reported.map(|column| written_median(&rows, ScreenedRow::reported_c, column.unit)),
    );
    let reference = Screened {
        column: reference,
        median: reference_median,
    };
    let reported = reported.map(|column| Screened {
        column,
        median: reported_median.flatten(),
    });
    for screened in [Some(reference), reported].into_iter().flatten() {
        if let Some(middle) = screened
            .median
            .filter(|&middle| is_mislabelled(middle, screened.column.unit))
        {
            return Err(mislabelled_error(table, screened.column, middle));
        }
    }
    Ok(suspect_values(&rows, reference, reported))
}

/// The error naming `column`, wholly in the other unit (its median as
/// written is `middle`).
fn mislabelled_error(table: &CsvTable, column: &TemperatureColumnInfo, middle: f64) -> Error {
    let (written, other) = match column.unit {
        TemperatureUnit::Celsius => ("°C", "°F"),
        TemperatureUnit::Fahrenheit => ("°F", "°C"),
    };
    Error::invalid(
        table.header_location(),
        format!(
            "column {} is read as {written} but its values are in {other} (median {middle}); \
             rename the column to say its unit (`_c` or `_f`)",
            quoted(&column.name)
        ),
    )
}

fn find_columns(table: &CsvTable) -> Result<Columns> {
    let mut columns = Columns::default();
    let header_location = Location::line(&table.path, table.header_line);
    if let Some((first, again)) = first_repeated(&table.header) {
        return Err(Error::invalid(
            header_location,
            format!(
                "column {} appears twice (columns {} and {}); expected each column once",
                quoted(&table.header[again]),
                first + 1,
                again + 1
            ),
        ));
    }
    for (index, raw_name) in table.header.iter().enumerate() {
        let name = raw_name.to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let celsius = TemperatureColumn {
            index,
            unit: TemperatureUnit::Celsius,
        };
        let fahrenheit = TemperatureColumn {
            index,
            unit: TemperatureUnit::Fahrenheit,
        };
        let (slot, column) = match name.as_str() {
            "reference_c" => (&mut columns.reference, celsius),
            "reference_f" => (&mut columns.reference, fahrenheit),
            "reported_c" => (&mut columns.reported, celsius),
            "reported_f" => (&mut columns.reported, fahrenheit),
            "setpoint_c" => (&mut columns.setpoint, celsius),
            "setpoint_f" => (&mut columns.setpoint, fahrenheit),
            "ambient_c" => (&mut columns.ambient, celsius),
            "ambient_f" => (&mut columns.ambient, fahrenheit),
            "frame" => {
                columns.frame = Some(index);
                continue;
            }
            "time" => {
                columns.time = Some(index);
                continue;
            }
            "sweep" => {
                columns.sweep = Some(index);
                continue;
            }
            "subject" => {
                columns.subject = Some(index);
                continue;
            }
            "round" => {
                columns.round = Some(index);
                continue;
            }
            _ => continue,
        };
        if let Some(previous) = slot.replace(column) {
            return Err(Error::invalid(
                header_location,
                format!(
                    "columns {} and {} give the same quantity in two units; keep one",
                    quoted(&table.header[previous.index]),
                    quoted(raw_name)
                ),
            ));
        }
    }
    let found = table.header.join(", ");
    if columns.reference.is_none() {
        return Err(Error::Layout {
            location: Box::new(header_location),
            message: format!("no `reference_c` (or `reference_f`) column; found: {found}"),
        });
    }
    if columns.reported.is_none() && columns.frame.is_none() {
        return Err(Error::invalid(
            header_location,
            format!("no `reported_c`, `reported_f` or `frame` column; found: {found}"),
        ));
    }
    Ok(columns)
}

/// One observation, and whether its time was read as UTC for want of a zone;
/// `None` when the row lacks its reference or has neither a reported value
/// nor a frame (empty or marked missing).
fn read_row(
    table: &CsvTable,
    columns: &Columns,
    row: &TableRow<'_>,
    times: &TimeReader,
) -> Result<Option<(Observation, bool)>> {
    let line = row.line;
    let number = |column: Option<TemperatureColumn>| -> Result<Option<f64>> {
        match column {
            Some(c) => temperature(table, line, c.index, row.cell(c.index), c.unit),
            None => Ok(None),
        }
    };
    let text = |index: Option<usize>| {
        index
            .map(|i| row.cell(i).to_string())
            .filter(|t| !t.is_empty())
    };
    let reference_column = columns.reference.expect("checked by find_columns");
    let reference = number(Some(reference_column));
    let reported = number(columns.reported);
    let setpoint = number(columns.setpoint);
    let (Some(reference_c), reported_c, setpoint_c) = (reference?, reported?, setpoint?) else {
        return Ok(None);
    };
    let mut observation = Observation::new(line, reference_c, reported_c);
    observation.setpoint_c = setpoint_c;
    // A missing room temperature leaves the reading without one.
    observation.ambient_c = number(columns.ambient)?;
    observation.frame = text(columns.frame);
    observation.sweep = text(columns.sweep);
    observation.subject = text(columns.subject);
    observation.round = text(columns.round);
    let mut assumed_utc = false;
    if let Some(index) = columns.time {
        if let Some(read) = time_cell(table, line, index, row.cell(index), times)? {
            observation.time = Some(read.time);
            assumed_utc = read.assumed_utc;
        }
    }
    if observation.reported_c.is_none() && observation.frame.is_none() {
        return Ok(None);
    }
    Ok(Some((observation, assumed_utc)))
}

/// The first column, in file order, whose name (ignoring case) an earlier
/// column already has, with that earlier column: `(earlier, later)`.
///
/// The column numbers are sorted by name rather than put in a map: a header
/// of 10⁶ columns takes 8 MB (a map of the names took 100 MB; a list of them
/// was quadratic, 200 000 columns took 41 s).
fn first_repeated(names: &[String]) -> Option<(usize, usize)> {
    let key = |i: usize| names[i].bytes().map(|b| b.to_ascii_lowercase());
    let mut order: Vec<usize> = (0..names.len()).filter(|&i| !names[i].is_empty()).collect();
    order.sort_unstable_by(|&a, &b| key(a).cmp(key(b)).then(a.cmp(&b)));
    order
        .windows(2)
        .filter(|pair| key(pair[0]).eq(key(pair[1])))
        .map(|pair| (pair[0], pair[1]))
        .min_by_key(|&(_, later)| later)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Readings> {
        let table = CsvTable::parse(text, Path::new("readings.csv"), 1)?;
        readings_from_table(&table)
    }

    #[test]
    fn reads_all_known_columns_in_any_order_and_case() {
        let readings = read(
            "Sweep,Reported_F,reference_c,time,setpoint_c,subject,extra\n\
             up,100.4,38.02,2026-03-01T09:30:00Z,38.0,bb1,whatever\n",
        )
        .unwrap();
        let o = &readings.observations[0];
        assert_eq!(o.line, 2);
        assert!((o.reported_c.unwrap() - 38.0).abs() < 1e-12);
        assert_eq!(o.reference_c, 38.02);
        assert_eq!(o.setpoint_c, Some(38.0));
        assert_eq!(o.sweep.as_deref(), Some("up"));
        assert_eq!(o.subject.as_deref(), Some("bb1"));
        assert!(o.time.is_some());
        assert!(readings.warnings.is_empty());
    }

    #[test]
    fn a_cell_that_is_not_a_number_names_line_column_and_value() {
        let err = read("reference_c,reported_c\n36.0,36.1\n37.0,abc\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("readings.csv, line 3, column 2 (reported_c)") && err.contains("`abc`"),
            "{err}"
        );
    }

    #[test]
    fn decimal_commas_are_read_where_fields_are_not_comma_separated() {
        // A European spreadsheet's export: byte-order mark, semicolons,
        // decimal commas, CRLF line ends.
        let readings =
            read("\u{feff}reference_c;reported_c\r\n36,0;36,1\r\n37,5;37,25\r\n").unwrap();
        let values: Vec<(f64, Option<f64>)> = readings
            .observations
            .iter()
            .map(|o| (o.reference_c, o.reported_c))
            .collect();
        assert_eq!(values, vec![(36.0, Some(36.1)), (37.5, Some(37.25))]);
        // Tabs too.
        assert!(read("reference_c\treported_c\n36,0\t36,1\n").is_ok());
    }

    #[test]
    fn non_finite_values_are_refused() {
        // `NaN` is a missing marker (cells::MISSING_MARKERS); infinities are errors.
        for bad in ["inf", "-infinity"] {
            let err = read(&format!("reference_c,reported_c\n36.0,{bad}\n")).unwrap_err();
            assert!(err.to_string().contains("not a finite number"), "{err}");
        }
    }

    #[test]
    fn missing_markers_leave_the_row_out_and_numbers_are_read() {
        let text = "reference_c,reported_c\n36.0,NaN\n36.1, nan \n36.2,-\n36.3,#N/A\n\
                    36.4, 36.5 \n36.5,-36.5\n36.6,3.66e1\n";
        let readings = read(text).unwrap();
        let shown: Vec<Option<f64>> = readings.observations.iter().map(|o| o.reported_c).collect();
        assert_eq!(shown, [Some(36.5), Some(-36.5), Some(36.6)]);
        assert!(
            readings.warnings[0].contains("lines 2, 3, 4, 5"),
            "{:?}",
            readings.warnings
        );
    }

    #[test]
    fn missing_reference_column_lists_what_was_found() {
        let err = read("ref,reported_c\n36.0,36.1\n").unwrap_err().to_string();
        assert!(
            err.contains("no `reference_c`") && err.contains("found: ref, reported_c"),
            "{err}"
        );
    }

    #[test]
    fn missing_reported_and_frame_columns_are_refused() {
        let err = read("reference_c,time\n36.0,2026-03-01T09:30:00Z\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no `reported_c`"), "{err}");
    }

    #[test]
    fn duplicate_header_names_both_columns() {
        let err = read("reference_c,reported_c,Reported_C\n1,2,3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("appears twice (columns 2 and 3)"), "{err}");
        // Of two repeated names, the one repeated first in file order is named.
        let err = read("b,reference_c,a,reported_c,A,B\n1,2,3,4,5,6\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`A` appears twice (columns 3 and 5)"), "{err}");
        let err = read("reference_c,reference_f,reported_c\n1,2,3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("two units"), "{err}");
    }

    #[test]
    fn a_row_without_reported_value_or_frame_is_left_out() {
        let partial = read("reference_c,reported_c,frame\n36.0,,\n36.5,36.6,\n").unwrap();
        assert_eq!(partial.observations.len(), 1);
        assert!(
            partial.warnings[0].contains("(line 2)"),
            "{:?}",
            partial.warnings
        );
        let err = read("reference_c,reported_c,frame\n36.0,,\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("every data row lacks"), "{err}");
        let ok = read("reference_c,reported_c,frame\n36.0,,f.npy\n").unwrap();
        assert_eq!(ok.observations[0].frame.as_deref(), Some("f.npy"));
    }

    #[test]
    fn an_empty_reference_leaves_the_row_out() {
        let partial = read("reference_c,reported_c\n,36.0\n36.5,36.4\n").unwrap();
        assert_eq!(partial.observations.len(), 1);
        assert_eq!(partial.observations[0].line, 3);
        assert!(partial.warnings[0].contains("1 observation(s) skipped"));
    }

    #[test]
    fn a_bad_time_is_refused() {
        let err = read("reference_c,reported_c,time\n36,36,noon\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`noon`") && err.contains("ISO 8601"), "{err}");
    }

    #[test]
    fn header_only_is_refused() {
        let err = read("reference_c,reported_c\n").unwrap_err().to_string();
        assert!(err.contains("no data rows"), "{err}");
    }

    #[test]
    fn a_fahrenheit_value_among_celsius_ones_is_a_suspect_and_a_fahrenheit_column_an_error() {
        let readings = read("reference_c,reported_c\n98.6,37.0\n37.0,37.0\n36.0,36.1\n").unwrap();
        assert_eq!(readings.suspects.len(), 1, "{:?}", readings.suspects);
        assert_eq!(
            (readings.suspects[0].line, readings.suspects[0].written),
            (2, 98.6)
        );
        let err = read("reference_c,reported_c\n98.6,98.7\n99.5,99.4\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`reference_c`") && err.contains("°F"), "{err}");
    }
}
