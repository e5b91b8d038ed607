//! Sessions whose observations carry radiometric frames: the target is
//! measured in each frame, `accuracy.radiometric` follows the frames, and a
//! display that disagrees with the camera's own data is flagged.

use std::path::Path;

use crate::common;

use fevercheck::analyze;
use fevercheck::convert::OutputFormat;
use fevercheck::model::Report;
use fevercheck::model::Severity;
use fevercheck::session::Session;
use fevercheck_report::simulate::{CameraModel, Simulation, SyntheticFrames};
use fevercheck_report::{Chart, Exporter, MarkdownExporter};

/// A simulated session with small frames written into `dir`, analysed.
fn frame_session(
    dir: &Path,
    model: CameraModel,
    format: OutputFormat,
    manifest_extra: &str,
) -> Report {
    let mut simulation = Simulation::new(model, 5);
    simulation.steps = 11;
    simulation.repeats = 2;
    simulation.frames = Some(SyntheticFrames {
        format,
        width: 48,
        height: 36,
    });
    simulation.write_session(dir, true).unwrap();
    if !manifest_extra.is_empty() {
        let path = dir.join("session.toml");
        let text = std::fs::read_to_string(&path).unwrap() + manifest_extra;
        std::fs::write(&path, text).unwrap();
    }
    analyze(&Session::load(dir).unwrap()).unwrap()
}

fn detectors(report: &Report, severity: Severity) -> Vec<&str> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.detector.as_str())
        .collect()
}

#[test]
fn a_compressing_display_over_honest_frames_is_a_display_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let report = frame_session(
        dir.path(),
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        OutputFormat::Npy,
        "",
    );
    assert!(
        detectors(&report, Severity::Manipulation).contains(&"display_mismatch"),
        "{:?}",
        report.findings
    );
    // The frames are honest: their accuracy is the sensor's (noise 0.1 °C, no offset).
    let radiometric = &report.accuracy["radiometric"];
    assert_eq!(radiometric.n, 22);
    assert!(radiometric.bias_c.abs() < 0.1, "{}", radiometric.bias_c);
    assert!(
        radiometric.slope_ci.unwrap().contains(1.0)
            || (radiometric.slope.unwrap() - 1.0).abs() < 0.05
    );
    assert!(radiometric.accuracy_pass);
    assert!(!report.accuracy["reported"].accuracy_pass);
    assert_eq!(report.frames.len(), 22);
    let found = report.frames[0]
        .found
        .expect("the blackbody is found automatically");
    assert!(
        (found.cx - 24.0).abs() < 1.5 && (found.cy - 18.0).abs() < 1.5,
        "{found:?}"
    );
}

#[test]
fn an_honest_camera_with_frames_raises_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let report = frame_session(dir.path(), CameraModel::Honest, OutputFormat::Tiff, "");
    assert!(
        detectors(&report, Severity::Manipulation).is_empty(),
        "{:?}",
        report.findings
    );
    assert!(
        detectors(&report, Severity::Accuracy).is_empty(),
        "{:?}",
        report.findings
    );
    assert!(!report.verdict.is_manipulation_suspected());
}

#[test]
fn a_declared_roi_and_an_etrs_correct_the_target() {
    // ETRS: a 4×4 corner patch of the 21 °C background declared as 21.5 °C,
    // so the corrected target reads about 0.5 °C higher than the raw one.
    let dir = tempfile::tempdir().unwrap();
    let extra = "\n[roi.target]\ncircle = [24, 18, 4]\nstatistic = \"p90\"\n[roi.etrs]\nrect = [0, 0, 4, 4]\ntemperature_c = 21.5\n";
    let report = frame_session(dir.path(), CameraModel::Honest, OutputFormat::Csv, extra);
    let frame = &report.frames[0];
    assert_eq!(frame.statistic, "p90");
    assert!(frame.found.is_none());
    let etrs = frame.etrs.unwrap();
    assert!((etrs.seen_c - 21.0).abs() < 0.05, "{etrs:?}");
    assert!(
        (etrs.corrected_target_c - frame.target_c.unwrap() - (21.5 - etrs.seen_c)).abs() < 1e-9
    );
    let raw = report.accuracy["radiometric"].bias_c;
    let corrected = report.accuracy["radiometric_etrs"].bias_c;
    assert!(
        (corrected - raw - 0.5).abs() < 0.06,
        "raw {raw}, corrected {corrected}"
    );
}

#[test]
fn a_missing_frame_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("readings.csv"),
        "reference_c,reported_c,frame\n37.0,37.0,frames/absent.npy\n",
    )
    .unwrap();
    let err = analyze(&Session::load(dir.path()).unwrap())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("readings.csv, line 2") && err.contains("frames/absent.npy"),
        "{err}"
    );
}

#[test]
fn the_report_keeps_a_preview_of_the_warmest_frame_and_charts_it() {
    let dir = tempfile::tempdir().unwrap();
    let report = frame_session(dir.path(), CameraModel::Honest, OutputFormat::Npy, "");
    let preview = report.frame_preview.as_ref().expect("a frame preview");
    assert_eq!(preview.reference_c, 40.0);
    assert_eq!((preview.size, preview.factor), ((48, 36), 1));
    let warmest = preview
        .values
        .iter()
        .flatten()
        .fold(f32::MIN, |a, &b| a.max(b));
    assert!((warmest - 40.0).abs() < 0.5, "{warmest}");
    let chart = fevercheck_report::plot::charts()
        .into_iter()
        .find(|c| c.name == "frame")
        .unwrap();
    assert!(chart.applies(&report));
    let svg = chart.svg(&report).unwrap();
    assert!(svg.contains("target ROI") && svg.contains("Column (pixel)") && svg.contains("°C"));
    // One rectangle per preview pixel at least.
    assert!(svg.matches("<rect").count() >= 48 * 36);
}

#[test]
fn the_iec_battery_judges_what_the_session_shows_and_says_why_not_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let extra = "\n[roi.etrs]\nrect = [0, 0, 6, 6]\ntemperature_c = 21.0\n";
    let report = frame_session(dir.path(), CameraModel::Honest, OutputFormat::Npy, extra);
    let item = |name: &str| report.iec.iter().find(|i| i.item == name).unwrap().clone();
    // 48×36 frames are below the 320×240 detector the standard asks for.
    let detector = item("detector_resolution");
    assert_eq!(
        (detector.value, detector.pass),
        (Some(48.0 * 36.0), Some(false))
    );
    // The default sweep is 35–40 °C: the accuracy over 35–39 °C is measured
    // but not judged, because the standard asks for 34–39 °C.
    let accuracy = item("laboratory_accuracy");
    assert!(
        accuracy.value.unwrap() < 0.5 && accuracy.pass.is_none(),
        "{accuracy:?}"
    );
    assert!(
        accuracy.note.contains("radiometric_etrs") && accuracy.note.contains("34–39"),
        "{}",
        accuracy.note
    );
    // Judged on the drift's 95 % interval: a pass or a fail only when the
    // whole interval is on one side of 0.1 °C.
    let etrs = item("etrs_stability_drift");
    let interval = etrs
        .interval
        .expect("timed frames give the drift an interval");
    assert!(interval.low <= etrs.value.unwrap() && etrs.value.unwrap() <= interval.high);
    let expected = if interval.high <= 0.1 {
        Some(true)
    } else if interval.low > 0.1 {
        Some(false)
    } else {
        None
    };
    assert_eq!(etrs.pass, expected, "{etrs:?}");
    // report.md shows the interval in the battery's table.
    let markdown = String::from_utf8(MarkdownExporter.render(&report).unwrap()).unwrap();
    let shown = format!("{:.3} to {:.3} °C", interval.low, interval.high);
    assert!(
        markdown.contains(&shown),
        "{shown} missing from the battery"
    );
    assert!(item("mrtd")
        .note
        .starts_with("not measurable from this session"));

    let wide = tempfile::tempdir().unwrap();
    let mut simulation = Simulation::new(CameraModel::Honest, 3);
    simulation.start_c = 34.0;
    simulation.stop_c = 39.0;
    simulation.steps = 11;
    simulation.repeats = 1;
    simulation.write_session(wide.path(), true).unwrap();
    let report = analyze(&Session::load(wide.path()).unwrap()).unwrap();
    let accuracy = report
        .iec
        .iter()
        .find(|i| i.item == "laboratory_accuracy")
        .unwrap();
    assert_eq!(accuracy.pass, Some(true), "{accuracy:?}");
    let detector = report
        .iec
        .iter()
        .find(|i| i.item == "detector_resolution")
        .unwrap();
    assert!(detector.note.contains("no frames"));
}

#[test]
fn frames_are_matched_to_readings_by_the_time_in_their_names() {
    use fevercheck::convert::writer;
    use fevercheck::frame::{Frame, FrameMeta};
    // Readings every 30 s: 35, 35, 36, 36, 37, 37 °C.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("time,reference_c,reported_c\n");
    for (i, reference) in [35.0, 35.0, 36.0, 36.0, 37.0, 37.0].iter().enumerate() {
        csv.push_str(&format!(
            "2026-03-01T09:{:02}:{:02}Z,{reference},{reference}\n",
            i * 30 / 60,
            i * 30 % 60
        ));
    }
    std::fs::write(dir.path().join("readings.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("session.toml"),
        "[match]\nframes = \"frames\"\ntolerance_s = 20\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("frames")).unwrap();
    // Frames at 09:00:05 and :07 (35 °C, stable), :40 (between 35 and 36:
    // changing), 09:01:05 (36 °C, stable) and 09:10:00 (no reading near).
    for (stamp, temperature) in [
        ("090005", 35.0f32),
        ("090007", 35.0),
        ("090040", 35.5),
        ("090105", 36.0),
        ("091000", 30.0),
    ] {
        let temperatures = ndarray::Array2::from_shape_fn((24, 32), |(r, c)| {
            if (r as i32 - 12).pow(2) + (c as i32 - 16).pow(2) < 36 {
                temperature
            } else {
                21.0
            }
        });
        let frame = Frame::from_temperatures(temperatures, FrameMeta::default());
        let path = dir.path().join(format!("frames/IR_20260301T{stamp}.npy"));
        let mut out = writer(OutputFormat::Npy, &path, 1).unwrap();
        out.write(&frame).unwrap();
        out.finish().unwrap();
    }
    let report = analyze(&Session::load(dir.path()).unwrap()).unwrap();
    let warning = report
        .session
        .warnings
        .iter()
        .find(|w| w.starts_with("[match]"))
        .expect("a matching summary");
    assert!(warning.contains("5 frame(s) found, 3 matched, 1 with no reading within 20 s, 1 taken while the reference was changing"), "{warning}");
    assert_eq!(report.frames.len(), 3);
    let radiometric = &report.accuracy["radiometric"];
    assert_eq!(radiometric.n, 3);
    assert!(
        radiometric.max_abs_error_c < 0.01,
        "{}",
        radiometric.max_abs_error_c
    );
}

#[test]
fn repeated_frames_of_a_step_give_temporal_noise_stability_and_drift() {
    // Six readings per step, no sensor noise: the frames differ only by the
    // simulator's 0.05 °C pixel noise, which is the temporal noise.
    let dir = tempfile::tempdir().unwrap();
    let mut simulation = Simulation::new(CameraModel::Honest, 8);
    simulation.steps = 5;
    simulation.repeats = 6;
    simulation.noise_sd_c = 0.0;
    simulation.frames = Some(SyntheticFrames {
        format: OutputFormat::Npy,
        width: 48,
        height: 36,
    });
    simulation.write_session(dir.path(), true).unwrap();
    let report = analyze(&Session::load(dir.path()).unwrap()).unwrap();
    let item = |name: &str| report.iec.iter().find(|i| i.item == name).unwrap().clone();
    let noise = item("temporal_noise").value.unwrap();
    assert!((noise - 0.05).abs() < 0.015, "{noise}");
    // A constant target: the ROI mean moves only by averaged pixel noise.
    assert!(item("stability").value.unwrap() < 0.05);
    // Its interval from 5 degrees of freedom brackets the 0.05 °C noise.
    let noise_note = item("temporal_noise").note;
    assert!(
        noise_note.contains("95 % CI") && noise_note.contains("5 degrees of freedom"),
        "{noise_note}"
    );
    let ci = item("temporal_noise").interval.unwrap();
    assert!(ci.low < 0.05 && 0.05 < ci.high, "{ci:?}");
    // The ROI mean's spatial noise is in each radiometric budget: pixel
    // noise 0.05 °C over the many pixels of the found blackbody.
    let budget = report.steps[0]
        .radiometric
        .as_ref()
        .unwrap()
        .uncertainty
        .clone()
        .unwrap();
    let roi = budget
        .contributions
        .iter()
        .find(|c| c.name == "ROI spatial noise")
        .unwrap();
    assert!(roi.u_c > 0.0 && roi.u_c < 0.02, "{roi:?}");
    // A constant target is settled from its first frame.
    let settling = item("stabilisation_time");
    assert_eq!(settling.value, Some(0.0), "{settling:?}");
    assert!(
        settling.note.contains("from the first frame"),
        "{}",
        settling.note
    );
    assert!(
        item("stability").note.contains("over 6 frames"),
        "{}",
        item("stability").note
    );
    // Six frames 30 s apart span 2.5 min: no drift per hour from them.
    let drift = item("drift");
    assert!(drift.value.is_none(), "{drift:?}");
    assert!(
        drift.note.contains("span 2.5 min") && drift.note.contains("at least 10 min"),
        "{}",
        drift.note
    );
    // 25 frames span 12 min: the drift is given with its interval.
    let dir = tempfile::tempdir().unwrap();
    simulation.steps = 2;
    simulation.repeats = 25;
    simulation.write_session(dir.path(), true).unwrap();
    let report = analyze(&Session::load(dir.path()).unwrap()).unwrap();
    let drift = report.iec.iter().find(|i| i.item == "drift").unwrap();
    assert!(drift.value.is_some(), "{drift:?}");
    assert!(
        drift.note.contains("over 12.0 min (95 % CI"),
        "{}",
        drift.note
    );
}

#[test]
fn a_flir_frame_is_measured_on_its_raw_counts_and_matches_truth() {
    // The E40 R-JPEG (fixtures/real) as the frame of every observation of a
    // small session: the whole-frame statistics come from the raw-count pass
    // and must equal truth.json (exiftool + Thermimage's formula in numpy,
    // so the session asks for Thermimage's atmosphere model).
    let report = one_picture_session(
        "flir_e40.jpg",
        "[roi.target]\nrect = [70, 50, 20, 20]\n[radiometry]\natmosphere_model = \"thermimage\"\n",
    );
    let truth = common::real_truth("flir_e40.jpg");
    let whole = &report.frames[0].whole_frame;
    let close = |actual: Option<f64>, key: &str| {
        let expected = truth["celsius"][key].as_f64().unwrap();
        assert!(
            (actual.unwrap() - expected).abs() < 0.01,
            "{key}: {actual:?} vs {expected}"
        );
    };
    close(whole.min_c, "min");
    close(whole.max_c, "max");
    close(whole.mean_c, "mean");
    assert_eq!((whole.pixels, whole.nan), (160 * 120, 0));
    assert_eq!(report.frames[0].target.pixels, 400);
    // The raw pass reports the median as the temperature of a count, not as
    // the centre of a 0.01 °C bin (x.xx5 °C) as the temperature pass does.
    let hundredths = whole.median_c.unwrap() * 100.0;
    assert!(
        (hundredths - hundredths.floor() - 0.5).abs() > 1e-3,
        "median {:?} is a bin centre",
        whole.median_c
    );
    // Every frame is the same file: the stack of the largest step is not
    // built (one frame per step), and the preview is the warmest row's frame.
    assert_eq!(report.frame_preview.as_ref().unwrap().reference_c, 40.0);
}

/// The analysis of a session of six readings (35–40 °C, reported as the
/// reference) whose every frame is `picture` of fixtures/real, with
/// `manifest` as session.toml.
fn one_picture_session(picture: &str, manifest: &str) -> Report {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(common::real(picture), dir.path().join(picture)).unwrap();
    let rows: String = (0..6)
        .map(|i| format!("{},{:.1},{picture}\n", 35.0 + i as f64, 35.0 + i as f64))
        .collect();
    std::fs::write(
        dir.path().join("readings.csv"),
        format!("reference_c,reported_c,frame\n{rows}"),
    )
    .unwrap();
    std::fs::write(dir.path().join("session.toml"), manifest).unwrap();
    analyze(&Session::load(dir.path()).unwrap()).unwrap()
}

/// A session whose every frame is the FLIR B60 picture with 4 934 pixels
/// below its camera's calibrated range (fixtures/real, truth.json), the
/// target ROI covering the whole frame, and `extra` added to session.toml.
fn b60_session(extra: &str) -> Report {
    one_picture_session(
        "flir_b60_aqua_tower.jpg",
        &format!("[roi.target]\nrect = [0, 0, 180, 180]\n{extra}"),
    )
}

#[test]
fn target_pixels_beyond_the_calibrated_range_are_left_out_and_named() {
    let report = b60_session("");
    let target = &report.frames[0].target;
    assert_eq!(target.outside_range, 4934);
    assert_eq!(target.valid, 180 * 180 - 4934);
    let warning = report
        .session
        .warnings
        .iter()
        .find(|w| w.contains("calibrated range"))
        .expect("a warning names the pixels outside the range");
    assert!(
        warning.starts_with("29604 target pixel(s) in 6 frame(s)")
            && warning.contains("left out")
            && warning.contains("lines 2, 3, 4, 5, 6, 7"),
        "{warning}"
    );
    // FLIR Tools' export: mean −10.0713 °C over the pixels inside the range.
    assert!((target.mean_c.unwrap() - -10.0713).abs() < 0.005);
    // Kept, the extrapolated values pull the mean down, and are still named.
    let kept = b60_session("[radiometry]\noutside_range = \"keep\"\n");
    let target = &kept.frames[0].target;
    assert_eq!((target.outside_range, target.valid), (4934, 180 * 180));
    assert!(target.mean_c.unwrap() < -10.0713 - 0.5);
    assert!(kept
        .session
        .warnings
        .iter()
        .any(|w| w.contains("calibrated range") && w.contains("extrapolated values are used")));
}

#[test]
fn a_roi_reaching_beyond_the_frame_is_an_error_naming_it() {
    // Clipped silently, a ROI larger than the frame measured the background
    // and raised false findings (issue #16); one outside it measured nothing.
    for roi in [
        "[roi.target]\nrect = [0, 0, 480, 360]\n",
        "[roi.target]\nrect = [100, 100, 4, 4]\n",
        "[roi.target]\ncircle = [24, 18, 4]\n[roi.etrs]\ncircle = [46, 2, 5]\ntemperature_c = 21.5\n",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut simulation = Simulation::new(CameraModel::Honest, 5);
        simulation.steps = 3;
        simulation.frames = Some(SyntheticFrames {
            format: OutputFormat::Npy,
            width: 48,
            height: 36,
        });
        simulation.write_session(dir.path(), true).unwrap();
        let path = dir.path().join("session.toml");
        let text = std::fs::read_to_string(&path).unwrap() + "\n" + roi;
        std::fs::write(&path, text).unwrap();
        let err = analyze(&Session::load(dir.path()).unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("reaches beyond the 48×36 frame") && err.contains("frame `frames/00000.npy`"),
            "{roi}: {err}"
        );
    }
}

#[test]
fn frames_without_a_target_are_named_in_a_warning() {
    // Two of three frames are a uniform wall at 25 °C: no source is found
    // in them, and the report says which lines dropped out.
    let dir = tempfile::tempdir().unwrap();
    let simulated = dir.path().join("simulated");
    let mut simulation = Simulation::new(CameraModel::Honest, 5);
    simulation.steps = 3;
    simulation.repeats = 1;
    simulation.frames = Some(SyntheticFrames {
        format: OutputFormat::Csv,
        width: 16,
        height: 12,
    });
    simulation.write_session(&simulated, true).unwrap();
    let session = dir.path().join("session");
    std::fs::create_dir(&session).unwrap();
    std::fs::copy(simulated.join("frames/00000.csv"), session.join("hot.csv")).unwrap();
    let wall = vec![vec!["25.0"; 16].join(","); 12].join("\n");
    std::fs::write(session.join("wall.csv"), wall).unwrap();
    std::fs::write(
        session.join("readings.csv"),
        "reference_c,reported_c,frame\n35.0,35.1,hot.csv\n37.0,37.0,wall.csv\n38.0,37.9,wall.csv\n",
    )
    .unwrap();
    let report = analyze(&Session::load(&session).unwrap()).unwrap();
    let warning = report
        .session
        .warnings
        .iter()
        .find(|w| w.contains("gave no target temperature"))
        .expect("a warning for the frames without a target");
    assert!(
        warning.starts_with("2 of 3 frame(s)") && warning.ends_with("(readings.csv lines 3, 4)"),
        "{warning}"
    );
}
