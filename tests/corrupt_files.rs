//! Every reader of radiometric files fed broken input: files cut at many
//! lengths, bytes changed at random (seeded), wrong magic, and headers that
//! claim absurd sizes. Each must give frames or an error — never a panic —
//! and absurd sizes must fail on the limits before anything is allocated.

use crate::common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use fevercheck::convert::{writer, OutputFormat};
use fevercheck::formats::{open, DecodeOptions, LinearScale};
use fevercheck::frame::{Frame, FrameMeta};
use fevercheck::Error;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Opens `path` and reads its metadata and up to three frames.
fn read_everything(path: &Path, options: &DecodeOptions) {
    if let Ok(mut source) = open(path, options) {
        let _ = source.read_meta(0);
        for index in 0..source.frame_count().min(3) {
            let _ = source.read_frame(index);
        }
    }
}

/// Feeds `bytes` (named with `extension`) cut and mutated to every reader.
fn survive_corruption(name: &str, bytes: &[u8], extension: &str, dir: &Path) {
    let options = DecodeOptions {
        scale: LinearScale::preset("centikelvin"),
        ..DecodeOptions::default()
    };
    let mut variants: Vec<(String, Vec<u8>)> = Vec::new();
    let step = (bytes.len() / 40).max(1);
    for cut in (0..bytes.len().min(256)).chain((256..bytes.len()).step_by(step)) {
        variants.push((format!("{name} cut at {cut}"), bytes[..cut].to_vec()));
    }
    let mut rng = ChaCha8Rng::seed_from_u64(bytes.len() as u64);
    for round in 0..40 {
        let mut changed = bytes.to_vec();
        for _ in 0..rng.gen_range(1..=8) {
            let at = if rng.gen_bool(0.5) {
                rng.gen_range(0..changed.len().min(1024))
            } else {
                rng.gen_range(0..changed.len())
            };
            changed[at] = rng.gen();
        }
        variants.push((format!("{name} mutation {round}"), changed));
    }
    let path = dir.join(format!("variant.{extension}"));
    for (label, variant) in variants {
        std::fs::write(&path, &variant).unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| read_everything(&path, &options)));
        assert!(outcome.is_ok(), "{label} panicked");
    }
}

fn hand_made_files(dir: &Path) -> Vec<PathBuf> {
    let temperatures =
        Array2::from_shape_fn((12, 16), |(r, c)| 30.0 + r as f32 * 0.5 + c as f32 * 0.01);
    let frame = Frame::from_temperatures(temperatures, FrameMeta::default());
    [
        (OutputFormat::Csv, "m.csv"),
        (OutputFormat::Npy, "m.npy"),
        (OutputFormat::Tiff, "m.tiff"),
    ]
    .into_iter()
    .map(|(format, name)| {
        let path = dir.join(name);
        let mut out = writer(format, &path, 2).unwrap();
        out.write(&frame).unwrap();
        out.write(&frame).unwrap();
        out.finish().unwrap();
        path
    })
    .chain([synthetic_fff(dir, 16, 12)])
    .collect()
}

/// A synthetic FFF file of `width × height` little-endian u16 counts near
/// 18 000 (at most 2^20 pixels: a header claiming more is the test of the
/// limits, and its record length says what is really there).
fn synthetic_fff(dir: &Path, width: u16, height: u16) -> PathBuf {
    let pixels = (width as usize * height as usize).min(1 << 20);
    let counts: Vec<u8> = (0..pixels)
        .flat_map(|i| (18000u16 + (i % 500) as u16).to_le_bytes())
        .collect();
    let path = dir.join(format!("synthetic-{width}x{height}.fff"));
    std::fs::write(&path, common::synthetic_fff::block(width, height, &counts)).unwrap();
    path
}

#[test]
fn the_synthetic_fff_decodes_to_the_sc660_temperatures() {
    // Raw counts near 18 000 with the SC660 sample's parameters are room
    // temperatures (its map has 18 090 → 23.73 °C at 0,0).
    let dir = tempfile::tempdir().unwrap();
    let path = synthetic_fff(dir.path(), 16, 12);
    let frame = open(&path, &DecodeOptions::default())
        .unwrap()
        .read_frame(0)
        .unwrap();
    assert_eq!(frame.temperatures.dim(), (12, 16));
    let t = frame.temperatures[[0, 0]];
    assert!((20.0..30.0).contains(&t), "{t}");
}

#[test]
fn hand_made_files_survive_cuts_and_mutations() {
    let dir = tempfile::tempdir().unwrap();
    for path in hand_made_files(dir.path()) {
        let bytes = std::fs::read(&path).unwrap();
        let extension = path.extension().unwrap().to_string_lossy().into_owned();
        survive_corruption(&path.display().to_string(), &bytes, &extension, dir.path());
    }
}

/// Cuts and mutates each file of `paths`.
fn files_survive_cuts_and_mutations(paths: &[PathBuf]) {
    let dir = tempfile::tempdir().unwrap();
    for path in paths {
        let bytes = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let extension = path.extension().unwrap().to_string_lossy().into_owned();
        survive_corruption(&name, &bytes, &extension, dir.path());
    }
}

#[test]
fn real_fixture_files_survive_cuts_and_mutations() {
    let names = [
        "flir_example_readthermal.jpg",
        "flir_ax8.jpg",
        "dji_zenmuse_xtr.jpg",
        "flir_e40.jpg",
        "flir_duoproR_frame_000000.fff",
    ];
    files_survive_cuts_and_mutations(&names.map(common::real));
}

#[test]
#[ignore = "needs ../shared/samples"]
fn shared_sample_files_survive_cuts_and_mutations() {
    let names = [
        "flir_sc660_IR_2412.jpg",
        "flir_sampleSEQ.seq",
        "flir_sampleCSQ.csq",
        "exiftool_FLIR_i7_stripped.jpg",
        "exiftool_FLIR_E40_stripped.fpf",
        "exiftool_InfiRay_P2_stripped.jpg",
    ];
    files_survive_cuts_and_mutations(&names.map(common::shared_sample));
}

fn is_limit(result: Result<(), Error>) -> bool {
    matches!(result, Err(Error::Limit { .. }))
}

#[test]
fn absurd_frame_sizes_fail_on_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    // FFF raw record claiming 60 000 × 60 000 (the pixel data is not there).
    let fff = synthetic_fff(dir.path(), 60_000, 60_000);
    let result =
        open(&fff, &DecodeOptions::default()).and_then(|mut s| s.read_frame(0).map(|_| ()));
    assert!(is_limit(result), "FFF");
    // .npy whose header claims (100000, 100000) floats.
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }\n";
    npy.extend_from_slice(&(header.len() as u16).to_le_bytes());
    npy.extend_from_slice(header.as_bytes());
    let npy_path = dir.path().join("huge.npy");
    std::fs::write(&npy_path, npy).unwrap();
    assert!(
        is_limit(open(&npy_path, &DecodeOptions::default()).map(|_| ())),
        "npy"
    );
    // FPF header claiming 65 535 × 65 535.
    let mut fpf = vec![0u8; 900];
    fpf[..24].copy_from_slice(b"FPF Public Image Format\0");
    fpf[0x24..0x28].copy_from_slice(&892u32.to_le_bytes());
    fpf[0x2a..0x2c].copy_from_slice(&2u16.to_le_bytes());
    fpf[0x2c..0x2e].copy_from_slice(&u16::MAX.to_le_bytes());
    fpf[0x2e..0x30].copy_from_slice(&u16::MAX.to_le_bytes());
    let fpf_path = dir.path().join("huge.fpf");
    std::fs::write(&fpf_path, fpf).unwrap();
    assert!(
        is_limit(open(&fpf_path, &DecodeOptions::default()).map(|_| ())),
        "fpf"
    );
}

/// A JPEG made of the given (marker, payload) segments and an end marker.
fn jpeg(segments: &[(u8, &[u8])]) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    for (marker, payload) in segments {
        bytes.extend_from_slice(&[0xFF, *marker]);
        bytes.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        bytes.extend_from_slice(payload);
    }
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

fn hikmicro_hdri() -> Vec<u8> {
    jpeg(&[(0xE1, b"Exif\0\0 Make HikMicro"), (0xE5, b"HDRI\0\0\0\0")])
}

#[test]
fn closed_vendor_jpegs_are_refused_naming_the_export_that_works() {
    let dir = tempfile::tempdir().unwrap();
    let dji = jpeg(&[
        (0xE1, b"Exif\0\0 Make DJI M30T"),
        (0xE3, &[0; 32]),
        (0xE4, &[0; 32]),
    ]);
    let hikmicro = jpeg(&[(0xE1, b"Exif\0\0 Make HIKMICRO"), (0xE5, &[0; 16])]);
    let dahua = jpeg(&[(0xE1, b"Exif\0\0 Make Dahua DH-TPC-BF5421")]);
    for (name, bytes, expected) in [
        ("dji.jpg", dji, "DJI Thermal Analysis Tool"),
        ("hik.jpg", hikmicro, "HikMicro Analyzer"),
        ("hik.jpg", hikmicro_hdri(), "HDRI block"),
        ("dahua.jpg", dahua, "Dahua's SDK"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let message = open(&path, &DecodeOptions::default())
            .err()
            .expect(name)
            .to_string();
        assert!(message.contains(expected), "{name}: {message}");
    }
}

#[test]
fn wrong_magic_and_plain_pictures_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 8] = [
        (
            "a.seq",
            b"FFX\0 not really a sequence file at all....................................",
            "not a radiometric format",
        ),
        (
            "b.jpg",
            &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, 0xFF, 0xD9],
            "plain JPEG without radiometric data",
        ),
        ("c.bin", b"hello world", "not a radiometric format"),
        (
            "d.png",
            &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A],
            "the PNG bit depth",
        ),
        // Formats recognised and refused with the export that works.
        (
            "e.is2",
            b"PK\x03\x04\x14\x00\x00\x00",
            "Fluke SmartView image",
        ),
        (
            "f.ravi",
            b"RIFF\x10\x00\x00\x00AVI LIST",
            "Optris radiometric video",
        ),
        ("g.bmt", b"\x01\x02 anything", "Testo thermal image"),
        // A ZIP that does not say it is Fluke's is not taken for one.
        (
            "h.zip",
            b"PK\x03\x04\x14\x00\x00\x00",
            "not a radiometric format",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let message = open(&path, &DecodeOptions::default())
            .err()
            .expect(name)
            .to_string();
        assert!(
            message.contains(name) && message.contains(expected),
            "{name}: {message}"
        );
    }
}

#[test]
fn an_infiray_temperature_block_decodes_at_one_64th_kelvin() {
    // APP2 IJPEG header for a 4×2 temperature block (16 bytes) after an 8-byte
    // IR image; counts 19 850 = (37.00625 + 273.15)·64.
    let mut header = vec![0u8; 80];
    header[..4].copy_from_slice(&[0, 2, 0, 1]);
    header[4..10].copy_from_slice(b"IJPEG\0");
    header[32..36].copy_from_slice(&8u32.to_le_bytes());
    header[42..44].copy_from_slice(&4u16.to_le_bytes());
    header[44..46].copy_from_slice(&2u16.to_le_bytes());
    header[48..52].copy_from_slice(&16u32.to_le_bytes());
    header[58..60].copy_from_slice(&4u16.to_le_bytes());
    header[60..62].copy_from_slice(&2u16.to_le_bytes());
    let mut data = vec![0u8; 8];
    for i in 0..8u16 {
        data.extend_from_slice(&(19_850 + 64 * i).to_le_bytes());
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p2.jpg");
    std::fs::write(&path, jpeg(&[(0xE2, &header), (0xE3, &data)])).unwrap();
    let frame = open(&path, &DecodeOptions::default())
        .unwrap()
        .read_frame(0)
        .unwrap();
    assert_eq!(frame.temperatures.dim(), (2, 4));
    assert!((frame.temperatures[[0, 0]] - 37.00625).abs() < 1e-4);
    assert!((frame.temperatures[[1, 3]] - 44.00625).abs() < 1e-4);
}

/// Inputs the fuzzers found that once panicked, kept as regression tests
/// (`tests/bad/<target>/`, same layout as the fuzz target's input).
#[test]
fn fuzzer_crashes_stay_fixed() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad/jpeg_ls");
    let mut checked = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        // jpeg_ls target: width and height from the first four bytes.
        let width = 1 + u16::from_le_bytes([data[0], data[1]]) as usize % 256;
        let height = 1 + u16::from_le_bytes([data[2], data[3]]) as usize % 256;
        let bytes = fevercheck::formats::Bytes::new(&data[4..], std::path::Path::new("crash.csq"));
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            fevercheck::formats::decode_jpeg_ls(bytes, width, height)
        }));
        assert!(outcome.is_ok(), "a fuzzer crash panics again");
        checked += 1;
    }
    assert!(checked >= 1);
}

/// A PNG of `bit_depth` and `colour` with one pixel row of zeros.
fn png_file(bit_depth: png::BitDepth, colour: png::ColorType) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, 4, 2);
        encoder.set_depth(bit_depth);
        encoder.set_color(colour);
        if colour == png::ColorType::Indexed {
            encoder.set_palette(vec![0u8; 3]);
        }
        let mut writer = encoder.write_header().unwrap();
        let samples = colour.samples()
            * if bit_depth == png::BitDepth::Sixteen {
                2
            } else {
                1
            };
        writer
            .write_image_data(&vec![0u8; 4 * 2 * samples])
            .unwrap();
    }
    bytes
}

#[test]
fn colour_pngs_are_refused_as_pictures_and_grey_counts_ask_for_their_scale() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            png::BitDepth::Eight,
            png::ColorType::Rgb,
            "an 8-bit RGB colour PNG",
        ),
        (
            png::BitDepth::Eight,
            png::ColorType::Indexed,
            "an 8-bit palette colour PNG",
        ),
        (
            png::BitDepth::Eight,
            png::ColorType::Grayscale,
            "an 8-bit grayscale PNG",
        ),
        (
            png::BitDepth::Sixteen,
            png::ColorType::Grayscale,
            "no standard says how counts map",
        ),
    ];
    for (depth, colour, expected) in cases {
        let path = dir.path().join("picture.png");
        std::fs::write(&path, png_file(depth, colour)).unwrap();
        let message = open(&path, &DecodeOptions::default())
            .err()
            .unwrap()
            .to_string();
        assert!(
            message.contains(expected),
            "{depth:?} {colour:?}: {message}"
        );
        // No internal type names reach the user.
        assert!(
            !message.contains("Eight") && !message.contains("Rgb"),
            "{message}"
        );
    }
}

/// A TC001 / P2 Pro dump of frames whose temperature half holds `count`
/// everywhere, but `count + k` at column k of the first temperature row.
fn uvc_dump(counts: &[u16]) -> Vec<u8> {
    let mut data = Vec::new();
    for &count in counts {
        data.extend(vec![0x80u8; 256 * 192 * 2]); // the YUY2 picture
        for row in 0..192 {
            for column in 0..256u16 {
                let value = if row == 0 { count + column } else { count };
                data.extend(value.to_le_bytes());
            }
        }
    }
    data
}

#[test]
fn tc001_dumps_read_the_lower_half_at_one_64th_kelvin_frame_by_frame() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("recording.raw");
    // 19 850 / 64 = 310.15625 K = 37.00625 °C; 20 000 / 64 = 312.5 K = 39.35 °C.
    std::fs::write(&path, uvc_dump(&[19_850, 20_000])).unwrap();
    let mut source = open(&path, &DecodeOptions::default()).unwrap();
    assert_eq!(source.format(), "uvc_dump");
    assert_eq!(source.frame_count(), 2);
    let first = source.read_frame(0).unwrap();
    assert_eq!(first.temperatures.dim(), (192, 256));
    assert!((first.temperatures[[100, 100]] - 37.00625).abs() < 1e-4);
    // Column 64 of the first row: 19 914 / 64 = 311.15625 K.
    assert!((first.temperatures[[0, 64]] - 38.00625).abs() < 1e-4);
    let second = source.read_frame(1).unwrap();
    assert!((second.temperatures[[191, 255]] - 39.35).abs() < 1e-4);
    assert!(source.read_frame(2).is_err());
}

#[test]
fn a_raw_file_that_is_not_whole_frames_is_refused_with_the_frame_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("half.yuv");
    let mut data = uvc_dump(&[19_850]);
    data.truncate(100_000);
    std::fs::write(&path, data).unwrap();
    let message = open(&path, &DecodeOptions::default())
        .err()
        .unwrap()
        .to_string();
    assert!(message.contains("196608 bytes each"), "{message}");
    assert!(message.contains("100000 bytes"), "{message}");
}

/// A saved `jpegPicWithAppendData` response: JSON metadata, a thermal
/// "JPEG" that contains the boundary line itself (so only its declared
/// length can end it), the matrix, a visible picture.
fn hikvision_response(metadata: &str, matrix: &[u8]) -> Vec<u8> {
    let jpeg: &[u8] = b"\xFF\xD8 picture \r\n--boundary\r\n still the picture \xFF\xD9";
    let metadata = metadata.replace("JPEG_LEN", &jpeg.len().to_string());
    let mut body = Vec::new();
    body.extend_from_slice(b"--boundary\r\nContent-Type: application/json\r\n\r\n");
    body.extend_from_slice(metadata.as_bytes());
    body.extend_from_slice(b"\r\n--boundary\r\nContent-Type: image/jpeg\r\n\r\n");
    body.extend_from_slice(jpeg);
    body.extend_from_slice(b"\r\n--boundary\r\nContent-Type: application/octet-stream\r\n\r\n");
    body.extend_from_slice(matrix);
    body.extend_from_slice(b"\r\n--boundary\r\nContent-Type: image/jpeg\r\n\r\n\xFF\xD8\xFF\xD9");
    body.extend_from_slice(b"\r\n--boundary--\r\n");
    body
}

#[test]
fn hikvision_int16_matrices_read_with_their_scale_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.bin");
    let metadata = r#"{"JpegPictureWithAppendData":{"channel":2,"jpegPicLen":JPEG_LEN,
        "jpegPicWidth":3,"jpegPicHeight":2,"temperatureDataLength":2,"p2pDataLen":12,
        "scale":10,"offset":0.5}}"#;
    // value / 10 + 0.5 − 273.15: 3097 → 37.05 °C, 3200 → 47.35 °C.
    let values: [i16; 6] = [3097, 3097, 3097, 3097, 3097, 3200];
    let matrix: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(&path, hikvision_response(metadata, &matrix)).unwrap();
    let mut source = open(&path, &DecodeOptions::default()).unwrap();
    assert_eq!(source.format(), "hikvision_isapi");
    let frame = source.read_frame(0).unwrap();
    assert_eq!(frame.temperatures.dim(), (2, 3));
    assert!((frame.temperatures[[0, 0]] - 37.05).abs() < 1e-4);
    assert!((frame.temperatures[[1, 2]] - 47.35).abs() < 1e-4);
}

#[test]
fn hikvision_float_matrices_are_degrees_and_wrong_lengths_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.http");
    let metadata = r#"{"JpegPictureWithAppendData":{"jpegPicLen":JPEG_LEN,"jpegPicWidth":2,
        "jpegPicHeight":2,"temperatureDataLength":4,"p2pDataLen":16}}"#;
    let values = [36.5f32, 37.0, 38.25, 39.5];
    let matrix: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(&path, hikvision_response(metadata, &matrix)).unwrap();
    let frame = open(&path, &DecodeOptions::default())
        .unwrap()
        .read_frame(0)
        .unwrap();
    assert_eq!(frame.temperatures[[1, 1]], 39.5);
    assert_eq!(frame.temperatures[[0, 1]], 37.0);
    // A matrix length that does not match width × height × 4.
    let wrong = metadata.replace("\"p2pDataLen\":16", "\"p2pDataLen\":12");
    std::fs::write(&path, hikvision_response(&wrong, &matrix[..12])).unwrap();
    let message = open(&path, &DecodeOptions::default())
        .err()
        .unwrap()
        .to_string();
    assert!(message.contains("2×2 values need 16"), "{message}");
}
