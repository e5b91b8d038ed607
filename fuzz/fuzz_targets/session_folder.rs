//! A whole session folder from arbitrary bytes, read the way `fevercheck
//! analyze FOLDER` reads it: readings.csv, session.toml and one frame file
//! written together into a folder, loaded as a session and analysed with
//! its frames. Each part may be anything; together they reach what the
//! readers of one part alone cannot (a ROI beside a frame's size, a frame
//! reference into a file of any format, `[match]` over a folder of frames).
//!
//! Layout of the input: one byte choosing the frame's extension, then
//! readings.csv and session.toml each as a 2-byte little-endian length and
//! its bytes, then the frame file (the rest).
#![no_main]

use fevercheck::analyze;
use fevercheck::session::Session;
use libfuzzer_sys::fuzz_target;

const EXTENSIONS: [&str; 9] = ["npy", "tiff", "csv", "seq", "csq", "fff", "jpg", "png", "fpf"];

/// The next part of `data`: its 2-byte length, then that many bytes (fewer
/// when the input ends first).
fn part(data: &[u8]) -> (&[u8], &[u8]) {
    let Some((length, rest)) = data.split_first_chunk::<2>() else {
        return (&[], &[]);
    };
    let length = (u16::from_le_bytes(*length) as usize).min(rest.len());
    rest.split_at(length)
}

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let (readings, rest) = part(rest);
    let (manifest, frame) = part(rest);
    let extension = EXTENSIONS[kind as usize % EXTENSIONS.len()];
    let dir = std::env::temp_dir().join(format!("fevercheck-fuzz-session-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if std::fs::create_dir_all(dir.join("frames")).is_err() {
        return;
    }
    let written = std::fs::write(dir.join("readings.csv"), readings)
        .and_then(|()| std::fs::write(dir.join("session.toml"), manifest))
        .and_then(|()| std::fs::write(dir.join(format!("frames/f.{extension}")), frame));
    if written.is_err() {
        return;
    }
    if let Ok(session) = Session::load(&dir) {
        let _ = analyze(&session);
    }
});
