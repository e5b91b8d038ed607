//! Command-line definitions (clap) and the commands: parse, call the library,
//! print, choose the exit code. No analysis happens here.
//!
//! Exit codes (docs/guide.md): 0 = the device is not found failing (a pass,
//! a conditional pass or not judged, no manipulation suspected, no finding
//! of severity manipulation or accuracy; for `check`: the reports agree);
//! 1 = a fail or conditional fail, manipulation suspected or such a finding
//! (for `check`: they differ); 2 = the input could not be used.

#[macro_use]
mod say;
mod check;
pub mod embedded;
mod fleet;
mod frames;
mod hints;
mod output;
mod progress;

pub use hints::hint;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use fevercheck::convert::OutputFormat;
pub(crate) use fevercheck::escape::terminal::inline as shown_text;
use fevercheck::formats::DecodeOptions;
use fevercheck::model::{Report, SessionKind, TimeSettings};
use fevercheck::session::{ColumnSpec, LoadOptions, Session, WhenColumns};
use fevercheck::units::TemperatureUnit;
use fevercheck::{analyze_with, timings, AnalysisOptions, RunInputs};
use fevercheck_report::simulate::{CameraModel, Simulation, SweepOrder, SyntheticFrames};
use fevercheck_report::terminal;
use fevercheck_report::write::{
    prepare_output_folder, write_report, ClaimedFolder, PlotFiles, Written,
};
use output::OutputArgs;

/// Exit code: analysed, the device not found failing (module doc).
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: a fail, manipulation suspected or a finding of severity
/// manipulation or accuracy (or `check` differs).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the input could not be used.
pub const EXIT_UNUSABLE: u8 = 2;

/// Tells whether a fever-screening camera reports body temperatures honestly
/// and accurately.
#[derive(Debug, Parser)]
#[command(name = "fevercheck", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse a session folder (readings.csv + session.toml) or a CSV file.
    Analyze(AnalyzeArgs),
    /// Write a synthetic session of a simulated camera.
    Simulate(SimulateArgs),
    /// Simulate an honest and a manipulated camera and analyse both.
    Demo(DemoArgs),
    /// Re-run an analysis and compare it with a saved report.json.
    Check(check::CheckArgs),
    /// Show what a radiometric file holds: format, camera, radiometry, frame statistics.
    Inspect(frames::InspectArgs),
    /// Export temperatures of a radiometric file as CSV, NPY, TIFF or a false-colour PNG.
    Convert(frames::ConvertArgs),
    /// Compare devices: the study's table and figure from many sessions or report.json files.
    Compare(CompareArgs),
    /// Audit a fleet of cameras from their screening logs (or a simulated demo fleet).
    Fleet(fleet::FleetArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Examples:\n  \
        fevercheck completions bash > ~/.local/share/bash-completion/completions/fevercheck\n  \
        fevercheck completions zsh > ~/.zfunc/_fevercheck\n  \
        fevercheck completions fish > ~/.config/fish/completions/fevercheck.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    fevercheck compare lab/kiosk-a lab/kiosk-b lab/camera-c --out comparison\n  \
    fevercheck compare runs/*/fevercheck-report/report.json --plots svg\n  \
    fevercheck compare lab/kiosk-a lab/kiosk-b --json")]
struct CompareArgs {
    /// Session folders and/or saved report.json files.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output folder [default: ./fevercheck-comparison].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    folder: FolderArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// What to read and how.
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Session folder, or a CSV file (readings.csv layout, or any layout with --reference).
    session: PathBuf,
    /// Column holding the reference temperature (for CSV files of another layout).
    #[arg(long, value_name = "COL")]
    reference: Option<String>,
    /// Column(s) holding the device temperature; repeat or separate by commas
    /// for repeated measurements of one subject.
    #[arg(long, value_name = "COL", value_delimiter = ',')]
    reported: Vec<String>,
    /// Column holding the subject id.
    #[arg(long, value_name = "COL")]
    subject: Option<String>,
    /// Column holding the round (visit) of a clinical study; several
    /// --reported columns are rounds of their own.
    #[arg(long, value_name = "COL")]
    round: Option<String>,
    /// Column holding the date and time of each row (named-column mode).
    #[arg(long, value_name = "COL")]
    time: Option<String>,
    /// Column holding the date of each row, read with --clock.
    #[arg(long, value_name = "COL", requires = "clock")]
    date: Option<String>,
    /// Column holding the time of day of each row, read after --date.
    #[arg(long, value_name = "COL", requires = "date")]
    clock: Option<String>,
    /// Column holding the sweep label (up, down, random).
    #[arg(long, value_name = "COL")]
    sweep: Option<String>,
    /// Column holding the blackbody set-point (steps are grouped by it).
    #[arg(long, value_name = "COL")]
    setpoint: Option<String>,
    /// Column holding the room temperature of each reading.
    #[arg(long, value_name = "COL")]
    ambient: Option<String>,
    /// Row (1-based) holding the column names.
    #[arg(long, value_name = "N", default_value_t = 1)]
    header_row: usize,
    /// Sheet of a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) to read; the first by default.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// The named temperature columns are in °F.
    #[arg(long)]
    fahrenheit: bool,
    /// A session.toml describing the device, for a CSV file.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Stated accuracy of the device, ±°C (overrides session.toml).
    #[arg(long, value_name = "C")]
    stated_accuracy: Option<f64>,
    /// Alarm threshold of the device, °C (overrides session.toml).
    #[arg(long, value_name = "C")]
    alarm_threshold: Option<f64>,
    /// Leave out rows whose values look like mistakes in the file (a °F value
    /// in a °C column, a typing slip) instead of refusing the file; they are
    /// listed at the top of the report.
    #[arg(long)]
    exclude_outliers: bool,
    /// Read a session.toml with keys this version does not know (each is
    /// listed as a warning) instead of refusing it.
    #[arg(long)]
    allow_unknown_keys: bool,
    /// Read logs, frames and readings that lie outside the session folder
    /// (absolute paths, `../`, links leading out); each is named in the report.
    #[arg(long)]
    allow_outside: bool,
    /// What kind of study this is (overrides `kind` in session.toml):
    /// `sweep`, a reference source at set-points; `clinical`, subjects
    /// against a reference thermometer (no steps, no step verdict).
    #[arg(long, value_name = "KIND")]
    kind: Option<SessionKind>,
    /// How the files write times, as a strftime layout, e.g.
    /// `%d.%m.%Y %H:%M:%S` (overrides `[time] format` in session.toml;
    /// day-first and month-first are never guessed).
    #[arg(long, value_name = "LAYOUT")]
    time_format: Option<String>,
    /// The zone of times written without an offset: `+01:00` or an IANA
    /// name such as `Europe/Brussels` (overrides `[time] zone`).
    #[arg(long, value_name = "ZONE")]
    time_zone: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    fevercheck analyze lab/kiosk-a\n  \
    fevercheck analyze lab/kiosk-a --out reports/kiosk-a --plots png\n  \
    fevercheck analyze export.csv --reference Blackbody --reported Display --fahrenheit\n  \
    fevercheck analyze lab/camera-b --emissivity 0.98 --reflected 22 --json")]
struct AnalyzeArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    decode: frames::DecodeArgs,
    /// Output folder [default: SESSION/fevercheck-report, or NAME-fevercheck-report beside a CSV file].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    folder: FolderArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// `--plots` and `--force`: how a folder of reports is written.
#[derive(Debug, Args)]
struct FolderArgs {
    /// Chart files to write into plots/ (the HTML shows the charts either way).
    #[arg(long, value_enum, default_value = "both")]
    plots: PlotsArg,
    /// Write into --out even when it holds files fevercheck did not write.
    #[arg(long)]
    force: bool,
}

impl FolderArgs {
    /// Claims `out` for this run's files: refused, unless `--force`, when
    /// it holds `file` (the main file of another kind of output, `what`) or
    /// files fevercheck did not write. Hold the result until written.
    fn claim(&self, out: &Path, file: &str, what: &str) -> Result<ClaimedFolder> {
        refuse_other_outputs(out, file, what, self.force)?;
        Ok(prepare_output_folder(out, self.force)?)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PlotsArg {
    Png,
    Svg,
    Both,
    None,
}

impl From<PlotsArg> for PlotFiles {
    fn from(value: PlotsArg) -> Self {
        match value {
            PlotsArg::Png => PlotFiles::Png,
            PlotsArg::Svg => PlotFiles::Svg,
            PlotsArg::Both => PlotFiles::Both,
            PlotsArg::None => PlotFiles::None,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ModelName {
    Honest,
    Offset,
    Noisy,
    Gain,
    Compressing,
    Clamping,
    Decrementing,
    Quantising,
    SoftCeiling,
    StepDown,
    Saturating,
    Sticky,
    Scrambled,
    IntermittentHiding,
    BandHiding,
    OrderDependent,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SweepName {
    Up,
    Down,
    Random,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    fevercheck simulate --model compressing --out sim/compressing\n  \
    fevercheck simulate --model clamping --ceiling 37.3 --sweeps up,down --out sim/clamp\n  \
    fevercheck simulate --model honest --frames npy --frame-size 160x120 --out sim/frames")]
struct SimulateArgs {
    /// The camera model.
    #[arg(long, value_enum, default_value = "honest")]
    model: ModelName,
    /// Output session folder.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Seed of the random generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// First step, °C.
    #[arg(long, default_value_t = 35.0)]
    start: f64,
    /// Last step, °C.
    #[arg(long, default_value_t = 40.0)]
    stop: f64,
    /// Number of steps (21 = 0.25 °C steps from 35 to 40 °C).
    #[arg(long, default_value_t = 21)]
    steps: usize,
    /// Readings per step and sweep.
    #[arg(long, default_value_t = 3)]
    repeats: usize,
    /// Sensor noise sd, °C [default: 0.1; 0.4 for --model noisy].
    #[arg(long)]
    noise: Option<f64>,
    /// Honest sensor drift with time, °C per hour (a warm-up).
    #[arg(
        long,
        value_name = "C_PER_H",
        default_value_t = 0.0,
        allow_negative_numbers = true
    )]
    drift: f64,
    /// Honest slow response: the sensor's time constant, in readings (0 = instant).
    #[arg(long, value_name = "READINGS", default_value_t = 0.0)]
    lag: f64,
    /// Honest ambient ripple: amplitude in °C and period in minutes, e.g. `0.3,20`.
    #[arg(long, value_name = "C,MIN", value_delimiter = ',', num_args = 2)]
    ripple: Option<Vec<f64>>,
    /// Honest warm-up: the sensor reads this many °C low at the start and
    /// settles with this time constant in minutes, e.g. `0.8,10`.
    #[arg(long, value_name = "C,MIN", value_delimiter = ',', num_args = 2)]
    warm_up: Option<Vec<f64>>,
    /// Display resolution in the display unit (0 = none).
    #[arg(long, default_value_t = 0.1)]
    resolution: f64,
    /// Display °F (writes reported_f).
    #[arg(long)]
    fahrenheit: bool,
    /// Sweeps in order, comma-separated: up, down, random.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "up")]
    sweeps: Vec<SweepName>,
    /// Visit the steps in random order (same as --sweeps random).
    #[arg(long)]
    random_order: bool,
    /// Stated accuracy written to session.toml, ±°C.
    #[arg(long, default_value_t = 0.5)]
    stated_accuracy: f64,
    /// Alarm threshold written to session.toml, °C.
    #[arg(long, default_value_t = 37.5)]
    alarm_threshold: f64,
    /// offset: the offset, °C.
    #[arg(long, default_value_t = -0.9, allow_negative_numbers = true)]
    offset: f64,
    /// gain: the gain around 37 °C.
    #[arg(long, default_value_t = 0.92)]
    gain: f64,
    /// compressing: slope of displayed vs true.
    #[arg(long, default_value_t = 0.2)]
    slope: f64,
    /// compressing: temperature readings are pulled toward, °C.
    #[arg(long, default_value_t = 37.0)]
    set_point: f64,
    /// clamping: highest displayed value, °C.
    #[arg(long, default_value_t = 37.3)]
    ceiling: f64,
    /// clamping: lowest displayed value, °C.
    #[arg(long)]
    floor: Option<f64>,
    /// decrementing: where readings start to fall, °C.
    #[arg(long, default_value_t = 37.2)]
    decrement_from: f64,
    /// decrementing: fall of the reading per degree above --decrement-from.
    #[arg(long, default_value_t = 0.5)]
    decrement_rate: f64,
    /// quantising: the values of the lookup table, °C, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "36.5,36.7,36.9,37.1,37.3"
    )]
    table: Vec<f64>,
    /// intermittent-hiding: share of febrile readings (from --hide-from) shown as normal.
    #[arg(long, default_value_t = 0.5)]
    hide_probability: f64,
    /// intermittent-hiding, band-hiding: lowest seen temperature hidden, °C.
    #[arg(long, default_value_t = 37.5)]
    hide_from: f64,
    /// band-hiding: seen temperatures from here are shown honestly again, °C.
    #[arg(long, default_value_t = 38.5)]
    hide_to: f64,
    /// order-dependent: weight of the newest value in the running baseline.
    #[arg(long, default_value_t = 0.3)]
    weight: f64,
    /// order-dependent: share of the baseline's drift removed from readings.
    #[arg(long, default_value_t = 0.8)]
    strength: f64,
    /// Write a radiometric frame per reading (honest: a blackbody disk at the
    /// temperature the sensor saw), in this format, named in a `frame` column.
    #[arg(long, value_enum, value_name = "FORMAT")]
    frames: Option<FrameFormat>,
    /// Size of the frames, WIDTHxHEIGHT.
    #[arg(long, default_value = "160x120", value_parser = parse_size)]
    frame_size: (usize, usize),
    /// Replace an existing readings.csv in --out.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FrameFormat {
    Npy,
    Tiff,
    Csv,
}

fn parse_size(text: &str) -> Result<(usize, usize), String> {
    let (w, h) = text
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("`{text}`: expected WIDTHxHEIGHT, e.g. 160x120"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<usize>()
            .ok()
            .filter(|&n| (8..=4096).contains(&n))
    };
    match (parse(w), parse(h)) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(format!("`{text}`: width and height must be 8–4096 pixels")),
    }
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    fevercheck demo\n  \
    fevercheck demo --out /tmp/fevercheck-demo --json")]
struct DemoArgs {
    /// Folder for the demo sessions [default: a new fevercheck-demo folder here].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

/// Runs the command line and returns the exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let code = match cli.command {
        Command::Analyze(args) => run_analyze(args)?,
        Command::Simulate(args) => run_simulate(args)?,
        Command::Demo(args) => run_demo(args)?,
        Command::Check(args) => check::run_check(args)?,
        Command::Inspect(args) => frames::run_inspect(args)?,
        Command::Convert(args) => frames::run_convert(args)?,
        Command::Compare(args) => run_compare(args)?,
        Command::Fleet(args) => fleet::run_fleet(args)?,
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "fevercheck", &mut std::io::stdout());
            EXIT_CLEAN
        }
    };
    Ok(ExitCode::from(code))
}

/// The error and its causes, each cause said once: a message that already
/// quotes its cause (`cannot read x.jpg: No such file…`) is not followed by
/// it again.
pub fn error_chain(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let said = cause.to_string();
        if !text.contains(&said) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&said);
        }
    }
    text
}

pub(crate) fn load_session(input: &InputArgs) -> Result<Session> {
    let load_options = LoadOptions {
        exclude_suspect_values: input.exclude_outliers,
        allow_unknown_keys: input.allow_unknown_keys,
        allow_outside: input.allow_outside,
        sheet: input.sheet.clone(),
        time: TimeSettings {
            format: input.time_format.clone(),
            zone: input.time_zone.clone(),
        },
    };
    let mut session = match &input.reference {
        Some(reference) => {
            let spec = ColumnSpec {
                reference: reference.clone(),
                reported: input.reported.clone(),
                subject: input.subject.clone(),
                round: input.round.clone(),
                when: WhenColumns {
                    time: input.time.clone(),
                    date: input.date.clone(),
                    clock: input.clock.clone(),
                },
                sweep: input.sweep.clone(),
                setpoint: input.setpoint.clone(),
                ambient: input.ambient.clone(),
                header_row: input.header_row,
                unit: if input.fahrenheit {
                    TemperatureUnit::Fahrenheit
                } else {
                    TemperatureUnit::Celsius
                },
            };
            Session::load_named_columns_with(
                &input.session,
                &spec,
                input.manifest.as_deref(),
                &load_options,
            )?
        }
        None if named_columns_given(input) => {
            anyhow::bail!(
                "--reported, --subject, --round, --time, --date, --clock, --sweep, --setpoint and \
                 --ambient \
                 name columns of a CSV file or workbook read with --reference COL; give \
                 --reference to name the reference column"
            )
        }
        None if input.manifest.is_some() => anyhow::bail!(
            "--manifest describes a CSV file read with --reference COL; a session folder or \
             readings.csv uses the session.toml beside it, so --manifest would be ignored"
        ),
        None => Session::load_with(&input.session, &load_options)?,
    };
    if input.kind.is_some() {
        session.manifest.kind = input.kind;
    }
    let device = &mut session.manifest.device;
    if let Some(value) = input.stated_accuracy {
        anyhow::ensure!(
            value > 0.0 && value.is_finite(),
            "--stated-accuracy must be a positive number of °C"
        );
        device.stated_accuracy_c = Some(value);
    }
    if let Some(value) = input.alarm_threshold {
        anyhow::ensure!(
            (30.0..=45.0).contains(&value),
            "--alarm-threshold must be a fever threshold in °C (30–45)"
        );
        device.alarm_threshold_c = Some(value);
    }
    Ok(session)
}

/// Where an analysis was asked for: this process's command line, or a
/// program embedding fevercheck (the report then names no command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    CommandLine,
    Embedding,
}

/// The analysis of `session`, with a progress bar for long runs and the
/// report naming the command line when `caller` is one.
fn analyze_with_command_line(
    session: &Session,
    decode: DecodeOptions,
    caller: Caller,
) -> Result<Report> {
    let bar = progress::Progress::new("measuring frames", "frames");
    let update = |done: usize, total: usize| bar.update(done, total);
    let options = AnalysisOptions {
        decode,
        progress: Some(&update),
        kind: None,
    };
    let result = analyze_with(session, &options);
    bar.finish();
    let mut report = result?;
    report.tool.command_line = (caller == Caller::CommandLine).then(|| {
        std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    });
    Ok(report)
}

/// What `--json` prints for an analysed session: where its report is, the
/// verdict, each source's decision and the findings.
fn report_summary(report: &Report, out: &Path) -> serde_json::Value {
    serde_json::json!({
        "session": report.session.path,
        "device": report.device_name(),
        "report_folder": out.display().to_string(),
        "verdict": report.verdict,
        "accuracy": report.accuracy.iter().map(|(source, a)| (source.clone(), serde_json::json!({
            "decision": a.decision,
            "max_abs_step_error_c": a.max_abs_step_error_c,
            "stated_accuracy_c": a.stated_accuracy_c,
            "bias_c": a.bias_c,
        }))).collect::<serde_json::Map<_, _>>(),
        "findings": report.findings.iter().map(|f| serde_json::json!({
            "detector": f.detector,
            "source": f.source,
            "severity": f.severity,
            "message": f.message,
        })).collect::<Vec<_>>(),
    })
}

/// Every file and folder an analysis of `session` reads, for refusing an
/// output over one of them.
fn run_inputs(input: &InputArgs, session: &Session) -> RunInputs {
    let mut inputs = RunInputs::new();
    inputs.add_container(&session.folder());
    inputs.extend(&session.input_paths());
    if let Some(manifest) = &input.manifest {
        inputs.add(manifest);
    }
    inputs
}

/// Refuses, unless `force`, to write into `out` when it holds `file` of the
/// other command (`analyze` writes reports, `compare` comparisons): one
/// would otherwise replace the other without a word.
fn refuse_other_outputs(out: &Path, file: &str, what: &str, force: bool) -> Result<()> {
    if !force && std::fs::symlink_metadata(out.join(file)).is_ok() {
        anyhow::bail!(fevercheck::Error::OutputInUse {
            path: out.to_path_buf(),
            message: format!(
                "it holds {what} ({file}); choose a folder of its own, or add --force to \
                 replace it"
            ),
        });
    }
    Ok(())
}

/// Whether any option of the named-column mode besides --reference is given.
fn named_columns_given(input: &InputArgs) -> bool {
    !input.reported.is_empty()
        || [
            &input.subject,
            &input.round,
            &input.time,
            &input.date,
            &input.clock,
            &input.sweep,
            &input.setpoint,
            &input.ambient,
        ]
        .iter()
        .any(|column| column.is_some())
}

/// A path for the terminal, every control character shown escaped.
pub(crate) fn shown(path: &Path) -> String {
    shown_text(&path.display().to_string())
}

fn default_out(session: &Path) -> PathBuf {
    if session.is_dir() {
        return session.join("fevercheck-report");
    }
    let stem = session
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    session.with_file_name(format!("{stem}-fevercheck-report"))
}

/// The analysis `args` ask for, its report written into their folder (or
/// the default one beside the session) under the output rules: inputs
/// refused as outputs, the folder claimed, files atomic, swapped whole.
/// Returns the report, the folder and what was written.
fn analysis_written(args: &AnalyzeArgs, caller: Caller) -> Result<(Report, PathBuf, Written)> {
    let session = load_session(&args.input)?;
    timings::done("session read");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&args.input.session));
    run_inputs(&args.input, &session).refuse_as_output(&out)?;
    let _claimed = args.folder.claim(&out, "comparison.json", "a comparison")?;
    timings::done("output folder claimed");
    let report = analyze_with_command_line(&session, args.decode.options(None)?, caller)?;
    timings::done("analysed");
    let written = write_report(&report, &out, args.folder.plots.into())?;
    timings::done("report written");
    if caller == Caller::CommandLine {
        left_to_the_exit(session);
    }
    Ok((report, out, written))
}

fn run_analyze(args: AnalyzeArgs) -> Result<u8> {
    let (report, out, written) = analysis_written(&args, Caller::CommandLine)?;
    if args.output.human() {
        say_raw!("{}", terminal::summary(&report, Some(&out)));
        say_in_place(&written, &out);
    }
    args.output.json_summary(&report_summary(&report, &out));
    let code = if report.has_findings() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    left_to_the_exit(report);
    Ok(code)
}

/// Leaves `value`'s memory to the operating system, which takes a whole
/// process's memory back at once when the command exits: freeing a million
/// observations one by one took 30 ms, the report's records as long again.
/// Only for what the command line holds when it is done; a program that
/// embeds the commands (the Python package) frees everything as usual.
fn left_to_the_exit<T>(value: T) {
    std::mem::forget(value);
}

fn simulation_of(args: &SimulateArgs) -> Simulation {
    let model = match args.model {
        ModelName::Honest => CameraModel::Honest,
        ModelName::Offset => CameraModel::Offset {
            offset_c: args.offset,
        },
        ModelName::Noisy => CameraModel::Noisy,
        ModelName::Gain => CameraModel::Gain { gain: args.gain },
        ModelName::Compressing => CameraModel::Compressing {
            slope: args.slope,
            set_point_c: args.set_point,
        },
        ModelName::Clamping => CameraModel::Clamping {
            ceiling_c: args.ceiling,
            floor_c: args.floor,
        },
        ModelName::Decrementing => CameraModel::Decrementing {
            start_c: args.decrement_from,
            rate: args.decrement_rate,
        },
        ModelName::Quantising => CameraModel::Quantising {
            table_c: args.table.clone(),
            range_c: (args.start, args.stop),
        },
        // The shapes the first calibration missed (issue #12): a soft
        // ceiling above 37.3 °C and a 1.5 °C drop from 38 °C.
        ModelName::SoftCeiling => CameraModel::SoftCeiling {
            knee_c: 37.3,
            slope_above: 0.25,
        },
        ModelName::StepDown => CameraModel::StepDown {
            at_c: 38.0,
            drop_c: 1.5,
        },
        // Shapes no detector was written for (issue #12): a smooth bend
        // toward 37.4 °C, a display holding its last value from 37.3 °C, and
        // plausible values unrelated to the target.
        ModelName::Saturating => CameraModel::Saturating {
            knee_c: 36.9,
            ceiling_c: 37.4,
        },
        ModelName::Sticky => CameraModel::Sticky { hold_from_c: 37.3 },
        ModelName::Scrambled => CameraModel::Scrambled {
            centre_c: 36.8,
            spread_c: 0.4,
        },
        // Fever hiding with no shape (issue #24): some febrile readings, or
        // a band of fevers, shown as normal-looking values.
        ModelName::IntermittentHiding => CameraModel::IntermittentHiding {
            from_c: args.hide_from,
            probability: args.hide_probability,
        },
        ModelName::BandHiding => CameraModel::BandHiding {
            from_c: args.hide_from,
            to_c: args.hide_to,
        },
        ModelName::OrderDependent => CameraModel::OrderDependent {
            weight: args.weight,
            strength: args.strength,
        },
    };
    let default_noise = if matches!(args.model, ModelName::Noisy) {
        0.4
    } else {
        0.1
    };
    let mut simulation = Simulation::new(model, args.seed);
    simulation.start_c = args.start;
    simulation.stop_c = args.stop;
    simulation.steps = args.steps;
    simulation.repeats = args.repeats;
    simulation.noise_sd_c = args.noise.unwrap_or(default_noise);
    simulation.drift_c_per_h = args.drift;
    simulation.lag_readings = args.lag;
    simulation.ripple = args.ripple.as_deref().map(|r| (r[0], r[1]));
    simulation.warm_up = args.warm_up.as_deref().map(|w| (w[0], w[1]));
    simulation.resolution = args.resolution;
    simulation.fahrenheit = args.fahrenheit;
    simulation.sweeps = args
        .sweeps
        .iter()
        .map(|s| match s {
            SweepName::Up if args.random_order => SweepOrder::Random,
            SweepName::Up => SweepOrder::Up,
            SweepName::Down => SweepOrder::Down,
            SweepName::Random => SweepOrder::Random,
        })
        .collect();
    simulation.stated_accuracy_c = args.stated_accuracy;
    simulation.alarm_threshold_c = args.alarm_threshold;
    simulation.frames = args.frames.map(|format| SyntheticFrames {
        format: match format {
            FrameFormat::Npy => OutputFormat::Npy,
            FrameFormat::Tiff => OutputFormat::Tiff,
            FrameFormat::Csv => OutputFormat::Csv,
        },
        width: args.frame_size.0,
        height: args.frame_size.1,
    });
    simulation
}

fn run_simulate(args: SimulateArgs) -> Result<u8> {
    let simulation = simulation_of(&args);
    simulation.write_session(&args.out, args.force)?;
    if args.output.human() {
        say!(
            "wrote a simulated {} camera session to {}",
            simulation.model.name(),
            shown(&args.out)
        );
    }
    args.output.json_summary(&serde_json::json!({
        "session": args.out.display().to_string(),
        "camera": simulation.model,
        "seed": simulation.seed,
        "readings": simulation.steps * simulation.repeats * simulation.sweeps.len(),
    }));
    Ok(EXIT_CLEAN)
}

/// The demo's two cameras: (folder name, model, seed).
fn demo_cameras() -> [(&'static str, CameraModel, u64); 2] {
    [
        ("honest-camera", CameraModel::Honest, 1),
        (
            "compressing-camera",
            CameraModel::Compressing {
                slope: 0.2,
                set_point_c: 37.0,
            },
            2,
        ),
    ]
}

fn fresh_demo_folder() -> PathBuf {
    let base = PathBuf::from("fevercheck-demo");
    if !base.exists() {
        return base;
    }
    (2..)
        .map(|i| PathBuf::from(format!("fevercheck-demo-{i}")))
        .find(|p| !p.exists())
        .unwrap_or(base)
}

fn run_demo(args: DemoArgs) -> Result<u8> {
    let root = args.out.clone().unwrap_or_else(fresh_demo_folder);
    if args.output.human() {
        say!("fevercheck demo: two simulated cameras on the Healy et al. 2021 sweep (35→40 °C, 21 steps × 3 readings)\n");
    }
    let mut summaries = Vec::new();
    for (name, model, seed) in demo_cameras() {
        let folder = root.join(name);
        // The demo replaces its own sessions, and nothing else: the folder
        // must hold only what an earlier demo wrote, unchanged.
        Simulation::new(model, seed)
            .replace_own_session(&folder)
            .with_context(|| format!("writing the demo session {}", folder.display()))?;
        let session = Session::load(&folder)?;
        let report =
            analyze_with_command_line(&session, DecodeOptions::default(), Caller::CommandLine)?;
        let out = folder.join("fevercheck-report");
        let _claimed = prepare_output_folder(&out, false)?;
        let written = write_report(&report, &out, PlotFiles::Both)?;
        if args.output.human() {
            say!("{}", terminal::summary(&report, Some(&out)));
            say_in_place(&written, &out);
        }
        summaries.push(report_summary(&report, &out));
    }
    if args.output.human() {
        say!("Sessions and reports are in {}", shown(&root));
    }
    args.output.json_summary(
        &serde_json::json!({ "folder": root.display().to_string(), "sessions": summaries }),
    );
    Ok(EXIT_CLEAN)
}

fn run_compare(args: CompareArgs) -> Result<u8> {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("fevercheck-comparison"));
    let mut inputs = RunInputs::new();
    for input in &args.inputs {
        if input.is_dir() {
            inputs.add_container(input);
            for name in ["readings.csv", "session.toml", "report.json"] {
                inputs.add(&input.join(name));
            }
        } else {
            inputs.add(input);
        }
    }
    inputs.refuse_as_output(&out)?;
    let _claimed = args
        .folder
        .claim(&out, "report.json", "a session's report")?;
    let comparison = fevercheck_report::compare::compare(&args.inputs)?;
    let written =
        fevercheck_report::compare::write_comparison(&comparison, &out, args.folder.plots.into())?;
    args.output.json_summary(&serde_json::json!({
        "folder": out.display().to_string(),
        "summary": fevercheck_report::compare::summary_line(&comparison),
        "devices": comparison.devices.iter().map(|d| serde_json::json!({
            "device": d.device,
            "source": d.source,
            "decision": d.decision,
            "accuracy_pass": d.accuracy_pass,
            "manipulation_suspected": d.manipulation_suspected,
            "findings": d.findings,
        })).collect::<Vec<_>>(),
    }));
    if args.output.human() {
        print_comparison(&comparison, &out);
        say_in_place(&written, &out);
    }
    Ok(if comparison.any_flagged() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Tells the user when the output folder was written file by file rather
/// than replaced whole, and why.
fn say_in_place(written: &Written, out: &Path) {
    if let Some(because) = &written.in_place_because {
        say!(
            "  note:     {} was written file by file, not replaced whole: {because}",
            shown(out)
        );
    }
}

/// The comparison as a table for the terminal.
fn print_comparison(comparison: &fevercheck_report::compare::Comparison, out: &Path) {
    say!(
        "{:<40} {:>6} {:>7} {:>7} {:>8} {:>13}  verdict",
        "device",
        "n",
        "slope",
        "range",
        "bias",
        "first alarm"
    );
    for d in &comparison.devices {
        let number = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{v:.2}"));
        let verdict = if d.manipulation_suspected {
            format!("MANIPULATION ({})", d.findings.join(", "))
        } else {
            format!(
                "accuracy {}; manipulation {}",
                d.accuracy.label(),
                d.manipulation.label()
            )
        };
        say!(
            "{:<40} {:>6} {:>7} {:>7} {:>8} {:>13}  {verdict}",
            shown_text(&d.device),
            d.n,
            number(d.slope),
            number(Some(d.range_c)),
            number(Some(d.bias_c)),
            d.first_alarm_reference_c
                .map_or("never".to_string(), |v| format!("{v:.2} °C"))
        );
    }
    say!("comparison: {}", shown(&out.join("comparison.html")));
}
