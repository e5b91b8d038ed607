//! Where the tests find real camera files.
//!
//! Files under CC0 or MIT are kept in `fixtures/real/` (see its SOURCES.md)
//! and always present. The GPL- and Perl-licensed samples live outside the
//! repository, in `../shared/samples/`; a test that needs them is marked
//! `#[ignore = "needs ../shared/samples"]` and, when run anyway without them,
//! fails with a message instead of passing.

#![allow(dead_code)]

pub mod synthetic_fff;

use std::path::PathBuf;

use fevercheck::formats::DecodeOptions;
use fevercheck::model::RadiometryOverrides;
use fevercheck::radiometry::AtmosphereModel;
use serde_json::Value;

/// Decode options with the R package Thermimage's atmosphere model: the
/// FLIR values of both truth.json files marked `"model": "thermimage"` (and
/// every FLIR value of ../shared/samples/truth.json) were computed with its
/// formula, outside the project.
pub fn thermimage_options() -> DecodeOptions {
    DecodeOptions {
        radiometry: RadiometryOverrides {
            atmosphere_model: Some(AtmosphereModel::Thermimage),
            ..RadiometryOverrides::default()
        },
        ..DecodeOptions::default()
    }
}

/// A file of `fixtures/real/`.
pub fn real(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/real")
        .join(name)
}

/// A file of `../shared/samples/`; panics, naming the folder, when it is absent.
pub fn shared_sample(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples")
        .join(name);
    assert!(
        path.exists(),
        "{} is absent: this test needs the project's shared samples beside the checkout",
        path.display()
    );
    path
}

/// The truth.json entry of a file kept in `fixtures/real/`.
pub fn real_truth(file: &str) -> Value {
    truth_entry(&real("truth.json"), file)
}

/// The truth.json entry of a file in `../shared/samples/`.
pub fn shared_truth(file: &str) -> Value {
    truth_entry(&shared_sample("truth.json"), file)
}

fn truth_entry(path: &std::path::Path, file: &str) -> Value {
    let all: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let entry = all["files"][file].clone();
    assert!(
        !entry.is_null(),
        "{} has no entry for {file}",
        path.display()
    );
    entry
}
