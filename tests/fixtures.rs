//! Every fixture session under `fixtures/` (made by `fixtures/regenerate.sh`
//! with fevercheck's simulator) is re-analysed with `fevercheck check` against
//! its committed expected report: numbers within 1e-6, same verdict, same
//! findings. A change of any analysis result shows up here as a listed
//! difference; regenerate the fixtures only when the change is intended.

use std::path::PathBuf;

use assert_cmd::Command;

fn fixture_sessions() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut sessions: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.join("readings.csv").exists())
        .collect();
    sessions.sort();
    sessions
}

#[test]
fn every_fixture_agrees_with_its_expected_report() {
    let sessions = fixture_sessions();
    assert!(sessions.len() >= 8, "fixtures missing: {sessions:?}");
    for session in sessions {
        let output = Command::cargo_bin("fevercheck")
            .unwrap()
            .arg("check")
            .arg(&session)
            .arg("--expected")
            .arg(session.join("expected-report.json"))
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}:\n{}{}",
            session.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn fixture_verdicts_are_the_expected_ones() {
    // Known by construction: the honest camera is accurate; the offset camera
    // (−0.9 °C against a stated ±0.3 °C) and every shaping camera are not.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let verdict = |name: &str| -> serde_json::Value {
        let text = std::fs::read_to_string(root.join(name).join("expected-report.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["verdict"].clone()
    };
    assert_eq!(verdict("honest-21x3")["accuracy_pass"], true);
    for name in [
        "compressing-21x3",
        "offset-fahrenheit-21x1",
        "clamping-up-down",
        "decrementing-21x1",
    ] {
        assert_eq!(verdict(name)["accuracy_pass"], false, "{name}");
    }
    // A device that shows 37.5–38.5 °C as normal values hides fevers;
    // the honest one does not.
    assert_eq!(verdict("band-hiding-up-down")["manipulation"], "suspected");
    assert_eq!(verdict("honest-21x3")["manipulation"], "not_suspected");
}
