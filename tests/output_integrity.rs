//! What a careless or hostile set of inputs cannot do to the user's files
//! (issue #23): an output never replaces an input, paths stay inside the
//! session unless allowed (and are then named in the report), a mount point
//! is written file by file, and session.toml's unknown keys are listed in
//! bounded text.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

fn fevercheck() -> Command {
    Command::cargo_bin("fevercheck").unwrap()
}

/// A simulated session with NPY frames, in `dir/name`.
fn simulated(dir: &Path, name: &str, model: &str) -> PathBuf {
    let session = dir.join(name);
    fevercheck()
        .args([
            "simulate",
            "-q",
            "--steps",
            "5",
            "--repeats",
            "1",
            "--model",
            model,
        ])
        .args(["--frames", "npy", "--frame-size", "16x12", "--out"])
        .arg(&session)
        .assert()
        .success();
    session
}

/// Every file under `folder` with its bytes.
fn snapshot(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.clone(), fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_session_is_never_its_own_report_folder() {
    let dir = tempfile::tempdir().unwrap();
    let session = simulated(dir.path(), "s", "honest");
    let before = snapshot(&session);
    for out in [session.clone(), session.join("."), session.join("frames")] {
        fevercheck()
            .arg("analyze")
            .arg(&session)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(contains("which this run reads"));
    }
    // The folder holding the session contains it: refused too.
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("it contains"));
    assert_eq!(snapshot(&session), before, "the session changed");
    // Its own sub-folder is the default, and works.
    fevercheck()
        .arg("analyze")
        .arg(&session)
        .arg("-q")
        .assert()
        .code(0);
    assert!(session.join("fevercheck-report/report.json").is_file());
    assert!(session.join("readings.csv").is_file() && session.join("frames").is_dir());
}

#[test]
fn a_report_is_never_written_over_another_session() {
    let dir = tempfile::tempdir().unwrap();
    let a = simulated(dir.path(), "a", "honest");
    let b = simulated(dir.path(), "b", "compressing");
    let before = snapshot(&b);
    fevercheck()
        .arg("analyze")
        .arg(&a)
        .arg("--out")
        .arg(&b)
        .assert()
        .code(2)
        .stderr(contains("it holds a session fevercheck simulated"));
    assert_eq!(snapshot(&b), before);
    // With --force the report goes beside the session's files, which stay.
    fevercheck()
        .arg("analyze")
        .arg(&a)
        .arg("--out")
        .arg(&b)
        .args(["--force", "-q"])
        .assert()
        .code(0);
    // Every file of the session is as it was (the marker now lists the
    // report's files too).
    for (path, bytes) in &before {
        let metadata = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".fevercheck-");
        let same = fs::read(path).is_ok_and(|now| &now == bytes);
        assert!(metadata || same, "{} changed", path.display());
    }
    assert!(b.join("report.json").is_file());
    // Analysing b afterwards still works, from its own files.
    fevercheck()
        .arg("analyze")
        .arg(&b)
        .arg("-q")
        .assert()
        .code(1);
}

#[test]
fn a_comparison_never_replaces_a_compared_report() {
    let dir = tempfile::tempdir().unwrap();
    let a = simulated(dir.path(), "a", "honest");
    let b = simulated(dir.path(), "b", "compressing");
    for (session, code) in [(&a, 0), (&b, 1)] {
        fevercheck()
            .arg("analyze")
            .arg(session)
            .arg("-q")
            .assert()
            .code(code);
    }
    let report_a = a.join("fevercheck-report");
    let before = snapshot(&report_a);
    for out in [report_a.clone(), a.clone()] {
        fevercheck()
            .arg("compare")
            .arg(&report_a)
            .arg(b.join("fevercheck-report/report.json"))
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(contains("which this run reads"));
    }
    assert_eq!(snapshot(&report_a), before);
}

#[test]
fn check_agrees_with_a_report_of_several_readings_per_line() {
    // The FDA data with four readings of each subject on one line (the
    // guide's example): check against its own fresh report agrees.
    let dir = tempfile::tempdir().unwrap();
    let data =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/real/fda_irt_FLIR_group1.csv");
    let options = [
        "--header-row",
        "3",
        "--reference",
        "aveOralM",
        "--reported",
        "T_Max1,T_Max2,T_Max3,T_Max4",
        "--subject",
        "SubjectID",
        "--kind",
        "clinical",
    ];
    let out = dir.path().join("report");
    fevercheck()
        .arg("analyze")
        .arg(&data)
        .args(options)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .assert()
        .code(1);
    fevercheck()
        .arg("check")
        .arg(&data)
        .args(options)
        .arg("--expected")
        .arg(out.join("report.json"))
        .assert()
        .code(0)
        .stdout(contains("agrees"));
}

#[test]
fn paths_leaving_the_session_are_refused_unless_allowed_and_then_named() {
    let dir = tempfile::tempdir().unwrap();
    // A log outside the folder, by `../`.
    let outside = dir.path().join("elsewhere.csv");
    fs::write(
        &outside,
        "time,reference_c\n2026-03-01T09:00:00Z,36.0\n2026-03-01T09:10:00Z,36.0\n",
    )
    .unwrap();
    let logs = dir.path().join("logs");
    fs::create_dir(&logs).unwrap();
    fs::write(
        logs.join("device.csv"),
        "time,reported_c\n2026-03-01T09:05:00Z,36.1\n",
    )
    .unwrap();
    fs::write(
        logs.join("session.toml"),
        "[reference]\nlog = \"../elsewhere.csv\"\n[device]\nlog = \"device.csv\"\n",
    )
    .unwrap();
    fevercheck()
        .arg("analyze")
        .arg(&logs)
        .assert()
        .code(2)
        .stderr(contains("lies outside the session folder").and(contains("--allow-outside")));
    // A frame path into /etc, and an absolute one.
    for frame in ["/etc/hostname", "../../../../../../etc/hostname"] {
        let session = dir.path().join("frames");
        fs::create_dir_all(&session).unwrap();
        fs::write(
            session.join("readings.csv"),
            format!("reference_c,reported_c,frame\n36.0,36.1,{frame}\n37.0,37.0,{frame}\n"),
        )
        .unwrap();
        fevercheck()
            .arg("analyze")
            .arg(&session)
            .assert()
            .code(2)
            .stderr(contains("readings.csv, line 2").and(contains("outside the session folder")));
    }
    // A readings.csv that is a link out of the folder.
    let linked = dir.path().join("linked");
    fs::create_dir(&linked).unwrap();
    let real = dir.path().join("real-readings.csv");
    fs::write(
        &real,
        "reference_c,reported_c\n36.0,36.1\n37.0,37.0\n38.0,37.9\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&real, linked.join("readings.csv")).unwrap();
    fevercheck()
        .arg("analyze")
        .arg(&linked)
        .assert()
        .code(2)
        .stderr(contains("it resolves to"));
    // Allowed: analysed, and every report names what came from outside.
    fevercheck()
        .arg("analyze")
        .arg(&linked)
        .args(["--allow-outside", "-q"])
        .assert()
        .code(0);
    let report = linked.join("fevercheck-report");
    let named = real.canonicalize().unwrap().display().to_string();
    for file in ["report.md", "report.html", "report.json"] {
        let text = fs::read_to_string(report.join(file)).unwrap();
        assert!(
            text.contains("outside the session folder") && text.contains(&named),
            "{file} does not name {named}"
        );
    }
}

#[test]
fn many_unknown_keys_are_counted_not_all_listed() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fs::create_dir(&session).unwrap();
    fs::write(
        session.join("readings.csv"),
        "reference_c,reported_c\n36.0,36.1\n37.0,37.0\n38.0,37.9\n",
    )
    .unwrap();
    let mut manifest = String::from("[device]\n");
    for i in 0..60_000 {
        manifest.push_str(&format!("k{i} = 1\n"));
    }
    manifest.push_str(&format!("{} = 2\n", "k".repeat(100_000)));
    fs::write(session.join("session.toml"), manifest).unwrap();
    let run = fevercheck()
        .arg("analyze")
        .arg(&session)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.len() < 8_000, "{} bytes of error", stderr.len());
    assert!(
        stderr.contains("and 59981 more unknown keys (60001 in all)"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("unknown key `").count(), 20, "{stderr}");
}

/// Mounts a tmpfs (or binds a folder) at `at` for the test's life.
struct Mounted(PathBuf);

impl Mounted {
    fn new(args: &[&str], at: &Path) -> Mounted {
        fs::create_dir_all(at).unwrap();
        let status = std::process::Command::new("mount")
            .args(args)
            .arg(at)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "mount {args:?} failed: this test needs root"
        );
        Mounted(at.to_path_buf())
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

#[test]
#[ignore = "needs root to mount a tmpfs and bind a folder (CI runs as root)"]
fn a_mount_point_is_written_file_by_file_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let session = simulated(dir.path(), "s", "honest");
    let source = dir.path().join("bound-source");
    fs::create_dir(&source).unwrap();
    let tmpfs = Mounted::new(&["-t", "tmpfs", "tmpfs"], &dir.path().join("volume"));
    let bind_args = ["--bind", source.to_str().unwrap()];
    let bound = Mounted::new(&bind_args, &dir.path().join("bound"));
    for mount in [&tmpfs, &bound] {
        for run in 0..2 {
            fevercheck()
                .arg("analyze")
                .arg(&session)
                .arg("--out")
                .arg(&mount.0)
                .assert()
                .code(0)
                .stdout(contains("was written file by file, not replaced whole"));
            let json: serde_json::Value =
                serde_json::from_slice(&fs::read(mount.0.join("report.json")).unwrap()).unwrap();
            assert_eq!(json["schema"], "fevercheck.report/1", "run {run}");
        }
    }
    // Nothing was left beside the mounts.
    let beside: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
}

#[test]
fn a_report_and_a_comparison_never_replace_each_other_silently() {
    let dir = tempfile::tempdir().unwrap();
    let a = simulated(dir.path(), "a", "honest");
    let comparison = dir.path().join("comparison");
    fevercheck()
        .arg("compare")
        .arg(&a)
        .arg("--out")
        .arg(&comparison)
        .arg("-q")
        .assert()
        .code(0);
    fevercheck()
        .arg("analyze")
        .arg(&a)
        .arg("--out")
        .arg(&comparison)
        .assert()
        .code(2)
        .stderr(contains("it holds a comparison (comparison.json)"));
    let report = a.join("fevercheck-report");
    fevercheck()
        .arg("analyze")
        .arg(&a)
        .arg("-q")
        .assert()
        .code(0);
    fevercheck()
        .arg("compare")
        .arg(&a)
        .arg("--out")
        .arg(&report)
        .assert()
        .code(2)
        .stderr(contains("it holds a session's report (report.json)"));
    assert!(comparison.join("comparison.json").is_file());
    assert!(report.join("report.json").is_file());
}

#[test]
fn readings_at_one_instant_or_in_year_one_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    for (name, times) in [
        ("same", ["2026-03-01T09:00:00Z"; 3]),
        (
            "ancient",
            [
                "0001-01-01T00:00:00Z",
                "0001-01-01T00:00:30Z",
                "0001-01-01T00:01:00Z",
            ],
        ),
    ] {
        let session = dir.path().join(name);
        fs::create_dir(&session).unwrap();
        let rows: String = times
            .iter()
            .zip([36.0, 37.0, 38.0])
            .map(|(t, r)| format!("{t},{r},{r}\n"))
            .collect();
        fs::write(
            session.join("readings.csv"),
            format!("time,reference_c,reported_c\n{rows}"),
        )
        .unwrap();
        let expected = match name {
            "same" => "all 3 readings carry the same time",
            _ => "3 reading(s) are dated outside 1990–2100",
        };
        fevercheck()
            .arg("analyze")
            .arg(&session)
            .assert()
            .stdout(contains(expected));
    }
}

#[test]
#[ignore = "needs root to mount a small tmpfs (CI runs as root)"]
fn a_full_disk_is_named_by_the_file_the_user_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let volume = Mounted::new(
        &["-t", "tmpfs", "-o", "size=160k", "tmpfs"],
        &dir.path().join("v"),
    );
    let session = simulated(&volume.0, "s", "honest");
    let report = session.join("fevercheck-report");
    let run = fevercheck().arg("analyze").arg(&session).output().unwrap();
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.contains(&report.display().to_string()) && !stderr.contains(".fevercheck-"),
        "{stderr}"
    );
    // Nothing half-written is left beside the session's files.
    let names: Vec<String> = fs::read_dir(&session)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".fevercheck-report"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}
