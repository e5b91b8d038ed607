//! A CSV file read into memory as text cells with their line numbers: the
//! common ground of `readings.csv` and of other programs' exports.
//!
//! The delimiter (comma, semicolon or tab) is taken from the header row; in
//! a table not delimited by commas a number may be written with a decimal
//! comma (`37,2`, as a European spreadsheet exports it). A
//! UTF-8 byte-order mark is removed. Rows whose cells are all empty are
//! skipped. A file that is not UTF-8 is read as UTF-16 (with its byte-order
//! mark) or Windows-1252 (`text_encoding`), which a warning names; a row
//! whose number of fields differs from the header is an error naming its line.

use std::path::{Path, PathBuf};

use super::text_encoding::{decode, encoding_warning};
use crate::delimited::{records, sniff_delimiter, LineCounter};
use crate::error::{Error, Location, Result};

/// Largest input table read, bytes. Real exports of a lab session are a few
/// megabytes (the FDA clinical file with 544 subjects × 125 columns is 0.4 MB);
/// 512 MiB guards against pointing the tool at a disk image by mistake.
const MAX_TABLE_BYTES: u64 = 512 * 1024 * 1024;

/// One data row: its 1-based line in the file and its cells, trimmed.
#[derive(Debug, Clone, Copy)]
pub struct TableRow<'a> {
    /// 1-based line where the row starts.
    pub line: u64,
    table: &'a CsvTable,
    index: usize,
}

impl<'a> TableRow<'a> {
    /// The text of the cell in `column` (0-based), white space removed.
    pub fn cell(&self, column: usize) -> &'a str {
        let columns = self.table.header.len();
        let at = self.index * columns + column;
        let start = if at == 0 {
            0
        } else {
            self.table.cell_ends[at - 1] as usize
        };
        &self.table.cells[start..self.table.cell_ends[at] as usize]
    }

    /// Every cell of the row, in column order.
    pub fn cells(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.table.header.len()).map(|column| self.cell(column))
    }
}

/// A CSV table: header names and data rows.
///
/// The cells of all rows are kept in one string, with where each ends, so a
/// table takes about the size of its file plus 4 bytes a cell and 8 a row,
/// not a string allocation per cell (which made a file of short cells take
/// 20 times its size).
#[derive(Debug, Clone)]
pub struct CsvTable {
    /// The file the table came from.
    pub path: PathBuf,
    /// Header names, trimmed, in file order.
    pub header: Vec<String>,
    /// 1-based line of the header row.
    pub header_line: u64,
    /// The field delimiter (`,`, `;` or tab): where it is not a comma, a
    /// decimal comma in a number is read as a point.
    pub delimiter: u8,
    /// The trimmed cells of every row after the header, one after another.
    cells: String,
    /// Where each cell of `cells` ends (header-length cells per row).
    cell_ends: Vec<u32>,
    /// The line of each row.
    lines: Vec<u64>,
    /// The encoding the file was read in when it was not UTF-8.
    pub encoding: Option<&'static str>,
}

impl CsvTable {
    /// Reads `path`, taking its `header_row`-th record (1-based) as the header
    /// and skipping the records before it.
    pub fn read(path: &Path, header_row: usize) -> Result<CsvTable> {
        let bytes = crate::input::read_bytes(path, MAX_TABLE_BYTES)?;
        let decoded = decode(bytes, path)?;
        let mut table = CsvTable::parse(&decoded.text, path, header_row)?;
        table.encoding = decoded.encoding;
        Ok(table)
    }

    /// The warning that the file was not UTF-8 and how it was read.
    pub fn encoding_warning(&self) -> Option<String> {
        self.encoding
            .map(|encoding| encoding_warning(&self.path, encoding))
    }

    /// Parses CSV text; `path` is used in messages.
    pub fn parse(text: &str, path: &Path, header_row: usize) -> Result<CsvTable> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(Error::invalid(
                Location::file(path),
                "the file is empty; expected a header row such as `reference_c,reported_c` \
                 and one row per observation",
            ));
        }
        if header_row == 0 {
            return Err(Error::parameter("header_row", "rows count from 1"));
        }
        let delimiter = table_delimiter(text, header_row);
        let mut reader = records(text.as_bytes(), delimiter);
        let mut lines = LineCounter::new(text.as_bytes());
        let mut header: Option<(u64, Vec<String>)> = None;
        let (mut cells_text, mut cell_ends, mut row_lines) =
            (String::new(), Vec::new(), Vec::new());
        for (index, record) in reader.records().enumerate() {
            let record = record.map_err(|e| csv_error(path, &e))?;
            let line = record
                .position()
                .map_or(index as u64 + 1, |p| lines.line_of(p.byte()));
            match &header {
                None if index + 1 < header_row => continue,
                None => {
                    let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                    if let Some(column) = cells.iter().position(|c| c.contains(char::is_control)) {
                        return Err(Error::invalid(
                            Location::line(path, line),
                            format!(
                                "header column {} holds a control character (such as NUL); \
                                 expected a column name in plain text",
                                column + 1
                            ),
                        ));
                    }
                    header = Some((line, cells))
                }
                Some((header_line, names)) => {
                    if record.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if record.len() != names.len() {
                        return Err(Error::invalid(
                            Location::line(path, line),
                            format!(
                                "the row has {} fields but the header (line {header_line}) has {}; \
                                 expected one field per header column",
                                record.len(),
                                names.len()
                            ),
                        ));
                    }
                    for cell in record.iter() {
                        cells_text.push_str(cell.trim());
                        let end = u32::try_from(cells_text.len()).map_err(|_| {
                            Error::invalid(
                                Location::line(path, line),
                                "the table holds more than 4 GiB of text; expected a table \
                                 of at most 512 MiB",
                            )
                        })?;
                        cell_ends.push(end);
                    }
                    row_lines.push(line);
                }
            }
        }
        let Some((header_line, header)) = header else {
            return Err(Error::invalid(
                Location::file(path),
                format!("the file has fewer than {header_row} rows, so it has no header row {header_row}"),
            ));
        };
        cells_text.shrink_to_fit();
        Ok(CsvTable {
            path: path.to_path_buf(),
            header,
            header_line,
            delimiter,
            cells: cells_text,
            cell_ends,
            lines: row_lines,
            encoding: None,
        })
    }

    /// The rows after the header, in file order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = TableRow<'_>> + '_ {
        self.lines
            .iter()
            .enumerate()
            .map(move |(index, &line)| TableRow {
                line,
                table: self,
                index,
            })
    }

    /// The location of the header row, for messages.
    pub fn header_location(&self) -> Location {
        Location::line(&self.path, self.header_line)
    }

    /// The location of a cell, for messages.
    pub fn cell_location(&self, line: u64, column: usize) -> Location {
        let name = self.header.get(column).map_or("", String::as_str);
        Location::cell(&self.path, line, column + 1, name)
    }
}

/// Lines after the header row examined to choose the delimiter.
const SNIFF_DATA_LINES: usize = 5;

/// The delimiter of the table whose header is the `header_row`-th non-empty
/// line, judged on it and the lines after it.
fn table_delimiter(text: &str, header_row: usize) -> u8 {
    let lines = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .skip(header_row.saturating_sub(1))
        .take(1 + SNIFF_DATA_LINES);
    sniff_delimiter(lines)
}

fn csv_error(path: &Path, error: &csv::Error) -> Error {
    let line = error.position().map(|p| p.line());
    let location = match line {
        Some(line) => Location::line(path, line),
        None => Location::file(path),
    };
    Error::invalid(location, format!("not valid CSV: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, header_row: usize) -> Result<CsvTable> {
        CsvTable::parse(text, Path::new("t.csv"), header_row)
    }

    #[test]
    fn a_control_character_in_the_header_is_an_error() {
        let err = CsvTable::parse("\0time,reference_c\n1,36\n", Path::new("r.csv"), 1)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("header column 1 holds a control character"),
            "{err}"
        );
    }

    #[test]
    fn reads_header_rows_and_line_numbers() {
        let table = parse("\u{feff}a, b\n1,2\n\n3,4\n", 1).unwrap();
        assert_eq!(table.header, ["a", "b"]);
        let rows: Vec<TableRow> = table.rows().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].cells().collect::<Vec<_>>(), ["3", "4"]);
        assert_eq!(rows[0].cell(1), "2");
    }

    #[test]
    fn skips_rows_before_the_header_row() {
        let table = parse("title,,\nunits,,\nx;y;z\n1;2;3\n", 3);
        let table = table.unwrap();
        assert_eq!(table.header_line, 3);
        assert_eq!(table.header, ["x", "y", "z"]);
    }

    #[test]
    fn detects_semicolons_and_tabs() {
        assert_eq!(table_delimiter("a;b;c\n", 1), b';');
        assert_eq!(table_delimiter("a\tb\n", 1), b'\t');
        assert_eq!(table_delimiter("single\n", 1), b',');
        assert_eq!(table_delimiter("t,,\nx;y\n", 2), b';');
    }

    #[test]
    fn a_short_row_is_an_error_naming_its_line() {
        let err = parse("a,b,c\n1,2,3\n4,5\n", 1).unwrap_err().to_string();
        assert!(
            err.contains("t.csv, line 3") && err.contains("2 fields"),
            "{err}"
        );
    }

    #[test]
    fn empty_text_is_an_error() {
        let err = parse("  \n", 1).unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
    }

    #[test]
    fn missing_header_row_is_an_error() {
        let err = parse("a\n1\n", 5).unwrap_err().to_string();
        assert!(err.contains("header row 5"), "{err}");
    }
}
