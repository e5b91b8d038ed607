//! `convert` writes what the readers read back: CSV (3 decimals), NPY and
//! TIFF (exact f32), for single frames and sequences; the PNG is a picture
//! of the right size. Hand-made frames need no samples; the SEQ sample
//! (GPL, outside the repository) is an ignored test run by CI.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use fevercheck::convert::{writer, OutputFormat};
use fevercheck::formats::{open, DecodeOptions};
use fevercheck::frame::{Frame, FrameMeta};
use ndarray::Array2;

fn frame(index: usize, rows: usize, columns: usize) -> Frame {
    let temperatures = Array2::from_shape_fn((rows, columns), |(r, c)| {
        20.0 + r as f32 * 0.731 + c as f32 * 0.0173 + index as f32 * 5.0
    });
    Frame::from_temperatures(
        temperatures,
        FrameMeta {
            index,
            ..FrameMeta::default()
        },
    )
}

fn write(format: OutputFormat, path: &Path, frames: &[Frame]) -> Vec<PathBuf> {
    let mut out = writer(format, path, frames.len()).unwrap();
    for f in frames {
        out.write(f).unwrap();
    }
    out.finish().unwrap()
}

fn read_back(path: &Path) -> Vec<Frame> {
    let mut source = open(path, &DecodeOptions::default()).unwrap();
    (0..source.frame_count())
        .map(|i| source.read_frame(i).unwrap())
        .collect()
}

fn largest_difference(a: &Frame, b: &Frame) -> f32 {
    assert_eq!(a.temperatures.dim(), b.temperatures.dim());
    a.temperatures
        .iter()
        .zip(b.temperatures.iter())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

#[test]
fn frames_survive_a_round_trip_through_every_matrix_format() {
    let dir = tempfile::tempdir().unwrap();
    let frames = [frame(0, 7, 11), frame(1, 7, 11), frame(2, 7, 11)];
    for (format, name, tolerance) in [
        (OutputFormat::Csv, "f.csv", 0.0005),
        (OutputFormat::Npy, "f.npy", 0.0),
        (OutputFormat::Tiff, "f.tiff", 0.0),
    ] {
        for count in [1, 3] {
            let path = dir.path().join(format!("{count}-{name}"));
            write(format, &path, &frames[..count]);
            let back = read_back(&path);
            assert_eq!(back.len(), count, "{name}");
            for (original, read) in frames.iter().zip(&back) {
                let worst = largest_difference(original, read);
                assert!(worst <= tolerance, "{name}: {worst}");
            }
        }
    }
}

#[test]
fn png_output_is_a_picture_with_a_scale_bar() {
    let dir = tempfile::tempdir().unwrap();
    let written = write(
        OutputFormat::Png,
        &dir.path().join("f.png"),
        &[frame(0, 60, 80), frame(1, 60, 80)],
    );
    assert_eq!(written.len(), 2);
    assert!(written[0].ends_with("f-0.png") && written[1].ends_with("f-1.png"));
    let decoder = png::Decoder::new(std::fs::File::open(&written[0]).unwrap());
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    // 80×60 is scaled by 6 to 480×360; the margins, the bar and its labels
    // add to that.
    assert!((360..=420).contains(&info.height), "{}", info.height);
    assert!(info.width > 480 + 24 + 60, "{}", info.width);
    assert_eq!(info.color_type, png::ColorType::Rgb);
}

#[test]
#[ignore = "needs ../shared/samples"]
fn the_seq_sample_converts_and_reads_back() {
    let sample = common::shared_sample("flir_sampleSEQ.seq");
    let original = read_back(&sample);
    let dir = tempfile::tempdir().unwrap();
    for to in ["csv", "npy", "tiff"] {
        let out = dir.path().join(format!("seq.{to}"));
        Command::cargo_bin("fevercheck")
            .unwrap()
            .args(["convert"])
            .arg(&sample)
            .args(["--all", "--to", to, "--out"])
            .arg(&out)
            .assert()
            .success();
        let back = read_back(&out);
        assert_eq!(back.len(), 2, "{to}");
        let tolerance = if to == "csv" { 0.0005 } else { 0.0 };
        for (a, b) in original.iter().zip(&back) {
            assert!(largest_difference(a, b) <= tolerance, "{to}");
        }
    }
    let csv = std::fs::read_to_string(dir.path().join("seq.csv")).unwrap();
    let first = csv.lines().nth(1).unwrap();
    assert!(first.starts_with("22.463,22.247,22.101,"), "{first}");
    assert_eq!(csv.lines().next(), Some("Frame 0"));
}
