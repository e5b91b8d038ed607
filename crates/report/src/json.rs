//! `report.json`: the report pretty-printed as serde_json prints it (two
//! spaces an indent), except that each record of `observations` is one
//! compact line of its own (`{"line":2,"reference_c":35.0,…}`), with a
//! final newline. The layout changes white space only: the JSON value is the
//! same.
//!
//! A million readings make a million observation lines, most of the file:
//! they are rendered in blocks on the free cores and written in order
//! between the rest of the report, which is pretty-printed without them.
//! The tests check the bytes against `json_layout`, the same layout
//! written as one serde formatter over the whole report.

use std::io::{self, Write};
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use serde::Serialize;

use super::Exporter;
use fevercheck::model::{
    Accuracy, DetectorNotRun, Finding, FramePreview, FrameResult, IecItem, ObservationRecord,
    Report, SessionSummary, Step, Tool, Verdict,
};
use fevercheck_io::atomic::AtomicFile;
use fevercheck_io::error::{Error, Result};

/// Observations rendered by one task: enough that a task costs little
/// beside its work, few enough that the blocks on their way to the file
/// stay a few megabytes.
const RECORDS_PER_BLOCK: usize = 8_192;

/// Blocks rendered ahead of the one being written.
const BLOCKS_AHEAD: usize = 16;

/// The observations' member as the report without them lays it out.
const EMPTY_OBSERVATIONS: &[u8] = b"\n  \"observations\": []";

/// Writes the report contract.
pub struct JsonExporter;

impl Exporter<Report> for JsonExporter {
    fn file_name(&self) -> &'static str {
        "report.json"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        write_contract(report, &mut bytes).map_err(|e| Error::encode("report.json", e))?;
        Ok(bytes)
    }

    fn write_into(&self, report: &Report, file: &mut AtomicFile) -> Result<()> {
        let written = write_contract(report, file.writer());
        written.map_err(|e| file.error(e))
    }
}

/// Writes report.json's bytes into `writer`.
fn write_contract(report: &Report, writer: &mut impl Write) -> io::Result<()> {
    let mut rest = Vec::new();
    serde_json::to_writer_pretty(&mut rest, &WithoutObservations::of(report))?;
    // A top-level key is the only place where a line break is followed by
    // the key's quotes: in any string the layout writes a line break as
    // `\n`.
    let at = rest
        .windows(EMPTY_OBSERVATIONS.len())
        .position(|window| window == EMPTY_OBSERVATIONS)
        .ok_or_else(|| io::Error::other("report.json lacks its observations"))?;
    if report.observations.is_empty() {
        writer.write_all(&rest)?;
    } else {
        writer.write_all(&rest[..at])?;
        writer.write_all(b"\n  \"observations\": [")?;
        write_records(&report.observations, writer)?;
        writer.write_all(b"\n  ]")?;
        writer.write_all(&rest[at + EMPTY_OBSERVATIONS.len()..])?;
    }
    writer.write_all(b"\n")
}

/// Writes the observation lines, each after a comma but the first: blocks
/// are rendered on the free cores, a few ahead, and written here in order,
/// so the file is written by the calling thread alone.
fn write_records(records: &[ObservationRecord], writer: &mut impl Write) -> io::Result<()> {
    std::thread::scope(|scope| {
        let (send, blocks) = sync_channel::<io::Result<Vec<u8>>>(BLOCKS_AHEAD);
        scope.spawn(move || {
            let batches = records.chunks(RECORDS_PER_BLOCK * BLOCKS_AHEAD);
            for (batch_index, batch) in batches.enumerate() {
                let rendered: Vec<io::Result<Vec<u8>>> = batch
                    .par_chunks(RECORDS_PER_BLOCK)
                    .enumerate()
                    .map(|(index, block)| render_block(block, batch_index == 0 && index == 0))
                    .collect();
                for block in rendered {
                    // The writer stopped (a write failed): so does this.
                    if send.send(block).is_err() {
                        return;
                    }
                }
            }
        });
        for block in blocks {
            writer.write_all(&block?)?;
        }
        Ok(())
    })
}

/// The lines of `records`, each a line break, four spaces and the record,
/// after a comma unless it is the report's first record.
fn render_block(records: &[ObservationRecord], first: bool) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(records.len() * 160);
    for (index, record) in records.iter().enumerate() {
        if !(first && index == 0) {
            bytes.push(b',');
        }
        bytes.extend_from_slice(b"\n    ");
        write_record(&mut bytes, record)?;
    }
    Ok(bytes)
}

/// `record` on one line, as the layout of report.json has it (a test checks
/// it against `json_layout`, the layout written out as a serde formatter),
/// its keys written as they are rather than through serde, which took
/// most of the time of a million lines. Every field is named below: a
/// field added to the record does not compile until it is written here.
fn write_record(bytes: &mut Vec<u8>, record: &ObservationRecord) -> io::Result<()> {
    let ObservationRecord {
        line,
        reference_c,
        reported_c,
        displayed_c,
        radiometric_c,
        elapsed_s,
        sweep,
        subject,
        ambient_c,
    } = record;
    member(bytes, b"{\"line\":", line)?;
    member(bytes, b",\"reference_c\":", reference_c)?;
    member(bytes, b",\"reported_c\":", reported_c)?;
    if displayed_c.is_some() {
        member(bytes, b",\"displayed_c\":", displayed_c)?;
    }
    member(bytes, b",\"radiometric_c\":", radiometric_c)?;
    member(bytes, b",\"elapsed_s\":", elapsed_s)?;
    member(bytes, b",\"sweep\":", sweep)?;
    member(bytes, b",\"subject\":", subject)?;
    if ambient_c.is_some() {
        member(bytes, b",\"ambient_c\":", ambient_c)?;
    }
    bytes.push(b'}');
    Ok(())
}

/// `key` (with what comes before it) and `value` as serde_json writes it.
fn member<T: Serialize>(bytes: &mut Vec<u8>, key: &[u8], value: &T) -> io::Result<()> {
    bytes.extend_from_slice(key);
    serde_json::to_writer(bytes, value).map_err(io::Error::from)
}

/// The report without its observations, serialised as [`Report`] is: the
/// same members, in the same order, with the same rules (a test checks
/// that the two agree).
#[derive(Serialize)]
struct WithoutObservations<'a> {
    schema: &'a str,
    schema_version: &'a str,
    tool: &'a Tool,
    session: &'a SessionSummary,
    accuracy: &'a std::collections::BTreeMap<String, Accuracy>,
    steps: &'a [Step],
    observations: [ObservationRecord; 0],
    frames: &'a [FrameResult],
    frame_preview: &'a Option<FramePreview>,
    iec: &'a [IecItem],
    detectors: &'a [String],
    #[serde(skip_serializing_if = "<[DetectorNotRun]>::is_empty")]
    detectors_not_run: &'a [DetectorNotRun],
    findings: &'a [Finding],
    verdict: &'a Verdict,
}

impl<'a> WithoutObservations<'a> {
    fn of(report: &'a Report) -> Self {
        WithoutObservations {
            schema: &report.schema,
            schema_version: &report.schema_version,
            tool: &report.tool,
            session: &report.session,
            accuracy: &report.accuracy,
            steps: &report.steps,
            observations: [],
            frames: &report.frames,
            frame_preview: &report.frame_preview,
            iec: &report.iec,
            detectors: &report.detectors,
            detectors_not_run: &report.detectors_not_run,
            findings: &report.findings,
            verdict: &report.verdict,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_layout::{write_one_line, write_report_layout};
    use crate::simulate::{CameraModel, Simulation};

    /// A simulated report with every optional member of an observation
    /// present somewhere and hostile text in its labels.
    fn report(repeats: usize) -> Report {
        let compressing = CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        };
        let mut simulation = Simulation::new(compressing, 3);
        simulation.repeats = repeats;
        let session = simulation.to_session().unwrap();
        let mut report = fevercheck::analyze(&session).unwrap();
        let hostile = "}\n  ],\n  \"observations\": [\u{1b}[31m\u{0}\"";
        for (i, record) in report.observations.iter_mut().enumerate() {
            if i % 3 == 0 {
                record.displayed_c = Some(37.25);
                record.ambient_c = Some(22.5);
                record.sweep = Some(hostile.to_string());
            }
            if i % 5 == 0 {
                record.subject = Some(format!("subject {hostile} {i}"));
                record.reported_c = None;
            }
        }
        report.session.name = hostile.to_string();
        report
    }

    #[test]
    fn the_contract_is_the_whole_report_laid_out_in_one_pass() {
        // 21 steps × 6 300 readings: 17 blocks, the last of a second batch.
        for repeats in [1, 6_300] {
            let report = report(repeats);
            let mut one_pass = Vec::new();
            write_report_layout(&mut one_pass, &report).unwrap();
            one_pass.push(b'\n');
            let written = JsonExporter.render(&report).unwrap();
            assert!(written == one_pass, "{repeats} repeats: the bytes differ");
            assert_eq!(parsed(&written), compact(&report));
            let lines = written
                .split(|&b| b == b'\n')
                .filter(|l| l.starts_with(b"    {\"line\":"));
            assert_eq!(lines.count(), report.observations.len());
        }
    }

    #[test]
    fn a_record_is_written_as_the_layout_writes_it() {
        let mut record = report(1).observations[0].clone();
        let hostile = "\u{1b}[2J\"},\n{\u{0}\u{2028}";
        for every_field in [true, false] {
            let some = |value: f64| every_field.then_some(value);
            record.reported_c = some(36.6);
            record.displayed_c = some(-0.0);
            record.radiometric_c = some(1e-300);
            record.elapsed_s = some(12345678.9);
            record.sweep = every_field.then(|| hostile.to_string());
            record.subject = every_field.then(|| "Zoë".to_string());
            record.ambient_c = some(f64::MAX);
            let (mut fast, mut laid_out) = (Vec::new(), Vec::new());
            write_record(&mut fast, &record).unwrap();
            write_one_line(&mut laid_out, &record).unwrap();
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(laid_out).unwrap()
            );
        }
    }

    #[test]
    fn a_report_without_observations_is_written_whole() {
        let mut report = report(1);
        report.observations.clear();
        let written = JsonExporter.render(&report).unwrap();
        assert_eq!(parsed(&written), compact(&report));
        let text = String::from_utf8(written).unwrap();
        assert!(text.contains("\n  \"observations\": [],\n"), "{text}");
    }

    fn parsed(bytes: &[u8]) -> serde_json::Value {
        serde_json::from_slice(bytes).unwrap()
    }

    /// The report as serde_json writes it in one line, read back as
    /// `parsed` reads (numbers parsed the same way on both sides).
    fn compact(report: &Report) -> serde_json::Value {
        parsed(&serde_json::to_vec(report).unwrap())
    }
}
