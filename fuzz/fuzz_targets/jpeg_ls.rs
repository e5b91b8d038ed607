//! The JPEG-LS decoder on arbitrary streams, with the image size taken from
//! the first four bytes (up to 256×256).
#![no_main]

use std::path::Path;

use fevercheck::formats::{decode_jpeg_ls, Bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let width = 1 + u16::from_le_bytes([data[0], data[1]]) as usize % 256;
    let height = 1 + u16::from_le_bytes([data[2], data[3]]) as usize % 256;
    let _ = decode_jpeg_ls(Bytes::new(&data[4..], Path::new("fuzz.csq")), width, height);
});
