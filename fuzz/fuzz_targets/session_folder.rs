//! A whole session folder from arbitrary bytes, loaded and analysed with its
//! frames (`harness::session_folder`, which gives the input's layout).
#![no_main]

#[path = "../harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let scratch =
        std::env::temp_dir().join(format!("fevercheck-fuzz-session-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    harness::session_folder(data, &scratch);
});
