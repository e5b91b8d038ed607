//! Library errors, split by who is at fault, each carrying where it happened.
//!
//! Every error that comes from a user's file names the file and, where it has
//! one, the line, the column and the value, and says what was expected. The
//! binary prints the message and exits with status 2.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::escape::terminal::inline;

/// A path as an error shows it: a file name from a vendor's folder may
/// hold line breaks or terminal escapes, shown escaped.
pub fn shown(path: &Path) -> String {
    inline(&path.display().to_string())
}

/// Result of every fallible library call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in an input file a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file that holds the problem.
    pub file: PathBuf,
    /// 1-based line number in the file, when the problem is on one line.
    pub line: Option<u64>,
    /// 1-based column number and the column's header name, when known.
    pub column: Option<(usize, String)>,
    /// Byte offset in the file, for binary formats.
    pub byte: Option<u64>,
    /// 0-based frame number, for files holding several frames.
    pub frame: Option<usize>,
}

impl Location {
    /// A location covering a whole file.
    pub fn file(file: &Path) -> Self {
        Location {
            file: file.to_path_buf(),
            line: None,
            column: None,
            byte: None,
            frame: None,
        }
    }

    /// A location on one line of a file.
    pub fn line(file: &Path, line: u64) -> Self {
        Location {
            line: Some(line),
            ..Location::file(file)
        }
    }

    /// A location on one cell of a table.
    pub fn cell(file: &Path, line: u64, column_index: usize, column_name: &str) -> Self {
        Location {
            column: Some((column_index, column_name.to_string())),
            ..Location::line(file, line)
        }
    }

    /// A location at a byte offset of a binary file, optionally in a frame.
    pub fn byte(file: &Path, byte: u64, frame: Option<usize>) -> Self {
        Location {
            byte: Some(byte),
            frame,
            ..Location::file(file)
        }
    }
}

impl Location {
    /// The place within the file, without the file: "line 5, column 2
    /// (reference_c)"; "the whole file" when there is none.
    pub fn within_file(&self) -> String {
        let whole = self.to_string();
        let file = shown(&self.file);
        match whole
            .strip_prefix(&file)
            .and_then(|rest| rest.strip_prefix(", "))
        {
            Some(place) => place.to_string(),
            None => "the whole file".to_string(),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", shown(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        match &self.column {
            Some((index, name)) if !name.is_empty() => {
                write!(f, ", column {index} ({})", inline(name))?
            }
            Some((index, _)) => write!(f, ", column {index}")?,
            None => {}
        }
        if let Some(frame) = self.frame {
            write!(f, ", frame {frame}")?;
        }
        if let Some(byte) = self.byte {
            write!(f, ", byte {byte}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input file could not be read (missing, unreadable, not UTF-8 ...).
    #[error("cannot read {}: {source}", shown(path))]
    Read {
        /// The file or folder that could not be read.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// An input file was read but holds something that cannot be used.
    #[error("{location}: {message}")]
    InvalidInput {
        /// Where the problem is.
        location: Box<Location>,
        /// What was found and what was expected.
        message: String,
    },
    /// The input is well formed but cannot be analysed (e.g. no usable pairs).
    #[error("{}: {message}", shown(path))]
    Unusable {
        /// The session folder or file.
        path: PathBuf,
        /// Why it cannot be analysed and what would make it usable.
        message: String,
    },
    /// An output could not be written.
    #[error("cannot write {}: {source}", shown(path))]
    Write {
        /// The file or folder that could not be written.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file in a format fevercheck recognises but will not or cannot read
    /// (not radiometric, a closed vendor format, an unsupported encoding).
    #[error("{}: {message}", shown(path))]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// What was found and which export would work instead.
        message: String,
    },
    /// A size read from a file exceeds a limit; checked before allocating.
    #[error("{location}: {message}")]
    Limit {
        /// Where the size was read.
        location: Box<Location>,
        /// The size and the limit.
        message: String,
        /// Which limit (the caller may raise it when the file is real).
        limit: LimitKind,
    },
    /// An integer image whose counts need a declared linear scale to become
    /// temperatures (`DecodeOptions::scale`).
    #[error(
        "{}: a {what} holds counts, and no standard says how counts map to temperature; \
             its linear scale must be declared (kelvin per count and offset, or a preset: \
             centikelvin = 0.01 K per count for Lepton/Boson TLinear and FLIR GigE \
             TemperatureLinear10mK, decikelvin = 0.1 K, flirpy = 0.04 K)",
        shown(path)
    )]
    ScaleNeeded {
        /// The file.
        path: PathBuf,
        /// What kind of image it is (`16-bit TIFF` …).
        what: String,
    },
    /// A CSV file whose columns are not in the `readings.csv` layout.
    #[error("{location}: {message}")]
    Layout {
        /// The header row.
        location: Box<Location>,
        /// Which column is missing and what was found.
        message: String,
    },
    /// An output path holds files fevercheck did not write, or a session it
    /// would replace; nothing was written.
    #[error("refusing to write into {}: {message}", shown(path))]
    OutputInUse {
        /// The folder or file.
        path: PathBuf,
        /// What is there.
        message: String,
    },
    /// Values of the readings that look like mistakes in the file (a unit
    /// or typing slip); nothing is concluded from a file holding them.
    #[error("{}: {count} value(s) look like mistakes in the file, not readings of the device:\n{listing}\ncorrect them, or leave these rows out (they are then listed at the top of the report)", shown(path))]
    SuspectValues {
        /// The readings file.
        path: PathBuf,
        /// How many.
        count: usize,
        /// One line per value (at most 20): line, column, value and why.
        listing: String,
    },
    /// Several rows of a table cannot be read; each is listed with its line.
    #[error("{}: {count} rows cannot be read ({}):\n{listing}", shown(path), if count == listed { "all listed".to_string() } else { format!("the first {listed} listed") })]
    InvalidRows {
        /// The table's file.
        path: PathBuf,
        /// How many rows failed.
        count: usize,
        /// How many are listed.
        listed: usize,
        /// One line per listed row: where and what.
        listing: String,
    },
    /// `session.toml` has keys this version does not know (a typo would
    /// otherwise change the verdict silently).
    #[error("{}: {listing} (an unknown key is not used, and a misspelt one would change the verdict silently)", shown(path))]
    UnknownKeys {
        /// The file.
        path: PathBuf,
        /// Each unknown key with its line and the nearest known key.
        listing: String,
    },
    /// A parameter given to the library has a value that cannot work.
    #[error("`{parameter}`: {message}")]
    InvalidParameter {
        /// The parameter's name (`steps`, `header_row`, `frame` …).
        parameter: &'static str,
        /// Why, and what would work.
        message: String,
    },
    /// A chart could not be drawn.
    #[error("cannot draw the {chart} chart: {message}")]
    Render {
        /// The chart (`transfer` …).
        chart: String,
        /// What the drawing backend said.
        message: String,
    },
    /// An output could not be encoded (JSON, CSV, PNG, TIFF, NPY).
    #[error("cannot encode {what}: {message}")]
    Encode {
        /// What was being encoded (`report.json`, `the TIFF` …).
        what: String,
        /// What the encoder said.
        message: String,
    },
}

/// The limits a decoder checks sizes against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LimitKind {
    /// Width, height or pixels of one frame.
    FrameSize,
    /// Frames in one file.
    Frames,
    /// Decoded bytes per stored byte of a frame or a file.
    Expansion,
}

impl Error {
    /// Shorthand for an [`Error::InvalidInput`].
    pub fn invalid(location: Location, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            location: Box::new(location),
            message: message.into(),
        }
    }

    /// Shorthand for an [`Error::Read`].
    pub fn read(path: &Path, source: std::io::Error) -> Self {
        Error::Read {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Shorthand for an [`Error::InvalidParameter`].
    pub fn parameter(parameter: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidParameter {
            parameter,
            message: message.into(),
        }
    }

    /// Shorthand for an [`Error::Encode`].
    pub fn encode(what: impl Into<String>, message: impl std::fmt::Display) -> Self {
        Error::Encode {
            what: what.into(),
            message: message.to_string(),
        }
    }

    /// Shorthand for an [`Error::Write`].
    pub fn write(path: &Path, source: std::io::Error) -> Self {
        Error::Write {
            path: path.to_path_buf(),
            source,
        }
    }
}
