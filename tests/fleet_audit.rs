//! `fevercheck fleet`: screening logs read by their column names, cameras
//! judged as their simulated behaviour says, the same judgement however
//! the events are split into files, bad lines named by their place, and a
//! vendor's hostile camera name kept out of the page and the terminal.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use fevercheck_fleet::simulate::{screen, Behaviour, Site};
use fevercheck_fleet::Event;
use predicates::str::contains;

fn fevercheck() -> Command {
    Command::cargo_bin("fevercheck").unwrap()
}

/// `fevercheck fleet LOG --out OUT`, to be asserted on.
fn fleet(log: &Path, out: &Path) -> assert_cmd::assert::Assert {
    fevercheck()
        .arg("fleet")
        .arg(log)
        .arg("--out")
        .arg(out)
        .assert()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

/// A site with every honest complication at a middle value.
fn site() -> Site {
    Site {
        offset_c: 0.1,
        ..Site::typical()
    }
}

/// Events of an honest camera and of one clamping at 37.3 °C.
fn events() -> Vec<Event> {
    let mut all = Vec::new();
    screen("lobby", &site(), Behaviour::Honest, 6_000, 1, |e| {
        all.push(e.clone())
    });
    let clamp = Behaviour::Clamping { at_c: 37.3 };
    screen("gate <b>7</b>", &site(), clamp, 6_000, 2, |e| {
        all.push(e.clone())
    });
    all
}

fn csv_line(e: &Event) -> String {
    format!(
        "{},2021-03-04T{:02}:15:00,{},{},{}\n",
        e.camera,
        e.hour.unwrap(),
        e.temperature_c,
        e.ambient_c.unwrap(),
        e.alarm.unwrap()
    )
}

const HEADER: &str = "Camera ID,Event Time,Temperature_C,Ambient_C,Alarm\n";

#[test]
fn a_clamping_camera_is_flagged_and_an_honest_one_is_not_however_the_log_is_split() {
    let dir = tempfile::tempdir().unwrap();
    let events = events();
    let whole = dir.path().join("all.csv");
    let mut text = String::from(HEADER);
    events.iter().for_each(|e| text.push_str(&csv_line(e)));
    fs::write(&whole, &text).unwrap();
    // The same events in four files, interleaved: CSV, TSV, JSON Lines and
    // a Hikvision alert stream (XML documents between multipart boundaries).
    let parts = dir.path().join("parts");
    fs::create_dir(&parts).unwrap();
    let (mut a, mut b, mut c) = (String::from(HEADER), String::from(HEADER), String::new());
    let mut d = String::new();
    for (i, e) in events.iter().enumerate() {
        match i % 4 {
            0 => a.push_str(&csv_line(e)),
            1 => b.push_str(&csv_line(e)),
            3 => {
                let _ = write!(
                    d,
                    "--boundary\r\nContent-Type: application/xml\r\n\r\n\
                     <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
                     <EventNotificationAlert version=\"2.0\" xmlns=\"http://www.isapi.org/ver20/XMLSchema\">\n\
                     <deviceID>{}</deviceID><dateTime>2021-03-04T{:02}:15:00+01:00</dateTime>\n\
                     <eventType>TMA</eventType><Thermometry><currTemperature>{}</currTemperature>\n\
                     <environmentTemperature>{}</environmentTemperature>\
                     <isAbnomalTemperature>{}</isAbnomalTemperature>\
                     <thermometryUnit>celsius</thermometryUnit></Thermometry>\n\
                     </EventNotificationAlert>\r\n",
                    e.camera.replace('<', "&lt;").replace('>', "&gt;"),
                    e.hour.unwrap(),
                    e.temperature_c,
                    e.ambient_c.unwrap(),
                    e.alarm.unwrap()
                );
            }
            _ => {
                let _ = writeln!(
                    c,
                    "{}",
                    serde_json::json!({"deviceID": e.camera, "dateTime": format!("2021-03-04T{:02}:15:00", e.hour.unwrap()),
                        "currTemperature": e.temperature_c, "ambient": e.ambient_c, "isAbnomalTemperature": e.alarm})
                );
            }
        }
    }
    fs::write(parts.join("a.csv"), a).unwrap();
    fs::write(parts.join("b.tsv"), b.replace(',', "\t")).unwrap();
    fs::write(parts.join("c.jsonl"), c).unwrap();
    fs::write(parts.join("d.xml"), d).unwrap();

    let out_whole = dir.path().join("audit-whole");
    let out_parts = dir.path().join("audit-parts");
    for (input, out) in [(&whole, &out_whole), (&parts, &out_parts)] {
        fleet(input, out)
            .code(1)
            .stdout(contains("1 normalising, 1 consistent"));
    }
    let audit = json(&out_whole.join("fleet.json"));
    assert_eq!(audit["schema_version"], "1.0.0");
    assert_eq!(audit["events"], 12_000);
    let cameras = audit["cameras"].as_array().unwrap();
    assert_eq!(cameras[0]["camera"], "gate <b>7</b>");
    assert_eq!(cameras[0]["state"], "normalising");
    let beyond: Vec<&str> = cameras[0]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["state"] == "beyond")
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(beyond.contains(&"wall"), "{beyond:?}");
    assert_eq!(cameras[1]["camera"], "lobby");
    assert_eq!(cameras[1]["state"], "consistent");
    // Every number equal, bit for bit, however the events were split.
    assert_eq!(
        cameras,
        json(&out_parts.join("fleet.json"))["cameras"]
            .as_array()
            .unwrap()
    );
    // The hours and the room were read: 6 000 events between 6 and 22 h.
    let by_hour: u64 = cameras[1]["events_by_hour"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_hour, 6_000);
    let slope = cameras[1]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ambient_slope")
        .unwrap();
    assert!(
        (slope["value"].as_f64().unwrap() - 0.2).abs() < 0.02,
        "{slope}"
    );
    // The page never carries the name as markup.
    let page = fs::read_to_string(out_whole.join("fleet.html")).unwrap();
    assert!(page.contains("gate &lt;b&gt;7&lt;/b&gt;") && !page.contains("<b>7</b>"));
    assert!(page.contains("Content-Security-Policy"));
}

#[test]
fn a_small_log_is_not_judged_and_its_median_is_the_hand_computed_one() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    // °F column: 97.7, 98.6, 98.6, 99.5 °F = 36.5, 37.0, 37.0, 37.5 °C. The
    // values stand for ±0.25 °C (half the gap to their neighbours), so
    // the median is 37.0 exactly and the mean 37.0.
    fs::write(
        &log,
        "camera;temperature_f\nA;97.7\nA;98.6\nA;98.6\nA;99.5\n",
    )
    .unwrap();
    let out = dir.path().join("audit");
    fleet(&log, &out).code(0);
    let camera = &json(&out.join("fleet.json"))["cameras"][0];
    assert_eq!(camera["state"], "not_judged");
    assert!(camera["not_judged_because"]
        .as_str()
        .unwrap()
        .contains("4 readings"));
    assert!((camera["median_c"].as_f64().unwrap() - 37.0).abs() < 1e-9);
    assert!((camera["mean_c"].as_f64().unwrap() - 37.0).abs() < 1e-9);
}

#[test]
fn a_bad_cell_or_a_missing_column_is_named_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    fs::write(
        &log,
        "camera,temperature,time\nA,36.5,2021-03-04 09:00\nA,hot,2021-03-04 09:01\n",
    )
    .unwrap();
    fleet(&log, &dir.path().join("o")).code(2).stderr(contains(
        "log.csv, line 3, column 2 (temperature): expected a temperature, found \"hot\"",
    ));
    fs::write(&log, "camera,temperature,time\nA,36.5,9 o'clock\n").unwrap();
    fleet(&log, &dir.path().join("o"))
        .code(2)
        .stderr(contains("line 2, column 3 (time): expected a time"));
    fs::write(&log, "camera,temperature\nA,\n").unwrap();
    fleet(&log, &dir.path().join("o"))
        .code(2)
        .stderr(contains("hold no screening with a reported temperature"));
    fs::write(&log, "who,temperature\nA,36.5\n").unwrap();
    fleet(&log, &dir.path().join("o")).code(2).stderr(contains(
        "no column names the camera (expected one of: camera, cameraid",
    ));
    let jsonl = dir.path().join("log.jsonl");
    fs::write(
        &jsonl,
        "{\"camera\":\"A\",\"temperature\":36.5}\n{\"camera\":\"A\",\n",
    )
    .unwrap();
    fleet(&jsonl, &dir.path().join("o"))
        .code(2)
        .stderr(contains(
            "log.jsonl, line 2: expected one JSON object per line",
        ));
}

#[test]
fn a_hostile_camera_name_reaches_the_terminal_escaped_and_files_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    fs::write(
        &log,
        "camera,temperature\n\"\u{1b}[2J=HYPERLINK(1)\",36.5\n",
    )
    .unwrap();
    let out = dir.path().join("audit");
    let run = fevercheck()
        .arg("fleet")
        .arg(&log)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert!(
        !run.stdout.contains(&0x1b),
        "an escape reached the terminal"
    );
    // A folder holding a person's file, the log's own folder and the log
    // itself are refused as outputs.
    let mine = dir.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("notes.txt"), "mine").unwrap();
    for target in [&mine, &dir.path().to_path_buf(), &log] {
        fleet(&log, target.as_ref()).code(2);
    }
    assert_eq!(fs::read_to_string(mine.join("notes.txt")).unwrap(), "mine");
    // A second run replaces the audit it wrote.
    fleet(&log, &out).code(0);
}

#[test]
fn the_demo_fleet_flags_its_three_normalising_cameras() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    fevercheck()
        .args(["fleet", "--demo", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let audit = json(&out.join("fleet.json"));
    let flagged: Vec<&str> = audit["cameras"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["state"] == "normalising")
        .map(|c| c["camera"].as_str().unwrap())
        .collect();
    assert_eq!(
        flagged,
        [
            "terminal-1-gate-10",
            "terminal-2-gate-10",
            "terminal-3-gate-07"
        ]
    );
    assert_eq!(audit["counts"]["consistent"], 9);
}
