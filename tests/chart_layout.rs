//! Every chart laid out so a reviewer can read it: no two text labels
//! overlap, none runs off the picture, no tick reads "-0.0", and every
//! chart of one device names the device in its title.
//!
//! Text boxes are read from the SVG: each `<text>` element's anchor point,
//! its anchoring (`text-anchor`, `dy`), its font size and the advance of its
//! characters in DejaVu Sans, measured from the font itself — the font the
//! PNG charts are drawn with, and wider than the Arial or Helvetica a
//! browser may choose for the SVG's `sans-serif`; a rotated axis label's box
//! is turned with it.

use fevercheck::analyze;
use fevercheck::convert::OutputFormat;
use fevercheck::model::Report;
use fevercheck_report::compare::{compare, comparison_charts};
use fevercheck_report::plot::charts;
use fevercheck_report::simulate::{CameraModel, Simulation, SweepOrder, SyntheticFrames};
use fevercheck_report::Chart;

/// The width of `text` at `size` pixels to the em, in DejaVu Sans: the sum
/// of its glyphs' advances and of the kerning between them.
fn text_width(text: &str, size: f64) -> f64 {
    use ab_glyph::{Font, FontRef};
    let font = FontRef::try_from_slice(dejavu::sans::regular()).expect("DejaVu Sans parses");
    let units_per_em = f64::from(font.units_per_em().expect("a scalable font"));
    let glyphs: Vec<_> = text.chars().map(|c| font.glyph_id(c)).collect();
    let advances: f32 = glyphs.iter().map(|&g| font.h_advance_unscaled(g)).sum();
    let kerning: f32 = glyphs
        .windows(2)
        .map(|pair| font.kern_unscaled(pair[0], pair[1]))
        .sum();
    f64::from(advances + kerning) * size / units_per_em
}

/// A text's box on the picture, pixels.
#[derive(Debug, Clone)]
struct TextBox {
    text: String,
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

fn attribute(element: &str, name: &str) -> Option<String> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = element[start..].find('"')? + start;
    Some(element[start..end].to_string())
}

fn unescaped(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .trim()
        .to_string()
}

/// The boxes of every `<text>` of an SVG document.
fn text_boxes(svg: &str) -> Vec<TextBox> {
    let mut boxes = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let after = &rest[start..];
        let open_end = after.find('>').unwrap();
        let close = after.find("</text>").unwrap();
        let element = &after[..open_end];
        let text = unescaped(&after[open_end + 1..close]);
        rest = &after[close..];
        if text.is_empty() {
            continue;
        }
        let number = |name: &str| attribute(element, name).and_then(|v| v.parse::<f64>().ok());
        let (x, y, size) = (
            number("x").unwrap(),
            number("y").unwrap(),
            number("font-size").unwrap(),
        );
        let width = text_width(&text, size);
        let (left, right) = match attribute(element, "text-anchor").as_deref() {
            Some("middle") => (x - width / 2.0, x + width / 2.0),
            Some("end") => (x - width, x),
            _ => (x, x + width),
        };
        let (top, bottom) = match attribute(element, "dy").as_deref() {
            Some("0.76em") => (y, y + size),
            Some("0.5ex") => (y - size / 2.0, y + size / 2.0),
            Some("-0.5ex") => (y - size, y),
            _ => (y - 0.8 * size, y + 0.2 * size),
        };
        let rotated = attribute(element, "transform").is_some_and(|t| t.starts_with("rotate"));
        let b = if rotated {
            // Turned a quarter about (x, y): the text runs up the picture.
            TextBox {
                text,
                left: x + (top - y),
                right: x + (bottom - y),
                top: y - (right - x),
                bottom: y - (left - x),
            }
        } else {
            TextBox {
                text,
                left,
                top,
                right,
                bottom,
            }
        };
        boxes.push(b);
    }
    boxes
}

fn overlap(a: &TextBox, b: &TextBox) -> bool {
    // A pixel of slack: neighbouring lines of a legend touch.
    let slack = 1.0;
    a.left + slack < b.right
        && b.left + slack < a.right
        && a.top + slack < b.bottom
        && b.top + slack < a.bottom
}

/// Panics naming the chart when two labels overlap, a label leaves the
/// picture or a tick reads "-0.0".
fn assert_readable(name: &str, svg: &str) {
    let (width, height) = size_of(svg);
    let boxes = text_boxes(svg);
    assert!(!boxes.is_empty(), "{name}: no text");
    for (i, a) in boxes.iter().enumerate() {
        assert!(
            a.left >= -1.0 && a.top >= -1.0 && a.right <= width + 1.0 && a.bottom <= height + 1.0,
            "{name}: {:?} runs off the {width}×{height} picture: {a:?}",
            a.text
        );
        assert!(
            !a.text.starts_with("-0.0")
                || a.text.trim_start_matches("-0.").chars().any(|c| c != '0'),
            "{name}: a tick reads {:?}",
            a.text
        );
        for b in &boxes[i + 1..] {
            assert!(
                !overlap(a, b),
                "{name}: {:?} overlaps {:?}\n{a:?}\n{b:?}",
                a.text,
                b.text
            );
        }
    }
}

fn size_of(svg: &str) -> (f64, f64) {
    let svg_tag = &svg[svg.find("<svg").unwrap()..];
    let number = |name: &str| attribute(svg_tag, name).unwrap().parse::<f64>().unwrap();
    (number("width"), number("height"))
}

/// The reports the charts are checked on: a plain sweep, a frame session of
/// a compressing camera, two sweeps of a clamping one, a declared transfer
/// and a bias that puts the Bland–Altman axis around zero.
fn reports() -> Vec<(String, Report)> {
    let mut simulations = Vec::new();
    let mut plain = Simulation::new(CameraModel::Honest, 1);
    plain.steps = 11;
    simulations.push(("honest".to_string(), plain));
    let mut framed = Simulation::new(
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        2,
    );
    framed.frames = Some(SyntheticFrames {
        format: OutputFormat::Npy,
        width: 64,
        height: 48,
    });
    simulations.push(("frames".to_string(), framed));
    let mut swept = Simulation::new(
        CameraModel::Clamping {
            ceiling_c: 37.3,
            floor_c: None,
        },
        3,
    );
    swept.sweeps = vec![SweepOrder::Up, SweepOrder::Down];
    simulations.push(("up-down".to_string(), swept));
    let mut declared = Simulation::new(
        CameraModel::Compressing {
            slope: 0.3,
            set_point_c: 37.2,
        },
        4,
    );
    declared.declared_transfer = Some(vec![[34.0, 36.3], [40.0, 38.1]]);
    simulations.push(("declared".to_string(), declared));
    simulations.push((
        "centred".to_string(),
        Simulation::new(CameraModel::Offset { offset_c: 0.02 }, 5),
    ));
    simulations
        .into_iter()
        .map(|(name, simulation)| {
            let dir = tempfile::tempdir().unwrap();
            simulation.write_session(dir.path(), true).unwrap();
            let session = fevercheck::session::Session::load(dir.path()).unwrap();
            (name, analyze(&session).unwrap())
        })
        .collect()
}

#[test]
fn every_chart_of_a_report_is_readable_and_names_its_device() {
    for (session, report) in reports() {
        let device = report.session.device.model.clone().unwrap();
        for chart in charts().into_iter().filter(|c| c.applies(&report)) {
            let name = format!("{session}/{}", chart.name);
            let svg = chart.svg(&report).unwrap();
            assert_readable(&name, &svg);
            let title = text_boxes(&svg).remove(0).text;
            assert!(
                title.contains(&device),
                "{name}: title {title:?} does not name {device:?}"
            );
        }
    }
}

#[test]
fn the_comparison_of_six_devices_two_of_one_model_is_readable() {
    let dirs: Vec<tempfile::TempDir> = (0..6).map(|_| tempfile::tempdir().unwrap()).collect();
    let models = [
        CameraModel::Honest,
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        CameraModel::Clamping {
            ceiling_c: 37.3,
            floor_c: None,
        },
        CameraModel::Offset { offset_c: -0.8 },
        CameraModel::Honest,
        CameraModel::Gain { gain: 1.05 },
    ];
    for (i, (dir, model)) in dirs.iter().zip(models).enumerate() {
        Simulation::new(model, i as u64)
            .write_session(dir.path(), true)
            .unwrap();
    }
    let paths: Vec<std::path::PathBuf> = dirs.iter().map(|d| d.path().to_path_buf()).collect();
    let comparison = compare(&paths).unwrap();
    let names: Vec<&str> = comparison
        .devices
        .iter()
        .map(|d| d.device.as_str())
        .collect();
    assert!(
        names[0].ends_with("honest camera #1") && names[4].ends_with("honest camera #2"),
        "{names:?}"
    );
    for chart in comparison_charts(&comparison).unwrap() {
        assert_readable(chart.name, &chart.svg(&comparison).unwrap());
    }
    // Six devices: the legend stands beside the plot, right of its last
    // x tick, so it hides no line; every device is named in full.
    let charts = comparison_charts(&comparison).unwrap();
    let combined = charts[0].svg(&comparison).unwrap();
    let boxes = text_boxes(&combined);
    let plot_right = boxes
        .iter()
        .filter(|b| b.text.parse::<f64>().is_ok())
        .map(|b| b.right)
        .fold(0.0, f64::max);
    for name in &names {
        let label = boxes
            .iter()
            .find(|b| b.text == *name)
            .unwrap_or_else(|| panic!("{name} not named in full"));
        assert!(
            label.left > plot_right,
            "{name} at {} inside the plot (to {plot_right})",
            label.left
        );
    }
}

#[test]
fn the_checker_sees_overlapping_and_escaping_labels() {
    // Two 20-pixel tick labels 20 pixels apart. In DejaVu Sans a digit
    // advances 1303 and a full stop 651 of the em's 2048 units (its `hmtx`
    // table), so "34.0" is 4 560 / 2 048 × 20 = 44.53 pixels wide.
    let crowded = r#"<svg width="200" height="100"><text x="40" y="50" dy="0.76em" text-anchor="middle" font-size="20">34.0</text><text x="60" y="50" dy="0.76em" text-anchor="middle" font-size="20">34.5</text></svg>"#;
    let boxes = text_boxes(crowded);
    assert_eq!(boxes.len(), 2);
    let half = 4560.0 / 2048.0 * 20.0 / 2.0;
    assert!(
        (boxes[0].left - (40.0 - half)).abs() < 1e-6
            && (boxes[0].right - (40.0 + half)).abs() < 1e-6,
        "{:?}",
        boxes[0]
    );
    assert!(overlap(&boxes[0], &boxes[1]));
    let apart = crowded.replace("x=\"60\"", "x=\"120\"");
    assert!(!overlap(&text_boxes(&apart)[0], &text_boxes(&apart)[1]));
    let escaping = r#"<svg width="200" height="100"><text x="190" y="50" dy="0.76em" text-anchor="start" font-size="20">40.0</text></svg>"#;
    assert!(std::panic::catch_unwind(|| assert_readable("escaping", escaping)).is_err());
    let negative_zero = r#"<svg width="200" height="100"><text x="100" y="50" dy="0.76em" text-anchor="middle" font-size="10">-0.0</text></svg>"#;
    assert!(std::panic::catch_unwind(|| assert_readable("zero", negative_zero)).is_err());
}

/// The centres of the circles of an SVG (the readings' markers).
fn circles(svg: &str) -> Vec<(f64, f64)> {
    svg.match_indices("<circle")
        .filter_map(|(start, _)| {
            let element = &svg[start..start + svg[start..].find('>')?];
            let number = |name: &str| attribute(element, name)?.parse::<f64>().ok();
            Some((number("cx")?, number("cy")?))
        })
        .collect()
}

#[test]
fn the_transfer_legend_covers_no_reading() {
    // A device reading 3 °C high fills the upper left, where the legend
    // used to stand (it covered ten readings there); one reading low fills
    // the lower right. In every case the legend keeps clear of every
    // reading's marker.
    for offset_c in [1.8, 3.0, 4.5, -1.8, -3.0, 0.0] {
        let dir = tempfile::tempdir().unwrap();
        Simulation::new(CameraModel::Offset { offset_c }, 7)
            .write_session(dir.path(), true)
            .unwrap();
        let report = analyze(&fevercheck::session::Session::load(dir.path()).unwrap()).unwrap();
        let chart = charts().into_iter().find(|c| c.name == "transfer").unwrap();
        let svg = chart.svg(&report).unwrap();
        let boxes = text_boxes(&svg);
        let legend: Vec<&TextBox> = boxes
            .iter()
            .filter(|b| {
                b.text.starts_with("normal band")
                    || b.text.starts_with("identity")
                    || b.text.starts_with("reported readings")
                    || b.text.starts_with("OLS fit")
                    || b.text.starts_with("stated accuracy")
                    || b.text.starts_with("alarm threshold")
            })
            .collect();
        assert!(legend.len() >= 5, "{offset_c}: legend labels {legend:?}");
        // The legend's area: its labels and the swatches left of them.
        let left = legend.iter().map(|b| b.left).fold(f64::INFINITY, f64::min) - 40.0;
        let right = legend.iter().map(|b| b.right).fold(0.0, f64::max);
        let top = legend.iter().map(|b| b.top).fold(f64::INFINITY, f64::min);
        let bottom = legend.iter().map(|b| b.bottom).fold(0.0, f64::max);
        let markers = circles(&svg);
        assert!(markers.len() >= 20, "{offset_c}: {} markers", markers.len());
        // A legend's own swatch (the marker left of its label) is no reading.
        let swatch = |&(x, y): &(f64, f64)| {
            legend.iter().any(|b| {
                (b.left - 40.0..b.left).contains(&x) && (b.top - 4.0..=b.bottom + 4.0).contains(&y)
            })
        };
        let covered: Vec<_> = markers
            .iter()
            .filter(|p| !swatch(p))
            .filter(|(x, y)| (left..=right).contains(x) && (top..=bottom).contains(y))
            .collect();
        assert!(covered.is_empty(), "{offset_c}: legend covers {covered:?}");
    }
}
