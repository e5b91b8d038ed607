//! readings.csv, named-column tables and session.toml on arbitrary text,
//! and the analysis of whatever they accept.
#![no_main]

use std::path::Path;

use fevercheck::analyze;
use fevercheck::session::{
    readings_from_named_columns, readings_from_table, ColumnSpec, CsvTable, Manifest, Session,
};
use fevercheck::units::TemperatureUnit;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Manifest::parse(text, Path::new("session.toml"));
    if let Ok(table) = CsvTable::parse(text, Path::new("readings.csv"), 1) {
        if let Ok(readings) = readings_from_table(&table) {
            let session = Session {
                path: "fuzz".into(),
                name: "fuzz".into(),
                manifest: Manifest::default(),
                observations: readings
                    .observations
                    .into_iter()
                    .filter(|o| o.frame.is_none())
                    .collect(),
                warnings: readings.warnings,
                excluded: Vec::new(),
            };
            let _ = analyze(&session);
        }
        let spec = ColumnSpec {
            reference: "a".into(),
            reported: vec!["b".into(), "c".into()],
            subject: Some("d".into()),
            header_row: 1,
            unit: TemperatureUnit::Celsius,
        };
        let _ = readings_from_named_columns(&table, &spec);
    }
});
