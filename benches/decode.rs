//! Benchmarks of turning raw counts into temperatures: building the
//! 65 536-entry raw → °C table for one parameter set, and mapping a
//! 640×480 frame of counts through it (throughput in pixels). Inputs are
//! seeded and synthetic, so the benchmark runs without the sample files.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use fevercheck::frame::FrameSummary;
use fevercheck::radiometry::{
    Atmosphere, AtmosphereModel, Planck, RadiometricParams, RawToCelsius,
};

/// The FLIR SC660 sample's parameters (truth.json).
fn sc660() -> RadiometricParams {
    RadiometricParams {
        emissivity: 0.95,
        distance_m: 1.0,
        reflected_c: 20.0,
        atmospheric_c: 20.0,
        window_c: 20.0,
        window_transmission: 1.0,
        relative_humidity: 0.5,
        planck: Planck {
            r1: 21106.77,
            b: 1501.0,
            f: 1.0,
            o: -7340.0,
            r2: 0.012545,
        },
        atmosphere: Atmosphere {
            alpha1: 0.006569,
            alpha2: 0.01262,
            beta1: -0.002276,
            beta2: -0.00667,
            x: 1.9,
        },
        atmosphere_model: AtmosphereModel::Thermimage,
    }
}

fn bench_radiometry(c: &mut Criterion) {
    let params = sc660();
    c.bench_function("raw_to_celsius_table/build", |b| {
        b.iter(|| RawToCelsius::new(black_box(&params)))
    });
    let table = RawToCelsius::new(&params);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let raw = Array2::from_shape_fn((480, 640), |_| rng.gen_range(17_900u16..20_300));
    let mut group = c.benchmark_group("raw_to_celsius_table");
    group.throughput(Throughput::Elements(raw.len() as u64));
    group.bench_function("map_640x480", |b| {
        b.iter(|| black_box(&raw).mapv(|v| table.get(v)))
    });
    group.finish();
}

/// Decoding frame 0 of the CSQ sample (JPEG-LS, 1024×768), when
/// ../shared/samples is present; skipped with a message otherwise.
fn bench_csq(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/samples/flir_sampleCSQ.csq");
    let Ok(mut source) = fevercheck::formats::open(&path, &Default::default()) else {
        eprintln!("csq benchmark skipped: {} is absent", path.display());
        return;
    };
    let mut group = c.benchmark_group("csq");
    group.throughput(Throughput::Elements(1024 * 768));
    group.bench_function("decode_frame_1024x768", |b| {
        b.iter(|| source.read_frame(0).expect("decodes"))
    });
    group.finish();
}

/// One R-JPEG as `inspect` handles it: the file opened and read, its FLIR
/// block assembled, the raw counts decoded, turned into °C through the
/// process's shared table, and the frame summarised. The DJI Zenmuse XT-R
/// picture (fixtures/real, 640 × 512, FLIR format) always; the SC660
/// (640 × 480) of the speed goal when ../shared/samples is present.
fn bench_rjpeg_files(c: &mut Criterion) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = [
        (
            "dji_xtr_640x512",
            root.join("fixtures/real/dji_zenmuse_xtr.jpg"),
        ),
        (
            "sc660_640x480",
            root.join("../shared/samples/flir_sc660_IR_2412.jpg"),
        ),
    ];
    let mut group = c.benchmark_group("rjpeg_file");
    group.throughput(Throughput::Elements(1));
    for (name, path) in files {
        if !path.exists() {
            eprintln!("rjpeg_file/{name} skipped: {} is absent", path.display());
            continue;
        }
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut source =
                    fevercheck::formats::open(&path, &Default::default()).expect("opens");
                let frame = source.read_frame(0).expect("decodes");
                FrameSummary::of(&frame)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_radiometry, bench_csq, bench_rjpeg_files);
criterion_main!(benches);
