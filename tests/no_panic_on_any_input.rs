//! No input may panic the program: arbitrary bytes and mutated valid files fed
//! to every reader of user input give a value or an error, never a panic.

use std::path::Path;

use fevercheck::analyze;
use fevercheck::session::readings_from_table;
use fevercheck::session::CsvTable;
use fevercheck::session::Manifest;
use fevercheck::session::Session;
use fevercheck::session::{readings_from_named_columns, ColumnSpec};
use fevercheck::units::TemperatureUnit;
use proptest::prelude::*;

const VALID: &str = "time,reference_c,reported_c,sweep,subject\n\
2026-01-05T09:00:00Z,35.0,36.6,up,a\n2026-01-05T09:00:30Z,37.5,37.1,up,a\n\
2026-01-05T09:01:00Z,40.0,37.6,down,b\n";

/// Reads `text` as readings and, when that works, analyses it.
fn read_and_analyse(text: &str) {
    let Ok(table) = CsvTable::parse(text, Path::new("readings.csv"), 1) else {
        return;
    };
    let Ok(readings) = readings_from_table(&table) else {
        return;
    };
    let session = Session::from_readings("fuzz", Manifest::default(), readings);
    let _ = analyze(&session);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics_the_readings_reader(text in "\\PC{0,400}") {
        read_and_analyse(&text);
    }

    #[test]
    fn mutated_readings_never_panic(position in 0usize..VALID.len(), replacement in "[0-9,.;\\n\"eE+-]{0,4}") {
        let mut text = VALID.to_string();
        if text.is_char_boundary(position) {
            text.replace_range(position..position, &replacement);
        }
        read_and_analyse(&text);
    }

    #[test]
    fn numeric_extremes_never_panic(values in proptest::collection::vec((-1e300f64..1e300, -1e300f64..1e300), 1..40)) {
        let mut text = String::from("reference_c,reported_c\n");
        for (x, y) in values {
            text.push_str(&format!("{x},{y}\n"));
        }
        read_and_analyse(&text);
    }

    #[test]
    fn arbitrary_tables_never_panic_the_named_column_reader(text in "\\PC{0,300}", header_row in 0usize..4) {
        if let Ok(table) = CsvTable::parse(&text, Path::new("export.csv"), header_row) {
            let spec = ColumnSpec {
                reference: "a".into(),
                reported: vec!["b".into(), "c".into()],
                subject: Some("d".into()),
                header_row,
                unit: TemperatureUnit::Fahrenheit,
                ..ColumnSpec::default()
            };
            let _ = readings_from_named_columns(&table, &spec);
        }
    }

    #[test]
    fn mutated_logs_never_panic_the_join(
        which in 0usize..2,
        position in 0usize..120,
        replacement in "[0-9,.:TZ \n-]{0,5}",
        settle in 0u8..3,
    ) {
        // The two-log fixture, one of its logs cut to 40 lines and mutated.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/two-logs");
        let dir = tempfile::tempdir().unwrap();
        for (index, file) in ["blackbody.csv", "device.csv"].iter().enumerate() {
            let text = std::fs::read_to_string(fixture.join(file)).unwrap();
            let mut text: String = text.lines().take(40).map(|l| format!("{l}\n")).collect();
            if index == which && position < text.len() && text.is_char_boundary(position) {
                text.replace_range(position..position, &replacement);
            }
            std::fs::write(dir.path().join(file), text).unwrap();
        }
        let manifest = std::fs::read_to_string(fixture.join("session.toml"))
            .unwrap()
            .replace("settle_s = 60", &format!("settle_s = {}", 30 * u32::from(settle)));
        std::fs::write(dir.path().join("session.toml"), manifest).unwrap();
        if let Ok(session) = Session::load(dir.path()) {
            let _ = analyze(&session);
        }
    }

    #[test]
    fn mutated_workbooks_never_panic(
        edits in proptest::collection::vec((0usize..6411, any::<u8>()), 1..8),
    ) {
        // fixtures/workbook/sweep.xlsx with a few bytes changed: the zip or
        // the sheet's XML damaged. A damaged workbook is an error, never a
        // crash (calamine runs inside catch_unwind as a last resort).
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workbook/sweep.xlsx");
        let mut bytes = std::fs::read(path).unwrap();
        for (position, value) in edits {
            if let Some(byte) = bytes.get_mut(position) {
                *byte = value;
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("sweep.xlsx");
        std::fs::write(&book, bytes).unwrap();
        if let Ok(session) = Session::load(&book) {
            let _ = analyze(&session);
        }
    }

    #[test]
    fn arbitrary_toml_never_panics_the_manifest_reader(text in "\\PC{0,300}") {
        let _ = Manifest::parse(&text, Path::new("session.toml"), false);
        let _ = Manifest::parse(&text, Path::new("session.toml"), true);
    }
}

#[test]
fn identical_references_and_constant_readings_analyse_without_panic() {
    // No spread in x: regressions are undefined and must come out as nulls.
    read_and_analyse("reference_c,reported_c\n37,37\n37,37\n37,37\n37,37\n");
    read_and_analyse("reference_c,reported_c\n37,36.9\n");
    read_and_analyse("reference_c,reported_c\n35,37\n36,37\n37,37\n38,37\n");
}

/// A fleet log of `text` read and judged: an error or an audit, never a
/// panic.
fn read_and_judge_fleet_log(text: &str, name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join(name);
    std::fs::write(&log, text).unwrap();
    if let Ok((state, _)) =
        fevercheck_fleet::log::read_log(&log, fevercheck_fleet::log::LogOptions::default())
    {
        let _ = fevercheck_fleet::judge(&state, Vec::new());
    }
}

/// `template` with `insertion` inserted at `position` (at the character
/// boundary at or before it).
fn inserted(template: &str, position: usize, insertion: &str) -> String {
    let mut text = template.to_string();
    let at = (0..=position.min(text.len()))
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    text.insert_str(at, insertion);
    text
}

/// A valid fleet log to mutate.
const FLEET_LOG: &str = "camera,time,temperature_c,ambient_c,alarm,threshold\n\
    A,2021-03-04T09:15:00,36.5,21.5,false,37.5\nB,1614850200,38.1,22.0,true,37.5\n";

/// A valid Hikvision alert stream to mutate.
const FLEET_XML: &str = "--b\r\n\r\n<?xml version=\"1.0\"?>\n<EventNotificationAlert>\
    <ipAddress>10.0.0.7</ipAddress><channelID>2</channelID>\
    <dateTime>2021-03-04T09:15:00+08:00</dateTime><T><currTemperature>36.5</currTemperature>\
    <isAbnomalTemperature>false</isAbnomalTemperature><alarmTemperature>37.3</alarmTemperature>\
    <thermometryUnit>celsius</thermometryUnit></T></EventNotificationAlert>\r\n";

/// A valid JSON alert stream to mutate: a boundary, part headers and a
/// pretty-printed, nested event.
const FLEET_JSON: &str = "--b\r\nContent-Type: application/json\r\n\r\n{\n \"ipAddress\": \"10.0.0.9\",\n \
    \"channelID\": 1,\n \"dateTime\": \"2021-03-04T10:05:00+08:00\",\n \"AccessControllerEvent\": {\n  \
    \"currTemperature\": 36.9,\n  \"thermometryUnit\": \"celsius\",\n  \"list\": [{\"currTemperature\": 37.1}]\n }\n}\r\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_json_event_streams_never_panic(position in 0usize..FLEET_JSON.len(), replacement in "[0-9{}\\[\\]\":,.a-zA-Z\\\\\n-]{0,6}") {
        read_and_judge_fleet_log(&inserted(FLEET_JSON, position, &replacement), "log.json");
    }

    #[test]
    fn mutated_alert_streams_never_panic(position in 0usize..FLEET_XML.len(), replacement in "[0-9<>/&;#x.a-zA-Z\\n\"-]{0,6}") {
        read_and_judge_fleet_log(&inserted(FLEET_XML, position, &replacement), "log.xml");
    }

    #[test]
    fn arbitrary_fleet_logs_never_panic(text in "\\PC{0,300}", json in proptest::bool::ANY) {
        let text = if json { format!("{{{text}") } else { text };
        read_and_judge_fleet_log(&text, "log.csv");
    }

    #[test]
    fn mutated_fleet_logs_never_panic(position in 0usize..FLEET_LOG.len(), replacement in "[0-9,.\\n\"eE+-:T]{0,5}") {
        read_and_judge_fleet_log(&inserted(FLEET_LOG, position, &replacement), "log.csv");
    }

    #[test]
    fn extreme_fleet_readings_never_panic(values in proptest::collection::vec((-1e300f64..1e300, -1e300f64..1e300), 1..1200)) {
        let mut text = String::from("camera,temperature,ambient\n");
        for (t, a) in values {
            text.push_str(&format!("c,{t},{a}\n"));
        }
        read_and_judge_fleet_log(&text, "log.csv");
    }
}

/// Columns of an Arrow batch as the Python package passes them: camera
/// indexes, readings (°F), hours, alarm flags, rooms (K).
type Columns = (Vec<i32>, Vec<f64>, Vec<i8>, Vec<i8>, Vec<f64>);

/// Valid columns of 1–3 000 events with fevers, missing values and
/// extremes among the readings, and, in half the batches, one value made
/// invalid: an index outside its dictionary, an infinite reading, an hour
/// or a flag out of range.
fn arbitrary_columns() -> impl Strategy<Value = Columns> {
    let value = prop_oneof![
        1 => Just(f64::NAN),
        1 => Just(-1e300),
        1 => -1e6f64..1e6,
        60 => 86.0f64..113.0,
    ];
    (1usize..3000)
        .prop_flat_map(move |n| {
            (
                proptest::collection::vec(0i32..4, n),
                proptest::collection::vec(value.clone(), n),
                proptest::collection::vec(-1i8..24, n),
                proptest::collection::vec(-1i8..2, n),
                proptest::collection::vec(value.clone(), n),
                proptest::option::of((0..n, 0usize..4)),
            )
        })
        .prop_map(
            |(mut camera, mut reading, mut hour, mut alarm, room, poison)| {
                // Camera 7 is outside the dictionary, camera 4 its one
                // empty name.
                match poison {
                    Some((at, 0)) => camera[at] = if at % 2 == 0 { 7 } else { 4 },
                    Some((at, 1)) => reading[at] = f64::INFINITY,
                    Some((at, 2)) => hour[at] = 24,
                    Some((at, _)) => alarm[at] = 2,
                    None => {}
                }
                (camera, reading, hour, alarm, room)
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_event_columns_never_panic((camera, temperature, hour, alarm, ambient) in arbitrary_columns(), sites in proptest::bool::ANY) {
        use fevercheck_fleet::batch::{accumulate, EventColumns};
        use fevercheck_fleet::log::Unit;
        let names: Vec<String> = ["a", " d ", "\"b\"", "c", " "].iter().map(|s| s.to_string()).collect();
        let site_names: Vec<String> = vec!["LHR".into(), String::new()];
        let site_of_event: Vec<i32> = camera.iter().map(|c| c % 3 - 1).collect();
        let columns = EventColumns {
            camera_names: &names,
            camera: &camera,
            sites: sites.then_some((site_names.as_slice(), site_of_event.as_slice())),
            temperature: &temperature,
            unit: Unit::Fahrenheit,
            hour: Some(&hour),
            ambient: Some(&ambient),
            ambient_unit: Unit::Kelvin,
            alarm: Some(&alarm),
            threshold: Some(&ambient),
        };
        if let Ok((fleet, _)) = accumulate(&columns) {
            let _ = fevercheck_fleet::judge(&fleet, Vec::new());
        }
    }
}
