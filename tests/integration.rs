//! fevercheck's integration tests, one module per concern, linked as one
//! test binary (a binary per file linked the whole workspace once per file).
//! The memory bounds (tests/memory_bounds.rs) are a binary of their own:
//! they measure children whose peak memory counts this process's.
//! Run one concern with a filter: `cargo test --test integration
//! calibration::`.

mod common;
#[path = "../fuzz/harness/mod.rs"]
mod fuzz_harness;

mod accuracy_detectors;
mod ambient;
mod architecture;
mod calibration;
mod chart_layout;
mod charts;
mod cli;
mod clinical;
mod compare;
mod convert_round_trip;
mod corrupt_files;
mod declared_transfer;
mod detectors;
mod documentation;
mod documented_outputs;
mod encodings;
mod european_locale;
mod fda_clinical_csv;
mod fixtures;
mod fleet_audit;
mod flir_tools_validation;
mod formats_truth;
mod frame_sessions;
mod fuzz_corpus;
mod hostile_text;
mod html_in_browser;
mod interrupted_runs;
mod lab_record;
mod missing_values;
mod named_columns;
mod no_panic_on_any_input;
mod output_integrity;
mod simulated_sweeps;
mod step_grouping;
mod two_logs;
mod uncertainty_decision;
mod workbooks;
