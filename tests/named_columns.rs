//! Every column of a lab's own layout can be named (issue #26): a date
//! column and a clock column read together, the sweep label and the
//! set-point, so drift, order effect and set-point grouping are not lost
//! when the file is not in the readings.csv layout.

use std::fmt::Write as _;
use std::fs;

use assert_cmd::Command;

/// A controller export: day-first local dates (Brussels, CET in January),
/// set-points 35.0 … 38.5 by 0.5 °C up then down, the reference read back a
/// few hundredths off, the device 0.1 °C high.
fn export() -> String {
    let mut csv = String::from("Datum;Uhrzeit;Soll;Ist;Anzeige;Richtung\n");
    let setpoints: Vec<f64> = (0..8).map(|k| 35.0 + 0.5 * k as f64).collect();
    let order = setpoints
        .iter()
        .map(|s| (s, "auf"))
        .chain(setpoints.iter().rev().map(|s| (s, "ab")));
    for (minute, (setpoint, direction)) in order.enumerate() {
        let wobble = [0.02, -0.01, 0.03, -0.02][minute % 4];
        writeln!(
            csv,
            "05.01.2026;10:{minute:02}:00;{};{};{};{direction}",
            format!("{setpoint:.2}").replace('.', ","),
            format!("{:.2}", setpoint + wobble).replace('.', ","),
            format!("{:.1}", setpoint + 0.1).replace('.', ",")
        )
        .unwrap();
    }
    csv
}

#[test]
fn date_clock_sweep_and_setpoint_columns_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    fs::write(&csv, export()).unwrap();
    let out = dir.path().join("out");
    Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(&csv)
        .args([
            "--reference",
            "Ist",
            "--reported",
            "Anzeige",
            "--setpoint",
            "Soll",
        ])
        .args([
            "--date", "Datum", "--clock", "Uhrzeit", "--sweep", "Richtung",
        ])
        .args([
            "--time-format",
            "%d.%m.%Y %H:%M:%S",
            "--time-zone",
            "Europe/Brussels",
        ])
        .args(["-q", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    // 05.01.2026 10:00 read in Brussels: CET, +01:00.
    assert_eq!(json["session"]["first_time"], "2026-01-05T10:00:00+01:00");
    assert_eq!(json["session"]["last_time"], "2026-01-05T10:15:00+01:00");
    // Eight set-points, each read going up and coming down: eight steps of two.
    let steps = json["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 8);
    assert!(steps
        .iter()
        .all(|s| s["n"] == 2 && s["setpoint_c"].is_number()));
    assert_eq!(json["session"]["counts"]["sweeps"], 2);
    // The step table shows each set-point beside the reference measured at
    // it: 35.00 °C read back at 35.02 going up and 34.98 coming down.
    let markdown = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        markdown.contains("| set-point °C | reference mean °C | n |"),
        "{markdown}"
    );
    assert!(markdown.contains("| 35.00 | 35.00 | 2 |"), "{markdown}");
    // The order-effect detector ran: it has two sweeps to compare.
    let ran: Vec<&str> = json["detectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d.as_str())
        .collect();
    assert!(ran.contains(&"order_effect"), "{ran:?}");
}

#[test]
fn a_date_without_its_clock_is_refused_by_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    fs::write(&csv, export()).unwrap();
    Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("analyze")
        .arg(&csv)
        .args([
            "--reference",
            "Ist",
            "--reported",
            "Anzeige",
            "--date",
            "Datum",
        ])
        .assert()
        .code(2);
}

#[test]
fn session_toml_names_the_columns_as_the_command_line_does() {
    // The same export in a session folder, its columns named once in
    // session.toml's [columns] (with the time layout in [time]): the same
    // observations as naming them on the command line.
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fs::create_dir(&session).unwrap();
    // A title row above the header: header_row = 2.
    fs::write(
        session.join("export.csv"),
        format!("Kalibrierlauf 5. Januar;;;;;\n{}", export()),
    )
    .unwrap();
    fs::write(
        session.join("session.toml"),
        "[columns]\nfile = \"export.csv\"\nheader_row = 2\nreference = \"Ist\"\n\
         reported = \"Anzeige\"\nsetpoint = \"Soll\"\ndate = \"Datum\"\nclock = \"Uhrzeit\"\n\
         sweep = \"Richtung\"\n[time]\nformat = \"%d.%m.%Y %H:%M:%S\"\nzone = \"Europe/Brussels\"\n",
    )
    .unwrap();
    let from_manifest = fevercheck::session::Session::load(&session).unwrap();
    let csv = dir.path().join("export.csv");
    fs::write(&csv, export()).unwrap();
    let spec = fevercheck::session::ColumnSpec {
        reference: "Ist".into(),
        reported: vec!["Anzeige".into()],
        when: fevercheck::session::WhenColumns {
            time: None,
            date: Some("Datum".into()),
            clock: Some("Uhrzeit".into()),
        },
        sweep: Some("Richtung".into()),
        setpoint: Some("Soll".into()),
        ..fevercheck::session::ColumnSpec::default()
    };
    let options = fevercheck::session::LoadOptions {
        time: fevercheck::model::TimeSettings {
            format: Some("%d.%m.%Y %H:%M:%S".into()),
            zone: Some("Europe/Brussels".into()),
        },
        ..Default::default()
    };
    let from_options =
        fevercheck::session::Session::load_named_columns_with(&csv, &spec, None, &options).unwrap();
    assert_eq!(from_manifest.observations.len(), 16);
    for (a, b) in from_manifest
        .observations
        .iter()
        .zip(&from_options.observations)
    {
        assert_eq!(
            (
                a.line,
                a.reference_c,
                a.reported_c,
                a.setpoint_c,
                a.time,
                &a.sweep
            ),
            (
                b.line + 1,
                b.reference_c,
                b.reported_c,
                b.setpoint_c,
                b.time,
                &b.sweep
            )
        );
    }

    // A unit that is neither C nor F, and a table that is not there, are
    // errors naming session.toml or the table.
    let manifest = fs::read_to_string(session.join("session.toml")).unwrap();
    fs::write(
        session.join("session.toml"),
        manifest.replace("header_row = 2", "header_row = 2\nunit = \"K\""),
    )
    .unwrap();
    let err = fevercheck::session::Session::load(&session)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("session.toml") && err.contains("`columns.unit`"),
        "{err}"
    );
    fs::write(
        session.join("session.toml"),
        manifest.replace("export.csv", "missing.csv"),
    )
    .unwrap();
    let err = fevercheck::session::Session::load(&session)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("missing.csv") && err.contains("no such file"),
        "{err}"
    );
}
