//! Every input of the fuzzers' corpus (`fuzz/corpus/<target>/`) replayed
//! through the same code the fuzz targets run (`fuzz/harness/`): inputs that
//! once reached new paths of the readers stay covered by each `cargo test`,
//! without cargo-fuzz. Each must give values or errors, never a panic.

use crate::fuzz_harness as harness;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The corpus inputs of `target`, in name order.
fn corpus(target: &str) -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    inputs
}

/// Runs `run` on every corpus input of `target` and names those that panic;
/// `at_least` guards against a corpus gone missing.
fn replay(target: &str, at_least: usize, run: impl Fn(&[u8], &Path)) {
    let inputs = corpus(target);
    assert!(
        inputs.len() >= at_least,
        "{target}: {} corpus inputs, expected at least {at_least}",
        inputs.len()
    );
    let mut panicked = Vec::new();
    for input in &inputs {
        let data = std::fs::read(input).unwrap();
        let scratch = tempfile::tempdir().unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| run(&data, scratch.path())));
        if outcome.is_err() {
            panicked.push(input.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    assert!(
        panicked.is_empty(),
        "{target}: these inputs panic: {panicked:?}"
    );
}

#[test]
fn the_decode_file_corpus_gives_values_or_errors() {
    replay("decode_file", 150, harness::decode_file);
}

#[test]
fn the_jpeg_ls_corpus_gives_values_or_errors() {
    replay("jpeg_ls", 90, |data, _| harness::jpeg_ls(data));
}

#[test]
fn the_session_readers_corpus_gives_values_or_errors() {
    replay("session_readers", 90, |data, _| {
        harness::session_readers(data)
    });
}

#[test]
fn the_session_folder_corpus_gives_values_or_errors() {
    replay("session_folder", 2, harness::session_folder);
}
