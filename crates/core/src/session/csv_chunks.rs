//! The rows of a large CSV table in chunks of whole lines, each with the
//! number of its first line, so that the free cores read them side by side
//! (`csv_table` reads each chunk and joins them in order). A table with a
//! quote after its header is read row by row instead: a quoted field may
//! span lines, so a line end need not end a row.

use rayon::prelude::*;

use fevercheck_io::delimited::{line_ends, LineCounter};

/// Text after the header from which its rows are read in chunks on the
/// free cores, bytes: below a megabyte one core reads it in milliseconds.
pub(super) const PARALLEL_FROM_BYTES: usize = 1 << 20;

/// Most columns of a table read in chunks: a wider one has few, long rows
/// that gain little from chunks, while joining the chunks would hold the
/// ends of its cells twice (a million columns are 4 MB of ends a row).
pub(super) const MAX_CHUNKED_COLUMNS: usize = 1_000;

/// Bytes of text in a chunk read by one task (rounded to the next line).
pub(super) const CHUNK_BYTES: usize = 2 << 20;

/// When and how the rows after the header are read in chunks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Chunking {
    /// Fewest bytes after the header for chunks to be made.
    pub from_bytes: usize,
    /// Bytes of a chunk, rounded up to the end of a line.
    pub chunk_bytes: usize,
}

/// A piece of a table's text that starts a line, and that line's number.
pub(super) struct Chunk<'t> {
    /// The text, whole lines.
    pub text: &'t str,
    /// The line of the file where it starts.
    pub first_line: u64,
}

/// The text after byte `rest` (the end of the header row) in chunks of
/// whole lines, each with the number of its first line (`lines` is the
/// file's counter, which stands at the header); `None` when the rest is
/// shorter than `chunking.from_bytes` or holds a quote, whose field may
/// span lines, so that a line end need not end a row.
pub(super) fn chunks_after<'t>(
    text: &'t str,
    rest: usize,
    lines: &mut LineCounter<'_>,
    chunking: Chunking,
) -> Option<Vec<Chunk<'t>>> {
    let bytes = text.as_bytes();
    let rest = rest.min(bytes.len());
    if bytes.len() - rest < chunking.from_bytes || bytes[rest..].contains(&b'"') {
        return None;
    }
    // The first chunk starts at the first character of a line, so that no
    // line end is split between two chunks.
    let first_line = lines.line_of(rest as u64);
    let mut start = rest;
    while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
        start += 1;
    }
    let mut starts = vec![start];
    let mut at = start + chunking.chunk_bytes;
    while at < bytes.len() {
        let Some(end) = bytes[at..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let next = at + end + 1;
        if next >= bytes.len() {
            break;
        }
        starts.push(next);
        at = next + chunking.chunk_bytes;
    }
    let texts: Vec<&str> = starts
        .iter()
        .zip(starts.iter().skip(1).chain([&bytes.len()]))
        .map(|(&from, &to)| &text[from..to])
        .collect();
    // Each chunk but the last ends with `\n`, so none splits a `\r\n`.
    let ends_per_chunk: Vec<u64> = texts
        .par_iter()
        .map(|chunk| line_ends(chunk.as_bytes()))
        .collect();
    let mut line = first_line;
    Some(
        texts
            .into_iter()
            .zip(ends_per_chunk)
            .map(|(text, ends)| {
                let chunk = Chunk {
                    text,
                    first_line: line,
                };
                line += ends;
                chunk
            })
            .collect(),
    )
}
