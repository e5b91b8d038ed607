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

use std::path::Path;

use ndarray::Array2;

use super::{DecodeOptions, DecodedFrames};
use crate::delimited::{number, records, sniff_delimiter, LineCounter};
use crate::error::{Error, Location, Result};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;

/// Last non-empty lines examined to choose the delimiter (the matrix itself,
/// past any header block).
const SNIFF_LINES: usize = 5;

/// Decodes a CSV matrix file.
pub fn decode(data: &[u8], path: &Path, options: &DecodeOptions) -> Result<DecodedFrames> {
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let delimiter = matrix_delimiter(text);
    let mut reader = records(text, delimiter);
    let mut lines = LineCounter::new(text);
    let mut frames: Vec<Vec<Vec<f32>>> = Vec::new();
    let mut current: Vec<Vec<f32>> = Vec::new();
    let mut first_line_of_frame = 0;
    for record in reader.records() {
        let record = record.map_err(|e| {
            Error::invalid(
                Location::file(path),
                format!("cannot split the matrix: {e}"),
            )
        })?;
        let line_number = record.position().map_or(0, |p| lines.line_of(p.byte()));
        let cells = cells(&record);
        if cells.is_empty() {
            continue;
        }
        match parse_row(&cells, delimiter, options) {
            RowKind::Numbers(row) => {
                if let Some(first) = current.first() {
                    if first.len() != row.len() {
                        return Err(Error::invalid(
                            Location::line(path, line_number),
                            format!(
                                "the row has {} values but the frame's first row (line {first_line_of_frame}) has {}; \
                                 expected a rectangular matrix",
                                row.len(),
                                first.len()
                            ),
                        ));
                    }
                } else {
                    first_line_of_frame = line_number;
                }
                options.limits.check_frame(
                    row.len(),
                    current.len() + 1,
                    &Location::line(path, line_number),
                )?;
                current.push(row);
            }
            RowKind::Text => {
                if !current.is_empty() {
                    frames.push(std::mem::take(&mut current));
                }
            }
            RowKind::Bad(column, cell) => {
                return Err(Error::invalid(
                    Location::cell(path, line_number, column + 1, ""),
                    format!("`{cell}` is not a number; expected a temperature in the matrix"),
                ));
            }
        }
    }
    if !current.is_empty() {
        frames.push(current);
    }
    if frames.is_empty() {
        return Err(Error::invalid(
            Location::file(path),
            "no numeric rows; expected a temperature matrix (one line per image row)",
        ));
    }
    options
        .limits
        .check_frames(frames.len(), &Location::file(path))?;
    let decoded = frames
        .into_iter()
        .enumerate()
        .map(|(index, rows)| {
            let (height, width) = (rows.len(), rows[0].len());
            let values: Vec<f32> = rows.into_iter().flatten().collect();
            let temperatures =
                Array2::from_shape_vec((height, width), values).expect("rows checked rectangular");
            let meta = FrameMeta {
                format: "csv_matrix".into(),
                index,
                encoding: "text".into(),
                ..FrameMeta::default()
            };
            Frame::from_temperatures(temperatures, meta)
        })
        .collect();
    Ok(DecodedFrames::new("csv_matrix", decoded))
}

/// The delimiter of the matrix, judged on its last non-empty lines.
fn matrix_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .flat_map(|l| l.split('\r'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    sniff_delimiter(
        lines[lines.len().saturating_sub(SNIFF_LINES)..]
            .iter()
            .copied(),
    )
}

/// The record's cells, trimmed, without trailing empty cells (a trailing
/// delimiter); empty for a blank record.
fn cells(record: &csv::StringRecord) -> Vec<&str> {
    let mut cells: Vec<&str> = record.iter().map(str::trim).collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    cells
}

enum RowKind {
    Numbers(Vec<f32>),
    Text,
    Bad(usize, String),
}

fn parse_row(cells: &[&str], delimiter: u8, options: &DecodeOptions) -> RowKind {
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
    RowKind::Numbers(
        parsed[skip..]
            .iter()
            .flatten()
            .map(|&v| to_celsius(v))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Frame>> {
        let mut source = decode(
            text.as_bytes(),
            Path::new("m.csv"),
            &DecodeOptions::default(),
        )?;
        use super::super::FrameSource;
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
