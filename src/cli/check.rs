//! `fevercheck check`: the analysis re-run and set against a saved report,
//! printed in the order a reader cares about — the verdict and decisions,
//! findings added, removed or changed, the input rows that changed (by
//! their line), then the statistics. Long sections are cut unless `--all`;
//! `--json` prints every difference for machines.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;
use serde_json::json;

use super::output::OutputArgs;
use super::{load_session, InputArgs, EXIT_CLEAN, EXIT_FINDINGS};
use fevercheck::{analyze_with, AnalysisOptions};
use fevercheck_report::check::{
    check, read_report_json, Checked, ComparableReport, Difference, FindingName, DEFAULT_TOLERANCE,
};

/// Most entries a section lists without `--all`; the rest are counted.
const MOST_LISTED: usize = 12;

/// Arguments of `check`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    fevercheck check fixtures/honest-21x3 --expected fixtures/honest-21x3/expected-report.json\n  \
    fevercheck check my-session --expected saved/report.json --tolerance 0.001 --all\n  \
    fevercheck check my-session --expected saved/report.json --json > differences.json")]
pub struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    decode: super::frames::DecodeArgs,
    /// The saved report.json to compare with.
    #[arg(long, value_name = "FILE")]
    expected: PathBuf,
    /// Largest accepted difference of any number.
    #[arg(long, default_value_t = DEFAULT_TOLERANCE)]
    tolerance: f64,
    /// List every difference (sections are cut after 12 otherwise).
    #[arg(long)]
    all: bool,
    #[command(flatten)]
    output: OutputArgs,
}

/// Runs `check`; exit 1 when anything differs beyond the tolerance.
pub fn run_check(args: CheckArgs) -> Result<u8> {
    let expected = read_report_json(&args.expected)?;
    let session = load_session(&args.input)?;
    let options = AnalysisOptions {
        decode: args.decode.options(None)?,
        ..AnalysisOptions::default()
    };
    let actual = ComparableReport::of(analyze_with(&session, &options)?)?;
    let checked = check(&expected, &actual, args.tolerance);
    args.output.json_summary(&json!({
        "session": args.input.session.display().to_string(),
        "expected": args.expected.display().to_string(),
        "tolerance": args.tolerance,
        "agrees": checked.agrees(),
        "differences": checked,
    }));
    if args.output.human() {
        print_checked(&args, &checked);
    }
    Ok(if checked.agrees() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

fn print_checked(args: &CheckArgs, checked: &Checked) {
    let session = super::shown(&args.input.session);
    let expected = super::shown(&args.expected);
    if checked.agrees() {
        say!("{session}: the analysis agrees with {expected}");
        return;
    }
    say!("{session}: the analysis differs from {expected}");
    let most = if args.all { usize::MAX } else { MOST_LISTED };
    section("Verdict and decisions", &checked.verdict, most, |d| {
        d.to_string()
    });
    let finding = |f: &FindingName| {
        format!(
            "{} {} ({}): {}",
            f.severity, f.detector, f.source, f.message
        )
    };
    section("Findings added", &checked.findings_added, most, finding);
    section("Findings removed", &checked.findings_removed, most, finding);
    section(
        "Findings changed (now)",
        &checked.findings_changed,
        most,
        finding,
    );
    section(
        "Input rows (by their line in the input)",
        &checked.observations,
        most,
        row,
    );
    section("Statistics", &checked.statistics, most, |d| d.to_string());
    if !args.all {
        say!("(--all lists every difference; --json prints them for machines)");
    }
}

/// A changed observation as `line N, column: expected …, got …`.
fn row(difference: &Difference) -> String {
    let place = difference
        .pointer
        .trim_start_matches("/observations/")
        .replacen('/', ", ", 1);
    format!("{place}: {}", difference.description)
}

fn section<T>(title: &str, entries: &[T], most: usize, show: impl Fn(&T) -> String) {
    if entries.is_empty() {
        return;
    }
    say!("{title} ({}):", entries.len());
    for entry in entries.iter().take(most) {
        say!("  {}", super::shown_text(&show(entry)));
    }
    if entries.len() > most {
        say!("  … and {} more", entries.len() - most);
    }
}
