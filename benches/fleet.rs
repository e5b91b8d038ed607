//! Benchmarks of the fleet audit's accumulation (issue #29: ≥ 50 M events
//! per second per core from an Arrow batch, ≥ 2 M from CSV): events
//! counted into one camera's state and into a fleet's, the columns of an
//! Arrow record batch (dictionary-encoded cameras, as the Python package
//! passes them) accumulated, a CSV log read into states, and the merge of
//! two fleets' states. Inputs are seeded simulations; every benchmark runs
//! on one thread.

use std::fmt::Write as _;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

use fevercheck_fleet::batch::{accumulate as accumulate_columns, EventColumns, MISSING};
use fevercheck_fleet::log::{read_log, LogOptions, Unit};
use fevercheck_fleet::simulate::{screen, Behaviour, Site};
use fevercheck_fleet::{CameraState, Event, FleetState};

/// Events per benchmark input.
const EVENTS: usize = 1_000_000;
/// Cameras the events are spread over.
const CAMERAS: usize = 20;

fn events() -> Vec<Event> {
    let mut all = Vec::with_capacity(EVENTS);
    for camera in 0..CAMERAS {
        screen(
            &format!("camera-{camera:03}"),
            &Site::typical(),
            Behaviour::Honest,
            EVENTS / CAMERAS,
            camera as u64,
            |e| all.push(e.clone()),
        );
    }
    all
}

fn accumulate(c: &mut Criterion) {
    let events = events();
    let mut group = c.benchmark_group("fleet_accumulate");
    group.throughput(Throughput::Elements(EVENTS as u64));
    group.sample_size(10);
    group.bench_function("camera_state", |b| {
        b.iter(|| {
            let mut state = CameraState::default();
            events.iter().for_each(|e| state.add(e));
            black_box(state.events)
        })
    });
    group.bench_function("fleet_state", |b| {
        b.iter(|| {
            let mut fleet = FleetState::default();
            events.iter().for_each(|e| fleet.add(e));
            black_box(fleet.events())
        })
    });
    // The batch's columns: camera indexes into a dictionary of names, the
    // reading, hour, room and alarm, as `fevercheck.fleet.partial` passes
    // an Arrow record batch's buffers.
    let names: Vec<String> = (0..CAMERAS).map(|c| format!("camera-{c:03}")).collect();
    let camera: Vec<i32> = events
        .iter()
        .map(|e| names.iter().position(|n| *n == e.camera).unwrap_or(0) as i32)
        .collect();
    let temperature: Vec<f64> = events.iter().map(|e| e.temperature_c).collect();
    let hour: Vec<i8> = events
        .iter()
        .map(|e| e.hour.map_or(MISSING, |h| h as i8))
        .collect();
    let ambient: Vec<f64> = events
        .iter()
        .map(|e| e.ambient_c.unwrap_or(f64::NAN))
        .collect();
    let alarm: Vec<i8> = events
        .iter()
        .map(|e| e.alarm.map_or(MISSING, i8::from))
        .collect();
    let columns = EventColumns {
        camera_names: &names,
        camera: &camera,
        sites: None,
        temperature: &temperature,
        unit: Unit::Celsius,
        hour: Some(&hour),
        ambient: Some(&ambient),
        ambient_unit: Unit::Celsius,
        alarm: Some(&alarm),
        threshold: None,
    };
    group.bench_function("arrow_columns", |b| {
        b.iter(|| {
            let (fleet, _) =
                accumulate_columns(black_box(&columns)).expect("the columns are valid");
            black_box(fleet.events())
        })
    });
    let dir = tempfile::tempdir().expect("a temporary folder");
    let log = dir.path().join("log.csv");
    let mut text = String::from("camera,time,temperature_c,ambient_c,alarm\n");
    for e in &events {
        let _ = writeln!(
            text,
            "{},2021-03-04T{:02}:15:00,{:.1},{:.1},{}",
            e.camera,
            e.hour.unwrap_or(0),
            e.temperature_c,
            e.ambient_c.unwrap_or(0.0),
            e.alarm.unwrap_or(false)
        );
    }
    std::fs::write(&log, text).expect("the log is written");
    group.bench_function("csv", |b| {
        b.iter(|| {
            black_box(
                read_log(&log, LogOptions::default())
                    .expect("the log reads")
                    .1
                    .events,
            )
        })
    });
    group.finish();
}

fn merge(c: &mut Criterion) {
    let events = events();
    let (mut left, mut right) = (FleetState::default(), FleetState::default());
    for (i, e) in events.iter().enumerate() {
        if i % 2 == 0 {
            left.add(e)
        } else {
            right.add(e)
        }
    }
    let mut group = c.benchmark_group("fleet_merge");
    group.throughput(Throughput::Elements(CAMERAS as u64));
    group.bench_function("twenty_cameras", |b| {
        b.iter(|| {
            let mut merged = left.clone();
            merged.merge(right.clone());
            black_box(merged.events())
        })
    });
    group.finish();
}

criterion_group!(benches, accumulate, merge);
criterion_main!(benches);
