//! A session given as two logs — the blackbody controller's and the
//! device's export — joined by time (fixtures/two-logs, made by its
//! make.py, which also computed the counts and values checked here).

use std::fs;
use std::path::PathBuf;

use fevercheck::analyze;
use fevercheck::session::Session;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/two-logs")
}

#[test]
fn the_device_log_is_joined_to_the_reference_log_by_time() {
    let session = Session::load(&fixture()).unwrap();
    let pairing = session.pairing.clone().unwrap();
    // make.py: 101 device readings; 2 after the reference log ends, 53
    // within ~95 s of a change of set-point (the blackbody still settling:
    // it moved ≥ 0.05 °C in the 60 s before them), 46 paired.
    assert_eq!(
        (pairing.paired, pairing.excluded_unstable, pairing.unmatched),
        (46, 53, 2)
    );
    // Device line 16 (09:04:52) falls between the samples of 09:04:50
    // (35.4997) and 09:04:55 (35.4998): 35.4997 + 2/5 · 0.0001 = 35.49974;
    // its set-point is the nearer sample's, 35.50.
    let at = session.observations.iter().find(|o| o.line == 16).unwrap();
    assert!((at.reference_c - 35.49974).abs() < 1e-9, "{at:?}");
    assert_eq!(at.setpoint_c, Some(35.5));
    assert_eq!(at.reported_c, Some(35.6));
    // Line 11 (09:03:12, 12 s after the step to 35.5 °C) was settling.
    assert!(session.observations.iter().all(|o| o.line != 11));

    let report = analyze(&session).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["session"]["pairing"]["paired"], 46);
    assert_eq!(json["session"]["pairing"]["excluded_unstable"], 53);
    assert_eq!(report.observations.len(), 46);
    // The 11 set-points 35.0, 35.5, …, 40.0 are the steps; an honest device.
    assert_eq!(report.steps.len(), 11);
    assert_eq!(report.verdict.accuracy_pass, Some(true));
    assert!(!report.verdict.is_manipulation_suspected());
}

#[test]
fn a_log_pair_with_the_wrong_column_or_half_named_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    for file in ["blackbody.csv", "device.csv"] {
        fs::copy(fixture().join(file), dir.path().join(file)).unwrap();
    }
    let manifest = fs::read_to_string(fixture().join("session.toml")).unwrap();
    // A column the file does not have: the header is quoted.
    fs::write(
        dir.path().join("session.toml"),
        manifest.replace("reported_c = \"Temp\"", "reported_c = \"Temperature\""),
    )
    .unwrap();
    let err = Session::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("device.csv, line 1"), "{err}");
    assert!(err.contains("no column `Temperature`"), "{err}");
    assert!(err.contains("Timestamp, Temp"), "{err}");
    // A misspelt fevercheck name in a column table.
    fs::write(
        dir.path().join("session.toml"),
        manifest.replace("reported_c = \"Temp\"", "reported = \"Temp\""),
    )
    .unwrap();
    let err = Session::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("did you mean `reported_c`?"), "{err}");
    // One log only.
    fs::write(
        dir.path().join("session.toml"),
        manifest.replace("log = \"device.csv\"", ""),
    )
    .unwrap();
    let err = Session::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("go together"), "{err}");
    // Both logs and a readings.csv: refused rather than mixed.
    fs::write(dir.path().join("session.toml"), &manifest).unwrap();
    fs::write(
        dir.path().join("readings.csv"),
        "reference_c,reported_c\n36,36\n",
    )
    .unwrap();
    let err = Session::load(dir.path()).unwrap_err().to_string();
    assert!(err.contains("not mixed"), "{err}");
}

/// A copy of the fixture whose device clock runs `ahead_s` seconds ahead
/// of the blackbody's, with `extra` appended to `[match]`.
fn shifted_copy(ahead_s: i64, extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        fixture().join("blackbody.csv"),
        dir.path().join("blackbody.csv"),
    )
    .unwrap();
    let device = fs::read_to_string(fixture().join("device.csv")).unwrap();
    let mut shifted = String::new();
    for (i, line) in device.lines().enumerate() {
        if i == 0 {
            shifted.push_str(line);
        } else {
            let (time, value) = line.split_once(',').unwrap();
            let time = fevercheck::session::parse_timestamp(time).unwrap()
                + chrono::Duration::seconds(ahead_s);
            shifted.push_str(&format!("{},{value}", time.format("%Y-%m-%dT%H:%M:%SZ")));
        }
        shifted.push('\n');
    }
    fs::write(dir.path().join("device.csv"), shifted).unwrap();
    let manifest = fs::read_to_string(fixture().join("session.toml")).unwrap();
    fs::write(
        dir.path().join("session.toml"),
        format!("{manifest}{extra}\n"),
    )
    .unwrap();
    dir
}

#[test]
fn logs_whose_clocks_agree_raise_no_offset_warning() {
    let session = Session::load(&fixture()).unwrap();
    let offset = session.pairing.clone().unwrap().clock_offset.unwrap();
    assert!(offset.holds_zero(), "{offset:?}");
    assert!(
        session.warnings.iter().all(|w| !w.contains("clock")),
        "{:?}",
        session.warnings
    );
}

#[test]
fn a_device_clock_two_minutes_ahead_is_estimated_and_can_be_corrected() {
    // The device's clock 120 s ahead: every reading is paired with the
    // reference two minutes earlier, and the join says so.
    let dir = shifted_copy(120, "");
    let session = Session::load(dir.path()).unwrap();
    let pairing = session.pairing.clone().unwrap();
    let offset = pairing.clock_offset.unwrap();
    // The device reads every 20 s and the blackbody settles in ~95 s: the
    // edges place the offset within a few seconds of 120.
    assert!(
        offset.low_s <= 120.0 && 120.0 <= offset.high_s,
        "{offset:?}"
    );
    assert!((offset.estimate_s - 120.0).abs() <= 10.0, "{offset:?}");
    let warning = session
        .warnings
        .iter()
        .find(|w| w.contains("clock"))
        .expect("an offset warning");
    assert!(warning.contains("ahead of"), "{warning}");
    assert!(warning.contains("`[match] offset_s = 1"), "{warning}");

    // Given the offset, the join is the fixture's own: 46 paired, 53
    // settling, 2 after the log (see the first test), and no warning.
    let dir = shifted_copy(120, "offset_s = 120");
    let session = Session::load(dir.path()).unwrap();
    let pairing = session.pairing.clone().unwrap();
    assert_eq!(
        (pairing.paired, pairing.excluded_unstable, pairing.unmatched),
        (46, 53, 2)
    );
    assert_eq!(pairing.offset_applied_s, 120.0);
    assert!(pairing.clock_offset.unwrap().holds_zero());
    assert!(session.warnings.iter().all(|w| !w.contains("clock")));
    // The observations are on the reference's clock.
    let original = Session::load(&fixture()).unwrap();
    assert_eq!(session.observations[0].time, original.observations[0].time);

    // A clock behind is named so.
    let dir = shifted_copy(-90, "");
    let session = Session::load(dir.path()).unwrap();
    let warning = session
        .warnings
        .iter()
        .find(|w| w.contains("clock"))
        .unwrap();
    assert!(warning.contains("behind"), "{warning}");
}
