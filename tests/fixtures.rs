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

#[test]
fn every_shape_fit_can_be_recomputed_from_report_json_alone() {
    // Issue #25: AICc = n·ln(max(SSE/n, floor)) + 2k + 2k(k + 1)/(n − k − 1)
    // from the fields each fit carries, for every fit of every fixture.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&root).unwrap().flatten() {
        let Ok(text) = std::fs::read_to_string(entry.path().join("expected-report.json")) else {
            continue;
        };
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        for finding in report["findings"].as_array().unwrap() {
            let fit = &finding["fit"];
            if fit.is_null() {
                continue;
            }
            let number = |name: &str| fit[name].as_f64().unwrap();
            let (n, k) = (number("points"), number("counted_parameters"));
            assert_eq!(k, number("parameters") + 1.0);
            let mean_square = (number("sse_c2") / n).max(number("floor_variance_c2"));
            let aicc = n * mean_square.ln() + 2.0 * k + 2.0 * k * (k + 1.0) / (n - k - 1.0);
            assert!(
                (aicc - number("aicc")).abs() < 1e-9 * aicc.abs().max(1.0),
                "{}: {aicc} vs {}",
                entry.path().display(),
                number("aicc")
            );
            assert!((number("rms_c") - (number("sse_c2") / n).sqrt()).abs() < 1e-12);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} fits");
}
