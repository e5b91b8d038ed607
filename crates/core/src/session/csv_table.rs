//! A CSV file read into memory as text cells with their line numbers: the
//! common ground of `readings.csv` and of other programs' exports.
//!
//! The delimiter (comma, semicolon or tab) is taken from the header row; in
//! a table not delimited by commas a number may be written with a decimal
//! comma (`37,2`, as a European spreadsheet exports it). A
//! UTF-8 byte-order mark is removed. Rows whose cells are all empty are
//! skipped. A file that is not UTF-8 is read as UTF-16 (with its byte-order
//! mark) or Windows-1252 (`text_encoding`), which a warning names; a
//! workbook is read from one of its sheets (`workbook`); a row
//! whose number of fields differs from the header is an error naming its line.
//! The rows of a large table are read in chunks on the free cores
//! (`csv_chunks`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::csv_chunks::{
    chunks_after, Chunk, Chunking, CHUNK_BYTES, MAX_CHUNKED_COLUMNS, PARALLEL_FROM_BYTES,
};
use super::text_encoding::{decode, encoding_warning};
use super::workbook::{is_workbook, read_sheet};
use fevercheck_io::delimited::{records, sniff_delimiter, LineCounter};
use fevercheck_io::error::{Error, Location, Result};

/// Largest input table read, bytes. Real exports of a lab session are a few
/// megabytes (the FDA clinical file with 544 subjects × 125 columns is 0.4 MB);
/// 512 MiB guards against pointing the tool at a disk image by mistake.
const MAX_TABLE_BYTES: u64 = 512 * 1024 * 1024;

/// Rows read side by side before their results are handed on in file
/// order: large enough that handing a block to the cores costs little
/// beside reading it, small enough that a file whose every row is an error
/// holds few errors at once (`row_errors` keeps only the first ones).
const ROWS_PER_BLOCK: usize = 16_384;

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
    /// Which sheet of several a workbook was read from, when none was named.
    pub sheet_note: Option<String>,
}

impl CsvTable {
    /// Reads `path`, taking its `header_row`-th record (1-based) as the header
    /// and skipping the records before it.
    pub fn read(path: &Path, header_row: usize) -> Result<CsvTable> {
        CsvTable::read_sheet(path, header_row, None)
    }

    /// Reads `path` as [`CsvTable::read`] does; a workbook
    /// (`super::workbook`) from its `sheet` (the first when `None`).
    pub fn read_sheet(path: &Path, header_row: usize, sheet: Option<&str>) -> Result<CsvTable> {
        let bytes = fevercheck_io::input::read_bytes(path, MAX_TABLE_BYTES)?;
        if is_workbook(path) {
            let read = read_sheet(path, bytes, header_row, sheet)?;
            let mut table = read.table;
            table.sheet_note = read.note;
            return Ok(table);
        }
        if sheet.is_some() {
            return Err(Error::parameter(
                "sheet",
                format!(
                    "{} is not a workbook; --sheet names a sheet of a workbook",
                    path.display()
                ),
            ));
        }
        let decoded = decode(bytes, path)?;
        let mut table = CsvTable::parse(&decoded.text, path, header_row)?;
        table.encoding = decoded.encoding;
        Ok(table)
    }

    /// The warnings about how the file was read: an encoding other than
    /// UTF-8, or which sheet of several.
    pub fn reading_notes(&self) -> Vec<String> {
        self.encoding
            .map(|encoding| encoding_warning(&self.path, encoding))
            .into_iter()
            .chain(self.sheet_note.clone())
            .collect()
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
        let chunking = Chunking {
            from_bytes: PARALLEL_FROM_BYTES,
            chunk_bytes: CHUNK_BYTES,
        };
        CsvTable::parse_from(text, path, header_row, chunking)
    }

    /// [`CsvTable::parse`] of text without its byte-order mark, the rows
    /// after the header read in chunks on the free cores as `chunking`
    /// says.
    fn parse_from(
        text: &str,
        path: &Path,
        header_row: usize,
        chunking: Chunking,
    ) -> Result<CsvTable> {
        let delimiter = table_delimiter(text, header_row);
        let mut reader = records(text.as_bytes(), delimiter);
        let mut lines = LineCounter::new(text.as_bytes());
        let mut assembly = Assembly::new(path, header_row);
        // One record serves every row.
        let mut record = csv::StringRecord::new();
        let mut chunked = false;
        for index in 0.. {
            if let (false, Some((_, columns))) = (chunked, assembly.columns) {
                chunked = true;
                let rest = reader.position().byte() as usize;
                let chunks = (columns <= MAX_CHUNKED_COLUMNS)
                    .then(|| chunks_after(text, rest, &mut lines, chunking))
                    .flatten();
                if let Some(chunks) = chunks {
                    assembly.read_chunks(&chunks, delimiter)?;
                    break;
                }
            }
            let more = reader
                .read_record(&mut record)
                .map_err(|e| csv_error(path, &e))?;
            if !more {
                break;
            }
            let line = record
                .position()
                .map_or(index as u64 + 1, |p| lines.line_of(p.byte()));
            assembly.push(line, record.iter())?;
        }
        assembly.finish(delimiter)
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

    /// The row at `index` (0-based, after the header).
    fn row(&self, index: usize) -> TableRow<'_> {
        TableRow {
            line: self.lines[index],
            table: self,
            index,
        }
    }

    /// Reads every row with `read`, rows side by side on the free cores,
    /// and hands each row's result to `take` in file order. Rows are read
    /// in blocks of 16 384, so only one block's results are held at once.
    pub fn read_rows<T: Send>(
        &self,
        read: impl Fn(&TableRow<'_>) -> T + Sync,
        mut take: impl FnMut(&TableRow<'_>, T),
    ) {
        for start in (0..self.lines.len()).step_by(ROWS_PER_BLOCK) {
            let end = (start + ROWS_PER_BLOCK).min(self.lines.len());
            let block: Vec<T> = (start..end)
                .into_par_iter()
                .map(|index| read(&self.row(index)))
                .collect();
            for (index, result) in (start..end).zip(block) {
                take(&self.row(index), result);
            }
        }
    }

    /// Every row's value from `read`, in file order, when every row gives
    /// one; `None` when any row gives none (the caller then reads the rows
    /// with [`CsvTable::read_rows`] to say which and why).
    ///
    /// The rows are read on every core straight into their places in the
    /// list — a million observations are not moved block by block, and the
    /// fresh memory they fill is taken on both cores. Until the list is
    /// complete, a row that gives nothing holds `placeholder()`; the list is
    /// then dropped.
    pub fn read_every_row<T: Send>(
        &self,
        read: impl Fn(&TableRow<'_>) -> Option<T> + Sync,
        placeholder: impl Fn() -> T + Sync,
    ) -> Option<Vec<T>> {
        let incomplete = AtomicBool::new(false);
        let values: Vec<T> = (0..self.lines.len())
            .into_par_iter()
            .map(|index| {
                read(&self.row(index)).unwrap_or_else(|| {
                    incomplete.store(true, Ordering::Relaxed);
                    placeholder()
                })
            })
            .collect();
        (!incomplete.into_inner()).then_some(values)
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

/// A table built record by record: the rows before the header row skipped,
/// the header checked, every later row checked against it.
pub(super) struct Assembly<'a> {
    path: &'a Path,
    header_row: usize,
    records_seen: usize,
    header: Option<(u64, Vec<String>)>,
    /// The header's line and number of columns, once it is read (all a
    /// chunk's rows need of it: a chunk holds no copy of the names).
    columns: Option<(u64, usize)>,
    cells: String,
    cell_ends: Vec<u32>,
    lines: Vec<u64>,
}

impl<'a> Assembly<'a> {
    /// An empty table of `path` whose header is its `header_row`-th record.
    pub(super) fn new(path: &'a Path, header_row: usize) -> Self {
        Assembly {
            path,
            header_row,
            records_seen: 0,
            header: None,
            columns: None,
            cells: String::new(),
            cell_ends: Vec::new(),
            lines: Vec::new(),
        }
    }

    /// Adds the record at `line`.
    pub(super) fn push<'r, R>(&mut self, line: u64, record: R) -> Result<()>
    where
        R: Iterator<Item = &'r str> + Clone,
    {
        let path = self.path;
        self.records_seen += 1;
        let Some((header_line, columns)) = self.columns else {
            if self.records_seen < self.header_row {
                return Ok(());
            }
            let cells: Vec<String> = record.map(|c| c.trim().to_string()).collect();
            if let Some(column) = cells.iter().position(|c| c.contains(char::is_control)) {
                return Err(Error::invalid(
                    Location::line(path, line),
                    format!(
                        "header column {} holds a control character (such as NUL); expected a \
                         column name in plain text",
                        column + 1
                    ),
                ));
            }
            self.columns = Some((line, cells.len()));
            self.header = Some((line, cells));
            return Ok(());
        };
        if record.clone().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        let fields = record.clone().count();
        if fields != columns {
            return Err(Error::invalid(
                Location::line(path, line),
                format!(
                    "the row has {} fields but the header (line {header_line}) has {}; expected \
                     one field per header column",
                    fields, columns
                ),
            ));
        }
        for cell in record {
            self.cells.push_str(cell.trim());
            let end = u32::try_from(self.cells.len()).map_err(|_| {
                Error::invalid(
                    Location::line(path, line),
                    "the table holds more than 4 GiB of text; expected a table of at most 512 MiB",
                )
            })?;
            self.cell_ends.push(end);
        }
        self.lines.push(line);
        Ok(())
    }

    /// Reads the data rows of `chunks` (the rest of the text after the
    /// header, in order) on the free cores and adds them in order; the
    /// first error in the file is the error.
    fn read_chunks(&mut self, chunks: &[Chunk<'_>], delimiter: u8) -> Result<()> {
        if self.columns.is_none() {
            return Ok(());
        }
        let read: Vec<Result<Assembly<'a>>> = chunks
            .par_iter()
            .map(|chunk| {
                let mut part = Assembly {
                    path: self.path,
                    header_row: self.header_row,
                    records_seen: self.records_seen,
                    header: None,
                    columns: self.columns,
                    cells: String::with_capacity(chunk.text.len()),
                    cell_ends: Vec::new(),
                    lines: Vec::new(),
                };
                let mut reader = records(chunk.text.as_bytes(), delimiter);
                let mut lines = LineCounter::starting_at(chunk.text.as_bytes(), chunk.first_line);
                let mut record = csv::StringRecord::new();
                while reader
                    .read_record(&mut record)
                    .map_err(|e| csv_error(self.path, &e))?
                {
                    let line = record
                        .position()
                        .map_or(chunk.first_line, |p| lines.line_of(p.byte()));
                    part.push(line, record.iter())?;
                }
                Ok(part)
            })
            .collect();
        let parts = read.into_iter().collect::<Result<Vec<_>>>()?;
        self.append_parts(&parts)
    }

    /// Appends the rows of `parts` (read from consecutive chunks) after the
    /// rows already in: every part is copied into its own place of the
    /// grown lists on whichever core is free, its cells' ends moved by the
    /// text before it.
    fn append_parts(&mut self, parts: &[Assembly<'a>]) -> Result<()> {
        let mut starts = Vec::with_capacity(parts.len());
        let (mut text, mut cells, mut rows) =
            (self.cells.len(), self.cell_ends.len(), self.lines.len());
        for part in parts {
            starts.push((text, cells, rows));
            text += part.cells.len();
            cells += part.cell_ends.len();
            rows += part.lines.len();
        }
        if u32::try_from(text).is_err() {
            return Err(Error::invalid(
                Location::file(self.path),
                "the table holds more than 4 GiB of text; expected a table of at most 512 MiB",
            ));
        }
        // Zeroed lists come from the system untouched: each page is first
        // written by the core that copies a part into it.
        let mut all_text = vec![0u8; text];
        let mut all_ends = vec![0u32; cells];
        let mut all_lines = vec![0u64; rows];
        let before = self.cells.len();
        all_text[..before].copy_from_slice(self.cells.as_bytes());
        all_ends[..self.cell_ends.len()].copy_from_slice(&self.cell_ends);
        all_lines[..self.lines.len()].copy_from_slice(&self.lines);
        let mut places = Vec::with_capacity(parts.len());
        let (mut text_rest, mut ends_rest, mut lines_rest) = (
            &mut all_text[before..],
            &mut all_ends[self.cell_ends.len()..],
            &mut all_lines[self.lines.len()..],
        );
        for (part, &(offset, _, _)) in parts.iter().zip(&starts) {
            let (text_here, text_after) = text_rest.split_at_mut(part.cells.len());
            let (ends_here, ends_after) = ends_rest.split_at_mut(part.cell_ends.len());
            let (lines_here, lines_after) = lines_rest.split_at_mut(part.lines.len());
            places.push((part, offset as u32, text_here, ends_here, lines_here));
            (text_rest, ends_rest, lines_rest) = (text_after, ends_after, lines_after);
        }
        places
            .into_par_iter()
            .for_each(|(part, offset, text, ends, lines)| {
                text.copy_from_slice(part.cells.as_bytes());
                for (end, &part_end) in ends.iter_mut().zip(&part.cell_ends) {
                    *end = part_end + offset;
                }
                lines.copy_from_slice(&part.lines);
            });
        // Whole texts end to end are text: the check finds nothing to refuse.
        self.cells = String::from_utf8(all_text).map_err(|_| {
            Error::invalid(Location::file(self.path), "the table's text is not UTF-8")
        })?;
        self.cell_ends = all_ends;
        self.lines = all_lines;
        Ok(())
    }

    /// The table, once every record is in.
    pub(super) fn finish(mut self, delimiter: u8) -> Result<CsvTable> {
        let header_row = self.header_row;
        let Some((header_line, header)) = self.header else {
            return Err(Error::invalid(
                Location::file(self.path),
                format!(
                    "the file has fewer than {header_row} rows, so it has no header row \
                     {header_row}"
                ),
            ));
        };
        self.cells.shrink_to_fit();
        Ok(CsvTable {
            path: self.path.to_path_buf(),
            header,
            header_line,
            delimiter,
            cells: self.cells,
            cell_ends: self.cell_ends,
            lines: self.lines,
            encoding: None,
            sheet_note: None,
        })
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

    /// The table as read in chunks of a few lines and as read row by row.
    fn both_ways(text: &str, header_row: usize) -> (Result<CsvTable>, Result<CsvTable>) {
        let path = Path::new("t.csv");
        let chunks = Chunking {
            from_bytes: 0,
            chunk_bytes: 1_000,
        };
        let rows = Chunking {
            from_bytes: usize::MAX,
            chunk_bytes: CHUNK_BYTES,
        };
        (
            CsvTable::parse_from(text, path, header_row, chunks),
            CsvTable::parse_from(text, path, header_row, rows),
        )
    }

    #[test]
    fn rows_read_in_chunks_equal_rows_read_one_by_one() {
        // Line ends of every kind, blank lines, blank rows, padded cells,
        // a preamble before the header; long enough for many chunks.
        let mut text = String::from("exported by a logger\r\nreference_c;reported_c\r\n");
        for i in 0..40_000 {
            let end = ["\n", "\r\n", "\r"][i % 3];
            let row = match i % 7 {
                0 => format!(" 36.{i} ; 37.{}{end}", i % 10),
                1 => format!(";{end}"),
                2 => end.to_string(),
                _ => format!("35.{};36.{}{end}", i % 10, i % 7),
            };
            text.push_str(&row);
        }
        let (chunked, sequential) = both_ways(&text, 2);
        let (chunked, sequential) = (chunked.unwrap(), sequential.unwrap());

        assert_eq!(chunked.header, sequential.header);
        assert_eq!(chunked.header_line, 2);
        assert_eq!(chunked.lines, sequential.lines);
        assert_eq!(chunked.cell_ends, sequential.cell_ends);
        assert_eq!(chunked.cells, sequential.cells);
        // The rows with i % 7 = 1 (5 715 of them) or 2 (5 714) are blank.
        assert_eq!(chunked.rows().len(), 40_000 - 5_715 - 5_714);
    }

    #[test]
    fn a_bad_row_in_a_later_chunk_is_named_by_its_line_either_way() {
        let mut text = String::from("reference_c,reported_c\n");
        for i in 0..30_000 {
            text.push_str(if i == 25_000 { "36.0\n" } else { "36.0,36.1\n" });
        }
        let (chunked, sequential) = both_ways(&text, 1);
        let (chunked, sequential) = (chunked.unwrap_err(), sequential.unwrap_err());
        assert_eq!(chunked.to_string(), sequential.to_string());
        assert!(chunked.to_string().contains("line 25002"), "{chunked}");
    }

    #[test]
    fn a_quote_after_the_header_keeps_rows_read_one_by_one() {
        // A quoted field spans two lines: chunks could cut it, so none are
        // made, and the row is one row.
        let mut text = String::from("reference_c,note\n\"36.0\",\"two\nlines\"\n");
        for _ in 0..20_000 {
            text.push_str("36.0,x\n");
        }
        let (chunked, sequential) = both_ways(&text, 1);
        let (chunked, sequential) = (chunked.unwrap(), sequential.unwrap());
        assert_eq!(chunked.lines, sequential.lines);
        assert_eq!(chunked.rows().next().unwrap().cell(1), "two\nlines");
        assert_eq!(chunked.rows().nth(1).unwrap().line, 4);
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
