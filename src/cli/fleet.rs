//! `fevercheck fleet`: audits cameras from their screening logs (or a
//! simulated demonstration fleet), writes fleet.json and fleet.html, and
//! prints the fleet table, most suspicious camera first. Exit code 1 when
//! any camera is judged normalising.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde_json::json;

use super::output::OutputArgs;
use super::{refuse_other_outputs, say_in_place, shown, EXIT_CLEAN, EXIT_FINDINGS};
use fevercheck::RunInputs;
use fevercheck_fleet::log::{read_logs, LogOptions, Unit};
use fevercheck_fleet::simulate::{demo_fleet, screen};
use fevercheck_fleet::{judge, FleetState};
use fevercheck_report::fleet_page::{judgement_label, write_fleet_audit};
use fevercheck_report::write::prepare_output_folder;

/// Extensions of the logs a folder is searched for.
const LOG_EXTENSIONS: [&str; 7] = ["csv", "tsv", "txt", "json", "jsonl", "ndjson", "xml"];

/// Events per camera of the demonstration fleet.
const DEMO_EVENTS_PER_CAMERA: usize = 20_000;

/// Arguments of `fleet`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    fevercheck fleet --demo\n  \
    fevercheck fleet logs/2021-*.csv --out audit\n  \
    fevercheck fleet exports/ --unit f --json")]
pub struct FleetArgs {
    /// Event logs (CSV/TSV with named columns, or JSON Lines), or folders of them.
    #[arg(required_unless_present = "demo")]
    logs: Vec<PathBuf>,
    /// Audit a simulated fleet of 12 cameras (9 honest, 3 normalising) instead of logs.
    #[arg(long, conflicts_with = "logs")]
    demo: bool,
    /// Unit of a temperature column whose name does not say (`temperature`).
    #[arg(long, value_enum, default_value = "c")]
    unit: UnitArg,
    /// Output folder [default: ./fevercheck-fleet].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write into --out even when it holds files fevercheck did not write.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum UnitArg {
    C,
    F,
}

/// Runs `fleet`.
pub fn run_fleet(args: FleetArgs) -> Result<u8> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("fevercheck-fleet"));
    let files = log_files(&args.logs)?;
    let mut inputs = RunInputs::new();
    inputs.extend(&files);
    for log in args.logs.iter().filter(|p| p.is_dir()) {
        inputs.add_container(log);
    }
    inputs.refuse_as_output(&out)?;
    refuse_other_outputs(&out, "report.json", "a session's report", args.force)?;
    refuse_other_outputs(&out, "comparison.json", "a comparison", args.force)?;
    let _claimed = prepare_output_folder(&out, args.force)?;
    let (fleet, notes) = if args.demo {
        (demo_state(), vec![format!(
            "A simulated fleet: 12 cameras of {DEMO_EVENTS_PER_CAMERA} screenings of people drawn from the FDA study's readings; \
             terminal-1-gate-10, terminal-2-gate-10 and terminal-3-gate-07 normalise (compressing to 0.3, clamping at 37.3 °C, \
             swapping readings above 37.5 °C)."
        )])
    } else {
        let unit = match args.unit {
            UnitArg::C => Unit::Celsius,
            UnitArg::F => Unit::Fahrenheit,
        };
        read_logs(&files, LogOptions { unit })?
    };
    if fleet.cameras.is_empty() {
        anyhow::bail!(fevercheck::Error::Unusable {
            path: files.first().cloned().unwrap_or_default(),
            message: format!(
                "the {} log(s) hold no screening with a reported temperature: nothing to audit",
                files.len()
            ),
        });
    }
    let audit = judge(&fleet, notes);
    let written = write_fleet_audit(&audit, &out)?;
    args.output.json_summary(&json!({
        "folder": out.display().to_string(),
        "events": audit.events,
        "counts": audit.counts,
        "cameras": audit.cameras.iter().map(|c| json!({
            "camera": c.camera,
            "state": c.state,
            "events": c.events,
            "indicators_beyond": c.indicators.iter()
                .filter(|i| i.decisive && i.state == fevercheck_fleet::indicators::IndicatorState::Beyond)
                .map(|i| i.id).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }));
    if args.output.human() {
        print_fleet(&audit, &out);
        say_in_place(&written, &out);
    }
    Ok(if audit.counts.normalising > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// The demonstration fleet's state.
fn demo_state() -> FleetState {
    let mut fleet = FleetState::default();
    for (i, (camera, site, behaviour)) in demo_fleet(2021).iter().enumerate() {
        screen(
            camera,
            site,
            *behaviour,
            DEMO_EVENTS_PER_CAMERA,
            2021 + i as u64,
            |e| fleet.add(e),
        );
    }
    fleet
}

/// The log files of `paths`: files as given, folders searched (not
/// recursively) for files with a log's extension, in name order.
fn log_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| fevercheck::Error::read(path, e))?
            .flatten()
            .map(|entry| entry.path())
            .filter(|p| p.is_file())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| LOG_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        if found.is_empty() {
            anyhow::bail!(fevercheck::Error::Unusable {
                path: path.clone(),
                message: format!(
                    "the folder holds no log (files ending .{})",
                    LOG_EXTENSIONS.join(", .")
                ),
            });
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// The fleet table for the terminal.
fn print_fleet(audit: &fevercheck_fleet::FleetAudit, out: &Path) {
    say!(
        "{} events from {} cameras: {} normalising, {} consistent, {} not judged\n",
        audit.events,
        audit.cameras.len(),
        audit.counts.normalising,
        audit.counts.consistent,
        audit.counts.not_judged
    );
    say!(
        "{:<32} {:<12} {:>9} {:>7} {:>7}  beyond the honest range",
        "camera",
        "judgement",
        "events",
        "median",
        "spread"
    );
    for camera in &audit.cameras {
        let spread = camera
            .indicators
            .iter()
            .find(|i| i.id == "spread")
            .and_then(|i| i.value);
        let beyond: Vec<&str> = camera
            .indicators
            .iter()
            .filter(|i| {
                i.decisive && i.state == fevercheck_fleet::indicators::IndicatorState::Beyond
            })
            .map(|i| i.id)
            .collect();
        say!(
            "{:<32} {:<12} {:>9} {:>7} {:>7}  {}",
            fevercheck::escape::terminal::inline(&camera.camera),
            judgement_label(camera.state),
            camera.events,
            camera.median_c.map_or("—".into(), |m| format!("{m:.2}")),
            spread.map_or("—".into(), |s| format!("{s:.2}")),
            if beyond.is_empty() {
                "—".to_string()
            } else {
                beyond.join(", ")
            }
        );
    }
    if audit.counts.normalising > 0 {
        say!("\nA log cannot prove manipulation: test every normalising camera with a blackbody sweep (fevercheck analyze).");
    }
    say!("fleet audit: {}", shown(&out.join("fleet.html")));
}
