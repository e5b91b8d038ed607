//! Real camera files against truth.json (values computed outside the
//! project: exiftool + Thermimage's raw2temp formula in numpy, Thermimage
//! itself for the SC660 map, CharLS for the CSQ). The CC0/MIT files are in
//! `fixtures/real/` and always tested; the GPL- and Perl-licensed ones are in
//! `../shared/samples/` and their tests are ignored unless asked for.

use crate::common;

use std::path::Path;

use common::{real, real_truth, shared_sample, shared_truth, thermimage_options};
use fevercheck::calibrated_range::OutsideRange;
use fevercheck::formats::{open, DecodeOptions};
use fevercheck::frame::FrameSummary;
use fevercheck::model::RadiometryOverrides;
use serde_json::Value;

fn close(actual: Option<f64>, expected: &Value, tolerance: f64, what: &str) {
    let expected = expected
        .as_f64()
        .unwrap_or_else(|| panic!("truth has no {what}"));
    let actual = actual.unwrap_or_else(|| panic!("{what} missing"));
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} vs {expected}"
    );
}

/// Checks a single-frame FLIR file's size, model, Planck constants, raw and °C statistics.
fn check_flir_file(path: &Path, t: &Value) {
    let file = path.file_name().unwrap().to_string_lossy();
    // Every FLIR value of ../shared/samples/truth.json is Thermimage's.
    assert!(
        t["model"].is_null() || t["model"] == "thermimage",
        "{file}: truth by Thermimage's formula"
    );
    let mut source = open(path, &thermimage_options()).unwrap();
    let frame = source.read_frame(0).unwrap();
    assert_eq!(
        frame.width() as u64,
        t["width"].as_u64().unwrap(),
        "{file} width"
    );
    assert_eq!(
        frame.height() as u64,
        t["height"].as_u64().unwrap(),
        "{file} height"
    );
    let params = frame.meta.radiometry.unwrap();
    close(
        Some(params.emissivity),
        &t["emissivity"],
        1e-6,
        "emissivity",
    );
    close(Some(params.planck.r1), &t["planck"]["PlanckR1"], 1e-3, "R1");
    close(Some(params.planck.b), &t["planck"]["PlanckB"], 1e-3, "B");
    close(Some(params.planck.o), &t["planck"]["PlanckO"], 1e-9, "O");
    close(Some(params.planck.r2), &t["planck"]["PlanckR2"], 1e-9, "R2");
    let model = t["camera_model"].as_str().unwrap();
    if model != "*" {
        assert_eq!(
            frame.meta.camera.model.as_deref().unwrap_or(""),
            model,
            "{file} model"
        );
    }
    let raw = frame.raw.as_ref().unwrap();
    let (h, w) = (frame.height(), frame.width());
    close(
        raw.iter().min().map(|v| *v as f64),
        &t["raw"]["min"],
        0.0,
        "raw min",
    );
    close(
        raw.iter().max().map(|v| *v as f64),
        &t["raw"]["max"],
        0.0,
        "raw max",
    );
    close(
        Some(raw[[0, 0]] as f64),
        &t["raw"]["at_0_0"],
        0.0,
        "raw at 0,0",
    );
    close(
        Some(raw[[h / 2, w / 2]] as f64),
        &t["raw"]["at_centre"],
        0.0,
        "raw at centre",
    );
    let s = FrameSummary::of(&frame);
    close(s.min_c, &t["celsius"]["min"], 0.01, "min °C");
    close(s.max_c, &t["celsius"]["max"], 0.01, "max °C");
    close(s.mean_c, &t["celsius"]["mean"], 0.01, "mean °C");
    close(s.centre_c, &t["celsius"]["at_centre"], 0.01, "centre °C");
    close(
        Some(frame.temperatures[[0, 0]] as f64),
        &t["celsius"]["at_0_0"],
        0.01,
        "°C at 0,0",
    );
    assert_eq!(s.nan, 0);
}

#[test]
#[ignore = "needs ../shared/samples"]
fn sc660_rjpeg_statistics() {
    let file = "flir_sc660_IR_2412.jpg";
    check_flir_file(&shared_sample(file), &shared_truth(file));
}

fn check_real_flir_file(file: &str) {
    check_flir_file(&real(file), &real_truth(file));
}

#[test]
fn flir_one_rjpeg_with_byte_swapped_png() {
    check_real_flir_file("flir_example_readthermal.jpg");
}

#[test]
fn ax8_rjpeg_with_byte_swapped_png() {
    check_real_flir_file("flir_ax8.jpg");
}

#[test]
fn dji_xtr_rjpeg_with_little_endian_fff() {
    check_real_flir_file("dji_zenmuse_xtr.jpg");
}

#[test]
fn e40_rjpeg() {
    check_real_flir_file("flir_e40.jpg");
}

#[test]
fn duo_pro_r_bare_fff() {
    check_real_flir_file("flir_duoproR_frame_000000.fff");
}

#[test]
#[ignore = "needs ../shared/samples"]
fn sc660_matches_thermimage_pixel_by_pixel() {
    let mut source = open(
        &shared_sample("flir_sc660_IR_2412.jpg"),
        &thermimage_options(),
    )
    .unwrap();
    let frame = source.read_frame(0).unwrap();
    let map = std::fs::read(shared_sample(
        "flir_sc660_IR_2412.thermimage_temps_f32le_640x480.raw",
    ))
    .unwrap();
    assert_eq!(map.len(), 640 * 480 * 4);
    let mut worst = 0.0f64;
    for (i, chunk) in map.chunks_exact(4).enumerate() {
        let expected = f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]) as f64;
        let actual = frame.temperatures[[i / 640, i % 640]] as f64;
        worst = worst.max((actual - expected).abs());
    }
    assert!(
        worst <= 0.001,
        "largest difference from Thermimage: {worst} °C"
    );
}

#[test]
#[ignore = "needs ../shared/samples"]
fn seq_has_two_frames_not_three() {
    let t = shared_truth("flir_sampleSEQ.seq");
    let mut source = open(&shared_sample("flir_sampleSEQ.seq"), &thermimage_options()).unwrap();
    assert_eq!(
        source.frame_count(),
        2,
        "the FFF bytes inside frame 0's pixels must not split it"
    );
    for index in 0..2 {
        let expected = &t[format!("frame_{index}")];
        let frame = source.read_frame(index).unwrap();
        assert_eq!((frame.width(), frame.height()), (640, 480));
        let raw = frame.raw.as_ref().unwrap();
        for (column, value) in expected["raw_row0_first6"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            assert_eq!(
                raw[[0, column]] as u64,
                value.as_u64().unwrap(),
                "frame {index} raw column {column}"
            );
        }
        for (column, value) in expected["celsius_row0_first6"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            close(
                Some(frame.temperatures[[0, column]] as f64),
                value,
                0.001,
                "°C in row 0",
            );
        }
        let s = FrameSummary::of(&frame);
        close(s.min_c, &expected["celsius"]["min"], 0.01, "min");
        close(s.max_c, &expected["celsius"]["max"], 0.01, "max");
        close(s.mean_c, &expected["celsius"]["mean"], 0.01, "mean");
        // truth.json gives exiftool's rendering, e.g. 15:52:08.698-05:00. The
        // file stores Unix time 1339617128 s + 699 ms and a zone of 300
        // minutes west (frame 1: 1339617132 s + 666 ms), read here with
        // Python's struct: 19:52:08.699 UTC, 14:52:08.699 at −05:00. exiftool's
        // hour is one later (its machine's daylight-saving rule) and its
        // milliseconds lose one to floating point. The minutes, seconds and
        // zone agree with truth.json; the instant is the stored one.
        let time = frame.meta.time.unwrap();
        let stored = [(1339617128, 699), (1339617132, 666)][index];
        assert_eq!(
            (time.timestamp(), time.timestamp_subsec_millis() as i64),
            stored,
            "frame {index} time"
        );
        let shown = time.to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        let truth_time = expected["time"].as_str().unwrap();
        assert_eq!(
            shown[13..19],
            truth_time[13..19],
            "minutes and seconds of frame {index}"
        );
        assert_eq!(shown[23..], truth_time[23..], "zone of frame {index}");
    }
}

#[test]
#[ignore = "needs ../shared/samples"]
fn csq_has_eight_frames_whose_jpeg_ls_raw_decodes_to_charls_values() {
    let t = shared_truth("flir_sampleCSQ.csq");
    let mut source = open(&shared_sample("flir_sampleCSQ.csq"), &thermimage_options()).unwrap();
    assert_eq!(source.format(), "flir_csq");
    assert_eq!(source.frame_count() as u64, t["frames"].as_u64().unwrap());
    assert_eq!(
        serde_json::to_value(source.frame_offsets()).unwrap(),
        t["frame_offsets"]
    );
    let frame = source.read_frame(0).unwrap();
    assert_eq!((frame.width(), frame.height()), (1024, 768));
    let raw = frame.raw.as_ref().unwrap();
    let expected = &t["frame_0"];
    close(
        raw.iter().min().map(|v| *v as f64),
        &expected["raw"]["min"],
        0.0,
        "raw min",
    );
    close(
        raw.iter().max().map(|v| *v as f64),
        &expected["raw"]["max"],
        0.0,
        "raw max",
    );
    let mut sorted: Vec<u16> = raw.iter().copied().collect();
    sorted.sort_unstable();
    close(
        Some(sorted[sorted.len() / 2] as f64),
        &expected["raw"]["median"],
        0.0,
        "raw median",
    );
    close(
        Some(raw[[384, 512]] as f64),
        &expected["raw"]["at_row384_col512"],
        0.0,
        "raw at 384,512",
    );
    let s = FrameSummary::of(&frame);
    close(s.min_c, &expected["celsius"]["min"], 0.01, "min °C");
    close(s.max_c, &expected["celsius"]["max"], 0.01, "max °C");
    close(s.mean_c, &expected["celsius"]["mean"], 0.01, "mean °C");
    close(
        Some(frame.temperatures[[384, 512]] as f64),
        &expected["celsius"]["at_row384_col512"],
        0.01,
        "°C at 384,512",
    );
    for index in 1..8 {
        let frame = source.read_frame(index).unwrap();
        let s = FrameSummary::of(&frame);
        assert!(
            s.min_c.unwrap() > 10.0 && s.max_c.unwrap() < 45.0,
            "frame {index}: {s:?}"
        );
    }
}

#[test]
#[ignore = "needs ../shared/samples"]
fn stripped_and_unreadable_files_fail_with_clear_errors() {
    let cases = [
        ("exiftool_FLIR_i7_stripped.jpg", "PNG"),
        ("exiftool_FLIR_E40_stripped.fpf", "truncated"),
        ("exiftool_InfiRay_P2_stripped.jpg", "truncated InfiRay file"),
    ];
    for (file, expected) in cases {
        let result =
            open(&shared_sample(file), &DecodeOptions::default()).and_then(|mut s| s.read_frame(0));
        let message = result
            .err()
            .unwrap_or_else(|| panic!("{file} must fail"))
            .to_string();
        assert!(
            message.contains(file) && message.contains(expected),
            "{file}: {message}"
        );
    }
}

#[test]
#[ignore = "needs ../shared/samples"]
fn a_stripped_flir_jpeg_still_gives_its_metadata() {
    // exiftool's FLIR.jpg: FLIR i7 metadata with a 79-byte dummy PNG; values
    // from exiftool_FLIR_i7_stripped.expected_exiftool.txt.
    let mut source = open(
        &shared_sample("exiftool_FLIR_i7_stripped.jpg"),
        &DecodeOptions::default(),
    )
    .unwrap();
    let meta = source.read_meta(0).unwrap();
    assert_eq!(meta.camera.model.as_deref(), Some("FLIR_i7"));
    assert_eq!((meta.width, meta.height), (120, 120));
    let p = meta.radiometry.unwrap();
    assert!((p.emissivity - 0.80).abs() < 1e-6);
    assert!((p.planck.r1 - 13799.269).abs() < 1e-3);
    assert!((p.planck.b - 1374.5).abs() < 1e-3);
    assert!((p.planck.f - 1.35).abs() < 1e-6);
    assert_eq!(p.planck.o, -6646.0);
    assert!((p.planck.r2 - 0.022241818).abs() < 1e-9);
}

#[test]
fn hti_jpeg_temperatures_are_the_thermal_block_in_tenths_of_a_degree() {
    let file = "hti_ht04d.jpg";
    let t = real_truth(file);
    let mut source = open(&real(file), &DecodeOptions::default()).unwrap();
    assert_eq!(source.format(), "hti_jpeg");
    let frame = source.read_frame(0).unwrap();
    assert_eq!(frame.width() as u64, t["width"].as_u64().unwrap());
    assert_eq!(frame.height() as u64, t["height"].as_u64().unwrap());
    assert_eq!(
        frame.meta.camera.model.as_deref(),
        t["camera_model"].as_str()
    );
    let s = FrameSummary::of(&frame);
    // Tenths of a degree, exactly (f32 of a tenth is within 1e-5).
    close(s.min_c, &t["celsius"]["min"], 1e-4, "min °C");
    close(s.max_c, &t["celsius"]["max"], 1e-4, "max °C");
    close(s.mean_c, &t["celsius"]["mean"], 1e-3, "mean °C");
    close(s.centre_c, &t["celsius"]["at_centre"], 1e-4, "centre °C");
    close(
        Some(frame.temperatures[[0, 0]] as f64),
        &t["celsius"]["at_0_0"],
        1e-4,
        "°C at 0,0",
    );
    assert_eq!(s.nan, 0);
    // The camera's own spot readings lie inside the decoded range: the
    // block is read at the scale the camera measured in.
    let (low, high) = (s.min_c.unwrap(), s.max_c.unwrap());
    for spot in ["spot_center_c", "spot_max_c", "spot_min_c"] {
        let value = t["camera_record"][spot].as_f64().unwrap();
        assert!(
            (low..=high).contains(&value),
            "{spot} {value} outside {low}..{high}"
        );
    }
}

#[test]
fn hti_jpeg_refuses_radiometry_overrides_it_cannot_apply() {
    let options = DecodeOptions {
        radiometry: fevercheck::model::RadiometryOverrides {
            emissivity: Some(0.98),
            ..Default::default()
        },
        ..DecodeOptions::default()
    };
    let message = open(&real("hti_ht04d.jpg"), &options)
        .err()
        .unwrap()
        .to_string();
    assert!(message.contains("--emissivity"), "{message}");
}

#[test]
fn infiray_irg_matches_the_reference_parser() {
    let file = "infiray_c200_example.irg";
    let t = real_truth(file);
    let mut source = open(&real(file), &DecodeOptions::default()).unwrap();
    assert_eq!(source.format(), "infiray_irg");
    let frame = source.read_frame(0).unwrap();
    assert_eq!(frame.height() as u64, t["rows"].as_u64().unwrap());
    assert_eq!(frame.width() as u64, t["columns"].as_u64().unwrap());
    let s = FrameSummary::of(&frame);
    // Sixteenths of a kelvin: the reference's values exactly, to f32.
    close(s.min_c, &t["celsius"]["min"], 1e-4, "min °C");
    close(s.max_c, &t["celsius"]["max"], 1e-4, "max °C");
    close(s.mean_c, &t["celsius"]["mean"], 1e-4, "mean °C");
    assert_eq!(s.nan, 0);
}

/// A FLIR file against FLIR Tools' own export (truth.json `"model":
/// "flir_tools"`): FLIR's atmosphere model and its calibrated range, with
/// fevercheck's defaults.
fn check_against_flir_tools(file: &str) -> fevercheck::frame::Frame {
    let t = real_truth(file);
    assert_eq!(t["model"], "flir_tools");
    let frame = open(&real(file), &DecodeOptions::default())
        .unwrap()
        .read_frame(0)
        .unwrap();
    assert_eq!(
        (frame.width() as u64, frame.height() as u64),
        (t["width"].as_u64().unwrap(), t["height"].as_u64().unwrap())
    );
    // FLIR Tools writes three decimals: 0.0005 of rounding, and the bound
    // the validation set is held to (0.005 °C) for the rest.
    let s = FrameSummary::of(&frame);
    let below = t["below_range_pixels"].as_u64().unwrap() as usize;
    assert_eq!(s.outside_range, below, "{file}: pixels below the range");
    assert_eq!(s.nan, below, "{file}: shown as NaN by default");
    let inside = &t["celsius_inside_range"];
    close(s.min_c, &inside["min"], 0.005, "min °C");
    close(s.max_c, &inside["max"], 0.005, "max °C");
    close(s.mean_c, &inside["mean"], 0.005, "mean °C");
    close(s.centre_c, &t["celsius"]["at_centre"], 0.005, "centre °C");
    close(
        Some(frame.temperatures[[5, 70]] as f64),
        &t["celsius"]["at_5_70"],
        0.005,
        "°C at row 5, column 70",
    );
    frame
}

#[test]
fn b60_rjpeg_matches_flir_tools_and_its_range() {
    let frame = check_against_flir_tools("flir_b60_aqua_tower.jpg");
    // The pixel at row 5, column 70 lies 0.009 °C below the min clip and is
    // shown (inside FLIR Tools' 0.01 °C margin); its colder neighbours are
    // not. Clipping writes FLIR Tools' stand-in, keeping extrapolates.
    let first_outside = frame
        .temperatures
        .indexed_iter()
        .find(|(_, t)| t.is_nan())
        .map(|(at, _)| at)
        .unwrap();
    let shown = |policy: OutsideRange| {
        let options = DecodeOptions {
            radiometry: RadiometryOverrides {
                outside_range: Some(policy),
                ..RadiometryOverrides::default()
            },
            ..DecodeOptions::default()
        };
        let frame = open(&real("flir_b60_aqua_tower.jpg"), &options)
            .unwrap()
            .read_frame(0)
            .unwrap();
        assert_eq!(frame.meta.outside_range, 4934, "counted under {policy:?}");
        frame.temperatures[first_outside] as f64
    };
    let written_as = real_truth("flir_b60_aqua_tower.jpg")["below_range_written_as"].clone();
    close(
        Some(shown(OutsideRange::Clip)),
        &written_as,
        0.001,
        "clipped",
    );
    assert!(shown(OutsideRange::Keep) < -40.01);
}

#[test]
fn infracam_at_two_metres_matches_flir_tools() {
    let frame = check_against_flir_tools("flir_infracam_200_deg_neutral.jpg");
    close(
        Some(frame.temperatures[[0, 0]] as f64),
        &real_truth("flir_infracam_200_deg_neutral.jpg")["celsius"]["at_0_0"],
        0.005,
        "°C at 0,0",
    );
    assert_eq!(frame.meta.radiometry.unwrap().distance_m, 2.0);
}
