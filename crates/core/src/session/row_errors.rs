//! Every error of a table's rows at once: a spreadsheet with a decimal
//! comma in every row, or a time layout that does not match, is corrected
//! in one pass instead of one run per row.
//!
//! Reading goes on after a row's error; the first [`ROW_ERRORS_LISTED`]
//! are kept (each with its line and column) and the rest only counted, so
//! a file of a million bad rows costs no more memory than one of twenty.
//! Neighbouring errors of one column that differ only in the cell's value
//! (the first `…`-quoted part) are one entry: "lines 2–21, column 1 (time):
//! `01.03.2026 09:00` is not a time; …".

use std::path::{Path, PathBuf};

use fevercheck_io::error::{Error, Result};

/// Most row errors listed in one error.
pub(super) const ROW_ERRORS_LISTED: usize = 20;

/// The errors of a table's rows, collected while reading on.
#[derive(Debug)]
pub(super) struct RowErrors {
    path: PathBuf,
    listed: Vec<Error>,
    count: usize,
}

impl RowErrors {
    /// No errors yet, for the table read from `path`.
    pub(super) fn new(path: &Path) -> Self {
        RowErrors {
            path: path.to_path_buf(),
            listed: Vec::new(),
            count: 0,
        }
    }

    /// The row's value, or `None` after noting its error.
    pub(super) fn note<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.count += 1;
                if self.listed.len() < ROW_ERRORS_LISTED {
                    self.listed.push(error);
                }
                None
            }
        }
    }

    /// Nothing when no row failed; the row's own error when one did; else
    /// [`Error::InvalidRows`] listing the first [`ROW_ERRORS_LISTED`].
    pub(super) fn finish(mut self) -> Result<()> {
        match self.count {
            0 => Ok(()),
            1 => Err(self.listed.remove(0)),
            count => {
                let listing = grouped(&self.path, &self.listed).join("\n");
                Err(Error::InvalidRows {
                    path: self.path,
                    count,
                    listed: self.listed.len(),
                    listing,
                })
            }
        }
    }
}

/// What makes errors of neighbouring rows one entry: the column, and the
/// message without the cell's value.
type SameError = (String, String);

/// The listing's entries: runs of errors of one column that differ only in
/// the cell's value merged into one, naming their lines.
fn grouped(path: &Path, errors: &[Error]) -> Vec<String> {
    let mut entries: Vec<(Option<SameError>, Vec<u64>, String)> = Vec::new();
    for error in errors {
        let (key, line, text) = match error {
            Error::InvalidInput { location, message } if location.file == path => {
                let mut column = (**location).clone();
                column.line = None;
                let key = location
                    .line
                    .map(|line| ((column.within_file(), without_value(message)), line));
                match key {
                    Some((key, line)) => (Some(key), Some(line), message.clone()),
                    None => (None, None, format!("{}: {message}", location.within_file())),
                }
            }
            other => (None, None, other.to_string()),
        };
        match (entries.last_mut(), &key, line) {
            (Some((Some(last), lines, _)), Some(key), Some(line)) if last == key => {
                lines.push(line)
            }
            _ => entries.push((key, line.into_iter().collect(), text)),
        }
    }
    entries
        .into_iter()
        .map(|(key, lines, text)| match key {
            Some((column, _)) if lines.len() > 1 => {
                format!("  lines {}, {column}: {text}", line_ranges(&lines))
            }
            Some((column, _)) => format!("  line {}, {column}: {text}", lines[0]),
            None => format!("  {text}"),
        })
        .collect()
}

/// A message without its first `…`-quoted part (the cell's value).
fn without_value(message: &str) -> String {
    let mut parts = message.splitn(3, '`');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(before), Some(_), Some(after)) => format!("{before}…{after}"),
        _ => message.to_string(),
    }
}

/// "2–5, 9, 11–12" for lines 2, 3, 4, 5, 9, 11, 12.
fn line_ranges(lines: &[u64]) -> String {
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for &line in lines {
        match runs.last_mut() {
            Some((_, end)) if line == *end + 1 => *end = line,
            _ => runs.push((line, line)),
        }
    }
    runs.iter()
        .map(|&(start, end)| {
            if start == end {
                start.to_string()
            } else {
                format!("{start}–{end}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use fevercheck_io::error::Location;

    fn bad_cell(path: &Path, line: u64) -> Result<f64> {
        Err(Error::invalid(
            Location::cell(path, line, 2, "reference_c"),
            "`36,5` is not a number",
        ))
    }

    #[test]
    fn one_error_stays_itself_and_many_are_listed_up_to_the_limit() {
        let path = Path::new("readings.csv");
        let mut one = RowErrors::new(path);
        assert_eq!(one.note(Ok(1.0)), Some(1.0));
        assert_eq!(one.note(bad_cell(path, 3)), None);
        let single = one.finish().unwrap_err().to_string();
        assert_eq!(
            single,
            "readings.csv, line 3, column 2 (reference_c): `36,5` is not a number"
        );

        let mut many = RowErrors::new(path);
        for line in 2..=31 {
            many.note(bad_cell(path, line));
        }
        let text = many.finish().unwrap_err().to_string();
        assert!(
            text.starts_with("readings.csv: 30 rows cannot be read"),
            "{text}"
        );
        assert!(text.contains("the first 20"), "{text}");
        // The twenty listed differ only in their line: one entry.
        assert!(
            text.contains("\n  lines 2–21, column 2 (reference_c): `36,5` is not a number"),
            "{text}"
        );
        assert!(!text.contains("line 22"), "{text}");
        assert_eq!(line_ranges(&[2, 3, 4, 5, 9, 11, 12]), "2–5, 9, 11–12");
    }
}
