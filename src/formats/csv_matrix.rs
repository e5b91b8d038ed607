//! CSV temperature matrices as vendor software exports them: one line per
//! image row, °C (kelvin with `--kelvin`).
//!
//! Tolerated: comma, semicolon or tab delimiters (the one that makes the most
//! numeric cells on the last lines); a decimal comma with semicolon or tab
//! delimiters; CR, LF or CRLF line ends; a header block of text lines before
//! the first numeric row; a leading label column; `Frame N` lines (or any
//! text line after data) separating frames; a trailing delimiter. Refused,
//! with line and column: a cell that is not a number inside the matrix, rows
//! of different lengths within a frame, a file without numbers.

use ndarray::Array2;

use super::{DecodeOptions, DecodedFrames};
use crate::error::{Error, Location, Result};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::KELVIN_OFFSET;
use std::path::Path;

/// Lines examined to choose the delimiter.
const SNIFF_LINES: usize = 5;

/// Decodes a CSV matrix file.
pub fn decode(data: &[u8], path: &Path, options: &DecodeOptions) -> Result<DecodedFrames> {
    let text = String::from_utf8_lossy(data);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<(usize, &str)> = text
        .split(['\n', '\r'])
        .enumerate()
        .map(|(i, l)| (i, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    // Line numbers: count CRLF as one line end.
    let numbers = line_numbers(text);
    let delimiter = sniff(&lines);
    let mut frames: Vec<Vec<Vec<f32>>> = Vec::new();
    let mut current: Vec<Vec<f32>> = Vec::new();
    let mut first_line_of_frame = 0;
    for &(index, line) in &lines {
        let line_number = numbers.get(index).copied().unwrap_or(index + 1);
        let cells = split(line, delimiter);
        match parse_row(&cells, options) {
            RowKind::Numbers(row) => {
                if let Some(first) = current.first() {
                    if first.len() != row.len() {
                        return Err(Error::invalid(
                            Location::line(path, line_number as u64),
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
                    &Location::line(path, line_number as u64),
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
                    Location::cell(path, line_number as u64, column + 1, ""),
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

/// 1-based line number of each piece of `text.split(['\n', '\r'])`, counting
/// a CRLF pair as one line end.
fn line_numbers(text: &str) -> Vec<usize> {
    let mut numbers = vec![1];
    let bytes = text.as_bytes();
    let mut line = 1;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || b == b'\r' {
            if !(b == b'\n' && i > 0 && bytes[i - 1] == b'\r') {
                line += 1;
            }
            numbers.push(line);
        }
    }
    numbers
}

enum RowKind {
    Numbers(Vec<f32>),
    Text,
    Bad(usize, String),
}

fn split(line: &str, delimiter: char) -> Vec<&str> {
    let mut cells: Vec<&str> = line.split(delimiter).map(str::trim).collect();
    while cells.len() > 1 && cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    cells
}

fn number(cell: &str) -> Option<f64> {
    let cell = cell.trim_matches('"');
    cell.parse::<f64>()
        .ok()
        .or_else(|| cell.replace(',', ".").parse().ok())
        .filter(|v: &f64| v.is_finite())
}

fn parse_row(cells: &[&str], options: &DecodeOptions) -> RowKind {
    let parsed: Vec<Option<f64>> = cells.iter().map(|c| number(c)).collect();
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

/// The delimiter that makes the most numeric cells on the last lines.
fn sniff(lines: &[(usize, &str)]) -> char {
    let tail = &lines[lines.len().saturating_sub(SNIFF_LINES)..];
    ['\t', ';', ',']
        .into_iter()
        .max_by_key(|&d| {
            tail.iter()
                .map(|(_, l)| {
                    let cells = split(l, d);
                    let numeric = cells
                        .iter()
                        .filter(|c| number(c).is_some() && (d != ',' || !c.contains(',')))
                        .count();
                    if numeric > 1 {
                        numeric
                    } else {
                        0
                    }
                })
                .sum::<usize>()
        })
        .unwrap_or(',')
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

    #[test]
    fn line_numbers_count_crlf_once() {
        assert_eq!(line_numbers("a\r\nb\nc\rd"), vec![1, 2, 2, 3, 4]);
    }
}
