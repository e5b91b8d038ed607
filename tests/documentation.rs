//! Every document the code and the docs point to is in the repository: a
//! `docs/NAME.md` named anywhere in the sources, README or docs exists, every
//! relative Markdown link of README.md and docs/ resolves (and its `#anchor`
//! names a heading there), and nothing in the product points at files
//! outside the repository.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The text files searched: README, docs/, and the Rust sources of src/
/// and of the library crates.
fn documents() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    walk(&root().join("docs"), &mut files);
    walk(&root().join("src"), &mut files);
    walk(&root().join("crates"), &mut files);
    files
}

fn walk(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, into);
        } else if path.extension().is_some_and(|e| e == "md" || e == "rs") {
            into.push(path);
        }
    }
}

/// The GitHub-style anchor of a Markdown heading.
fn anchor(heading: &str) -> String {
    heading
        .trim_start_matches('#')
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &Path) -> Vec<String> {
    fs::read_to_string(markdown)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(anchor)
        .collect()
}

#[test]
fn every_docs_file_named_in_the_sources_exists() {
    let mut missing = Vec::new();
    for file in documents() {
        let text = fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("docs/") {
            let name: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "/._-".contains(*c))
                .collect();
            let name = name.trim_end_matches('.');
            if name.ends_with(".md") && !root().join(name).exists() {
                missing.push(format!("{}: {name}", file.display()));
            }
        }
    }
    assert!(missing.is_empty(), "missing documents: {missing:?}");
}

#[test]
fn every_relative_link_of_the_readme_and_docs_resolves() {
    let mut broken = Vec::new();
    let markdown: Vec<PathBuf> = documents()
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
        .collect();
    for file in &markdown {
        let text = fs::read_to_string(file).unwrap();
        for (at, _) in text.match_indices("](") {
            let target: String = text[at + 2..].chars().take_while(|&c| c != ')').collect();
            if target.starts_with("http") || target.is_empty() {
                continue;
            }
            let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let linked = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            if !linked.exists() {
                broken.push(format!("{}: {target}", file.display()));
            } else if !fragment.is_empty() && !anchors(&linked).contains(&fragment.to_string()) {
                broken.push(format!("{}: {target} (no such heading)", file.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:?}");
}

#[test]
fn the_product_points_at_nothing_outside_the_repository() {
    let outside = [
        "../shared",
        "SCIENCE.md",
        "FORMATS.md",
        "DESIGN.md",
        "STYLE.md",
    ];
    let offending: Vec<String> = documents()
        .iter()
        .filter(|file| {
            let text = fs::read_to_string(file).unwrap();
            outside.iter().any(|o| text.contains(o))
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(offending.is_empty(), "{offending:?}");
}

#[test]
fn headings_become_github_anchors() {
    assert_eq!(anchor("## 2. Accuracy statistics"), "2-accuracy-statistics");
    assert_eq!(
        anchor("## 5. Radiometry: FLIR raw counts to °C"),
        "5-radiometry-flir-raw-counts-to-c"
    );
}

#[test]
fn the_changelog_lists_the_report_contract_version_written() {
    // Every report carries the contract version; its additions are in the
    // changelog under that version.
    let changelog = fs::read_to_string(root().join("CHANGELOG.md")).unwrap();
    let heading = format!("### report.json {}", fevercheck::model::SCHEMA_VERSION);
    assert!(
        changelog.contains(&heading),
        "CHANGELOG.md has no {heading:?}"
    );
    let session = fevercheck_report::simulate::Simulation::new(
        fevercheck_report::simulate::CameraModel::Honest,
        1,
    )
    .to_session()
    .unwrap();
    let report = fevercheck::analyze(&session).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["schema_version"], fevercheck::model::SCHEMA_VERSION);
    // A report written before versions were recorded reads as 1.0.0.
    let mut old = json.clone();
    old.as_object_mut().unwrap().remove("schema_version");
    let read: fevercheck::model::Report = serde_json::from_value(old).unwrap();
    assert_eq!(read.schema_version, "1.0.0");
}

/// Where docs/formats.md holds the table of formats the code sniffs by.
const FORMAT_TABLE_START: &str =
    "<!-- the table of formats: fevercheck::formats::table::markdown() -->";
const FORMAT_TABLE_END: &str = "<!-- end of the table of formats -->";

#[test]
fn docs_formats_shows_the_table_the_code_sniffs_by() {
    let text = fs::read_to_string(root().join("docs/formats.md")).unwrap();
    let start = text
        .find(FORMAT_TABLE_START)
        .expect("docs/formats.md marks its table")
        + FORMAT_TABLE_START.len();
    let end = text[start..]
        .find(FORMAT_TABLE_END)
        .expect("the table's end marker")
        + start;
    let expected = fevercheck::formats::table::markdown();
    assert_eq!(
        text[start..end].trim(),
        expected.trim(),
        "docs/formats.md's table differs from the code's; it should read:\n{expected}"
    );
}
