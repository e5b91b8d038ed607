//! The command line end to end: exit codes, outputs and located errors.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::str::contains;

use crate::common;

fn fevercheck() -> Command {
    Command::cargo_bin("fevercheck").unwrap()
}

fn write_session(dir: &Path, readings: &str, manifest: Option<&str>) {
    fs::create_dir_all(dir).unwrap();
    fs::write(dir.join("readings.csv"), readings).unwrap();
    if let Some(manifest) = manifest {
        fs::write(dir.join("session.toml"), manifest).unwrap();
    }
}

/// Readings of three steps, 36–38 °C, each within 0.1 °C.
const THREE_STEPS: &str = "reference_c,reported_c\n36.0,36.1\n37.0,36.9\n38.0,38.0\n";

#[test]
fn demo_writes_reports_for_an_honest_and_a_compressing_camera() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    fevercheck()
        .args(["demo", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("honest camera").and(contains("compressing camera")));
    for camera in ["honest-camera", "compressing-camera"] {
        let report = out.join(camera).join("fevercheck-report");
        let json: serde_json::Value =
            serde_json::from_slice(&fs::read(report.join("report.json")).unwrap()).unwrap();
        assert_eq!(json["schema"], "fevercheck.report/1");
        assert!(fs::read_to_string(report.join("report.md"))
            .unwrap()
            .starts_with("# fevercheck report"));
    }
    let honest: serde_json::Value = serde_json::from_slice(
        &fs::read(out.join("honest-camera/fevercheck-report/report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(honest["verdict"]["accuracy_pass"], true);
    assert_eq!(honest["verdict"]["manipulation_suspected"], false);
    let compressing: serde_json::Value = serde_json::from_slice(
        &fs::read(out.join("compressing-camera/fevercheck-report/report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(compressing["verdict"]["accuracy_pass"], false);
    assert_eq!(compressing["verdict"]["manipulation_suspected"], true);
    let compression = compressing["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["detector"] == "compression")
        .expect("the compressing camera is flagged by the compression detector");
    assert_eq!(compression["severity"], "manipulation");
    assert!(compression["evidence"]["slope"].as_f64().unwrap() < 0.3);
}

use predicates::prelude::PredicateBooleanExt;

#[test]
fn analyze_exits_0_for_an_accurate_device_and_1_for_an_inaccurate_one() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    write_session(
        &good,
        // Each step read twice: the repeatability is then measured (one
        // reading per step takes it from the scatter about a line, which
        // four steps leave too uncertain to decide).
        "reference_c,reported_c\n36.0,36.1\n36.0,36.1\n37.0,36.9\n37.0,36.9\n38.0,38.0\n\
         38.0,38.0\n39.0,39.1\n39.0,39.1\n",
        None,
    );
    fevercheck()
        .arg("analyze")
        .arg(&good)
        .assert()
        .code(0)
        .stdout(contains("accuracy PASS"));
    assert!(good.join("fevercheck-report/report.json").exists());

    let offset = dir.path().join("offset");
    write_session(
        &offset,
        "reference_c,reported_c\n36.0,35.1\n37.0,36.1\n38.0,37.1\n39.0,38.1\n",
        Some("[device]\nstated_accuracy_c = 0.3\n"),
    );
    fevercheck()
        .arg("analyze")
        .arg(&offset)
        .assert()
        .code(1)
        .stdout(contains("a calibration error, not a manipulation"));
}

#[test]
fn analyze_writes_to_out_and_reads_named_columns() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    fs::write(&csv, "exported by X\nid;oral;ir1;ir2\na;37,0;x;y\n").unwrap();
    // Decimal commas in a semicolon file are read; text is a located error.
    fevercheck()
        .args(["analyze"])
        .arg(&csv)
        .args([
            "--reference",
            "oral",
            "--reported",
            "ir1,ir2",
            "--header-row",
            "2",
        ])
        .assert()
        .code(2)
        .stderr(contains("line 3, column 3 (ir1)").and(contains("`x` is not a number")));
    fs::write(
        &csv,
        "exported by X\nid;oral;ir1;ir2\na;37.0;36.5;36.7\nb;38.0;37.6;\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    fevercheck()
        .args(["analyze"])
        .arg(&csv)
        .args([
            "--reference",
            "oral",
            "--reported",
            "ir1,ir2",
            "--subject",
            "id",
            "--header-row",
            "2",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(0)
        .stdout(contains("1 observation(s) skipped"));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["accuracy"]["reported"]["n"], 3);
}

#[test]
fn broken_sessions_exit_2_with_located_messages() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str, Option<&str>, &str); 9] = [
        ("empty", "", None, "readings.csv: the file is empty"),
        (
            "no-reference",
            "ref,reported_c\n36,36\n",
            None,
            "no `reference_c`",
        ),
        (
            "not-a-number",
            "reference_c,reported_c\n36,36\n37,warm\n",
            None,
            "line 3, column 2 (reported_c): `warm` is not a number",
        ),
        (
            "infinite",
            "reference_c,reported_c\n36,inf\n",
            None,
            "not a finite number",
        ),
        (
            "duplicate",
            "reference_c,reported_c,reported_c\n36,36,36\n",
            None,
            "appears twice",
        ),
        (
            "short-row",
            "reference_c,reported_c\n36\n",
            None,
            "line 2: the row has 1 fields",
        ),
        (
            "bad-toml",
            "reference_c,reported_c\n36,36\n",
            Some("[device\n"),
            "session.toml, line 1: column 8",
        ),
        (
            "bad-accuracy",
            "reference_c,reported_c\n36,36\n",
            Some("[device]\nstated_accuracy_c = 0\n"),
            "stated_accuracy_c",
        ),
        (
            "not-utf8",
            "reference_c,reported_c\n36,\u{0}\u{0}",
            None,
            "not a number",
        ),
    ];
    for (name, readings, manifest, expected) in cases {
        let session = dir.path().join(name);
        write_session(&session, readings, manifest);
        fevercheck()
            .arg("analyze")
            .arg(&session)
            .assert()
            .code(2)
            .stderr(contains(expected));
    }
    let binary = dir.path().join("binary");
    fs::create_dir_all(&binary).unwrap();
    // A PNG signature: not text in any encoding read (a NUL at byte 4).
    fs::write(
        binary.join("readings.csv"),
        [0x89, b'P', b'N', b'G', 0x00, 0x41],
    )
    .unwrap();
    fevercheck()
        .arg("analyze")
        .arg(&binary)
        .assert()
        .code(2)
        .stderr(contains("byte offset 4: a NUL byte"));
    fevercheck()
        .arg("analyze")
        .arg(dir.path().join("absent"))
        .assert()
        .code(2)
        .stderr(contains("no readings.csv"));
}

#[test]
fn unknown_manifest_keys_and_a_unit_slip_are_refused_or_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("warn");
    write_session(
        &session,
        "reference_c,reported_c\n36.0,36.0\n37.0,37.0\n98.6,37.1\n38.0,38.1\n",
        Some("[device]\nstated_acuracy_c = 0.3\n"),
    );
    // A misspelt key would judge against the default accuracy: exit 2, its
    // line and the key meant, and the flag for a newer file's keys.
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .assert()
        .code(2)
        .stderr(
            contains("session.toml: line 2: unknown key `device.stated_acuracy_c`")
                .and(contains("did you mean `stated_accuracy_c`?"))
                .and(contains("--allow-unknown-keys")),
        );
    // A °F reference among °C ones is a mistake in the file: exit 2, the
    // line, the value and what to do — never a finding about the device.
    fevercheck()
        .args(["analyze", "--allow-unknown-keys"])
        .arg(&session)
        .assert()
        .code(2)
        .stderr(
            contains("line 4, column reference_c")
                .and(contains("98.6 is a body temperature in °F"))
                .and(contains("--exclude-outliers")),
        );
    fevercheck()
        .args(["analyze", "--allow-unknown-keys", "--exclude-outliers"])
        .arg(&session)
        .assert()
        .code(0)
        .stdout(
            contains("unknown key `device.stated_acuracy_c`")
                .and(contains("left out: line 4, reference_c")),
        );
    let report: serde_json::Value =
        serde_json::from_slice(&fs::read(session.join("fevercheck-report/report.json")).unwrap())
            .unwrap();
    assert_eq!(report["session"]["excluded"][0]["line"], 4);
    assert_eq!(report["accuracy"]["reported"]["n"], 3);
    let markdown = fs::read_to_string(session.join("fevercheck-report/report.md")).unwrap();
    let verdict_at = markdown.find("## Verdict").unwrap();
    let left_out_at = markdown.find("## Values left out").unwrap();
    let findings_at = markdown.find("## Findings").unwrap();
    assert!(verdict_at < left_out_at && left_out_at < findings_at);
}

#[test]
fn simulate_writes_a_session_that_analyze_reads() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("sim");
    fevercheck()
        .args([
            "simulate",
            "--model",
            "clamping",
            "--fahrenheit",
            "--repeats",
            "1",
            "--sweeps",
            "up,down",
            "--seed",
            "4",
            "--out",
        ])
        .arg(&session)
        .assert()
        .success();
    let readings = fs::read_to_string(session.join("readings.csv")).unwrap();
    assert!(readings.starts_with("time,reference_c,reported_f,sweep\n"));
    assert_eq!(readings.lines().count(), 1 + 42);
    // A second run without --force must not replace it.
    fevercheck()
        .args(["simulate", "--out"])
        .arg(&session)
        .assert()
        .code(2)
        .stderr(contains("--force"));
    fevercheck().arg("analyze").arg(&session).assert().code(1);
}

#[test]
fn check_agrees_with_its_own_report_and_lists_differences() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    write_session(&session, THREE_STEPS, None);
    fevercheck().arg("analyze").arg(&session).assert().code(0);
    let expected = session.join("fevercheck-report/report.json");
    fevercheck()
        .arg("check")
        .arg(&session)
        .arg("--expected")
        .arg(&expected)
        .assert()
        .code(0);
    let mut json: serde_json::Value =
        serde_json::from_slice(&fs::read(&expected).unwrap()).unwrap();
    json["accuracy"]["reported"]["bias_c"] = serde_json::json!(0.5);
    json["verdict"]["accuracy_pass"] = serde_json::json!(false);
    let edited = dir.path().join("edited.json");
    fs::write(&edited, serde_json::to_vec(&json).unwrap()).unwrap();
    fevercheck()
        .arg("check")
        .arg(&session)
        .arg("--expected")
        .arg(&edited)
        .assert()
        .code(1)
        .stdout(
            contains("/accuracy/reported/bias_c: expected 0.5")
                .and(contains("/verdict/accuracy_pass")),
        );
    fs::write(&edited, "{ not json").unwrap();
    fevercheck()
        .arg("check")
        .arg(&session)
        .arg("--expected")
        .arg(&edited)
        .assert()
        .code(2)
        .stderr(contains("edited.json, line 1: column 3: not a JSON report"));
}

#[test]
fn inspect_gives_the_documented_json_keys_and_exit_codes() {
    let sample = common::real("flir_e40.jpg");
    let truth = common::real_truth("flir_e40.jpg");
    // truth.json's values are Thermimage's formula.
    let output = fevercheck()
        .args(["inspect", "--json", "--atmosphere-model", "thermimage"])
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["format"], "flir_rjpeg");
    assert_eq!(json["frames"], 1);
    assert_eq!(
        (json["width"].as_u64(), json["height"].as_u64()),
        (truth["width"].as_u64(), truth["height"].as_u64())
    );
    assert_eq!(json["camera"]["model"], truth["camera_model"]);
    assert_eq!(json["radiometry"]["atmosphere_model"], "thermimage");
    assert_eq!(json["calibrated_range"]["outside_shown_as"], "nan");
    assert_eq!(json["stats"][0]["outside_range"], 0);
    for key in [
        "emissivity",
        "reflected_c",
        "atmospheric_c",
        "distance_m",
        "relative_humidity",
    ] {
        assert!(json["radiometry"][key].is_number(), "{key}");
    }
    for key in ["r1", "b", "f", "o", "r2"] {
        assert!(
            json["radiometry"]["planck"][key].is_number(),
            "planck {key}"
        );
    }
    let stats = &json["stats"][0];
    assert_eq!(stats["frame"], 0);
    let centre = truth["celsius"]["at_centre"].as_f64().unwrap();
    assert!((stats["centre_c"].as_f64().unwrap() - centre).abs() < 0.01);
    assert_eq!(stats["nan"], 0);
    // A lower emissivity makes a warm scene warmer.
    let warmer = fevercheck()
        .args(["inspect", "--json", "--atmosphere-model", "thermimage"])
        .args(["--emissivity", "0.5"])
        .arg(&sample)
        .output()
        .unwrap();
    let warmer: serde_json::Value = serde_json::from_slice(&warmer.stdout).unwrap();
    assert_eq!(warmer["radiometry"]["emissivity"], 0.5);
    assert!(warmer["stats"][0]["max_c"].as_f64().unwrap() > stats["max_c"].as_f64().unwrap() + 1.0);
    // A refused file: exit 2, the reason in the report.
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("holiday.jpg");
    fs::write(&plain, [0xFF, 0xD8, 0xFF, 0xD9]).unwrap();
    fevercheck()
        .arg("inspect")
        .arg(&plain)
        .assert()
        .code(2)
        .stdout(contains("holiday.jpg"));
}

#[test]
fn convert_refuses_a_frame_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("m.csv");
    fs::write(&csv, "1,2\n3,4\n").unwrap();
    fevercheck()
        .arg("convert")
        .arg(&csv)
        .args(["--to", "npy", "--frame", "3", "--out"])
        .arg(dir.path().join("m.npy"))
        .assert()
        .code(2)
        .stderr(contains("frame 3 does not exist"));
    assert!(!dir.path().join("m.npy").exists(), "no half-written output");
}

#[test]
fn analyze_writes_html_and_the_chosen_chart_files() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fevercheck()
        .args(["simulate", "--model", "clamping", "--out"])
        .arg(&session)
        .assert()
        .success();
    for (plots, svg, png) in [
        ("svg", true, false),
        ("png", false, true),
        ("none", false, false),
        ("both", true, true),
    ] {
        let out = dir.path().join(format!("out-{plots}"));
        fevercheck()
            .arg("analyze")
            .arg(&session)
            .args(["--plots", plots, "--quiet", "--out"])
            .arg(&out)
            .assert()
            .code(1);
        assert!(
            out.join("report.html").exists()
                && out.join("report.md").exists()
                && out.join("report.json").exists()
        );
        assert_eq!(out.join("plots/transfer.svg").exists(), svg, "{plots}");
        assert_eq!(out.join("plots/transfer.png").exists(), png, "{plots}");
    }
}

#[test]
fn analyze_refuses_an_output_folder_holding_other_files_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    write_session(&session, THREE_STEPS, None);
    let out = dir.path().join("thesis");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("chapter1.docx"), "precious").unwrap();
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(
            contains("refusing to write into")
                .and(contains("chapter1.docx"))
                .and(contains("--force")),
        );
    assert!(!out.join("report.json").exists());
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .arg("--out")
        .arg(&out)
        .arg("--force")
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(out.join("chapter1.docx")).unwrap(),
        "precious"
    );
    // The default folder is fevercheck's own: a second run replaces its report.
    fevercheck().arg("analyze").arg(&session).assert().code(0);
    fevercheck().arg("analyze").arg(&session).assert().code(0);
    assert!(session
        .join("fevercheck-report/.fevercheck-output")
        .exists());
}

#[test]
fn a_report_folder_is_replaced_whole_and_a_folder_with_user_files_file_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    write_session(&session, THREE_STEPS, None);
    let out = dir.path().join("report");
    let analyze = |plots: &str, force: bool| {
        let mut command = fevercheck();
        command.arg("analyze").arg(&session).arg("--out").arg(&out);
        command.args(["--plots", plots, "--quiet"]);
        if force {
            command.arg("--force");
        }
        command.assert().code(0);
    };
    analyze("png", false);
    assert!(out.join("plots/transfer.png").exists());
    // The second run's folder replaces the first's: its charts went with it,
    // the marker lists only what the second run wrote, and nothing is left
    // beside the folder.
    analyze("none", false);
    assert!(!out.join("plots").exists(), "the old charts stayed");
    let marker = fs::read_to_string(out.join(".fevercheck-output")).unwrap();
    assert!(!marker.contains("plots/"), "{marker}");
    assert!(marker.contains("report.json"), "{marker}");
    let beside: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let before = fs::metadata(&out).unwrap().ino();
        analyze("none", false);
        assert_ne!(fs::metadata(&out).unwrap().ino(), before, "not swapped");
        // A user's file kept with --force: the folder is written into, file
        // by file, and the file stays where it is.
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let before = fs::metadata(&out).unwrap().ino();
        analyze("svg", true);
        assert_eq!(fs::metadata(&out).unwrap().ino(), before);
        assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
        assert!(out.join("plots/transfer.svg").exists());
    }
    // `--out .` swaps the folder the run stands in, by its real path.
    let _ = fs::remove_file(out.join("notes.txt"));
    fevercheck()
        .current_dir(&out)
        .args(["analyze", "../s", "--out", ".", "--quiet"])
        .assert()
        .code(0);
    assert!(out.join("report.json").exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn every_bad_row_of_a_readings_file_is_reported_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    write_session(
        &session,
        "reference_c,reported_c\n36.0,36.1\n36.5,abc\n37.0,37.1\nxx,37.2\n38.0,\n38.5,1e999\n",
        None,
    );
    let assert = fevercheck()
        .arg("analyze")
        .arg(&session)
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    // Line 6's empty reported cell is missing data, not an error (left out
    // with a warning when the file is otherwise readable).
    assert!(stderr.contains("3 rows cannot be read"), "{stderr}");
    for place in [
        "line 3, column 2 (reported_c): `abc`",
        "line 5, column 1 (reference_c): `xx`",
        "line 7, column 2 (reported_c): `1e999`",
    ] {
        assert!(stderr.contains(place), "{place:?} missing: {stderr}");
    }
    assert!(!dir.path().join("out").exists());
}

/// A session of three readings a step from 35 to 39 °C, 0.05 °C above the
/// reference, judged against ±0.3 °C with an exact reference.
fn steady_session(dir: &Path) -> String {
    let mut csv = String::from("reference_c,reported_c\n");
    for step in 0..9 {
        let reference = 35.0 + 0.5 * step as f64;
        for _ in 0..3 {
            csv.push_str(&format!("{reference:.1},{:.2}\n", reference + 0.05));
        }
    }
    write_session(
        dir,
        &csv,
        Some("[device]\nstated_accuracy_c = 0.3\n[reference]\nuncertainty_c = 0.0\n"),
    );
    csv
}

#[test]
fn check_lists_a_flipped_decision_first_and_the_changed_row_by_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    let csv = steady_session(&session);
    fevercheck().arg("analyze").arg(&session).assert().code(0);
    let expected = session.join("fevercheck-report/report.json");
    // Line 14 (the 37.0 °C step's first reading) typed 38.05 instead of
    // 37.05: the step mean moves 0.33 °C, past the ±0.3 °C claim, and the
    // scatter it adds leaves the decision no longer a pass.
    let changed = csv.replacen("37.0,37.05", "37.0,38.05", 1);
    assert_ne!(changed, csv);
    fs::write(session.join("readings.csv"), changed).unwrap();
    let output = fevercheck()
        .arg("check")
        .arg(&session)
        .arg("--expected")
        .arg(&expected)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing from:\n{text}"))
    };
    assert!(at("Verdict and decisions") < at("Findings added"));
    assert!(at("Findings added") < at("Input rows"));
    assert!(at("Input rows") < at("Statistics"));
    assert!(
        text.contains("/accuracy/reported/decision: expected \"pass\""),
        "{text}"
    );
    assert!(
        text.contains("line 14, reported_c: expected 37.05, got 38.05"),
        "{text}"
    );
    // For machines: every difference, sorted the same way.
    let output = fevercheck()
        .arg("check")
        .arg(&session)
        .arg("--expected")
        .arg(&expected)
        .arg("--json")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(json["agrees"], false);
    assert!(json["differences"]["observations"][0]["pointer"]
        .as_str()
        .unwrap()
        .starts_with("/observations/line 14"));
    assert!(!json["differences"]["verdict"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn convert_never_replaces_a_file_unless_forced_and_never_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("e40.jpg");
    fs::copy(common::real("flir_e40.jpg"), &input).unwrap();
    let original = fs::read(&input).unwrap();
    let convert = |out: &Path, extra: &[&str]| {
        let mut command = fevercheck();
        command
            .arg("convert")
            .arg(&input)
            .args(["--to", "csv", "--out"])
            .arg(out)
            .args(extra);
        command.assert()
    };
    let out = dir.path().join("new/folder/e40.csv");
    convert(&out, &[]).code(0);
    assert!(out.is_file(), "the missing folders are created");
    convert(&out, &[])
        .code(2)
        .stderr(contains("the file exists; add --force to replace it"));
    convert(&out, &["--force"]).code(0);
    convert(&input, &["--force"])
        .code(2)
        .stderr(contains("it is the file being converted"));
    assert_eq!(
        fs::read(&input).unwrap(),
        original,
        "the input is untouched"
    );
}

#[test]
fn every_command_that_produces_results_speaks_json_or_keeps_quiet() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    steady_session(&session);
    let report = session.join("fevercheck-report/report.json");
    let frame = common::real("flir_e40.jpg");
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["analyze".into(), session.clone().into(), "--force".into()],
        vec![
            "check".into(),
            session.clone().into(),
            "--expected".into(),
            report.clone().into(),
        ],
        vec![
            "simulate".into(),
            "--out".into(),
            dir.path().join("sim").into(),
            "--force".into(),
        ],
        vec![
            "compare".into(),
            session.clone().into(),
            "--out".into(),
            dir.path().join("cmp").into(),
            "--force".into(),
        ],
        vec!["inspect".into(), frame.clone().into()],
        vec![
            "convert".into(),
            frame.into(),
            "--to".into(),
            "npy".into(),
            "--out".into(),
            dir.path().join("f.npy").into(),
            "--force".into(),
        ],
        vec![
            "demo".into(),
            "--out".into(),
            dir.path().join("demo").into(),
        ],
    ];
    for args in runs {
        let quiet = fevercheck()
            .args(&args)
            .arg("--quiet")
            .assert()
            .get_output()
            .clone();
        assert!(
            quiet.stdout.is_empty(),
            "{args:?} --quiet printed {:?}",
            String::from_utf8_lossy(&quiet.stdout)
        );
        assert!(
            quiet.status.code().is_some_and(|c| c < 2),
            "{args:?}: {:?}",
            String::from_utf8_lossy(&quiet.stderr)
        );
        let json = fevercheck()
            .args(&args)
            .arg("--json")
            .assert()
            .get_output()
            .clone();
        let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&json.stdout);
        assert!(
            parsed.is_ok(),
            "{args:?} --json printed {:?}",
            String::from_utf8_lossy(&json.stdout)
        );
    }
}

#[test]
fn radiometry_options_are_refused_where_they_cannot_apply_never_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("frames");
    fevercheck()
        .args([
            "simulate", "--model", "honest", "--steps", "5", "--frames", "npy", "--out",
        ])
        .arg(&session)
        .assert()
        .code(0);
    // .npy frames hold °C already: an emissivity cannot be applied to them.
    for command in ["analyze", "check"] {
        let mut run = fevercheck();
        run.arg(command)
            .arg(&session)
            .args(["--emissivity", "0.95"]);
        if command == "check" {
            run.arg("--expected").arg(dir.path().join("absent.json"));
        }
        let assert = run.assert().code(2);
        if command == "analyze" {
            assert.stderr(contains(
                "--emissivity (or [radiometry] in session.toml) cannot apply",
            ));
        } else {
            // Accepted as analyze accepts it (it then stops at the absent report).
            assert.stderr(contains("cannot read").and(contains("absent.json")));
        }
    }
    // FLIR raw counts take it, in every command that reads frames.
    let flir = common::real("flir_e40.jpg");
    fevercheck()
        .args(["inspect", "--emissivity", "0.95"])
        .arg(&flir)
        .assert()
        .code(0);
    fevercheck()
        .args(["convert", "--to", "csv", "--emissivity", "0.95", "--out"])
        .arg(dir.path().join("e40.csv"))
        .arg(&flir)
        .assert()
        .code(0);
    let npy = std::fs::read_dir(session.join("frames"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    fevercheck()
        .args(["inspect", "--reflected", "20"])
        .arg(&npy)
        .assert()
        .code(2)
        .stdout(contains("--reflected"));
}

#[test]
fn every_subcommand_shows_examples_and_the_shells_get_completions() {
    for command in [
        "analyze",
        "simulate",
        "demo",
        "check",
        "inspect",
        "convert",
        "compare",
        "completions",
    ] {
        fevercheck()
            .args([command, "--help"])
            .assert()
            .code(0)
            .stdout(
                contains("Examples:\n  fevercheck ").and(contains(format!("fevercheck {command}"))),
            );
    }
    for shell in ["bash", "zsh", "fish"] {
        fevercheck()
            .args(["completions", shell])
            .assert()
            .code(0)
            .stdout(contains("analyze").and(contains("emissivity")));
    }
}

#[test]
fn inspect_text_shows_constants_as_stored_limits_and_capture_time() {
    // exiftool reports this E40's Planck B as 1395.7 and O as -5859, the
    // capture at 2013:04:12 09:24:01.131-01:00.
    fevercheck()
        .arg("inspect")
        .arg(common::real("flir_e40.jpg"))
        .assert()
        .code(0)
        .stdout(
            contains("B 1395.7 F 1 O -5859")
                .and(contains("limits: clip -40.00 to 150.00 °C"))
                .and(contains("captured: 2013-04-12T09:24:01.131-01:00")),
        );
}

#[test]
fn no_command_replaces_a_file_it_did_not_write() {
    // The cases of issue #16: a folder of the user's own report files, a
    // user's session.toml where simulate would write, a user's readings in
    // the demo's folder. Each is refused, naming the file, and left as it was.
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    steady_session(&session);
    let mine = dir.path().join("mine");
    fs::create_dir_all(mine.join("plots")).unwrap();
    for name in ["report.md", "report.json", "plots/transfer.png"] {
        fs::write(mine.join(name), "the user's own").unwrap();
    }
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .arg("--out")
        .arg(&mine)
        .assert()
        .code(2)
        .stderr(contains("plots/transfer.png").and(contains("report.md")));
    let simulated = dir.path().join("sim");
    fs::create_dir_all(&simulated).unwrap();
    fs::write(simulated.join("session.toml"), "the user's own").unwrap();
    fevercheck()
        .args(["simulate", "--out"])
        .arg(&simulated)
        .assert()
        .code(2)
        .stderr(contains("session.toml"));
    let demo = dir.path().join("demo");
    fs::create_dir_all(demo.join("honest-camera")).unwrap();
    fs::write(demo.join("honest-camera/readings.csv"), "the user's own").unwrap();
    fevercheck()
        .args(["demo", "--out"])
        .arg(&demo)
        .assert()
        .code(2)
        .stderr(contains("readings.csv"));
    for file in [
        mine.join("report.md"),
        mine.join("report.json"),
        mine.join("plots/transfer.png"),
        simulated.join("session.toml"),
        demo.join("honest-camera/readings.csv"),
    ] {
        assert_eq!(
            fs::read_to_string(&file).unwrap(),
            "the user's own",
            "{}",
            file.display()
        );
    }
    // fevercheck's own unchanged files are replaced by its next run; once
    // the user edits one, that run stops and names it.
    let out = dir.path().join("out");
    for _ in 0..2 {
        fevercheck()
            .arg("analyze")
            .arg(&session)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(0);
    }
    fs::write(out.join("report.md"), "edited").unwrap();
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("changed since it wrote them (report.md)"));
    assert_eq!(fs::read_to_string(out.join("report.md")).unwrap(), "edited");
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_at_once_and_odd_names_do_not_panic() {
    use std::os::unix::ffi::OsStrExt;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let mkfifo = |path: &Path| {
        assert!(std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .unwrap()
            .success());
    };
    // A FIFO as readings.csv, /dev/zero as session.toml, a FIFO as a frame
    // and as an inspected file: each is named and refused within seconds.
    let fifo_session = dir.path().join("fifo");
    fs::create_dir_all(&fifo_session).unwrap();
    mkfifo(&fifo_session.join("readings.csv"));
    let zero_session = dir.path().join("zero");
    steady_session(&zero_session);
    fs::remove_file(zero_session.join("session.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", zero_session.join("session.toml")).unwrap();
    let frame_session = dir.path().join("frame");
    write_session(&frame_session, "reference_c,frame\n36.0,f.npy\n", None);
    mkfifo(&frame_session.join("f.npy"));
    for (session, what) in [
        (&fifo_session, "a named pipe (FIFO)"),
        (&zero_session, "a character device"),
        (&frame_session, "a named pipe (FIFO)"),
    ] {
        // --allow-outside: /dev/zero is outside the folder, and is refused
        // for what it is even when outside paths are allowed.
        fevercheck()
            .arg("analyze")
            .arg(session)
            .arg("--allow-outside")
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(contains(what));
    }
    fevercheck()
        .arg("inspect")
        .arg(frame_session.join("f.npy"))
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stdout(contains("a named pipe (FIFO)"));
    // Folder and file names that are not UTF-8.
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"sess\xff"));
    steady_session(&odd);
    fevercheck()
        .arg("analyze")
        .arg(&odd)
        .arg("--out")
        .arg(dir.path().join(std::ffi::OsStr::from_bytes(b"out\xfe")))
        .assert()
        .code(0);
}

#[test]
fn concurrent_runs_into_one_folder_leave_one_complete_report() {
    // Ten runs of two different sessions into one --out at once: each
    // either writes or is refused because another is writing; the folder
    // ends with report.json and report.md of the same run.
    let dir = tempfile::tempdir().unwrap();
    for (name, offset) in [("alpha", 0.05), ("beta", 0.25)] {
        let mut csv = String::from("reference_c,reported_c\n");
        for step in 0..9 {
            let reference = 35.0 + 0.5 * step as f64;
            csv.push_str(&format!("{reference:.1},{:.2}\n", reference + offset));
        }
        write_session(
            &dir.path().join(name),
            &csv,
            Some(&format!("name = \"{name}\"\n")),
        );
    }
    let out = dir.path().join("out");
    let binary = assert_cmd::cargo::cargo_bin("fevercheck");
    let children: Vec<std::process::Child> = (0..10)
        .map(|i| {
            std::process::Command::new(&binary)
                .arg("analyze")
                .arg(dir.path().join(if i % 2 == 0 { "alpha" } else { "beta" }))
                .arg("--out")
                .arg(&out)
                .arg("--quiet")
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut wrote = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) | Some(1) => wrote += 1,
            Some(2) => assert!(
                stderr.contains("another fevercheck run is writing into it"),
                "{stderr}"
            ),
            other => panic!("exit {other:?}: {stderr}"),
        }
    }
    assert!(wrote >= 1);
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    let name = json["session"]["name"].as_str().unwrap().to_string();
    let markdown = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        markdown.starts_with(&format!("# fevercheck report: {name}\n")),
        "report.json is {name}'s, report.md begins {:?}",
        markdown.lines().next()
    );
    let leftovers: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn timings_are_printed_only_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    write_session(&session, THREE_STEPS, None);
    let run = |timings: bool| {
        let mut command = fevercheck();
        command.env_remove("FEVERCHECK_TIMINGS");
        if timings {
            command.env("FEVERCHECK_TIMINGS", "1");
        }
        let output = command
            .args(["analyze", "--out"])
            .arg(dir.path().join(format!("out-{timings}")))
            .arg(&session)
            .output()
            .unwrap();
        String::from_utf8(output.stderr).unwrap()
    };
    let quiet = run(false);
    assert!(!quiet.contains("timing"), "{quiet}");
    let timed = run(true);
    let phases: Vec<&str> = timed
        .lines()
        .filter_map(|line| line.strip_prefix("fevercheck: timing: "))
        .map(|rest| rest.split_once(" s  ").unwrap().1)
        .collect();
    // Every phase of an analysis, in the order they pass.
    for phase in [
        "table parsed",
        "rows read",
        "values screened",
        "session read",
        "observations paired",
        "steps built",
        "analysed",
        "charts drawn",
        "report.json written",
        "report written",
    ] {
        assert!(phases.contains(&phase), "{phase} missing from {timed}");
    }
    let position = |phase| phases.iter().position(|p| *p == phase).unwrap();
    assert!(position("table parsed") < position("session read"));
    assert!(position("session read") < position("analysed"));
    assert!(position("analysed") < position("report written"));
    assert_eq!(phases.last(), Some(&"report written"));
}
