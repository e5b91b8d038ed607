//! Peak memory of the binary on crafted decompression bombs and oversized
//! inputs, measured by the kernel (`wait4`'s maximum resident set size).
//!
//! Each input is built here. Each run must end within seconds with exit 0,
//! 1 or 2 and stay under the bound the README states: 64 MiB, plus 200 MiB
//! per frame being decoded (two worker threads here), plus 3 times the size
//! of a file read whole (up to 8 times for a table of one-character cells),
//! plus 1 KiB per observation.

#![cfg(target_os = "linux")]

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use flate2::write::ZlibEncoder;
use flate2::Compression;

mod common;

const MIB: u64 = 1 << 20;

/// Memory one frame of the largest size accepted (16 Mpixel) may take while
/// it is decoded and measured, as the README states it.
const FRAME_BOUND: u64 = 200 * MIB;

/// Most memory this test process may take itself; see [`run`].
const OWN_MEMORY_LIMIT: u64 = 40 * MIB;

/// The tests of this file run one at a time, so that each measures its
/// run alone and this process stays small (see [`run`]).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// What one run of the binary did.
struct Measured {
    code: i32,
    peak_bytes: u64,
    elapsed: Duration,
    stdout: String,
    stdout_bytes: u64,
}

/// Runs the binary with `args` in `dir`, measuring its peak resident memory.
// The child is reaped by `wait4`, which also gives its resource usage.
#[allow(clippy::zombie_processes)]
fn run(dir: &Path, args: &[&str]) -> Measured {
    let out = File::create(dir.join("stdout.txt")).unwrap();
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_fevercheck"))
        .args(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", "2")
        .stdout(Stdio::from(out))
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let own = own_peak_bytes();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the child was spawned above and is waited for once, here.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    let elapsed = started.elapsed();
    // Linux counts in a spawned child's peak the memory of the process that
    // spawned it (the child shares it until exec), so the inputs are written
    // piece by piece and this process stays far below every bound.
    assert!(
        own < OWN_MEMORY_LIMIT,
        "the test itself took {} MiB",
        own / MIB
    );
    assert!(libc::WIFEXITED(status), "the run was killed: {args:?}");
    Measured {
        code: libc::WEXITSTATUS(status),
        // ru_maxrss is in kilobytes on Linux.
        peak_bytes: usage.ru_maxrss as u64 * 1024,
        elapsed,
        // The first MiB: a long output would raise this process's own peak.
        stdout: {
            let mut head = String::new();
            if let Ok(file) = File::open(dir.join("stdout.txt")) {
                let _ = file.take(MIB).read_to_string(&mut head);
            }
            head
        },
        stdout_bytes: std::fs::metadata(dir.join("stdout.txt")).map_or(0, |m| m.len()),
    }
}

/// The peak resident memory of this test process so far (`VmHWM`: the
/// figure of its own memory map, which `getrusage` would mix with that of
/// the process that started the tests).
fn own_peak_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kilobytes: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    kilobytes * 1024
}

/// Asserts a run ended cleanly, fast and under `bound` bytes.
fn assert_bounded(what: &str, measured: &Measured, bound: u64, codes: &[i32]) {
    eprintln!(
        "{what}: exit {}, {:.1} s, peak {} MiB (bound {} MiB)",
        measured.code,
        measured.elapsed.as_secs_f64(),
        measured.peak_bytes / MIB,
        bound / MIB
    );
    assert!(
        codes.contains(&measured.code),
        "{what}: exit {} not in {codes:?}; stdout: {}",
        measured.code,
        measured.stdout
    );
    assert!(
        measured.peak_bytes <= bound,
        "{what}: peak {} MiB over the bound {} MiB",
        measured.peak_bytes / MIB,
        bound / MIB
    );
    // A guard against hangs, not a measure of speed (benches/ measures
    // speed): the slowest case takes 14 s in a debug build on 2 cores.
    assert!(
        measured.elapsed < Duration::from_secs(60),
        "{what}: took {:?}",
        measured.elapsed
    );
}

/// A zlib stream of `width × height` 32-bit floats: zeros (a bomb at
/// deflate's full 1 000-fold ratio) or, with `noisy`, one byte in 60 random
/// (about 100-fold, as an honest but very smooth image could be).
fn deflated_floats(width: u32, height: u32, noisy: bool) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    let mut row = vec![0u8; width as usize * 4];
    let mut state = 0x2545_f491_u32;
    for _ in 0..height {
        if noisy {
            for (i, byte) in row.iter_mut().enumerate() {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                *byte = if i % 60 == 0 { state as u8 } else { 0 };
            }
        }
        encoder.write_all(&row).unwrap();
    }
    encoder.finish().unwrap()
}

/// A little-endian TIFF of `pages` float pages that all point at one
/// deflate strip.
fn tiff_sharing_one_strip(path: &Path, width: u32, height: u32, pages: u32, strip: &[u8]) {
    // Header, the strip at byte 8, then one directory per page.
    let strip_at = 8u32;
    let first_ifd = strip_at + strip.len() as u32;
    let mut b: Vec<u8> = b"II*\0".to_vec();
    b.extend(first_ifd.to_le_bytes());
    b.extend_from_slice(strip);
    let entries: [(u16, u16, u32); 10] = [
        (256, 4, width),
        (257, 4, height),
        (258, 3, 32),
        (259, 3, 8), // Adobe deflate
        (262, 3, 1),
        (273, 4, strip_at),
        (277, 3, 1),
        (278, 4, height),
        (279, 4, strip.len() as u32),
        (339, 3, 3), // IEEE float
    ];
    let ifd_len = 2 + entries.len() as u32 * 12 + 4;
    for page in 0..pages {
        let here = first_ifd + page * ifd_len;
        b.extend((entries.len() as u16).to_le_bytes());
        for (tag, kind, value) in entries {
            b.extend(tag.to_le_bytes());
            b.extend(kind.to_le_bytes());
            b.extend(1u32.to_le_bytes());
            if kind == 3 {
                b.extend((value as u16).to_le_bytes());
                b.extend([0, 0]);
            } else {
                b.extend(value.to_le_bytes());
            }
        }
        let next = if page + 1 < pages { here + ifd_len } else { 0 };
        b.extend(next.to_le_bytes());
    }
    std::fs::write(path, b).unwrap();
}

/// A session folder whose six observations all measure page 0 of `frames`.
fn session_on(dir: &Path, frames: &str) -> PathBuf {
    let rows: String = (0..6)
        .map(|i| format!("{}.0,{}.0,{frames}#0\n", 35 + i, 35 + i))
        .collect();
    std::fs::write(
        dir.join("readings.csv"),
        format!("reference_c,reported_c,frame\n{rows}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("session.toml"),
        "[roi.target]\nrect = [0, 0, 4, 4]\n",
    )
    .unwrap();
    dir.to_path_buf()
}

#[test]
fn a_tiff_deflate_bomb_is_refused_before_it_is_inflated() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // 50 pages of 4096 × 4096 floats, 64 MiB each, from one 65 KB strip.
    let strip = deflated_floats(4096, 4096, false);
    tiff_sharing_one_strip(&dir.path().join("bomb.tif"), 4096, 4096, 50, &strip);
    let measured = run(dir.path(), &["inspect", "bomb.tif", "--json"]);
    assert_bounded("inspect of a deflate bomb", &measured, 64 * MIB, &[2]);
    assert!(
        measured.stdout.contains("decompression bomb"),
        "{}",
        measured.stdout
    );
    session_on(dir.path(), "bomb.tif");
    let measured = run(
        dir.path(),
        &["analyze", ".", "--out", "report", "--plots", "none"],
    );
    assert_bounded("analysis on a deflate bomb", &measured, 64 * MIB, &[2]);
}

#[test]
fn two_thousand_tiff_pages_sharing_a_strip_decode_only_what_the_file_allows() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // 1024 × 1024 floats (4 MiB) from about 40 KB: each page is allowed; all
    // 2 000 together would be 8 GiB, more than 1 000 times the file.
    let strip = deflated_floats(1024, 1024, true);
    tiff_sharing_one_strip(&dir.path().join("pages.tif"), 1024, 1024, 2000, &strip);
    let size = std::fs::metadata(dir.path().join("pages.tif"))
        .unwrap()
        .len();
    let measured = run(dir.path(), &["inspect", "pages.tif", "--json"]);
    assert_bounded(
        "inspect of 2 000 shared pages",
        &measured,
        64 * MIB + 200 * MIB,
        &[2],
    );
    assert!(
        measured.stdout.contains("times the file's size"),
        "{}",
        measured.stdout
    );
    assert!(size < 1_000_000, "{size}");
    // A session that uses page 0 decodes page 0 only.
    session_on(dir.path(), "pages.tif");
    let measured = run(
        dir.path(),
        &["analyze", ".", "--out", "report", "--plots", "none"],
    );
    assert_bounded(
        "analysis on page 0 of 2 000",
        &measured,
        64 * MIB + 200 * MIB,
        &[0, 1],
    );
}

#[test]
fn jpeg_ls_frames_claiming_huge_sizes_are_refused_before_decoding() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // 200 FFF blocks whose raw record says 4096 × 4096 (32 MiB of counts)
    // and holds a JPEG-LS start of image and 4 KB: each frame is refused at
    // once, where 200 frames of 64 Mpixel took 58 s to inspect.
    let dir = tempfile::tempdir().unwrap();
    let mut stream = vec![0xFF, 0xD8, 0xFF, 0xF7];
    stream.resize(4096, 0x55);
    let csq: Vec<u8> = (0..200)
        .flat_map(|_| common::synthetic_fff::block(4096, 4096, &stream))
        .collect();
    std::fs::write(dir.path().join("bomb.csq"), csq).unwrap();
    let measured = run(dir.path(), &["inspect", "bomb.csq", "--json"]);
    assert_bounded("inspect of JPEG-LS size claims", &measured, 64 * MIB, &[2]);
    assert_eq!(measured.stdout.matches("decompression bomb").count(), 200);
}

#[test]
fn a_csv_matrix_of_one_huge_line_is_refused_by_its_length() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // One line of 48 MB (16 million cells, far wider than 16 384).
    let dir = tempfile::tempdir().unwrap();
    let mut file = std::io::BufWriter::new(File::create(dir.path().join("line.csv")).unwrap());
    let chunk = "1,".repeat(1 << 19);
    for _ in 0..48 {
        file.write_all(chunk.as_bytes()).unwrap();
    }
    file.write_all(b"\n").unwrap();
    drop(file);
    let size = std::fs::metadata(dir.path().join("line.csv"))
        .unwrap()
        .len();
    let measured = run(dir.path(), &["inspect", "line.csv", "--json"]);
    assert_bounded(
        "inspect of a 48 MB line",
        &measured,
        64 * MIB + 3 * size,
        &[2],
    );
    assert!(measured.stdout.contains("line 1") && measured.stdout.contains("longer than"));
}

#[test]
fn a_npy_of_a_million_frames_is_read_one_frame_at_a_time() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1, 1), }";
    let mut npy = b"\x93NUMPY\x01\x00".to_vec();
    let padded = format!("{header:<117}\n");
    npy.extend((padded.len() as u16).to_le_bytes());
    npy.extend(padded.as_bytes());
    npy.extend(36.5f32.to_le_bytes().repeat(1_000_000));
    std::fs::write(dir.path().join("many.npy"), npy).unwrap();
    let measured = run(
        dir.path(),
        &["inspect", "many.npy", "--frames", "0", "--json"],
    );
    assert_bounded("inspect of a million 1×1 frames", &measured, 64 * MIB, &[0]);
    // Every frame summarised, as JSON and as text: written as they come,
    // never held (issue #23: 1.7 GB).
    for format in [&["--json"][..], &[]] {
        let args = [&["inspect", "many.npy"][..], format].concat();
        let measured = run(dir.path(), &args);
        assert_bounded(
            "inspect of all of a million frames",
            &measured,
            64 * MIB,
            &[0],
        );
        if format == ["--json"] {
            let head = &measured.stdout;
            assert!(head.contains("\"file\":\"many.npy\""), "{head:.200}");
            assert!(head.contains("\"stats\":[{\"frame\":0,"), "{head:.200}");
            assert!(
                measured.stdout_bytes > 50_000_000,
                "{} bytes of JSON for a million frames",
                measured.stdout_bytes
            );
        }
    }
}

#[test]
fn the_largest_frame_accepted_takes_what_the_bound_says() {
    // One page of 4096 × 4096 floats (16 Mpixel, the default limit, 64 MiB
    // decoded from about 1 MB): inspected alone, then measured by a session
    // whose six observations use it, two at a time.
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let strip = deflated_floats(4096, 4096, true);
    tiff_sharing_one_strip(&dir.path().join("large.tif"), 4096, 4096, 1, &strip);
    let measured = run(dir.path(), &["inspect", "large.tif", "--json"]);
    assert_bounded(
        "inspect of a 16 Mpixel frame",
        &measured,
        64 * MIB + FRAME_BOUND,
        &[0],
    );
    session_on(dir.path(), "large.tif");
    let measured = run(
        dir.path(),
        &["analyze", ".", "--out", "report", "--plots", "none"],
    );
    assert_bounded(
        "analysis on a 16 Mpixel frame",
        &measured,
        64 * MIB + 2 * FRAME_BOUND,
        &[0, 1, 2],
    );
}

#[test]
fn a_readings_file_of_a_million_columns_is_read_in_seconds() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readings.csv");
    let write = |last: &str| {
        let mut file = std::io::BufWriter::new(File::create(&path).unwrap());
        write!(file, "reference_c,reported_c").unwrap();
        for i in 0..999_999 {
            write!(file, ",c{i}").unwrap();
        }
        writeln!(file, ",{last}").unwrap();
        for row in 0..10 {
            write!(file, "{}.0,{}.0", 35 + row / 2, 35 + row / 2).unwrap();
            for _ in 0..1_000_000 {
                file.write_all(b",1").unwrap();
            }
            writeln!(file).unwrap();
        }
    };
    write("last");
    let size = std::fs::metadata(&path).unwrap().len();
    let args = [
        "analyze", ".", "--out", "report", "--plots", "none", "--quiet",
    ];
    let measured = run(dir.path(), &args);
    assert_bounded("a million columns", &measured, 64 * MIB + 8 * size, &[0, 1]);
    // The same header with its last name repeating the sixth's.
    write("C3");
    let measured = run(dir.path(), &args);
    assert_bounded(
        "a million columns, one repeated",
        &measured,
        64 * MIB + 8 * size,
        &[2],
    );
}

#[test]
fn an_export_of_400_000_rows_takes_under_a_kilobyte_a_row() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // An export of 400 000 rows (8 MB) read with --reference: its table used
    // to take 20 times its size, and report.json (76 MB) was read back whole
    // to be hashed. What remains is the analysis of each observation.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    let mut file = std::io::BufWriter::new(File::create(&path).unwrap());
    writeln!(file, "Subject,Blackbody,Display").unwrap();
    for i in 0..400_000 {
        let reference = 35.0 + (i % 50) as f64 * 0.1;
        writeln!(file, "s{i},{reference:.2},{:.2}", reference + 0.05).unwrap();
    }
    drop(file);
    let columns = [
        "export.csv",
        "--reference",
        "Blackbody",
        "--reported",
        "Display",
        "--subject",
        "Subject",
    ];
    let analyze = [&["analyze"][..], &columns, &["--plots", "none", "--quiet"]].concat();
    let measured = run(dir.path(), &analyze);
    let bound = 64 * MIB + 400_000 * 1024;
    assert_bounded(
        "analysis of a 400 000-row export",
        &measured,
        bound,
        &[0, 1],
    );
    // Its saved report (about 80 MB) read back by check and by compare:
    // parsed as it is read, within the same bound (issue #23: a 165 MB
    // report took 2.3 GB in check, 1.5 GB in compare).
    let saved = "export-fevercheck-report/report.json";
    let check = [&["check"][..], &columns, &["--expected", saved, "--quiet"]].concat();
    assert_bounded("check against it", &run(dir.path(), &check), bound, &[0]);
    let compare = [
        "compare",
        saved,
        "--out",
        "comparison",
        "--plots",
        "none",
        "-q",
    ];
    assert_bounded("compare of it", &run(dir.path(), &compare), bound, &[0, 1]);
}
