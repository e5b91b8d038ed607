//! CSV temperature matrices as vendor software exports them: one line per
//! image row, °C (kelvin with `--kelvin`).
//!
//! Records are split by the `csv` crate (quoted cells allowed); the
//! delimiter and decimal commas follow the rules shared with readings.csv
//! (`delimited`). Tolerated: comma, semicolon or tab delimiters (the one
//! that makes the most numeric cells on the last lines); a decimal comma
//! with semicolon or tab delimiters; CR, LF or CRLF line ends; a header block of text lines before
//! the first numeric row; a leading label column; `Frame N` lines (or any
//! text line after data) separating frames; a trailing delimiter. Refused,
//! with line and column: a cell that is not a number inside the matrix, rows
//! of different lengths within a frame, a file without numbers.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use ndarray::Array2;

use super::{check_index, DecodeOptions, FrameSource};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;
use fevercheck_io::delimited::{number, records, sniff_delimiter, LineCounter};
use fevercheck_io::error::{Error, Location, Result};
use fevercheck_io::escape::terminal::quoted;

/// Last non-empty lines examined to choose the delimiter (the matrix itself,
/// past any header block).
const SNIFF_LINES: usize = 5;

/// Longest text a cell of the matrix may take, bytes, for the limit on a
/// line's length: `-273.150000000000006` is 20; 64 leaves room for quotes,
/// spaces and a label column.
const MAX_CELL_BYTES: usize = 64;

/// Where one frame lies in the file.
#[derive(Debug, Clone, Copy)]
struct FrameSpan {
    /// Byte offset of its first row.
    start: u64,
    /// Byte offset just past its last row.
    end: u64,
    /// Line of its first row.
    line: u64,
    width: usize,
    height: usize,
}

/// A CSV matrix file: where its frames are, each parsed when read.
pub(super) struct CsvMatrix {
    path: PathBuf,
    file: File,
    delimiter: u8,
    frames: Vec<FrameSpan>,
    options: DecodeOptions,
}

/// Opens a CSV matrix file, checking every row and finding its frames.
pub(super) fn open(path: &Path, options: &DecodeOptions) -> Result<CsvMatrix> {
    let mut file = fevercheck_io::input::open_regular(path)?;
    let data = fevercheck_io::input::read_all(&mut file, path, super::MAX_WHOLE_FILE_BYTES)?;
    let start = if data.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let text = &data[start..];
    check_line_lengths(text, path, options.limits.max_width * MAX_CELL_BYTES)?;
    let delimiter = matrix_delimiter(text);
    let mut frames: Vec<FrameSpan> = Vec::new();
    let mut current: Option<FrameSpan> = None;
    let base = start as u64;
    walk(text, base, 1, delimiter, options, path, |row| {
        match row {
            Row::Numbers {
                line,
                start,
                end,
                values,
            } => match &mut current {
                Some(span) => {
                    if span.width != values.len() {
                        return Err(Error::invalid(
                            Location::line(path, line),
                            format!(
                                "the row has {} values but the frame's first row (line {}) has \
                                 {}; expected a rectangular matrix",
                                values.len(),
                                span.line,
                                span.width
                            ),
                        ));
                    }
                    span.height += 1;
                    span.end = end;
                    options.limits.check_frame(
                        span.width,
                        span.height,
                        &Location::line(path, line),
                    )?;
                }
                None => {
                    options
                        .limits
                        .check_frame(values.len(), 1, &Location::line(path, line))?;
                    current = Some(FrameSpan {
                        start,
                        end,
                        line,
                        width: values.len(),
                        height: 1,
                    });
                }
            },
            Row::Text => {
                if let Some(span) = current.take() {
                    frames.push(span);
                    options
                        .limits
                        .check_frames(frames.len(), &Location::file(path))?;
                }
            }
        }
        Ok(())
    })?;
    frames.extend(current);
    if frames.is_empty() {
        return Err(Error::invalid(
            Location::file(path),
            "no numeric rows; expected a temperature matrix (one line per image row)",
        ));
    }
    options
        .limits
        .check_frames(frames.len(), &Location::file(path))?;
    Ok(CsvMatrix {
        path: path.to_path_buf(),
        file,
        delimiter,
        frames,
        options: options.clone(),
    })
}

/// A row of the matrix as [`walk`] finds it.
enum Row<'a> {
    /// A row of numbers on `line`, from byte `start` to `end` of the file.
    Numbers {
        line: u64,
        start: u64,
        end: u64,
        values: &'a [f32],
    },
    /// A text line: a header, a `Frame N` line or a label between frames.
    Text,
}

/// Splits `text` (which starts at byte `base` of the file, on line
/// `first_line`) into records and hands each row to `visit`; a cell that is
/// not a number inside a row of numbers is an error naming its line and
/// column.
fn walk(
    text: &[u8],
    base: u64,
    first_line: u64,
    delimiter: u8,
    options: &DecodeOptions,
    path: &Path,
    mut visit: impl FnMut(Row) -> Result<()>,
) -> Result<()> {
    let mut reader = records(text, delimiter);
    let mut lines = LineCounter::starting_at(text, first_line);
    let mut record = csv::ByteRecord::new();
    let mut values = Vec::new();
    loop {
        let start = reader.position().byte();
        let more = reader.read_byte_record(&mut record).map_err(|e| {
            Error::invalid(
                Location::file(path),
                format!("cannot split the matrix: {e}"),
            )
        })?;
        if !more {
            return Ok(());
        }
        let end = reader.position().byte();
        let line = record
            .position()
            .map_or(first_line, |p| lines.line_of(p.byte()));
        // A record's position may be at the blank lines before it; a frame
        // starts at its first character, on the line it is numbered by.
        let mut record_start = record.position().map_or(start, |p| p.byte());
        while matches!(text.get(record_start as usize), Some(b'\n' | b'\r')) {
            record_start += 1;
        }
        let texts: Vec<Cow<str>> = record.iter().map(String::from_utf8_lossy).collect();
        let cells = cells(&texts);
        if cells.is_empty() {
            continue;
        }
        match parse_row(&cells, delimiter, options, &mut values) {
            RowKind::Numbers => visit(Row::Numbers {
                line,
                start: base + record_start,
                end: base + end,
                values: &values,
            })?,
            RowKind::Text => visit(Row::Text)?,
            RowKind::Bad(column, cell) => {
                return Err(Error::invalid(
                    Location::cell(path, line, column + 1, ""),
                    format!(
                        "{} is not a number; expected a temperature in the matrix",
                        quoted(&cell)
                    ),
                ));
            }
        }
    }
}

/// Refuses a line longer than `limit` bytes before any record is split: a
/// single line of 200 MB would otherwise become hundreds of millions of
/// cells in memory.
fn check_line_lengths(text: &[u8], path: &Path, limit: usize) -> Result<()> {
    let mut line = 1u64;
    let mut length = 0usize;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' || b == b'\r' {
            let crlf = b == b'\r' && text.get(i + 1) == Some(&b'\n');
            if !crlf {
                line += 1;
            }
            length = 0;
            continue;
        }
        length += 1;
        if length > limit {
            return Err(Error::invalid(
                Location::line(path, line),
                format!(
                    "the line is longer than {limit} bytes; expected a matrix row of at most \
                     the widest frame accepted (--max-width) in cells of up to \
                     {MAX_CELL_BYTES} characters"
                ),
            ));
        }
    }
    Ok(())
}

impl FrameSource for CsvMatrix {
    fn format(&self) -> &'static str {
        "csv_matrix"
    }

    fn frame_count(&self) -> usize {
        self.frames.len()
    }

    fn read_meta(&mut self, index: usize) -> Result<FrameMeta> {
        check_index(index, self.frames.len())?;
        let span = self.frames[index];
        Ok(FrameMeta {
            format: "csv_matrix".into(),
            index,
            width: span.width,
            height: span.height,
            encoding: "text".into(),
            ..FrameMeta::default()
        })
    }

    fn read_frame(&mut self, index: usize) -> Result<Frame> {
        let meta = self.read_meta(index)?;
        let span = self.frames[index];
        let mut text = vec![0u8; (span.end - span.start) as usize];
        self.file
            .seek(SeekFrom::Start(span.start))
            .and_then(|_| self.file.read_exact(&mut text))
            .map_err(|e| Error::read(&self.path, e))?;
        let mut values = Vec::with_capacity(span.width * span.height);
        let (path, options) = (&self.path, &self.options);
        walk(
            &text,
            span.start,
            span.line,
            self.delimiter,
            options,
            path,
            |row| {
                if let Row::Numbers { values: row, .. } = row {
                    values.extend_from_slice(row);
                }
                Ok(())
            },
        )?;
        let temperatures =
            Array2::from_shape_vec((span.height, span.width), values).map_err(|_| {
                Error::invalid(
                    Location::line(path, span.line),
                    "the frame's rows changed since the file was opened; expected the file \
                     to stay as it was while fevercheck reads it",
                )
            })?;
        Ok(Frame::from_temperatures(temperatures, meta))
    }
}

/// The delimiter of the matrix, judged on its last non-empty lines.
fn matrix_delimiter(text: &[u8]) -> u8 {
    let mut last: Vec<String> = text
        .rsplit(|&b| b == b'\n' || b == b'\r')
        .map(|line| String::from_utf8_lossy(line).trim().to_string())
        .filter(|line| !line.is_empty())
        .take(SNIFF_LINES)
        .collect();
    last.reverse();
    sniff_delimiter(last.iter().map(String::as_str))
}

/// The record's cells, trimmed, without trailing empty cells (a trailing
/// delimiter); empty for a blank record.
fn cells<'a>(record: &'a [Cow<str>]) -> Vec<&'a str> {
    let mut cells: Vec<&str> = record.iter().map(|c| c.trim()).collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    cells
}

enum RowKind {
    Numbers,
    Text,
    Bad(usize, String),
}

/// Classifies a row; for a row of numbers, `values` holds them in °C.
fn parse_row(
    cells: &[&str],
    delimiter: u8,
    options: &DecodeOptions,
    values: &mut Vec<f32>,
) -> RowKind {
    let parsed: Vec<Option<f64>> = cells.iter().map(|c| number(c, delimiter)).collect();
    let numeric = parsed.iter().filter(|p| p.is_some()).count();
    let skip = usize::from(parsed.first().is_some_and(|p| p.is_none()));
    if numeric == 0 || numeric < (cells.len() - skip) / 2 {
        return RowKind::Text;
    }
    if let Some(bad) = (skip..cells.len()).find(|&i| parsed[i].is_none()) {
        return RowKind::Bad(bad, cells[bad].to_string());
    }
    let to_celsius = |v: f64| if options.kelvin { v - KELVIN_OFFSET } else { v } as f32;
    values.clear();
    values.extend(parsed[skip..].iter().flatten().map(|&v| to_celsius(v)));
    RowKind::Numbers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Frame>> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        std::fs::write(&path, text).unwrap();
        let mut source = open(&path, &DecodeOptions::default())?;
        (0..source.frame_count())
            .map(|i| source.read_frame(i))
            .collect()
    }

    #[test]
    fn reads_a_vendor_export_with_header_decimal_commas_and_crlf() {
        let frames =
            read("Camera: X\r\nDate;2026-01-01\r\n\r\n36,5;36,6;36,7\r\n36,8;36,9;37,0\r\n")
                .unwrap();
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].temperatures.dim(), (2, 3));
        assert_eq!(frames[0].temperatures[[1, 2]], 37.0);
    }

    #[test]
    fn reads_frames_label_columns_and_tabs() {
        let frames =
            read("Frame 1\nrow0\t1.5\t2.5\nrow1\t3.5\t4.5\nFrame 2\nrow0\t5\t6\nrow1\t7\t8\n")
                .unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[1].temperatures[[1, 1]], 8.0);
        assert_eq!(frames[1].meta.index, 1);
    }

    #[test]
    fn a_bad_cell_and_a_ragged_row_name_their_line() {
        let err = read("1,2,3\r\n4,x5,6\r\n").unwrap_err().to_string();
        assert!(
            err.contains("m.csv, line 2, column 2") && err.contains("`x5`"),
            "{err}"
        );
        let err = read("1,2,3\r4,5\r").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("2 values"), "{err}");
        assert!(read("just text\n").is_err());
    }
}
