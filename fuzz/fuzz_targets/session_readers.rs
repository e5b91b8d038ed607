//! readings.csv, named-column tables and session.toml on arbitrary text,
//! and the analysis of whatever they accept (`harness::session_readers`).
#![no_main]

#[path = "../harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| harness::session_readers(data));
