//! A run killed at any point leaves the old report whole (or the new one
//! whole) and the next run working (issue #23). The kills are placed
//! deterministically with strace's fault injection: the run is sent SIGKILL
//! on its Nth rename, Nth removal, Nth folder creation or Nth write, for
//! every N the run reaches, one run each. After each kill the report folder
//! must hold a complete report, the next plain run (no `--force`) must
//! succeed, and afterwards nothing of the killed run may be left beside the
//! report or inside it.
//!
//! SIGINT and SIGTERM are tested too: the program removes what it was
//! writing and exits with 128 + the signal's number.
//!
//! These tests need strace (Debian's package, installed by `.ci/run`); a
//! plain `cargo test` lists them as ignored.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const STRACE: &str = "/usr/bin/strace";

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fevercheck"))
}

fn strace() -> PathBuf {
    assert!(
        Path::new(STRACE).exists(),
        "{STRACE} is absent: install Debian's strace package (as .ci/run does)"
    );
    STRACE.into()
}

/// A small session: five steps, one reading each, no frames.
fn small_session(dir: &Path) -> PathBuf {
    let session = dir.join("s");
    let status = Command::new(binary())
        .args(["simulate", "--steps", "5", "--repeats", "1", "-q", "--out"])
        .arg(&session)
        .status()
        .unwrap();
    assert!(status.success());
    session
}

fn analyze(session: &Path) -> Output {
    Command::new(binary())
        .arg("analyze")
        .arg(session)
        .args(["-q", "--plots", "svg"])
        .output()
        .unwrap()
}

/// `analyze` killed by SIGKILL at the `when`th call of one of `calls`;
/// whether it was killed (a run that ends before that call is not).
fn analyze_killed_at(session: &Path, calls: &str, when: usize) -> bool {
    let output = Command::new(strace())
        .args(["-f", "-qq", "-o", "/dev/null", "-e"])
        .arg(format!("trace={calls}"))
        .arg("-e")
        .arg(format!("inject={calls}:signal=SIGKILL:when={when}"))
        .arg(binary())
        .arg("analyze")
        .arg(session)
        .args(["-q", "--plots", "svg"])
        .output()
        .unwrap();
    use std::os::unix::process::ExitStatusExt;
    output.status.signal() == Some(9) || output.status.code() == Some(128 + 9)
}

/// What a whole report folder holds: report.json that parses, report.md
/// and report.html, and the marker.
fn assert_whole_report(report: &Path, context: &str) {
    let json = fs::read(report.join("report.json"))
        .unwrap_or_else(|e| panic!("{context}: report.json: {e}"));
    let parsed: serde_json::Value = serde_json::from_slice(&json)
        .unwrap_or_else(|e| panic!("{context}: report.json does not parse: {e}"));
    assert_eq!(parsed["schema"], "fevercheck.report/1", "{context}");
    for name in ["report.md", "report.html", ".fevercheck-output"] {
        assert!(report.join(name).is_file(), "{context}: {name} is missing");
    }
}

/// Names under `folder` (recursively) that a finished run does not leave.
fn leftovers(session: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in fs::read_dir(session).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with(".fevercheck-report.") || name.ends_with(".tmp") {
            found.push(name);
        }
    }
    let report = session.join("fevercheck-report");
    for folder in [report.clone(), report.join("plots")] {
        for entry in fs::read_dir(&folder).into_iter().flatten() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".tmp") {
                found.push(format!("{}/{name}", folder.display()));
            }
        }
    }
    found
}

/// Kills a run at every call of `calls` it makes, one run each, and checks
/// what each kill leaves; returns how many kills were made.
fn kill_at_every(calls: &str, step: usize) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let session = small_session(dir.path());
    let report = session.join("fevercheck-report");
    assert!(analyze(&session).status.code().is_some_and(|c| c < 2));
    let mut kills = 0;
    let mut when = 1;
    while analyze_killed_at(&session, calls, when) {
        kills += 1;
        let context = format!("killed at {calls} number {when}");
        // The old report or the new one, whole.
        assert_whole_report(&report, &context);
        let next = analyze(&session);
        assert!(
            next.status.code().is_some_and(|c| c < 2),
            "{context}: the next run failed: {}",
            String::from_utf8_lossy(&next.stderr)
        );
        assert_whole_report(&report, &context);
        let left = leftovers(&session);
        assert!(left.is_empty(), "{context}: left {left:?}");
        // The session itself is untouched.
        assert!(session.join("readings.csv").is_file(), "{context}");
        when += step;
    }
    kills
}

#[test]
#[ignore = "needs strace, installed by .ci/run"]
fn a_kill_at_any_rename_removal_or_new_folder_leaves_a_whole_report_and_a_working_folder() {
    // Renames put files and folders in place; removals clear the old
    // report; folders are created for the staging copy and its plots.
    let renames = kill_at_every("rename,renameat,renameat2", 1);
    assert!(renames >= 8, "only {renames} renames");
    let removals = kill_at_every("unlink,unlinkat,rmdir", 1);
    assert!(removals >= 4, "only {removals} removals");
    let folders = kill_at_every("mkdir,mkdirat", 1);
    assert!(folders >= 2, "only {folders} folder creations");
}

#[test]
#[ignore = "needs strace, installed by .ci/run"]
fn a_kill_at_any_write_leaves_a_whole_report_and_a_working_folder() {
    // Every write of every file (a report of five steps is written in
    // about a dozen), each a place to die with a file half there.
    let writes = kill_at_every("write,pwrite64,writev", 1);
    assert!(writes >= 8, "only {writes} writes");
}

#[test]
#[ignore = "needs strace, installed by .ci/run"]
fn sigint_and_sigterm_remove_what_was_being_written() {
    for signal in ["SIGINT", "SIGTERM"] {
        let dir = tempfile::tempdir().unwrap();
        let session = small_session(dir.path());
        assert!(analyze(&session).status.code().is_some_and(|c| c < 2));
        // The signal arrives at the third rename: files are being written
        // into a staging folder beside the report.
        let output = Command::new(strace())
            .args([
                "-f",
                "-qq",
                "-o",
                "/dev/null",
                "-e",
                "trace=renameat,rename",
            ])
            .arg("-e")
            .arg(format!("inject=renameat,rename:signal={signal}:when=3"))
            .arg(binary())
            .arg("analyze")
            .arg(&session)
            .args(["-q", "--plots", "svg"])
            .output()
            .unwrap();
        let expected = if signal == "SIGINT" { 130 } else { 143 };
        assert_eq!(
            output.status.code(),
            Some(expected),
            "{signal}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_whole_report(&session.join("fevercheck-report"), signal);
        // Removed by the program itself, before any next run.
        let left = leftovers(&session);
        assert!(left.is_empty(), "{signal}: left {left:?}");
    }
}
