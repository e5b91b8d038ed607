//! fevercheck's FLIR temperatures against FLIR's own software: 25 R-JPEGs
//! of 15 camera models from Wikimedia Commons, each with the temperature
//! matrix FLIR Tools exported (../shared/samples/flir_tools_validation/,
//! from the IRimage paper's data: Pereyra Irujo, PeerJ Computer Science
//! 8:e977, 2022). The exports (CC-BY-SA-4.0) stay outside the repository,
//! so the test is ignored unless asked for; CI runs it.
//!
//! FLIR Tools writes three decimals and −40.01 (or −40.011) °C for every
//! pixel below the camera's calibrated range; fevercheck must agree within
//! 0.005 °C everywhere inside the range and give NaN exactly where FLIR
//! Tools wrote that stand-in.

use crate::common;

use std::path::{Path, PathBuf};

use common::shared_sample;
use fevercheck::formats::{open, DecodeOptions};
use fevercheck::frame::Frame;
use fevercheck::model::RadiometryOverrides;
use fevercheck::radiometry::AtmosphereModel;

/// The bound for every pixel inside the calibrated range, °C.
const AGREEMENT_C: f64 = 0.005;

/// The exports' stand-in for a pixel below the range is −40.01 or
/// −40.011 °C (clip_min − 0.01 written with three decimals); anything at or
/// below this is one.
const STAND_IN_AT_MOST_C: f64 = -40.0095;

/// The exports, each with its R-JPEG.
fn exports() -> Vec<(PathBuf, PathBuf)> {
    let folder = shared_sample("flir_tools_validation");
    let mut pairs: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.strip_suffix(".flirtools.csv")?;
            Some((folder.join(format!("{name}.jpg")), path.clone()))
        })
        .collect();
    pairs.sort();
    pairs
}

/// FLIR Tools' matrix: tab-separated °C, one line per image row.
fn read_export(path: &Path) -> Vec<Vec<f64>> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            line.split('\t')
                .map(|v| {
                    v.trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("{v:?} in {path:?}"))
                })
                .collect()
        })
        .collect()
}

fn decode(jpg: &Path, model: AtmosphereModel) -> Frame {
    let options = DecodeOptions {
        radiometry: RadiometryOverrides {
            atmosphere_model: Some(model),
            ..RadiometryOverrides::default()
        },
        ..DecodeOptions::default()
    };
    open(jpg, &options).unwrap().read_frame(0).unwrap()
}

/// How one decode compares with one export.
struct Comparison {
    /// The largest difference where both give a temperature, °C.
    worst: f64,
    /// Pixels FLIR Tools replaced by its stand-in.
    stand_ins: usize,
    /// Pixels where one gives a temperature and the other does not.
    disagreements: Vec<String>,
}

fn compare(frame: &Frame, export: &[Vec<f64>], name: &str) -> Comparison {
    assert_eq!(export.len(), frame.height(), "{name}: rows");
    let mut result = Comparison {
        worst: 0.0,
        stand_ins: 0,
        disagreements: Vec::new(),
    };
    for (r, row) in export.iter().enumerate() {
        assert_eq!(row.len(), frame.width(), "{name}: columns of row {r}");
        for (c, &flir) in row.iter().enumerate() {
            let ours = frame.temperatures[[r, c]] as f64;
            let stand_in = flir <= STAND_IN_AT_MOST_C;
            result.stand_ins += usize::from(stand_in);
            if stand_in != ours.is_nan() {
                result.disagreements.push(format!(
                    "{name} row {r} column {c}: FLIR Tools {flir}, ours {ours}"
                ));
            } else if !stand_in {
                result.worst = result.worst.max((ours - flir).abs());
            }
        }
    }
    result
}

#[test]
#[ignore = "needs ../shared/samples"]
fn every_flir_tools_export_is_matched_inside_the_calibrated_range() {
    let pairs = exports();
    assert_eq!(pairs.len(), 25, "the validation set holds 25 exports");
    let mut images_with_stand_ins = 0;
    for (jpg, csv) in &pairs {
        let name = jpg.file_name().unwrap().to_string_lossy();
        let frame = decode(jpg, AtmosphereModel::Flir);
        let result = compare(&frame, &read_export(csv), &name);
        assert!(
            result.disagreements.is_empty(),
            "{} pixels NaN in one and not the other, first {}",
            result.disagreements.len(),
            result.disagreements[0]
        );
        assert!(
            result.worst <= AGREEMENT_C,
            "{name}: {:.4} °C from FLIR Tools",
            result.worst
        );
        assert_eq!(
            frame.meta.outside_range, result.stand_ins,
            "{name}: pixels outside counted"
        );
        images_with_stand_ins += usize::from(result.stand_ins > 0);
    }
    // Four images (two B60s, a T440, an E30bx) reach below the range.
    assert_eq!(images_with_stand_ins, 4);
}

#[test]
#[ignore = "needs ../shared/samples"]
fn thermimages_two_half_paths_miss_flir_tools() {
    // The same comparison with Thermimage's model must fail where the
    // distance is long: the test above discriminates between the models.
    let (mut worst, mut worst_name) = (0.0f64, String::new());
    for (jpg, csv) in exports() {
        let name = jpg.file_name().unwrap().to_string_lossy().to_string();
        let frame = decode(&jpg, AtmosphereModel::Thermimage);
        let difference = compare(&frame, &read_export(&csv), &name).worst;
        if difference > worst {
            (worst, worst_name) = (difference, name);
        }
    }
    assert!(
        (0.1..0.5).contains(&worst),
        "Thermimage's model is {worst:.3} °C from FLIR Tools at worst ({worst_name})"
    );
}
