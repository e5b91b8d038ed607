//! `report.md`: the report for people. Verdict first, then findings, the
//! statistics, the screening and step tables, and the session's details.

use std::fmt::Write;

use super::evidence::{evidence_name, evidence_text};
use super::format::role_after;
use super::tables::{self, Table};
use super::Exporter;
use fevercheck::model::{Report, SessionKind};
use fevercheck_io::error::Result;
use fevercheck_io::escape::markdown::inline as md;

/// Writes the Markdown report.
pub struct MarkdownExporter;

impl Exporter<Report> for MarkdownExporter {
    fn file_name(&self) -> &'static str {
        "report.md"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>> {
        let mut out = String::new();
        write_report(&mut out, report).expect("writing to a String cannot fail");
        Ok(out.into_bytes())
    }
}

fn write_report(out: &mut String, report: &Report) -> std::fmt::Result {
    writeln!(out, "# fevercheck report: {}\n", md(&report.session.name))?;
    let record = tables::test_record(report);
    if !record.is_empty() {
        for (name, value) in record {
            writeln!(out, "- {}: {}", md(&name), md(&value))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Verdict\n")?;
    writeln!(out, "**{}**\n", md(&report.verdict.summary))?;
    writeln!(out, "- Accuracy: {}", report.verdict.accuracy_label())?;
    writeln!(
        out,
        "- Manipulation: {}",
        report.verdict.manipulation_label()
    )?;
    if let Some(alarms) = report.alarm_headline() {
        writeln!(out, "- Alarms: {}", md(&alarms))?;
    }
    for reason in &report.verdict.not_judged_because {
        writeln!(out, "- {}", md(reason))?;
    }
    writeln!(out)?;
    if !report.session.excluded.is_empty() {
        writeln!(
            out,
            "## Values left out\n\nThese rows looked like mistakes in the file and were left \
             out at the user's request; nothing above rests on them.\n"
        )?;
        for s in &report.session.excluded {
            writeln!(
                out,
                "- line {}, {}: {}",
                s.line,
                md(&s.column),
                md(&s.reason)
            )?;
        }
        writeln!(out)?;
    }

    if !report.session.warnings.is_empty() {
        writeln!(out, "## Warnings that bear on the verdict\n")?;
        for warning in &report.session.warnings {
            writeln!(out, "- {}", md(warning))?;
        }
        writeln!(out)?;
    }
    if !report.session.notes.is_empty() {
        writeln!(
            out,
            "## How the files were read\n\nNotes for checking the input; they do not bear on \
             the verdict.\n"
        )?;
        for note in &report.session.notes {
            writeln!(out, "- {}", md(note))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Findings\n")?;
    if report.findings.is_empty() {
        writeln!(out, "None.\n")?;
    }
    for finding in &report.findings {
        let role = role_after(report, finding, ", ");
        writeln!(
            out,
            "- **{}** ({}, {}{role}): {}",
            finding.severity.name(),
            md(&finding.detector),
            md(&finding.source),
            md(&finding.message)
        )?;
        let evidence: Vec<String> = finding
            .evidence
            .iter()
            .map(|(k, v)| format!("{}: {}", md(&evidence_name(k)), md(&evidence_text(k, v))))
            .collect();
        writeln!(out, "  - evidence: {}", evidence.join("; "))?;
    }
    writeln!(
        out,
        "\nDetectors run: {}.\n",
        md(&report.detectors.join(", "))
    )?;
    if let Some(not_run) = tables::detectors_not_run(report) {
        writeln!(out, "Not run: {}.\n", md(&not_run))?;
    }
    let kind = report.session.kind;
    for (source, accuracy) in &report.accuracy {
        let source = md(source);
        writeln!(out, "## Accuracy of the {source} values\n")?;
        write_table(out, &tables::accuracy(accuracy, kind))?;
        if let Some(budget) = tables::uncertainty(accuracy) {
            writeln!(
                out,
                "### Uncertainty and decision ({source}, the decisive step)\n"
            )?;
            write_table(out, &budget)?;
        }
        writeln!(out, "### Screening ({source})\n")?;
        write_table(out, &tables::screening(accuracy))?;
    }
    if kind == SessionKind::Sweep {
        writeln!(out, "## IEC 80601-2-59 laboratory battery\n")?;
        write_table(out, &tables::iec(report))?;
        writeln!(out, "## Steps\n")?;
        write_table(out, &tables::steps(report))?;
    }
    writeln!(out, "## Session\n")?;
    for (name, value) in tables::session(report) {
        writeln!(out, "- {}: {}", md(&name), md(&value))?;
    }
    writeln!(out, "\n## Sign-off\n")?;
    write_table(out, &tables::sign_off(report))?;
    let (heading, note) = tables::appendix_heading(report);
    writeln!(out, "## {heading}\n\n{note}\n")?;
    write_table(out, &tables::readings(report))?;
    Ok(())
}

/// A Markdown table; every cell is inline text ([`md`]).
pub(crate) fn write_table(out: &mut String, table: &Table) -> std::fmt::Result {
    let cell = |text: &String| md(text);
    writeln!(
        out,
        "| {} |",
        table
            .header
            .iter()
            .map(cell)
            .collect::<Vec<_>>()
            .join(" | ")
    )?;
    writeln!(out, "|{}|", vec!["---"; table.header.len()].join("|"))?;
    for row in &table.rows {
        writeln!(
            out,
            "| {} |",
            row.iter().map(cell).collect::<Vec<_>>().join(" | ")
        )?;
    }
    writeln!(out)
}
