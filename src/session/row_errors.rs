//! Every error of a table's rows at once: a spreadsheet with a decimal
//! comma in every row, or a time layout that does not match, is corrected
//! in one pass instead of one run per row.
//!
//! Reading goes on after a row's error; the first [`ROW_ERRORS_LISTED`]
//! are kept (each with its line and column) and the rest only counted, so
//! a file of a million bad rows costs no more memory than one of twenty.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Most row errors listed in one error.
pub const ROW_ERRORS_LISTED: usize = 20;

/// The errors of a table's rows, collected while reading on.
#[derive(Debug)]
pub struct RowErrors {
    path: PathBuf,
    listed: Vec<Error>,
    count: usize,
}

impl RowErrors {
    /// No errors yet, for the table read from `path`.
    pub fn new(path: &Path) -> Self {
        RowErrors {
            path: path.to_path_buf(),
            listed: Vec::new(),
            count: 0,
        }
    }

    /// The row's value, or `None` after noting its error.
    pub fn note<T>(&mut self, result: Result<T>) -> Option<T> {
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
    pub fn finish(mut self) -> Result<()> {
        match self.count {
            0 => Ok(()),
            1 => Err(self.listed.remove(0)),
            count => {
                let listing = self
                    .listed
                    .iter()
                    .map(|error| match error {
                        Error::InvalidInput { location, message } if location.file == self.path => {
                            format!("  {}: {message}", location.within_file())
                        }
                        other => format!("  {other}"),
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Location;

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
        assert!(text.contains("\n  line 2, column 2 (reference_c): `36,5` is not a number"));
        assert!(
            text.contains("line 21,") && !text.contains("line 22,"),
            "{text}"
        );
    }
}
