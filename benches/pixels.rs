//! The per-pixel pass (region statistics with the 0.01 °C histogram) on a
//! 640×480 frame, beside a plain sum over the same buffer measured in the
//! same run; throughput in pixels/s. Seeded synthetic frame: a 37 °C disk on
//! a 22 °C background with noise.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use fevercheck::model::Shape;
use fevercheck::pixel::temporal::TemporalStack;
use fevercheck::pixel::{find_source, region_stats, ClipLimits, Histogram, Region};

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
    group.bench_function("find_source", |b| {
        b.iter(|| find_source(black_box(&t), &mut histogram))
    });
    // One frame added to a temporal stack over a disk ROI of radius 80.
    let disk = Shape::Circle(320.0, 240.0, 80.0).region(480, 640);
    let mut stack = TemporalStack::new(disk.clone());
    group.throughput(Throughput::Elements(disk.pixels() as u64));
    group.bench_function("temporal_stack_add_disk", |b| {
        b.iter(|| stack.add(black_box(&t), Some(0.0)))
    });
    group.finish();
}

criterion_group!(benches, bench_pass);
criterion_main!(benches);
