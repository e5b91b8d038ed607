//! The per-pixel pass on a 640×480 frame, beside a plain sum over the same
//! buffer measured in the same run; throughput in pixels/s. Float frames
//! (`plain_sum`, `region_stats`: the 0.01 °C histogram pass) and raw frames
//! (`raw_plain_sum`, `raw_integer_sum`, `raw_region_stats`: the count
//! histogram of integer-raw formats). Seeded synthetic frame: a 37 °C disk on a 22 °C
//! background with noise; the raw frame is the same scene in 0.01 K counts.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use fevercheck::pixel::raw_region::{raw_region_stats, RawHistogram};
use fevercheck::pixel::temporal::PixelMoments;
use fevercheck::pixel::{find_source, region_stats, ClipLimits, Histogram, Region};
use fevercheck::radiometry::RawToCelsius;

fn frame() -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    Array2::from_shape_fn((480, 640), |(r, c)| {
        let (dx, dy) = (c as f32 - 320.0, r as f32 - 240.0);
        let base = if dx * dx + dy * dy < 80.0 * 80.0 {
            37.0
        } else {
            22.0
        };
        base + rng.gen_range(-0.1f32..0.1)
    })
}

fn bench_pass(c: &mut Criterion) {
    let t = frame();
    let whole = Region::whole(480, 640);
    let mut histogram = Histogram::default();
    let mut group = c.benchmark_group("per_frame_pass_640x480");
    group.throughput(Throughput::Elements(t.len() as u64));
    group.bench_function("plain_sum", |b| {
        b.iter(|| black_box(&t).iter().map(|&v| v as f64).sum::<f64>())
    });
    group.bench_function("region_stats", |b| {
        b.iter(|| region_stats(black_box(&t), &whole, ClipLimits::default(), &mut histogram))
    });
    let raw = t.mapv(|v| ((v as f64 + 273.15) * 100.0).round() as u16);
    let table = RawToCelsius::linear(0.01, 0.0);
    let mut raw_histogram = RawHistogram::default();
    // The plain sum as `plain_sum` computes it (widened to f64, as a mean
    // needs), and the integer sum the compiler vectorises 16 counts at a time.
    group.bench_function("raw_plain_sum", |b| {
        b.iter(|| black_box(&raw).iter().map(|&v| v as f64).sum::<f64>())
    });
    group.bench_function("raw_integer_sum", |b| {
        b.iter(|| black_box(&raw).iter().map(|&v| v as u64).sum::<u64>())
    });
    group.bench_function("raw_region_stats", |b| {
        b.iter(|| {
            raw_region_stats(
                black_box(&raw),
                &whole,
                &table,
                ClipLimits::default(),
                &mut raw_histogram,
            )
        })
    });
    group.bench_function("find_source", |b| {
        b.iter(|| find_source(black_box(&t), &mut histogram))
    });
    // One frame added to the per-pixel moments of a temporal stack.
    let mut moments = PixelMoments::new(480, 640);
    group.bench_function("temporal_moments_add", |b| {
        b.iter(|| moments.add(black_box(&t)))
    });
    group.finish();
}

criterion_group!(benches, bench_pass);
criterion_main!(benches);
