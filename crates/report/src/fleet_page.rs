//! A fleet audit's files: fleet.json (the contract, `schema_version` first)
//! and fleet.html (the fleet table, most suspicious camera first, what a
//! log cannot show, and each camera's readings as a small histogram with
//! its indicators), written through the same output path as reports: the
//! folder claimed, every file atomic, the folder swapped whole.

use std::fmt::Write as _;
use std::path::Path;

use crate::format::number;
use crate::output::{write_outputs, Exporter, PlotFiles, Written};
use fevercheck_fleet::indicators::IndicatorState;
use fevercheck_fleet::{CameraAudit, CameraJudgement, FleetAudit};
use fevercheck_io::error::{Error, Result};
use fevercheck_io::escape::html::{content_security_policy_meta, text as html};

/// The files of a fleet audit.
pub const FLEET_FILES: [&str; 2] = ["fleet.html", "fleet.json"];

/// Writes `audit` into `folder` (claim it first, as for a report).
pub fn write_fleet_audit(audit: &FleetAudit, folder: &Path) -> Result<Written> {
    write_outputs(
        audit,
        folder,
        &[&FleetHtml, &FleetJson],
        &[],
        PlotFiles::None,
    )
}

/// fleet.json.
struct FleetJson;

impl Exporter<FleetAudit> for FleetJson {
    fn file_name(&self) -> &'static str {
        "fleet.json"
    }

    fn render(&self, audit: &FleetAudit) -> Result<Vec<u8>> {
        let mut bytes =
            serde_json::to_vec_pretty(audit).map_err(|e| Error::encode("fleet.json", e))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// fleet.html.
struct FleetHtml;

/// A judgement in words.
pub fn judgement_label(state: CameraJudgement) -> &'static str {
    match state {
        CameraJudgement::Consistent => "consistent",
        CameraJudgement::Normalising => "normalising",
        CameraJudgement::NotJudged => "not judged",
    }
}

/// Page style: a table and a grid of small multiples, printable.
const STYLE: &str = "body{font-family:sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}\
td:first-child,th:first-child,td.state{text-align:left}.normalising{background:#fde2e2}\
.not_judged{background:#eee}.grid{display:flex;flex-wrap:wrap;gap:12px}\
.cam{border:1px solid #ccc;padding:6px;width:300px;font-size:80%;break-inside:avoid}\
.cam h3{font-size:100%;margin:0 0 4px 0;overflow-wrap:anywhere}.beyond{color:#b00;font-weight:bold}";

impl Exporter<FleetAudit> for FleetHtml {
    fn file_name(&self) -> &'static str {
        "fleet.html"
    }

    fn render(&self, audit: &FleetAudit) -> Result<Vec<u8>> {
        let mut out =
            String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.push_str(&content_security_policy_meta(None));
        let _ = write!(
            out,
            "<title>fevercheck fleet audit</title><style>{STYLE}</style></head><body>\
             <h1>Fleet audit from screening logs</h1><p>{} events from {} cameras: \
             <b>{} normalising</b>, {} consistent, {} not judged.</p>",
            audit.events,
            audit.cameras.len(),
            audit.counts.normalising,
            audit.counts.consistent,
            audit.counts.not_judged
        );
        out.push_str("<h2>What a log can and cannot show</h2><ul>");
        for limit in &audit.limits {
            let _ = write!(out, "<li>{}</li>", html(limit));
        }
        out.push_str("</ul>");
        if !audit.notes.is_empty() {
            out.push_str("<h2>How the logs were read</h2><ul>");
            for note in &audit.notes {
                let _ = write!(out, "<li>{}</li>", html(note));
            }
            out.push_str("</ul>");
        }
        out.push_str(&fleet_table(audit));
        out.push_str("<h2>Each camera's readings</h2><div class=\"grid\">");
        for camera in &audit.cameras {
            out.push_str(&camera_card(camera));
        }
        out.push_str("</div></body></html>\n");
        Ok(out.into_bytes())
    }
}

/// The fleet table, one row per camera in the audit's order.
fn fleet_table(audit: &FleetAudit) -> String {
    let ids = [
        "spread",
        "display_values",
        "upper_tail",
        "wall",
        "ambient_slope",
    ];
    let mut out = String::from(
        "<h2>Cameras, most suspicious first</h2><table><tr><th>camera</th><th>judgement</th>\
         <th>events</th><th>median °C</th><th>spread °C</th><th>display values</th>\
         <th>upper tail</th><th>wall</th><th>room slope</th></tr>",
    );
    for camera in &audit.cameras {
        let class = match camera.state {
            CameraJudgement::Normalising => "normalising",
            CameraJudgement::NotJudged => "not_judged",
            CameraJudgement::Consistent => "consistent",
        };
        let _ = write!(
            out,
            "<tr class=\"{class}\"><td>{}</td><td class=\"state\">{}</td><td>{}</td><td>{}</td>",
            html(&camera.camera),
            judgement_label(camera.state),
            camera.events,
            number(camera.median_c, 2)
        );
        for id in ids {
            let indicator = camera.indicators.iter().find(|i| i.id == id);
            let value = indicator.and_then(|i| i.value);
            let decimals = if id == "display_values" { 1 } else { 2 };
            // Only a decisive indicator is marked: the room slope's being
            // outside its range accuses nobody.
            let beyond = indicator.is_some_and(|i| i.decisive && i.state == IndicatorState::Beyond);
            let _ = write!(
                out,
                "<td{}>{}</td>",
                if beyond { " class=\"beyond\"" } else { "" },
                number(value, decimals)
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

/// One camera's small multiple: the histogram of its readings (0.1 °C,
/// 34–40 °C, the alarm threshold marked where the log gave it) and its
/// indicators with their evidence.
fn camera_card(camera: &CameraAudit) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<div class=\"cam\"><h3>{} — {}</h3>",
        html(&camera.camera),
        judgement_label(camera.state)
    );
    out.push_str(&histogram_svg(camera));
    if let Some(why) = &camera.not_judged_because {
        let _ = write!(out, "<p>Not judged: {}</p>", html(why));
    }
    out.push_str("<ul>");
    for indicator in &camera.indicators {
        let state = match indicator.state {
            IndicatorState::Beyond if indicator.decisive => "<span class=\"beyond\">beyond</span>",
            IndicatorState::Beyond => "outside (not decisive)",
            IndicatorState::Within => "within",
            IndicatorState::NotJudged => "not judged",
        };
        let _ = write!(
            out,
            "<li><b>{}</b>: {state}. {}</li>",
            html(indicator.name),
            html(&indicator.evidence)
        );
    }
    out.push_str("</ul>");
    if camera.state == CameraJudgement::Normalising {
        out.push_str("<p><b>Recommended:</b> test this camera with a blackbody sweep (fevercheck analyze) before any conclusion.</p>");
    }
    out.push_str("</div>");
    out
}

/// Lowest and highest temperature drawn in the small multiples, °C.
const DRAWN_C: (f64, f64) = (34.0, 40.0);

/// The histogram of a camera's readings as inline SVG.
fn histogram_svg(camera: &CameraAudit) -> String {
    let (width, height) = (290.0, 90.0);
    let (low, high) = DRAWN_C;
    let x = |t: f64| (t - low) / (high - low) * width;
    let tallest = camera
        .histogram
        .iter()
        .map(|(_, count)| *count)
        .fold(0.0, f64::max);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{}\" role=\"img\">\
         <title>readings per 0.1 °C, 34–40 °C</title>",
        height + 14.0
    );
    if tallest > 0.0 {
        for (tenth, count) in &camera.histogram {
            if *tenth < low || *tenth > high {
                continue;
            }
            let bar = count / tallest * height;
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar:.1}\" fill=\"#4a78a8\"/>",
                x(tenth - 0.05),
                height - bar,
                (x(0.1) - x(0.0)).max(1.0)
            );
        }
    }
    if let Some(threshold) = camera.threshold_c.filter(|t| (low..=high).contains(t)) {
        let _ = write!(
            out,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"0\" y2=\"{height}\" stroke=\"#b00\" stroke-dasharray=\"3,2\"/>",
            x(threshold)
        );
    }
    for t in [35.0, 36.0, 37.0, 38.0, 39.0] {
        let _ = write!(
            out,
            "<text x=\"{:.1}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{t:.0}</text>",
            x(t),
            height + 12.0
        );
    }
    out.push_str("</svg>");
    out
}
