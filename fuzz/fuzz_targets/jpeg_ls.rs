//! The JPEG-LS decoder on arbitrary streams (`harness::jpeg_ls`).
#![no_main]

#[path = "../harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| harness::jpeg_ls(data));
