//! The room temperature of each reading (`ambient_c`, `--ambient COL`,
//! `[columns] ambient`): the report gives the slope of the error on the
//! ambient with the reference held fixed, checked against statsmodels.

use std::fmt::Write as _;
use std::fs;

use assert_cmd::Command;

/// Eleven readings whose errors follow the room (statsmodels 0.15, OLS of
/// the error on [1, reference, ambient]: slope 0.13841022161917693, 95 % CI
/// 0.1166437 to 0.16017674).
const REFERENCE: [f64; 11] = [
    35.0, 35.5, 36.0, 36.5, 37.0, 37.5, 38.0, 38.5, 39.0, 39.5, 40.0,
];
const AMBIENT: [f64; 11] = [
    21.0, 21.4, 22.1, 22.3, 23.0, 22.6, 21.8, 21.2, 20.9, 21.5, 22.4,
];
const ERROR: [f64; 11] = [
    0.05, 0.12, 0.20, 0.18, 0.31, 0.22, 0.10, 0.02, -0.05, 0.08, 0.16,
];

fn table(header: &str) -> String {
    let mut csv = format!("{header}\n");
    for i in 0..11 {
        writeln!(
            csv,
            "{:.2},{:.2},{:.1}",
            REFERENCE[i],
            REFERENCE[i] + ERROR[i],
            AMBIENT[i]
        )
        .unwrap();
    }
    csv
}

fn ambient_of(report: &std::path::Path) -> serde_json::Value {
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(report.join("report.json")).unwrap()).unwrap();
    json["accuracy"]["reported"]["ambient"].clone()
}

#[test]
fn the_error_on_the_room_temperature_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fs::create_dir(&session).unwrap();
    fs::write(
        session.join("readings.csv"),
        table("reference_c,reported_c,ambient_c"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(&session)
        .args(["-q", "--plots", "none", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_ne!(run.status.code(), Some(2), "{run:?}");
    let ambient = ambient_of(&out);
    let slope = ambient["slope"].as_f64().unwrap();
    assert!((slope - 0.138_410_221_619_176_93).abs() < 1e-9, "{ambient}");
    assert!((ambient["slope_ci"]["low"].as_f64().unwrap() - 0.116_643_7).abs() < 1e-6);
    assert!((ambient["slope_ci"]["high"].as_f64().unwrap() - 0.160_176_74).abs() < 1e-6);
    assert_eq!(ambient["n"], 11);
    assert_eq!(ambient["min_c"], 20.9);
    assert_eq!(ambient["max_c"], 23.0);
    let markdown = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        markdown.contains("| error per °C of room temperature (reference held fixed) | 0.138 (95 % CI 0.117 to 0.160; room 20.9–23.0 °C, n = 11) |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| ambient °C |"),
        "the appendix has the room temperature"
    );

    // The same table under its own names, the column named on the command
    // line.
    let csv = dir.path().join("lab.csv");
    fs::write(&csv, table("Blackbody,Display,Room")).unwrap();
    let out = dir.path().join("named");
    let run = Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(&csv)
        .args([
            "--reference",
            "Blackbody",
            "--reported",
            "Display",
            "--ambient",
            "Room",
        ])
        .args(["-q", "--plots", "none", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_ne!(run.status.code(), Some(2), "{run:?}");
    assert_eq!(ambient_of(&out)["slope"].as_f64().unwrap(), slope);
}

#[test]
fn a_room_held_steady_gives_no_slope() {
    // Within 1 °C the room cannot show how the device follows it.
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fs::create_dir(&session).unwrap();
    let mut csv = String::from("reference_c,reported_c,ambient_c\n");
    for i in 0..11 {
        writeln!(
            csv,
            "{:.2},{:.2},{:.1}",
            REFERENCE[i],
            REFERENCE[i] + ERROR[i],
            22.0 + 0.08 * i as f64
        )
        .unwrap();
    }
    fs::write(session.join("readings.csv"), csv).unwrap();
    let out = dir.path().join("out");
    let run = Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(&session)
        .args(["-q", "--plots", "none", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_ne!(run.status.code(), Some(2), "{run:?}");
    assert!(ambient_of(&out).is_null());
}
