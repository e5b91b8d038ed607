//! `fevercheck inspect` and `fevercheck convert`: radiometric files on the
//! command line.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{bail, Result};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde_json::{json, Value};

use fevercheck::calibrated_range::{CalibratedRange, OutsideRange};
use fevercheck::convert::{
    check_distinct, prepare_targets, selected_frames, target_in_folder, write_conversion,
    Conversion, FrameSelection, OutputFormat,
};
use fevercheck::formats::{frame_files_of, open, DecodeOptions, Limits, LinearScale};
use fevercheck::frame::{FrameMeta, FrameSummary};
use fevercheck::model::RadiometryOverrides;
use fevercheck::radiometry::AtmosphereModel;
use fevercheck::session::Manifest;

use super::output::OutputArgs;
use super::progress::Progress;
use super::{EXIT_CLEAN, EXIT_UNUSABLE};

/// How to decode radiometric files (shared by inspect and convert).
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// Emissivity of the object (0–1), replacing the file's.
    #[arg(long)]
    emissivity: Option<f64>,
    /// Reflected apparent temperature, °C.
    #[arg(long, value_name = "C", allow_negative_numbers = true)]
    reflected: Option<f64>,
    /// Atmospheric temperature, °C.
    #[arg(long, value_name = "C", allow_negative_numbers = true)]
    atmospheric: Option<f64>,
    /// Object distance, m.
    #[arg(long, value_name = "M")]
    distance: Option<f64>,
    /// Relative humidity, fraction 0–1 (or percent above 1).
    #[arg(long, value_name = "RH")]
    humidity: Option<f64>,
    /// Atmosphere model of FLIR files: `flir` (one path over the whole
    /// distance, as FLIR's software; the default) or `thermimage` (two
    /// half-paths, as the R package Thermimage).
    #[arg(long, value_name = "MODEL", value_parser = parse_atmosphere_model)]
    atmosphere_model: Option<AtmosphereModel>,
    /// Pixels outside the camera's calibrated range (FLIR's clip limits):
    /// `nan` (left out; the default), `clip` (the nearest limit) or `keep`
    /// (the extrapolated value). They are counted either way.
    #[arg(long, value_name = "HOW", value_parser = parse_outside_range)]
    outside_range: Option<OutsideRange>,
    /// Scale of integer images: centikelvin, decikelvin or flirpy.
    #[arg(long, value_name = "PRESET")]
    scale: Option<String>,
    /// Scale of integer images, kelvin per count (instead of a preset).
    #[arg(long, value_name = "K")]
    scale_factor: Option<f64>,
    /// Kelvin at count 0 (with --scale-factor).
    #[arg(
        long,
        value_name = "K",
        default_value_t = 0.0,
        allow_negative_numbers = true
    )]
    scale_offset: f64,
    /// Floating-point values are kelvin, not °C.
    #[arg(long)]
    kelvin: bool,
    /// Widest frame accepted, pixels.
    #[arg(long, value_name = "N")]
    max_width: Option<usize>,
    /// Tallest frame accepted, pixels.
    #[arg(long, value_name = "N")]
    max_height: Option<usize>,
    /// Most pixels in one frame.
    #[arg(long, value_name = "N")]
    max_pixels: Option<usize>,
    /// Most frames in one file.
    #[arg(long, value_name = "N")]
    max_frames: Option<usize>,
    /// Most bytes a compressed frame (or a whole file) may decode to per
    /// byte stored, beyond 16 MiB [default: 1000].
    #[arg(long, value_name = "RATIO")]
    max_expansion: Option<u64>,
}

impl DecodeArgs {
    /// The decode options these arguments describe, on top of the
    /// `[radiometry]` of `manifest` when given.
    pub fn options(&self, manifest: Option<&Path>) -> Result<DecodeOptions> {
        let base = match manifest {
            Some(path) => Manifest::load_optional(path, false)?.manifest.radiometry,
            None => RadiometryOverrides::default(),
        };
        let emissivity = self.emissivity.or(base.emissivity);
        if let Some(e) = emissivity {
            if !(e > 0.0 && e <= 1.0) {
                bail!("--emissivity must be in (0, 1], got {e}");
            }
        }
        if let Some(d) = self.distance {
            if !(d >= 0.0 && d.is_finite()) {
                bail!("--distance must be a distance in metres, got {d}");
            }
        }
        let humidity = match self.humidity.or(base.relative_humidity) {
            Some(h) if !(0.0..=100.0).contains(&h) => {
                bail!("--humidity must be 0–1 (or a percentage), got {h}")
            }
            Some(h) if h > 1.0 => Some(h / 100.0),
            other => other,
        };
        let scale = match (&self.scale, self.scale_factor) {
            (Some(_), Some(_)) => bail!("give --scale or --scale-factor, not both"),
            (Some(name), None) => Some(LinearScale::preset(name).ok_or_else(|| {
                anyhow::anyhow!(
                    "unknown --scale {name}; expected centikelvin, decikelvin or flirpy"
                )
            })?),
            (None, Some(factor)) => Some(LinearScale {
                scale: factor,
                offset: self.scale_offset,
            }),
            (None, None) => None,
        };
        let defaults = Limits::default();
        Ok(DecodeOptions {
            limits: Limits {
                max_width: self.max_width.unwrap_or(defaults.max_width),
                max_height: self.max_height.unwrap_or(defaults.max_height),
                max_pixels: self.max_pixels.unwrap_or(defaults.max_pixels),
                max_frames: self.max_frames.unwrap_or(defaults.max_frames),
                max_expansion: self.max_expansion.unwrap_or(defaults.max_expansion),
            },
            radiometry: RadiometryOverrides {
                emissivity,
                reflected_c: self.reflected,
                atmospheric_c: self.atmospheric,
                distance_m: self.distance,
                relative_humidity: humidity,
                atmosphere_model: self.atmosphere_model,
                outside_range: self.outside_range,
            }
            .on_top_of(&base),
            scale,
            kelvin: self.kelvin,
        })
    }
}

/// Which frames to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameChoice {
    /// Every frame.
    All,
    /// One frame.
    One(usize),
}

fn parse_atmosphere_model(text: &str) -> Result<AtmosphereModel, String> {
    AtmosphereModel::named(text).ok_or_else(|| format!("`{text}`: expected `flir` or `thermimage`"))
}

fn parse_outside_range(text: &str) -> Result<OutsideRange, String> {
    OutsideRange::named(text).ok_or_else(|| format!("`{text}`: expected `nan`, `clip` or `keep`"))
}

fn parse_frames(text: &str) -> Result<FrameChoice, String> {
    match text {
        "all" => Ok(FrameChoice::All),
        n => n
            .parse()
            .map(FrameChoice::One)
            .map_err(|_| format!("`{n}`: expected `all` or a frame number")),
    }
}

/// `fevercheck inspect`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    fevercheck inspect photo.jpg\n  \
    fevercheck inspect recording.seq --frames 0 --json\n  \
    fevercheck inspect photo.jpg --emissivity 0.98 --reflected 22 --distance 1.5")]
pub struct InspectArgs {
    /// Radiometric files, or folders of them (the frame files directly
    /// inside, in name order).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
    /// Frames to summarise: `all` or a frame number.
    #[arg(long, default_value = "all", value_parser = parse_frames)]
    frames: FrameChoice,
    /// A session.toml whose [radiometry] replaces the file's parameters
    /// (the options below replace it in turn).
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    #[command(flatten)]
    decode: DecodeArgs,
}

impl InspectArgs {
    /// The decode options of these arguments, on top of `--manifest`'s
    /// `[radiometry]` when given.
    pub(crate) fn decode_options(&self) -> Result<DecodeOptions> {
        self.decode.options(self.manifest.as_deref())
    }
}

/// `fevercheck convert`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    fevercheck convert photo.jpg --to csv --out photo.csv\n  \
    fevercheck convert recording.seq --to png --all --out frames/frame.png\n  \
    fevercheck convert recording.seq --to csv --all --per-frame --out frames/frame.csv\n  \
    fevercheck convert camera-export/ --to tiff --out converted/\n  \
    fevercheck convert photo.jpg --to tiff --out photo.tiff --force")]
pub struct ConvertArgs {
    /// The radiometric file; or several, or folders of them (the frame
    /// files directly inside), converted into the folder --out.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Write each frame to a file of its own, numbered (always for PNG).
    #[arg(long)]
    per_frame: bool,
    /// Output format.
    #[arg(long, value_enum)]
    to: ConvertFormat,
    /// Frame to convert (default 0).
    #[arg(long, conflicts_with = "all")]
    frame: Option<usize>,
    /// Convert every frame.
    #[arg(long)]
    all: bool,
    /// Output file (PNG with several frames: one file each, numbered); with
    /// several inputs, the folder to write them into.
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// A session.toml whose [radiometry] replaces the file's parameters.
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    #[command(flatten)]
    decode: DecodeArgs,
    /// Replace existing output files (never the file being converted).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ConvertFormat {
    Csv,
    Npy,
    Tiff,
    Png,
}

/// Files inspected at once per worker thread: enough to keep every core
/// busy between two writes, few enough that their output held in memory is
/// small.
const FILES_PER_WORKER: usize = 8;

/// Frames of one file decoded at once per worker thread (a 1024 × 768
/// frame holds 4.5 MB as counts and temperatures).
const FRAMES_PER_WORKER: usize = 4;

/// Frames of a file above which it is inspected on its own, streaming its
/// summaries as they come, instead of beside others with its output held.
const STREAMED_AFTER_FRAMES: usize = 64;

/// Inspects each file, printing in the order given: files are spread over
/// the cores, and their outputs written in order as they complete; a
/// recording of a million frames is summarised one frame at a time, never
/// held (its JSON is written as it is made). Returns the exit code.
pub fn run_inspect(args: InspectArgs) -> Result<u8> {
    let options = args.decode_options()?;
    let sink = if args.output.json {
        Sink::Json(std::io::BufWriter::new(std::io::stdout().lock()))
    } else if args.output.human() {
        Sink::Text
    } else {
        Sink::Quiet
    };
    let mut sink = sink;
    let files = frame_files_of(&args.files)?;
    let many = files.len() > 1 || args.files.iter().any(|p| p.is_dir());
    // Printed lines are progress enough; JSON and quiet runs get a bar.
    let bar = Progress::new("inspecting", "files");
    sink.json(if many { "[" } else { "" });
    let mut unreadable = 0;
    let batch = FILES_PER_WORKER * rayon::current_num_threads();
    for (first, chunk) in files.chunks(batch).enumerate() {
        let holding = sink.holding();
        let held: Vec<Option<(bool, Sink<Vec<u8>>)>> = chunk
            .par_iter()
            .map(|path| {
                let mut held = holding.holding();
                let failed = inspect_file(
                    path,
                    &options,
                    &args.frames,
                    Some(STREAMED_AFTER_FRAMES),
                    &mut held,
                )?;
                Some((failed, held))
            })
            .collect();
        for (i, (path, held)) in chunk.iter().zip(held).enumerate() {
            let done = first * batch + i;
            if done > 0 {
                sink.json(",");
            }
            let failed = match held {
                Some((failed, held)) => {
                    sink.replay(held);
                    failed
                }
                None => inspect_file(path, &options, &args.frames, None, &mut sink)
                    .expect("no frame limit: always inspected"),
            };
            unreadable += usize::from(failed);
            if !matches!(sink, Sink::Text) {
                bar.update(done + 1, files.len());
            }
        }
    }
    bar.finish();
    sink.json(if many { "]\n" } else { "\n" });
    sink.finish();
    if many && args.output.human() {
        say!(
            "{} file{} inspected: {} read, {} could not be read",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            files.len() - unreadable,
            unreadable
        );
    }
    Ok(if unreadable > 0 {
        EXIT_UNUSABLE
    } else {
        EXIT_CLEAN
    })
}

/// Where `inspect` writes: lines for people, one JSON document, or nothing.
enum Sink<W: std::io::Write> {
    Text,
    Json(W),
    Quiet,
    /// Lines for people, held until they are printed in order.
    HeldText(String),
}

impl<W: std::io::Write> Sink<W> {
    /// A sink that holds what this one would write, for [`Sink::replay`].
    fn holding(&self) -> Sink<Vec<u8>> {
        match self {
            Sink::Text | Sink::HeldText(_) => Sink::HeldText(String::new()),
            Sink::Json(_) => Sink::Json(Vec::new()),
            Sink::Quiet => Sink::Quiet,
        }
    }

    /// Writes what `held` holds.
    fn replay(&mut self, held: Sink<Vec<u8>>) {
        match held {
            Sink::Json(bytes) => self.json(&String::from_utf8_lossy(&bytes)),
            Sink::HeldText(text) => self.text(&text),
            Sink::Text | Sink::Quiet => {}
        }
    }

    /// Writes `text` into the JSON document (a closed pipe is ignored: the
    /// exit code still tells).
    fn json(&mut self, text: &str) {
        if let Sink::Json(out) = self {
            let _ = out.write_all(text.as_bytes());
        }
    }

    /// Writes `value` into the JSON document.
    fn json_value<T: serde::Serialize>(&mut self, value: &T) {
        if let Sink::Json(out) = self {
            let _ = serde_json::to_writer(&mut *out, value);
        }
    }

    /// Prints `text` for people.
    fn text(&mut self, text: &str) {
        match self {
            Sink::Text => say_raw!("{text}"),
            Sink::HeldText(held) => held.push_str(text),
            Sink::Json(_) | Sink::Quiet => {}
        }
    }

    fn finish(self) {
        if let Sink::Json(mut out) = self {
            let _ = out.flush();
        }
    }
}

/// Frame errors listed one by one in the JSON of one file; the rest are
/// counted (`errors_not_listed`).
const FRAME_ERRORS_LISTED: usize = 1000;

/// Inspects one file into `sink`: true when anything could not be read;
/// `None`, with nothing written, when it has more frames to summarise than
/// `most_frames`.
fn inspect_file<W: std::io::Write>(
    path: &Path,
    options: &DecodeOptions,
    frames: &FrameChoice,
    most_frames: Option<usize>,
    sink: &mut Sink<W>,
) -> Option<bool> {
    let file = path.display().to_string();
    let mut source = match open(path, options) {
        Ok(source) => source,
        Err(e) => {
            sink.json_value(&json!({ "file": file, "error": e.to_string() }));
            sink.text(&format!("{}: error: {e}\n", super::shown_text(&file)));
            return Some(true);
        }
    };
    let count = source.frame_count();
    if matches!(frames, FrameChoice::All) && most_frames.is_some_and(|most| count > most) {
        return None;
    }
    let mut header = json!({ "file": file, "format": source.format(), "frames": count });
    let mut failed = false;
    match source.read_meta(0) {
        Ok(meta) => {
            describe_meta(&mut header, &meta);
            if let Some(range) = CalibratedRange::of(&meta.limits) {
                let policy = options.radiometry.outside_range.unwrap_or_default();
                header["calibrated_range"] = json!({
                    "low_c": range.low_c,
                    "high_c": range.high_c,
                    "outside_shown_as": policy.name(),
                });
            }
        }
        Err(e) => {
            header["error"] = json!(e.to_string());
            failed = true;
        }
    }
    // The header's fields, then the frames' summaries as they come.
    let opening = serde_json::to_string(&header).unwrap_or_else(|_| "{}".into());
    sink.json(opening.strip_suffix('}').unwrap_or("{"));
    sink.json(",\"stats\":[");
    sink.text(&readable_header(&header));
    let indexes: Vec<usize> = match frames {
        FrameChoice::All => (0..count).collect(),
        FrameChoice::One(n) => vec![*n],
    };
    let mut errors = Vec::new();
    let mut error_count = 0usize;
    let mut first = true;
    // Frames decode a few per core at a time (a JPEG-LS frame of a CSQ takes
    // 25 ms); their summaries are written in order as each batch completes.
    let batch = FRAMES_PER_WORKER * rayon::current_num_threads();
    for chunk in indexes.chunks(batch) {
        let summaries: Vec<Result<FrameSummary, _>> = source
            .read_frames(chunk)
            .into_par_iter()
            .map(|frame| frame.map(|frame| FrameSummary::of(&frame)))
            .collect();
        for (&index, summary) in chunk.iter().zip(summaries) {
            match summary {
                Ok(summary) => {
                    sink.json(if first { "" } else { "," });
                    first = false;
                    sink.json_value(&summary);
                    sink.text(&readable_frame(&summary));
                }
                Err(e) => {
                    error_count += 1;
                    sink.text(&format!("  frame {index}: error: {e}\n"));
                    if errors.len() < FRAME_ERRORS_LISTED {
                        errors.push(json!({ "frame": index, "error": e.to_string() }));
                    }
                }
            }
        }
    }
    sink.json("],\"errors\":");
    sink.json_value(&errors);
    if error_count > errors.len() {
        sink.json(&format!(
            ",\"errors_not_listed\":{}",
            error_count - errors.len()
        ));
    }
    let offsets = source.frame_offsets();
    if !offsets.is_empty() {
        sink.json(",\"frame_offsets\":");
        sink.json_value(&offsets);
    }
    sink.json("}");
    if let Some(error) = header.get("error").and_then(Value::as_str) {
        sink.text(&format!("  error: {error}\n"));
    }
    Some(failed || error_count > 0)
}

fn describe_meta(report: &mut Value, meta: &FrameMeta) {
    report["width"] = json!(meta.width);
    report["height"] = json!(meta.height);
    report["camera"] = json!({ "model": meta.camera.model, "serial": meta.camera.serial });
    report["time"] = json!(meta.time.map(|t| t.to_rfc3339()));
    report["radiometry"] = match &meta.radiometry {
        Some(p) => json!({
            "emissivity": p.emissivity,
            "reflected_c": p.reflected_c,
            "atmospheric_c": p.atmospheric_c,
            "distance_m": p.distance_m,
            "relative_humidity": p.relative_humidity,
            "window_c": p.window_c,
            "window_transmission": p.window_transmission,
            "atmosphere_model": p.atmosphere_model.name(),
            "planck": { "r1": p.planck.r1, "b": p.planck.b, "f": p.planck.f, "o": p.planck.o, "r2": p.planck.r2 },
            "atmosphere": p.atmosphere,
        }),
        None => Value::Null,
    };
    report["limits"] = json!(meta.limits);
}

/// A number the file stores as a 32-bit float, written with the digits
/// that float holds (1395.7, not 1395.699951171875).
fn stored(value: &Value) -> String {
    value
        .as_f64()
        .map_or("—".to_string(), |v| format!("{}", v as f32))
}

/// The lines about one inspected file before its frames.
fn readable_header(report: &Value) -> String {
    let file = super::shown_text(report["file"].as_str().unwrap_or("?"));
    let number = |v: &Value| v.as_f64().map_or("—".to_string(), |n| format!("{n:.2}"));
    let mut text = format!(
        "{file}: {}, {} frame(s), {}×{}",
        report["format"].as_str().unwrap_or("?"),
        report["frames"],
        report["width"],
        report["height"]
    );
    // The camera's own text fields come from the file: one line each.
    if let Some(model) = report["camera"]["model"].as_str() {
        text.push_str(&format!(", {}", super::shown_text(model)));
    }
    if let Some(serial) = report["camera"]["serial"].as_str() {
        text.push_str(&format!(" (serial {})", super::shown_text(serial)));
    }
    text.push('\n');
    let r = &report["radiometry"];
    if !r.is_null() {
        text.push_str(&format!(
            "  radiometry: emissivity {}, reflected {} °C, atmospheric {} °C, distance {} m, RH {} %, \
             Planck R1 {} B {} F {} O {} R2 {}, atmosphere model {}\n",
            number(&r["emissivity"]),
            number(&r["reflected_c"]),
            number(&r["atmospheric_c"]),
            number(&r["distance_m"]),
            r["relative_humidity"].as_f64().map_or("—".into(), |h| format!("{:.0}", 100.0 * h)),
            stored(&r["planck"]["r1"]),
            stored(&r["planck"]["b"]),
            stored(&r["planck"]["f"]),
            stored(&r["planck"]["o"]),
            stored(&r["planck"]["r2"]),
            r["atmosphere_model"].as_str().unwrap_or("?"),
        ));
    }
    let limits = &report["limits"];
    if limits.is_object() {
        let pair = |low: &str, high: &str| {
            format!("{} to {} °C", number(&limits[low]), number(&limits[high]))
        };
        text.push_str(&format!(
            "  limits: clip {}, camera range {}, saturation {}\n",
            pair("clip_min_c", "clip_max_c"),
            pair("range_min_c", "range_max_c"),
            pair("saturated_min_c", "saturated_max_c"),
        ));
    }
    let range = &report["calibrated_range"];
    if range.is_object() {
        text.push_str(&format!(
            "  calibrated range: {} to {} °C (pixels outside: {})\n",
            number(&range["low_c"]),
            number(&range["high_c"]),
            range["outside_shown_as"].as_str().unwrap_or("?"),
        ));
    }
    if let Some(time) = report["time"].as_str() {
        text.push_str(&format!("  captured: {time}\n"));
    }
    text
}

/// The line of one frame's summary.
fn readable_frame(s: &FrameSummary) -> String {
    let number = |v: Option<f64>| v.map_or("—".to_string(), |n| format!("{n:.2}"));
    let outside = match s.outside_range {
        0 => String::new(),
        n => format!(", {n} outside the calibrated range"),
    };
    format!(
        "  frame {}: min {} °C, max {} °C, mean {} °C, centre {} °C, {} NaN{outside}\n",
        s.frame,
        number(s.min_c),
        number(s.max_c),
        number(s.mean_c),
        number(s.centre_c),
        s.nan
    )
}

/// Converts frames of a file; returns the exit code.
pub fn run_convert(args: ConvertArgs) -> Result<u8> {
    let options = args.decode.options(args.manifest.as_deref())?;
    let format = match args.to {
        ConvertFormat::Csv => OutputFormat::Csv,
        ConvertFormat::Npy => OutputFormat::Npy,
        ConvertFormat::Tiff => OutputFormat::Tiff,
        ConvertFormat::Png => OutputFormat::Png,
    };
    let selection = if args.all {
        FrameSelection::All
    } else {
        FrameSelection::One(args.frame.unwrap_or(0))
    };
    let files = frame_files_of(&args.files)?;
    let batch = files.len() > 1 || args.files.iter().any(|p| p.is_dir());
    if batch && args.out.exists() && !args.out.is_dir() {
        bail!(
            "{}: with several files to convert, --out names the folder to write them into",
            super::shown(&args.out)
        );
    }
    // Every conversion planned and every target checked before anything is
    // written; a file that cannot be opened is reported and passed over.
    let mut conversions = Vec::new();
    let mut unreadable = Vec::new();
    for file in &files {
        let frames = match open(file, &options) {
            Ok(source) => selected_frames(selection, source.frame_count()),
            Err(e) if batch => {
                unreadable.push((file.clone(), e.to_string()));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let out = if batch {
            target_in_folder(file, &args.out, format)
        } else {
            args.out.clone()
        };
        conversions.push(Conversion::new(file, frames, &out, format, args.per_frame));
    }
    check_distinct(&conversions)?;
    for conversion in &conversions {
        prepare_targets(&conversion.input, &conversion.targets, args.force)?;
    }
    let bar = Progress::new("converting", "files");
    let mut written = Vec::new();
    let mut report = Vec::new();
    let policy = options.radiometry.outside_range.unwrap_or_default();
    // Files convert on all cores, each to its own targets; what they wrote
    // is told in the order given.
    let finished = AtomicUsize::new(0);
    let results: Vec<_> = conversions
        .par_iter()
        .map(|conversion| {
            let mut outside = 0;
            let result = open(&conversion.input, &options).and_then(|mut source| {
                write_conversion(conversion, format, |index| {
                    let frame = source.read_frame(index)?;
                    outside += frame.meta.outside_range;
                    Ok(frame)
                })
            });
            if batch {
                let done = finished.fetch_add(1, Ordering::Relaxed) + 1;
                bar.update(done, conversions.len());
            }
            (result, outside)
        })
        .collect();
    for (conversion, (result, outside)) in conversions.iter().zip(results) {
        match result {
            Ok(files) => {
                if outside > 0 && args.output.human() {
                    say!(
                        "note: {outside} pixel(s) of {} lie outside the camera's calibrated range: \
                         written as {} (--outside-range nan, clip or keep chooses)",
                        super::shown(&conversion.input),
                        match policy {
                            OutsideRange::Nan => "NaN",
                            OutsideRange::Clip => "the nearest limit of the range",
                            _ => "the extrapolated values",
                        }
                    );
                }
                report.push(json!({
                    "input": conversion.input.display().to_string(),
                    "frames": conversion.frames,
                    "written": files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                    "outside_range": outside,
                    "outside_shown_as": policy.name(),
                }));
                written.extend(files);
            }
            Err(e) if batch => unreadable.push((conversion.input.clone(), e.to_string())),
            Err(e) => return Err(e.into()),
        }
    }
    bar.finish();
    let converted = report.len();
    if args.output.human() {
        if batch {
            for (file, error) in &unreadable {
                say!(
                    "not converted: {}: {}",
                    super::shown(file),
                    super::shown_text(error)
                );
            }
            say!(
                "{} of {} file{} converted into {} ({} written)",
                converted,
                files.len(),
                if files.len() == 1 { "" } else { "s" },
                super::shown(&args.out),
                written.len()
            );
        } else {
            for path in &written {
                say!("wrote {}", super::shown(path));
            }
        }
    }
    if batch {
        args.output.json_summary(&json!({
            "converted": report,
            "not_converted": unreadable
                .iter()
                .map(|(file, error)| json!({"input": file.display().to_string(), "error": error}))
                .collect::<Vec<_>>(),
        }));
    } else if let Some(single) = report.into_iter().next() {
        args.output.json_summary(&single);
    }
    Ok(if unreadable.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_UNUSABLE
    })
}
