//! Every radiometric reader on arbitrary bytes: the first byte chooses the
//! file extension (so extension-based detection is fuzzed too), the rest is
//! the file. Opening, metadata and the first frames must give values or
//! errors, never a panic, and never allocate beyond the limits.
#![no_main]

use std::io::Write;

use fevercheck::formats::{open, DecodeOptions, Limits, LinearScale};
use libfuzzer_sys::fuzz_target;

const EXTENSIONS: [&str; 10] = [
    "jpg", "seq", "csq", "fff", "fpf", "tiff", "png", "npy", "csv", "bin",
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let extension = EXTENSIONS[first as usize % EXTENSIONS.len()];
    let dir = std::env::temp_dir().join(format!("fevercheck-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("input.{extension}"));
    let Ok(mut file) = std::fs::File::create(&path) else {
        return;
    };
    if file.write_all(bytes).is_err() {
        return;
    }
    drop(file);
    // Small limits keep each run fast; the limits themselves are under test.
    let options = DecodeOptions {
        limits: Limits {
            max_width: 2048,
            max_height: 2048,
            max_pixels: 1 << 22,
            max_frames: 64,
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
});
