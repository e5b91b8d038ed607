//! Delimited text as labs and camera software export it, for both readers
//! of CSV files (`session`'s tables and `formats`' temperature matrices):
//! choosing the delimiter, reading a number that may have a decimal comma,
//! and line numbers for messages. The records themselves are split by the
//! `csv` crate.
//!
//! The delimiter is the one of comma, semicolon and tab that makes the most
//! numeric cells on the sample lines (counting a line only when it has at
//! least two), then the most lines with as many fields as the first (when
//! that is more than one), then the most fields; comma on a tie. A decimal comma is read
//! only where the delimiter is not a comma, so `36,5;36,6` is two numbers
//! with a semicolon and `36,5` is two cells with a comma.

/// Delimiters tried, in order of preference on a tie.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The delimiter of `lines` (a header and a few data lines, or the last
/// lines of a matrix).
pub fn sniff_delimiter<'a>(lines: impl IntoIterator<Item = &'a str>) -> u8 {
    let lines: Vec<&str> = lines.into_iter().collect();
    let score = |delimiter: u8| {
        let (mut numeric, mut consistent, mut fields) = (0, 0, 0);
        let first = lines
            .first()
            .map_or(0, |l| l.split(delimiter as char).count());
        for line in &lines {
            let cells: Vec<&str> = line.split(delimiter as char).collect();
            let numbers = cells
                .iter()
                .filter(|c| number(c, delimiter).is_some())
                .count();
            if numbers >= 2 {
                numeric += numbers;
            }
            if first > 1 && cells.len() == first {
                consistent += 1;
            }
            fields += cells.len();
        }
        (numeric, consistent, fields)
    };
    DELIMITERS
        .into_iter()
        .fold((b',', (0, 0, 0)), |best, d| {
            let s = score(d);
            if s > best.1 {
                (d, s)
            } else {
                best
            }
        })
        .0
}

/// A reader of every record of `text` split at `delimiter`: no header row
/// (the caller decides which record is one) and records of any length (the
/// caller checks them, naming the line).
pub fn records(text: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text)
}

/// A finite number in `cell` (trimmed, quotes removed), with a decimal comma
/// accepted when the delimiter is not a comma.
pub fn number(cell: &str, delimiter: u8) -> Option<f64> {
    let cell = cell.trim().trim_matches('"');
    let plain = cell.parse::<f64>().ok();
    let with_comma = || {
        (delimiter != b',' && cell.matches(',').count() == 1 && !cell.contains('.'))
            .then(|| cell.replace(',', ".").parse::<f64>().ok())
            .flatten()
    };
    plain.or_else(with_comma).filter(|v| v.is_finite())
}

/// The line ends in `bytes`: each `\n`, and each `\r` not followed by
/// `\n` (`\r\n` is one line end). Text without `\r`, as most files are,
/// is counted a vector at a time.
pub fn line_ends(bytes: &[u8]) -> u64 {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    let lone_returns = if bytes.contains(&b'\r') {
        bytes
            .iter()
            .enumerate()
            .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
            .count()
    } else {
        0
    };
    (newlines + lone_returns) as u64
}

/// Line numbers of byte offsets in a text, read in increasing order: each
/// call counts only the line ends since the previous one, so numbering all
/// records of a file is linear in its size. A line end is `\n`, `\r\n` or a
/// lone `\r`.
pub struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    /// A counter at the start of `text` (line 1).
    pub fn new(text: &'a [u8]) -> Self {
        Self::starting_at(text, 1)
    }

    /// A counter at the start of `text`, which is line `line` of its file.
    pub fn starting_at(text: &'a [u8], line: u64) -> Self {
        LineCounter {
            bytes: text,
            at: 0,
            line,
        }
    }

    /// The line of the first character at or after `byte` that is not a
    /// line end (a record's position may point at blank lines before it).
    pub fn line_of(&mut self, byte: u64) -> u64 {
        let mut target = (byte as usize).min(self.bytes.len());
        while target < self.bytes.len() && matches!(self.bytes[target], b'\n' | b'\r') {
            target += 1;
        }
        if self.at < target {
            // `target` is past any line end that follows the span, so a
            // `\r` at its end is a lone one in the text too.
            self.line += line_ends(&self.bytes[self.at..target]);
            self.at = target;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_that_makes_numbers_wins() {
        assert_eq!(sniff_delimiter(["36,5;36,6;36,7", "36,8;36,9;37,0"]), b';');
        assert_eq!(sniff_delimiter(["36.5,36.6,36.7"]), b',');
        assert_eq!(sniff_delimiter(["row0\t1.5\t2.5"]), b'\t');
        assert_eq!(
            sniff_delimiter(["time;reference_c;reported_c", "2026-03-01 09:00;35,00;36,6"]),
            b';'
        );
        // As many numbers either way: the delimiter that keeps the header's
        // field count.
        assert_eq!(
            sniff_delimiter(["reference_c;reported_c", "36,0;36,1"]),
            b';'
        );
        // A header alone: the most fields.
        assert_eq!(sniff_delimiter(["reference_c;reported_c"]), b';');
        assert_eq!(sniff_delimiter(["reference_c"]), b',');
    }

    #[test]
    fn decimal_commas_only_beside_another_delimiter() {
        assert_eq!(number("36,5", b';'), Some(36.5));
        assert_eq!(number("36,5", b','), None);
        assert_eq!(number(" \"37.25\" ", b','), Some(37.25));
        assert_eq!(number("1,234.5", b';'), None);
        assert_eq!(number("inf", b','), None);
    }

    #[test]
    fn line_numbers_count_crlf_once_and_skip_blank_lines() {
        let text = "a\r\nb\nc\rd\n\n\ne";
        let mut lines = LineCounter::new(text.as_bytes());
        assert_eq!(lines.line_of(0), 1);
        assert_eq!(lines.line_of(3), 2);
        assert_eq!(lines.line_of(5), 3);
        assert_eq!(lines.line_of(7), 4);
        // Byte 8 is the first blank line; the record starts on line 7.
        assert_eq!(lines.line_of(8), 7);
    }

    #[test]
    fn line_ends_are_newlines_and_lone_carriage_returns() {
        // Counted by hand.
        assert_eq!(line_ends(b""), 0);
        assert_eq!(line_ends(b"ab\ncd\n\n"), 3);
        assert_eq!(line_ends(b"ab\r\ncd\r\n"), 2);
        assert_eq!(line_ends(b"ab\rcd\r"), 2);
        assert_eq!(line_ends(b"\r\r\n\n\r"), 4);
    }

    #[test]
    fn lines_are_counted_alike_in_spans_with_and_without_carriage_returns() {
        // Counted by hand: the line of the first character at or after each
        // offset that is not a line end; spans without `\r` are counted
        // the fast way, spans with one byte by byte.
        let text = b"ab\ncd\n\nef\r\ngh\rij\nkl\n";
        let expected = [1, 1, 2, 2, 2, 4, 4, 4, 4, 5, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8];
        for step in 1..=text.len() {
            let mut lines = LineCounter::new(text);
            for offset in (0..text.len()).step_by(step) {
                assert_eq!(
                    lines.line_of(offset as u64),
                    expected[offset],
                    "{offset}, {step}"
                );
            }
        }
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_of(100), 8);
        assert_eq!(lines.line_of(3), 8, "an earlier offset moves nothing");
    }
}
