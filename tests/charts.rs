//! Charts and the HTML report checked against the report they draw: the
//! right number of points, the identity line and the alarm threshold in the
//! legend, axis labels with units, titles rendered into the PNGs with the
//! embedded font, and an HTML page that fetches nothing.

use fevercheck::analyze;
use fevercheck::model::Report;
use fevercheck_report::plot::charts;
use fevercheck_report::simulate::{CameraModel, Simulation, SweepOrder};
use fevercheck_report::{Chart, Exporter, HtmlExporter};

fn report_of(model: CameraModel, sweeps: Vec<SweepOrder>) -> Report {
    let mut simulation = Simulation::new(model, 9);
    simulation.sweeps = sweeps;
    analyze(&simulation.to_session().unwrap()).unwrap()
}

fn svg(report: &Report, name: &str) -> String {
    let chart = charts().into_iter().find(|c| c.name == name).unwrap();
    assert!(chart.applies(report), "{name} should apply");
    chart.svg(report).unwrap()
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_transfer_chart_draws_every_reading_the_identity_and_the_alarm() {
    let report = report_of(
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        vec![SweepOrder::Up],
    );
    let svg = svg(&report, "transfer");
    // One circle per observation plus the legend's.
    assert_eq!(count(&svg, "<circle"), report.observations.len() + 1);
    for text in [
        "Device reading against reference",
        "Reference temperature (°C)",
        "Device reading (°C)",
        "identity (device = reference)",
        "alarm threshold 37.5 °C",
        "stated accuracy ±0.50 °C",
        "normal band 36.0–37.5 °C",
        "flagged: compression",
        "OLS fit of the reported values, slope 0.20",
    ] {
        assert!(svg.contains(text), "missing {text:?}");
    }
}

#[test]
fn a_declared_transfer_is_drawn_with_the_displayed_readings() {
    // A compressing camera that declares its line: the chart shows what it
    // displayed beside the declaration, with no OLS line of the departure.
    let mut simulation = Simulation::new(
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        9,
    );
    simulation.declared_transfer = Some(vec![[35.0, 36.6], [40.0, 37.6]]);
    let report = analyze(&simulation.to_session().unwrap()).unwrap();
    let transfer = svg(&report, "transfer");
    assert!(transfer.contains("declared transfer (35.00 → 36.60 °C, 40.00 → 37.60 °C)"));
    assert!(!transfer.contains("OLS fit"));
    assert!(!transfer.contains("flagged: compression"));
    // Every displayed value is drawn: the hottest step shows about 37.6 °C,
    // none near the 40 °C the judged values sit at.
    let shown: Vec<f64> = report
        .observations
        .iter()
        .filter_map(|o| o.displayed_c)
        .collect();
    assert_eq!(shown.len(), report.observations.len());
    assert!(shown.iter().all(|&v| v < 38.2), "{shown:?}");
    assert_eq!(count(&transfer, "<circle"), report.observations.len() + 1);
    assert!(svg(&report, "step_response").contains("declared transfer"));
}

#[test]
fn the_bland_altman_chart_shows_bias_and_limits_from_the_report() {
    let report = report_of(CameraModel::Offset { offset_c: -0.9 }, vec![SweepOrder::Up]);
    let a = &report.accuracy["reported"];
    let svg = svg(&report, "bland_altman");
    assert_eq!(count(&svg, "<circle"), report.observations.len() + 1);
    assert!(
        svg.contains(&format!("bias {:+.2} °C", a.bias_c)),
        "bias label"
    );
    assert!(svg.contains(&format!(
        "lower limit of agreement {:+.2} °C",
        a.loa_low_c.unwrap()
    )));
    assert!(
        svg.contains("Device − reference (°C)")
            && svg.contains("Mean of device and reference (°C)")
    );
}

#[test]
fn the_step_response_marks_the_first_alarm_or_says_never() {
    let compressing = report_of(
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        vec![SweepOrder::Up],
    );
    let first = compressing.accuracy["reported"]
        .first_alarm_reference_c
        .unwrap();
    let svg_text = svg(&compressing, "step_response");
    assert!(svg_text.contains(&format!("first alarm at a {first:.2} °C target")));
    assert_eq!(
        count(&svg_text, "<circle"),
        compressing.steps.len(),
        "one marker per step"
    );
    let clamped = report_of(
        CameraModel::Clamping {
            ceiling_c: 37.2,
            floor_c: None,
        },
        vec![SweepOrder::Up],
    );
    assert!(svg(&clamped, "step_response").contains("never alarms (≥ 37.5 °C) up to 40.00 °C"));
}

#[test]
fn time_and_sweep_charts_appear_only_when_the_session_has_them() {
    let one_sweep = report_of(CameraModel::Honest, vec![SweepOrder::Up]);
    let sweeps = charts().into_iter().find(|c| c.name == "sweeps").unwrap();
    assert!(!sweeps.applies(&one_sweep));
    let two = report_of(
        CameraModel::OrderDependent {
            weight: 0.3,
            strength: 0.8,
        },
        vec![SweepOrder::Up, SweepOrder::Down],
    );
    let svg_text = svg(&two, "sweeps");
    assert!(
        svg_text.contains("sweep `up` (63 readings)")
            && svg_text.contains("sweep `down` (63 readings)")
    );
    let drift = svg(&two, "drift");
    assert!(drift.contains("Time since the first observation (min)"));
    assert_eq!(count(&drift, "<circle"), two.observations.len() + 1);
    let histograms = svg(&two, "histograms");
    assert!(
        histograms.contains("Displayed by the device") && histograms.contains("Reference (target)")
    );
}

#[test]
fn pngs_are_readable_pictures_with_text_from_the_embedded_font() {
    let report = report_of(CameraModel::Honest, vec![SweepOrder::Up]);
    for chart in charts().iter().filter(|c| c.applies(&report)) {
        let bytes = chart.png(&report).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut pixels = vec![0u8; reader.output_buffer_size()];
        reader.next_frame(&mut pixels).unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (1200, 800), "{}", chart.name);
        // The title band (top 60 rows) holds dark pixels only if text was drawn.
        let title_band = &pixels[..(info.width * 60 * 3) as usize];
        let dark = title_band
            .chunks(3)
            .filter(|p| p.iter().all(|&c| c < 100))
            .count();
        assert!(
            dark > 200,
            "{}: no title text rendered ({dark} dark pixels)",
            chart.name
        );
    }
}

#[test]
fn the_html_report_is_self_contained_and_holds_verdict_findings_and_charts() {
    let report = report_of(
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        vec![SweepOrder::Up],
    );
    let html = String::from_utf8(HtmlExporter.render(&report).unwrap()).unwrap();
    assert!(html.contains(&fevercheck_report::escape(&report.verdict.summary)));
    assert!(html.contains("class=\"banner manipulation\""));
    for id in [
        "chart-transfer",
        "chart-bland_altman",
        "chart-step_response",
        "chart-drift",
        "chart-histograms",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(!html.contains("chart-sweeps"));
    assert_eq!(
        count(&html, "<article class=\"finding"),
        report.findings.len()
    );
    for forbidden in [
        "<script",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(http",
    ] {
        assert!(
            !html.contains(forbidden),
            "the page must not fetch anything: {forbidden}"
        );
    }
}

#[test]
fn the_detected_shape_is_drawn_with_the_fit_that_names_it() {
    // A 1.5 °C drop at 38 °C on 0.25 °C steps: the leading finding's shape
    // falls where the readings fall (a rise of 0.25 less the 1.5 drop,
    // shared over the two steps around it), and the chart draws and names
    // it; an honest device has no shape to draw.
    let report = report_of(
        CameraModel::StepDown {
            at_c: 38.0,
            drop_c: 1.5,
        },
        vec![SweepOrder::Up],
    );
    let leading = report.verdict.primary_signature.clone().unwrap();
    let finding = report
        .findings
        .iter()
        .find(|f| f.detector == leading)
        .unwrap();
    assert_eq!(finding.shape.len(), report.steps.len());
    let falls: f64 = finding
        .shape
        .windows(2)
        .map(|w| (w[1][1] - w[0][1]).min(0.0))
        .sum();
    assert!((falls + 1.25).abs() < 0.3, "the shape falls {falls:.2} °C");
    let svg = svg(&report, "transfer");
    let label = format!("detected shape: {}", leading.replace('_', " "));
    assert!(svg.contains(&label), "no {label:?} in the chart");

    let honest = report_of(CameraModel::Honest, vec![SweepOrder::Up]);
    assert!(!svg_contains_shape(&honest));
}

fn svg_contains_shape(report: &Report) -> bool {
    svg(report, "transfer").contains("detected shape")
}
