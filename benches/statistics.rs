//! Benchmarks of the analysis of one session: the whole `analyze` on a
//! Healy sweep (21 steps × 3 readings), and the two statistics whose cost
//! grows fastest with n — Passing–Bablok (n²/2 slopes, listed up to 2 000
//! points, selected beyond) and the Deming jackknife (n fits of n points) —
//! at clinical sizes, Passing–Bablok up to a million points, and the whole
//! analysis of 10³ to 10⁶ readings. Inputs are seeded.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use fevercheck::analyze;
use fevercheck::session::{Manifest, Observation, Session};
use fevercheck::stats::deming::deming;
use fevercheck::stats::passing_bablok::passing_bablok;
use fevercheck_report::simulate::{CameraModel, Simulation};

fn simulated_session(repeats: usize) -> Session {
    let mut simulation = Simulation::new(
        CameraModel::Compressing {
            slope: 0.2,
            set_point_c: 37.0,
        },
        5,
    );
    simulation.repeats = repeats;
    let observations = simulation
        .run()
        .expect("valid simulation")
        .iter()
        .enumerate()
        .map(|(i, r)| Observation::new(i as u64 + 2, r.reference_c, Some(r.displayed)))
        .collect();
    session_of(observations)
}

/// A session of these observations and nothing else.
fn session_of(observations: Vec<Observation>) -> Session {
    Session::from_observations("bench", Manifest::default(), observations)
}

fn pairs(n: usize) -> (Vec<f64>, Vec<f64>) {
    let session = simulated_session(n.div_ceil(21));
    session
        .observations
        .iter()
        .take(n)
        .map(|o| (o.reference_c, o.reported_c.unwrap_or(0.0)))
        .unzip()
}

fn bench_analyze(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze");
    for repeats in [3, 50] {
        let session = simulated_session(repeats);
        group.throughput(Throughput::Elements(session.observations.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("healy_sweep", session.observations.len()),
            &session,
            |b, s| b.iter(|| analyze(black_box(s)).expect("analysable")),
        );
    }
    group.finish();
}

fn bench_method_comparison(c: &mut Criterion) {
    let mut group = c.benchmark_group("method_comparison");
    group.sample_size(10);
    for n in [63, 544, 2176] {
        let (x, y) = pairs(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::new("passing_bablok", n),
            &(x.clone(), y.clone()),
            |b, (x, y)| b.iter(|| passing_bablok(black_box(x), black_box(y))),
        );
        group.bench_with_input(
            BenchmarkId::new("deming_jackknife", n),
            &(x, y),
            |b, (x, y)| b.iter(|| deming(black_box(x), black_box(y), 1.0)),
        );
    }
    group.finish();
}

/// `n` readings of a compressing camera on the 21-step sweep, seeded, to
/// 0.1 °C (the simulator caps a session at a million readings).
fn gridded_pairs(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let x: Vec<f64> = (0..n).map(|i| 35.0 + 0.25 * (i % 21) as f64).collect();
    let y = x
        .iter()
        .map(|v| ((37.0 + 0.2 * (v - 37.0) + rng.gen_range(-0.15..0.15)) * 10.0).round() / 10.0)
        .collect();
    (x, y)
}

/// Passing–Bablok beyond the listed method's reach: order statistics
/// selected from the implicit slope set (sweep readings on 21 references,
/// the worst case for tied slopes).
fn bench_passing_bablok_large(c: &mut Criterion) {
    let mut group = c.benchmark_group("passing_bablok_selected");
    group.sample_size(10);
    for n in [10_000, 100_000, 1_000_000] {
        let (x, y) = gridded_pairs(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &(x, y), |b, (x, y)| {
            b.iter(|| passing_bablok(black_box(x), black_box(y)))
        });
    }
    group.finish();
}

/// A session of `n` readings one second apart: on the 21-step sweep of a
/// compressing camera to 0.1 °C (`sweep`), or with references and readings
/// to 0.001 °C spread over 35–40 °C like a clinical registry's
/// (`continuous`: the worst case for the pairwise slopes, which are then
/// almost all different).
fn large_session(n: usize, continuous: bool) -> Session {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let start = chrono::DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").expect("a time");
    let (x, y) = if continuous {
        let x: Vec<f64> = (0..n)
            .map(|_| (rng.gen_range(35.0..40.0) * 1000.0_f64).round() / 1000.0)
            .collect();
        let y = x
            .iter()
            .map(|v| ((0.9 * v + 3.7 + rng.gen_range(-0.3..0.3)) * 1000.0_f64).round() / 1000.0)
            .collect();
        (x, y)
    } else {
        gridded_pairs(n)
    };
    let observations = x
        .iter()
        .zip(&y)
        .enumerate()
        .map(|(i, (&reference, &reported))| {
            let mut observation = Observation::new(i as u64 + 2, reference, Some(reported));
            observation.time = Some(start + chrono::Duration::seconds(i as i64));
            observation
        })
        .collect();
    session_of(observations)
}

/// The whole analysis (no frames) from 10³ to 10⁶ readings: how its time
/// grows with the size of a registry or a fleet's event logs.
fn bench_analyze_large(c: &mut Criterion) {
    let mut group = c.benchmark_group("analyze_large");
    group.sample_size(10);
    for (kind, continuous) in [("sweep", false), ("continuous", true)] {
        for n in [1_000, 100_000, 1_000_000] {
            let session = large_session(n, continuous);
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(BenchmarkId::new(kind, n), &session, |b, s| {
                b.iter(|| analyze(black_box(s)).expect("analysable"))
            });
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_analyze,
    bench_method_comparison,
    bench_passing_bablok_large,
    bench_analyze_large
);
criterion_main!(benches);
