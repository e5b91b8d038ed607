//! `report.html`: one self-contained page — a verdict banner, the findings
//! with their evidence, the charts (inline SVG), the statistics, screening and
//! step tables, the session's details and how the report was produced. No
//! script, style sheet or font is fetched: the page renders offline.

use std::fmt::Write;

use super::evidence::{evidence_name, evidence_text};
use super::format::role_after;
use super::plot::observed::Observed;
use super::plot::{applicable_charts, charts, DrawnChart};
use super::tables::{self, Table};
use super::Exporter;
use fevercheck::model::{AccuracyState, ManipulationState, Report, SessionKind, Severity, Verdict};
use fevercheck_io::error::Result;
use fevercheck_io::escape::css;
use fevercheck_io::escape::html::content_security_policy_meta;
pub use fevercheck_io::escape::html::text as escape;

/// Writes the HTML report, drawing its charts.
pub struct HtmlExporter;

impl Exporter<Report> for HtmlExporter {
    fn file_name(&self) -> &'static str {
        "report.html"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>> {
        let kinds = charts();
        let observed = Observed::of(report);
        let drawn = applicable_charts(&kinds, &observed);
        HtmlWithCharts(&drawn).render(report)
    }
}

/// Writes the HTML report with the charts that also go to plots/: each
/// chart is drawn once per run.
pub struct HtmlWithCharts<'a>(pub &'a [DrawnChart<'a>]);

impl Exporter<Report> for HtmlWithCharts<'_> {
    fn file_name(&self) -> &'static str {
        "report.html"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>> {
        let mut charts_html = String::new();
        for chart in self.0 {
            let document = chart.svg_document()?;
            let svg = document
                .find("<svg")
                .map_or(document, |start| &document[start..]);
            let _ = writeln!(
                charts_html,
                "<figure id=\"chart-{}\">{svg}<figcaption>{}</figcaption></figure>",
                chart.kind.name,
                escape(chart.kind.title)
            );
        }
        let mut out = String::new();
        write_page(&mut out, report, &charts_html).expect("writing to a String cannot fail");
        Ok(out.into_bytes())
    }
}

/// Style of the page, inline.
const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;\
margin:0;color:#1d1d1f;background:#fafafa}main{max-width:1240px;margin:0 auto;padding:0 24px 48px}\
.banner{padding:28px 24px;color:#fff}.banner h1{margin:0 0 8px;font-size:26px}.banner p{margin:4px 0;font-size:19px}\
.banner.pass{background:#1f7a3a}.banner.notjudged{background:#4d4d4d}.banner.conditional{background:#6b5a00}.banner.accuracy{background:#b35c00}.banner.manipulation{background:#b3121f}\
h2{margin-top:36px;border-bottom:2px solid #ddd;padding-bottom:6px}\
.finding{background:#fff;border-left:6px solid #999;padding:10px 16px;margin:12px 0;box-shadow:0 1px 2px #0002}\
.finding.manipulation{border-color:#b3121f}.finding.accuracy{border-color:#b35c00}.finding.warning{border-color:#777}\
.finding h3{margin:0 0 6px;font-size:16px;text-transform:uppercase;letter-spacing:.04em}\
table{border-collapse:collapse;background:#fff;margin:8px 0 16px;display:block;overflow-x:auto;max-width:100%}td,th{border:1px solid #ddd;padding:5px 10px;text-align:left}\
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}\
figure{margin:16px 0;background:#fff;padding:8px;box-shadow:0 1px 2px #0002}figure svg{width:100%;height:auto}\
.banner dl{margin:8px 0 4px;font-size:15px}figcaption{color:#555;padding:6px}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{font-weight:600}\
footer{color:#666;margin-top:32px;font-size:14px}\
@media (max-width:600px){main{padding:0 10px 32px}.banner{padding:16px 12px}.banner h1{font-size:20px}\
.banner p{font-size:16px}dl{grid-template-columns:1fr}td,th{padding:4px 6px}}\
@media print{table{display:table}@page{size:A4;margin:18mm 12mm 14mm}body{background:#fff;font-size:10.5pt}\
main{max-width:none;padding:0}.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact;padding:10px 14px}\
.banner h1{font-size:17pt}.banner p{font-size:12pt}figure{break-inside:avoid;box-shadow:none;padding:0}\
figure svg{max-height:112mm}figcaption{font-size:8.5pt;padding:2px 0}\
#sign-off{break-inside:avoid}#sign-off td{height:11mm;min-width:30mm}#appendix{break-before:page}h2,h3{break-after:avoid}.finding{break-inside:avoid;box-shadow:none}\
table{font-size:8.5pt}tr{break-inside:avoid}td,th{padding:2px 5px}}";

/// The running header and footer of printed pages: the device and the
/// date of the test at the top, the page number at the bottom (CSS paged
/// media margin boxes, which Chromium prints).
fn print_margins(report: &Report) -> String {
    let device = report.device_name();
    let date = report
        .session
        .first_time
        .as_deref()
        .and_then(|t| t.get(..10))
        .map_or("test date not recorded".to_string(), |d| {
            format!("tested {d}")
        });
    format!(
        "@media print{{@page{{@top-left{{content:\"fevercheck report: {}\";font-size:9pt;color:#444}}\
         @top-right{{content:\"{}\";font-size:9pt;color:#444}}\
         @bottom-right{{content:\"page \" counter(page) \" of \" counter(pages);font-size:9pt;color:#444}}}}}}",
        css::string(&device),
        css::string(&date)
    )
}

/// The banner's colour: red for manipulation, orange for a fail, olive for
/// a conditional result, grey when an axis was not judged, and green only
/// when both axes were judged and passed.
fn banner_class(verdict: &Verdict) -> &'static str {
    match (verdict.manipulation, verdict.accuracy) {
        (ManipulationState::Suspected, _) => "manipulation",
        (_, AccuracyState::Fail | AccuracyState::ConditionalFail) => "accuracy",
        (ManipulationState::NotJudged, _) | (_, AccuracyState::NotJudged) => "notjudged",
        (_, AccuracyState::ConditionalPass) => "conditional",
        (ManipulationState::NotSuspected, AccuracyState::Pass) => "pass",
    }
}

fn write_page(out: &mut String, report: &Report, charts_html: &str) -> std::fmt::Result {
    let name = escape(&report.session.name);
    let class = banner_class(&report.verdict);
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{}",
        content_security_policy_meta(None)
    )?;
    writeln!(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        out,
        "<title>fevercheck report: {name}</title><style>{STYLE}{}</style></head><body>",
        print_margins(report)
    )?;
    writeln!(
        out,
        "<header class=\"banner {class}\" id=\"verdict\"><h1>fevercheck report: {name}</h1>"
    )?;
    let record = tables::test_record(report);
    if !record.is_empty() {
        writeln!(out, "<dl class=\"test-record\">")?;
        for (key, value) in record {
            writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(&key), escape(&value))?;
        }
        writeln!(out, "</dl>")?;
    }
    writeln!(
        out,
        "<p class=\"summary\">{}</p>",
        escape(&report.verdict.summary)
    )?;
    let accuracy = report.verdict.accuracy_label();
    let manipulation = report.verdict.manipulation_label();
    writeln!(out, "<p>Accuracy: <strong>{accuracy}</strong> · Manipulation: <strong>{manipulation}</strong></p>")?;
    if let Some(alarms) = report.alarm_headline() {
        writeln!(out, "<p class=\"alarms\">Alarms: {}</p>", escape(&alarms))?;
    }
    for reason in &report.verdict.not_judged_because {
        writeln!(out, "<p class=\"not-judged\">{}</p>", escape(reason))?;
    }
    writeln!(out, "</header><main>")?;
    if !report.session.excluded.is_empty() {
        writeln!(
            out,
            "<section id=\"excluded\"><h2>Values left out</h2><p>These rows looked like \
             mistakes in the file and were left out at the user's request; nothing here rests \
             on them.</p><ul>"
        )?;
        for s in &report.session.excluded {
            writeln!(
                out,
                "<li>line {}, <code>{}</code>: {}</li>",
                s.line,
                escape(&s.column),
                escape(&s.reason)
            )?;
        }
        writeln!(out, "</ul></section>")?;
    }

    if !report.session.warnings.is_empty() {
        writeln!(
            out,
            "<section id=\"warnings\"><h2>Warnings that bear on the verdict</h2><ul>"
        )?;
        for warning in &report.session.warnings {
            writeln!(out, "<li>{}</li>", escape(warning))?;
        }
        writeln!(out, "</ul></section>")?;
    }
    if !report.session.notes.is_empty() {
        writeln!(
            out,
            "<section id=\"notes\"><h2>How the files were read</h2><p>Notes for checking \
             the input; they do not bear on the verdict.</p><ul>"
        )?;
        for note in &report.session.notes {
            writeln!(out, "<li>{}</li>", escape(note))?;
        }
        writeln!(out, "</ul></section>")?;
    }
    writeln!(out, "<section id=\"findings\"><h2>Findings</h2>")?;
    if report.findings.is_empty() {
        writeln!(out, "<p>None.</p>")?;
    }
    for f in &report.findings {
        let severity = f.severity.name();
        let role = role_after(report, f, " · ");
        writeln!(
            out,
            "<article class=\"finding {severity}\"><h3>{severity}{role} · {} ({})</h3>",
            escape(&f.detector),
            escape(&f.source)
        )?;
        writeln!(
            out,
            "<p>{}</p><table class=\"evidence\"><tr><th>Evidence</th><th>Value</th></tr>",
            escape(&f.message)
        )?;
        for (key, value) in &f.evidence {
            writeln!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
                escape(&evidence_name(key)),
                escape(&evidence_text(key, value))
            )?;
        }
        writeln!(out, "</table></article>")?;
    }
    let manipulation_tests = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Manipulation)
        .count();
    writeln!(
        out,
        "<p>Detectors run: {}. Manipulation findings: {manipulation_tests}.</p>",
        escape(&report.detectors.join(", "))
    )?;
    if let Some(not_run) = tables::detectors_not_run(report) {
        writeln!(out, "<p>Not run: {}.</p>", escape(&not_run))?;
    }
    writeln!(out, "</section>")?;
    let kind = report.session.kind;

    writeln!(
        out,
        "<section id=\"charts\"><h2>Charts</h2>\n{charts_html}</section>"
    )?;
    for (source, a) in &report.accuracy {
        writeln!(
            out,
            "<section id=\"accuracy-{}\"><h2>Accuracy of the {} values</h2>",
            escape(source),
            escape(source)
        )?;
        write_table(out, &tables::accuracy(a, kind))?;
        if let Some(budget) = tables::uncertainty(a) {
            writeln!(out, "<h3>Uncertainty and decision (the decisive step)</h3>")?;
            write_table(out, &budget)?;
        }
        writeln!(out, "<h3>Screening</h3>")?;
        write_table(out, &tables::screening(a))?;
        writeln!(out, "</section>")?;
    }
    if kind == SessionKind::Sweep {
        writeln!(
            out,
            "<section id=\"iec\"><h2>IEC 80601-2-59 laboratory battery</h2>"
        )?;
        write_table(out, &tables::iec(report))?;
        writeln!(out, "</section><section id=\"steps\"><h2>Steps</h2>")?;
        write_table(out, &tables::steps(report))?;
        writeln!(out, "</section>")?;
    }
    writeln!(out, "<section id=\"session\"><h2>Session</h2><dl>")?;
    for (key, value) in tables::session(report) {
        writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(&key), escape(&value))?;
    }
    writeln!(out, "</dl></section>")?;
    writeln!(
        out,
        "<section id=\"sign-off\"><h2>Sign-off</h2><p>This report was produced by the \
         program named below from the files named above; the persons below take \
         responsibility for its use.</p>"
    )?;
    write_table(out, &tables::sign_off(report))?;
    let (heading, note) = tables::appendix_heading(report);
    writeln!(
        out,
        "</section><section id=\"appendix\"><h2>{heading}</h2><p>{note}</p>"
    )?;
    write_table(out, &tables::readings(report))?;
    writeln!(out, "</section>")?;
    writeln!(
        out,
        "<footer>Written by {} {} (schema {}).</footer></main></body></html>",
        escape(&report.tool.name),
        escape(&report.tool.version),
        escape(&report.schema)
    )
}

fn write_table(out: &mut String, table: &Table) -> std::fmt::Result {
    writeln!(
        out,
        "<table><tr>{}</tr>",
        table
            .header
            .iter()
            .map(|h| format!("<th>{}</th>", escape(h)))
            .collect::<String>()
    )?;
    for row in &table.rows {
        let cells: String = row
            .iter()
            .map(|c| format!("<td>{}</td>", escape(c)))
            .collect();
        writeln!(out, "<tr>{cells}</tr>")?;
    }
    writeln!(out, "</table>")
}
