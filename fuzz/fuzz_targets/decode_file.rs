//! Every radiometric reader on arbitrary bytes (`harness::decode_file`).
#![no_main]

#[path = "../harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scratch = std::env::temp_dir().join(format!("fevercheck-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&scratch);
    harness::decode_file(data, &scratch);
});
