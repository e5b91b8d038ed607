//! `convert` writes what the readers read back: CSV (3 decimals), NPY and
//! TIFF (exact f32), for single frames and sequences; the PNG is a picture
//! of the right size. Hand-made frames need no samples; the SEQ sample
//! (GPL, outside the repository) is an ignored test run by CI.

use crate::common;

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
    read_back_with(path, &DecodeOptions::default())
}

fn read_back_with(path: &Path, options: &DecodeOptions) -> Vec<Frame> {
    let mut source = open(path, options).unwrap();
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
    // The first values below are Thermimage's (../shared/samples/truth.json).
    let sample = common::shared_sample("flir_sampleSEQ.seq");
    let original = read_back_with(&sample, &common::thermimage_options());
    let dir = tempfile::tempdir().unwrap();
    for to in ["csv", "npy", "tiff"] {
        let out = dir.path().join(format!("seq.{to}"));
        Command::cargo_bin("fevercheck")
            .unwrap()
            .args(["convert", "--atmosphere-model", "thermimage"])
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

#[test]
fn a_folder_converts_into_a_folder_and_a_bad_file_is_named_not_fatal() {
    // Two frames and a damaged NPY in one folder (and a text file, passed
    // over): the two convert, each to its own name; the damaged one is
    // named; the run exits 2 so a script sees that one was not converted.
    let dir = tempfile::tempdir().unwrap();
    let camera = dir.path().join("camera");
    std::fs::create_dir(&camera).unwrap();
    write(OutputFormat::Npy, &camera.join("a.npy"), &[frame(0, 5, 6)]);
    write(OutputFormat::Npy, &camera.join("b.npy"), &[frame(1, 5, 6)]);
    std::fs::write(camera.join("c.npy"), b"\x93NUMPY broken").unwrap();
    std::fs::write(camera.join("notes.txt"), "not a frame").unwrap();
    let out = dir.path().join("converted");
    let run = Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("convert")
        .arg(&camera)
        .args(["--to", "csv", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let stdout = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    assert!(
        stdout.contains("not converted:") && stdout.contains("c.npy"),
        "{stdout}"
    );
    assert!(stdout.contains("2 of 3 files converted"), "{stdout}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.csv", "b.csv"]);
    for (name, index) in [("a.csv", 0), ("b.csv", 1)] {
        let back = read_back(&out.join(name));
        assert!(largest_difference(&frame(index, 5, 6), &back[0]) <= 0.0005);
    }

    // Inspecting the folder: one line per file, then the count.
    let run = Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("inspect")
        .arg(&camera)
        .assert()
        .code(2);
    let stdout = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    assert!(
        stdout.contains("3 files inspected: 2 read, 1 could not be read"),
        "{stdout}"
    );
    // In JSON, an array of three.
    let run = Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("inspect")
        .arg(&camera)
        .arg("--json")
        .assert()
        .code(2);
    let json: serde_json::Value = serde_json::from_slice(&run.get_output().stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
}

#[test]
fn frames_of_a_sequence_convert_to_one_csv_each() {
    let dir = tempfile::tempdir().unwrap();
    let frames = [frame(0, 4, 3), frame(1, 4, 3), frame(2, 4, 3)];
    let run = dir.path().join("run.npy");
    write(OutputFormat::Npy, &run, &frames);
    let out = dir.path().join("frames/run.csv");
    Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("convert")
        .arg(&run)
        .args(["--all", "--per-frame", "--to", "csv", "--out"])
        .arg(&out)
        .assert()
        .success();
    for (i, original) in frames.iter().enumerate() {
        let back = read_back(&dir.path().join(format!("frames/run-{i}.csv")));
        assert_eq!(back.len(), 1);
        assert!(
            largest_difference(original, &back[0]) <= 0.0005,
            "frame {i}"
        );
    }
    assert!(!out.exists());
}

#[test]
fn two_inputs_of_one_name_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for day in ["day1", "day2"] {
        std::fs::create_dir(dir.path().join(day)).unwrap();
        write(
            OutputFormat::Npy,
            &dir.path().join(day).join("photo.npy"),
            &[frame(0, 3, 3)],
        );
    }
    let out = dir.path().join("out");
    let run = Command::cargo_bin("fevercheck")
        .unwrap()
        .arg("convert")
        .args([dir.path().join("day1"), dir.path().join("day2")])
        .args(["--to", "tiff", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(
        stderr.contains("day1") && stderr.contains("day2"),
        "{stderr}"
    );
    assert!(!out.join("photo.tiff").exists());
}
