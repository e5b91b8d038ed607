//! The comparison's files: comparison.json (the data), comparison.csv (the
//! table, for spreadsheets), comparison.md, and comparison.html (the table,
//! sortable by clicking a column — a few lines of inline script, nothing
//! fetched — and the charts inline), plus the chart files under plots/.

use std::fmt::Write as _;
use std::path::Path;

use super::plot::{comparison_charts, RenderedChart};
use super::Comparison;
use crate::escape;
use crate::format::number;
use crate::output::{write_outputs, Chart, Exporter, PlotFiles};
use crate::tables::Table;
use fevercheck::model::{AccuracyState, ManipulationState};
use fevercheck_io::error::{Error, Result};
use fevercheck_io::escape::html::content_security_policy_meta;
use fevercheck_io::escape::markdown::inline as md;

/// Files written besides the charts.
pub const COMPARISON_FILES: [&str; 4] = [
    "comparison.json",
    "comparison.csv",
    "comparison.md",
    "comparison.html",
];

/// What the regression columns of the table mean, said under it.
pub(super) const REGRESSION_NOTE: &str =
    "Regressions as in Healy et al. 2021, Table 2: \"reading\" \
     fits the device's reading on the target temperature (an honest device has slope 1), \
     \"error\" fits the reading minus the target on the target (an honest device has slope 0).";

/// One line that says how the devices fared: decisions and manipulation.
pub fn summary_line(comparison: &Comparison) -> String {
    let count = |wanted: &[AccuracyState]| {
        comparison
            .devices
            .iter()
            .filter(|d| wanted.contains(&d.accuracy))
            .count()
    };
    let suspected: Vec<&str> = comparison
        .devices
        .iter()
        .filter(|d| d.manipulation_suspected)
        .map(|d| d.device.as_str())
        .collect();
    let untested = comparison
        .devices
        .iter()
        .filter(|d| d.manipulation == ManipulationState::NotJudged)
        .count();
    let mut manipulation = if suspected.is_empty() {
        "no manipulation suspected".to_string()
    } else {
        format!(
            "manipulation suspected in {} ({})",
            suspected.len(),
            suspected.join(", ")
        )
    };
    if untested > 0 {
        manipulation.push_str(&format!(", not judged in {untested}"));
    }
    let not_judged = count(&[AccuracyState::NotJudged]);
    format!(
        "{} device(s): {} pass, {} conditional, {} fail{}; {manipulation}.",
        comparison.devices.len(),
        count(&[AccuracyState::Pass]),
        count(&[
            AccuracyState::ConditionalPass,
            AccuracyState::ConditionalFail
        ]),
        count(&[AccuracyState::Fail]),
        if not_judged > 0 {
            format!(", {not_judged} not judged")
        } else {
            String::new()
        }
    )
}

/// The comparison table: the Healy Table 2 columns and the verdicts.
pub(super) fn table(comparison: &Comparison) -> Table {
    let mut t = Table::new(&[
        "device",
        "n",
        "range °C",
        "variance °C²",
        "mean °C",
        "adj R² (reading)",
        "slope (reading)",
        "adj R² (error)",
        "slope (error)",
        "bias °C",
        "LoA °C",
        "max step error °C (stated ±)",
        "first alarm at °C",
        "accuracy",
        "manipulation",
        "findings",
    ]);
    for d in &comparison.devices {
        t.row(vec![
            d.device.clone(),
            d.n.to_string(),
            number(Some(d.range_c), 2),
            number(d.variance_c, 3),
            number(Some(d.mean_c), 2),
            number(d.adj_r2, 3),
            number(d.slope, 3),
            number(d.diff_adj_r2, 3),
            number(d.diff_slope, 3),
            number(Some(d.bias_c), 2),
            format!("{} to {}", number(d.loa_low_c, 2), number(d.loa_high_c, 2)),
            format!(
                "{} (±{})",
                number(d.max_abs_step_error_c, 2),
                number(Some(d.stated_accuracy_c), 2)
            ),
            d.first_alarm_reference_c
                .map_or("never".into(), |v| format!("{v:.2}")),
            d.accuracy.label().into(),
            d.manipulation.label().into(),
            d.findings.join(", "),
        ]);
    }
    t
}

/// Writes the comparison into `folder` through the report's output path.
pub fn write_comparison(
    comparison: &Comparison,
    folder: &Path,
    plots: PlotFiles,
) -> Result<crate::write::Written> {
    let charts = comparison_charts(comparison)?;
    let chart_refs: Vec<&dyn Chart<Comparison>> =
        charts.iter().map(|c| c as &dyn Chart<Comparison>).collect();
    let html = HtmlComparison { charts: &charts };
    let exporters: [&dyn Exporter<Comparison>; 4] =
        [&CsvComparison, &MarkdownComparison, &html, &JsonComparison];
    write_outputs(comparison, folder, &exporters, &chart_refs, plots)
}

/// `comparison.json`: the data.
struct JsonComparison;

impl Exporter<Comparison> for JsonComparison {
    fn file_name(&self) -> &'static str {
        "comparison.json"
    }

    fn render(&self, comparison: &Comparison) -> Result<Vec<u8>> {
        serde_json::to_vec_pretty(comparison).map_err(|e| Error::encode("comparison.json", e))
    }
}

/// `comparison.csv`: the table, for spreadsheets.
struct CsvComparison;

impl Exporter<Comparison> for CsvComparison {
    fn file_name(&self) -> &'static str {
        "comparison.csv"
    }

    fn render(&self, comparison: &Comparison) -> Result<Vec<u8>> {
        csv_text(&table(comparison))
    }
}

/// `comparison.md`: the table and notes.
struct MarkdownComparison;

impl Exporter<Comparison> for MarkdownComparison {
    fn file_name(&self) -> &'static str {
        "comparison.md"
    }

    fn render(&self, comparison: &Comparison) -> Result<Vec<u8>> {
        Ok(markdown(comparison, &table(comparison)).into_bytes())
    }
}

/// `comparison.html`: the sortable table with the charts inline.
struct HtmlComparison<'a> {
    charts: &'a [RenderedChart],
}

impl Exporter<Comparison> for HtmlComparison<'_> {
    fn file_name(&self) -> &'static str {
        "comparison.html"
    }

    fn render(&self, comparison: &Comparison) -> Result<Vec<u8>> {
        Ok(html(comparison, &table(comparison), self.charts).into_bytes())
    }
}

fn csv_text(table: &Table) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::encode("comparison.csv", e);
    writer
        .write_record(table.header.iter().map(|h| h.trim()))
        .map_err(fail)?;
    for row in &table.rows {
        let cells = row.iter().map(|c| fevercheck_io::escape::csv::cell(c));
        writer.write_record(cells).map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::encode("comparison.csv", e))
}

fn markdown(comparison: &Comparison, table: &Table) -> String {
    let mut out = String::from("# fevercheck comparison\n\n");
    let _ = writeln!(out, "{}\n", md(&summary_line(comparison)));
    let _ = crate::markdown::write_table(&mut out, table);
    let _ = writeln!(out, "\n{REGRESSION_NOTE}");
    for d in comparison.devices.iter().filter(|d| d.note.is_some()) {
        let note = d.note.as_deref().unwrap_or("");
        let _ = writeln!(out, "\n- {}: {}", md(&d.device), md(note));
    }
    out.push_str(
        "\nCharts: `plots/comparison.*` (all devices), `plots/devices.*` (one panel per device).\n",
    );
    out
}

/// Sorts the table by a clicked column (numbers numerically), inline.
const SORT_SCRIPT: &str = "document.querySelectorAll('#devices th').forEach((th,i)=>th.addEventListener('click',()=>{\
const t=th.closest('table'),rows=[...t.querySelectorAll('tr')].slice(1),up=th.dataset.up!=='1';\
th.dataset.up=up?'1':'0';const v=r=>{const s=r.children[i].textContent,n=parseFloat(s);return isNaN(n)?s:n};\
rows.sort((a,b)=>{const x=v(a),y=v(b);return (x<y?-1:x>y?1:0)*(up?1:-1)});rows.forEach(r=>t.appendChild(r))}));";

/// The base64 (RFC 4648 §4, padded) of the SHA-256 of `text`: a script's
/// hash source in a Content-Security-Policy.
fn sha256_base64(text: &str) -> String {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::new();
    for chunk in digest.chunks(3) {
        let bytes = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Columns of the first printed table: the agreement statistics of Healy et
/// al. 2021's Table 2 (the device's name is repeated in both).
const PRINTED_AGREEMENT_COLUMNS: std::ops::Range<usize> = 1..10;
/// Columns of the second printed table: the limits, the claim, the alarm and
/// the verdict.
const PRINTED_VERDICT_COLUMNS: std::ops::Range<usize> = 10..16;
/// Columns whose cells may wrap (at spaces, never inside a word or number):
/// the device's name and the findings.
const WRAPPING_COLUMNS: [usize; 2] = [0, 15];

/// One HTML table of `columns` (and the device column) of `table`.
fn html_table(
    out: &mut String,
    table: &Table,
    comparison: &Comparison,
    columns: &[usize],
    attributes: &str,
) {
    let _ = write!(out, "<table{attributes}><tr>");
    for &c in columns {
        let _ = write!(out, "<th>{}</th>", escape(&table.header[c]));
    }
    out.push_str("</tr>\n");
    for (row, device) in table.rows.iter().zip(&comparison.devices) {
        let class = if device.findings.is_empty() {
            ""
        } else {
            " class=\"flagged\""
        };
        let _ = write!(out, "<tr{class}>");
        for &c in columns {
            let wrap = if WRAPPING_COLUMNS.contains(&c) {
                " class=\"wrap\""
            } else {
                ""
            };
            let _ = write!(out, "<td{wrap}>{}</td>", escape(&row[c]));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>");
}

fn html(comparison: &Comparison, table: &Table, charts: &[RenderedChart]) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str(&content_security_policy_meta(Some(&sha256_base64(
        SORT_SCRIPT,
    ))));
    // On screen one sortable table; in print, A4 landscape, the same
    // columns as two tables that fit the page's width, a header and page
    // numbers on every page. Headers wrap; cells never break a number.
    out.push_str(
        "<title>fevercheck comparison</title><style>\
body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:24px;color:#1d1d1f}table{border-collapse:collapse}\
td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top}th{background:#f0f0f0;cursor:pointer;white-space:normal}\
td{white-space:nowrap}td.wrap{white-space:normal;overflow-wrap:normal;min-width:8em}\
tr.flagged td:first-child{color:#b3121f;font-weight:600}.scroll{overflow-x:auto;max-width:100%}\
#devices{font-size:13px}.print{display:none}h2{font-size:15px;margin:14px 0 6px}\
figure{margin:16px 0}figure svg{width:100%;height:auto}.note{color:#555;font-size:14px}\
@media print{body{margin:0;font-size:9.5pt}.screen{display:none}.print{display:block}\
.print table{font-size:8.5pt;width:100%}td,th{padding:2px 4px}th{cursor:auto}\
figure{break-inside:avoid;break-before:page;margin:0}figure svg{max-height:170mm}tr{break-inside:avoid}.note{font-size:8.5pt}}\
</style>",
    );
    let _ = write!(
        out,
        "<style>@media print{{@page{{size:A4 landscape;margin:16mm 10mm 12mm;\
         @top-left{{content:\"fevercheck comparison: {} device(s)\";font-size:9pt;color:#444}}\
         @bottom-right{{content:\"page \" counter(page) \" of \" counter(pages);font-size:9pt;color:#444}}}}}}</style>",
        comparison.devices.len()
    );
    out.push_str("</head><body><h1>fevercheck comparison</h1>\n");
    let _ = writeln!(
        out,
        "<p class=\"summary\">{}</p><p class=\"note screen\">Click a column to sort.</p>\
         <div class=\"scroll screen\">",
        escape(&summary_line(comparison))
    );
    let every: Vec<usize> = (0..table.header.len()).collect();
    html_table(&mut out, table, comparison, &every, " id=\"devices\"");
    out.push_str("</div>\n<div class=\"print\"><h2>Agreement with the reference</h2>");
    let agreement: Vec<usize> = std::iter::once(0)
        .chain(PRINTED_AGREEMENT_COLUMNS)
        .collect();
    html_table(&mut out, table, comparison, &agreement, "");
    out.push_str("<h2>Claim, alarm and verdict</h2>");
    let verdict: Vec<usize> = std::iter::once(0).chain(PRINTED_VERDICT_COLUMNS).collect();
    html_table(&mut out, table, comparison, &verdict, "");
    out.push_str("</div>\n");
    let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(REGRESSION_NOTE));
    for chart in charts {
        let svg = chart
            .svg
            .find("<svg")
            .map_or(chart.svg.as_str(), |start| &chart.svg[start..]);
        let _ = writeln!(out, "<figure id=\"chart-{}\">{svg}</figure>", chart.name);
    }
    let _ = writeln!(out, "<script>{SORT_SCRIPT}</script></body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_hash_is_the_base64_of_its_sha256() {
        // SHA-256("abc") (FIPS 180-2 B.1) in base64.
        assert_eq!(
            sha256_base64("abc"),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        assert_eq!(
            sha256_base64(""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }
}
