//! What each fuzz target does with one input, shared by the targets in
//! `fuzz/fuzz_targets/` (run by cargo-fuzz) and by `tests/fuzz_corpus.rs`,
//! which replays every input of `fuzz/corpus/` on each `cargo test`. Each
//! function takes a scratch folder of its own for the files it writes.
//! Every input must give values or errors: never a panic, and never an
//! allocation beyond the limits.

use std::path::Path;

use fevercheck::analyze;
use fevercheck::formats::{decode_jpeg_ls, open, Bytes, DecodeOptions, Limits, LinearScale};
use fevercheck::session::{
    readings_from_named_columns, readings_from_table, ColumnSpec, CsvTable, Manifest, Session,
};
use fevercheck::units::TemperatureUnit;

/// `decode_file`: every radiometric reader on arbitrary bytes. The first
/// byte chooses the file extension (so extension-based detection is fuzzed
/// too), the rest is the file; opening, metadata and the first frames are
/// read.
pub fn decode_file(data: &[u8], scratch: &Path) {
    const EXTENSIONS: [&str; 12] = [
        "jpg", "seq", "csq", "fff", "fpf", "tiff", "png", "npy", "csv", "bin", "irg", "raw",
    ];
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let extension = EXTENSIONS[first as usize % EXTENSIONS.len()];
    let path = scratch.join(format!("input.{extension}"));
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    // Small limits keep each run fast; the limits themselves are under test.
    let options = DecodeOptions {
        limits: Limits {
            max_width: 2048,
            max_height: 2048,
            max_pixels: 1 << 22,
            max_frames: 64,
            ..Limits::default()
        },
        scale: LinearScale::preset("centikelvin"),
        ..DecodeOptions::default()
    };
    if let Ok(mut source) = open(&path, &options) {
        let _ = source.read_meta(0);
        for index in 0..source.frame_count().min(3) {
            let _ = source.read_frame(index);
        }
    }
}

/// `jpeg_ls`: the JPEG-LS decoder on arbitrary streams, the image size
/// taken from the first four bytes (up to 256×256).
pub fn jpeg_ls(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let width = 1 + u16::from_le_bytes([data[0], data[1]]) as usize % 256;
    let height = 1 + u16::from_le_bytes([data[2], data[3]]) as usize % 256;
    let _ = decode_jpeg_ls(Bytes::new(&data[4..], Path::new("fuzz.csq")), width, height);
}

/// `session_readers`: readings.csv, named-column tables and session.toml on
/// arbitrary text, and the analysis of whatever they accept.
pub fn session_readers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Manifest::parse(text, Path::new("session.toml"), false);
    let Ok(table) = CsvTable::parse(text, Path::new("readings.csv"), 1) else {
        return;
    };
    if let Ok(mut readings) = readings_from_table(&table) {
        readings.observations.retain(|o| o.frame.is_none());
        let session = Session::from_readings("fuzz", Manifest::default(), readings);
        let _ = analyze(&session);
    }
    let spec = ColumnSpec {
        reference: "a".into(),
        reported: vec!["b".into(), "c".into()],
        subject: Some("d".into()),
        header_row: 1,
        unit: TemperatureUnit::Celsius,
        ..ColumnSpec::default()
    };
    let _ = readings_from_named_columns(&table, &spec);
}

/// `session_folder`: a whole session folder from arbitrary bytes, read the
/// way `fevercheck analyze FOLDER` reads it: readings.csv, session.toml and
/// one frame file written together, loaded as a session and analysed with
/// its frames. Together the parts reach what the readers of one part alone
/// cannot (a ROI beside a frame's size, a frame reference into a file of
/// any format, `[match]` over a folder of frames).
///
/// Layout: one byte choosing the frame's extension, then readings.csv and
/// session.toml each as a 2-byte little-endian length and its bytes, then
/// the frame file (the rest). `scratch` must be empty.
pub fn session_folder(data: &[u8], scratch: &Path) {
    const EXTENSIONS: [&str; 9] = [
        "npy", "tiff", "csv", "seq", "csq", "fff", "jpg", "png", "fpf",
    ];
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let (readings, rest) = part(rest);
    let (manifest, frame) = part(rest);
    let extension = EXTENSIONS[kind as usize % EXTENSIONS.len()];
    if std::fs::create_dir_all(scratch.join("frames")).is_err() {
        return;
    }
    let written = std::fs::write(scratch.join("readings.csv"), readings)
        .and_then(|()| std::fs::write(scratch.join("session.toml"), manifest))
        .and_then(|()| std::fs::write(scratch.join(format!("frames/f.{extension}")), frame));
    if written.is_err() {
        return;
    }
    if let Ok(session) = Session::load(scratch) {
        let _ = analyze(&session);
    }
}

/// The next part of `data`: its 2-byte length, then that many bytes (fewer
/// when the input ends first).
fn part(data: &[u8]) -> (&[u8], &[u8]) {
    let Some((length, rest)) = data.split_first_chunk::<2>() else {
        return (&[], &[]);
    };
    let length = (u16::from_le_bytes(*length) as usize).min(rest.len());
    rest.split_at(length)
}
