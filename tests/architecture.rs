//! The library's modules import downward only (docs/design.md): each
//! top-level module has a layer, and a file may name (`crate::…`) only its
//! own module or a module of a lower layer. A new module must be given a
//! layer here, so the architecture is decided, not drifted into.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Every top-level module of the library and its layer, bottom first.
const LAYERS: &[(&str, u32)] = &[
    ("error", 1),
    ("escape", 0),
    ("output_guard", 2),
    ("units", 2),
    ("pending", 2),
    ("atomic", 3),
    ("input", 2),
    ("ownership", 4),
    ("folder_swap", 5),
    ("delimited", 2),
    ("raster", 2),
    ("stats", 2),
    ("model", 3),
    ("radiometry", 4),
    ("frame", 5),
    ("formats", 6),
    ("pixel", 6),
    ("convert", 6),
    ("session", 7),
    ("detect", 8),
    ("analysis", 9),
    ("report", 10),
    ("simulate", 11),
    ("check", 11),
    ("compare", 11),
];

/// The top-level module a source file belongs to (`src/pixel/roi.rs` → `pixel`).
fn module_of(path: &Path, src: &Path) -> Option<String> {
    let relative = path.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// Each line of `text` without its comment.
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
}

/// Whether code in `text` calls the frame decoders' `open`.
fn opens_frames(text: &str) -> bool {
    code_lines(text).any(|code| code.contains("formats::open") || code.contains("formats::{open"))
}

/// The modules named as `crate::NAME` in `text`, outside comments.
fn named_modules(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for code in code_lines(text) {
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push(name);
            }
            rest = after;
        }
    }
    names
}

#[test]
fn library_modules_import_only_lower_layers() {
    let layers: BTreeMap<&str, u32> = LAYERS.iter().copied().collect();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(file, &src).unwrap();
        if ["lib", "main", "cli"].contains(&module.as_str()) {
            continue;
        }
        let own = *layers
            .get(module.as_str())
            .unwrap_or_else(|| panic!("module `{module}` has no layer in tests/architecture.rs"));
        for name in named_modules(&fs::read_to_string(file).unwrap()) {
            if name == module {
                continue;
            }
            match layers.get(name.as_str()) {
                Some(&layer) if layer < own => {}
                Some(&layer) => violations.push(format!(
                    "{} (layer {own}) imports `{name}` (layer {layer})",
                    file.strip_prefix(&src).unwrap().display()
                )),
                None => {}
            }
        }
    }
    violations.sort();
    violations.dedup();
    assert!(
        violations.is_empty(),
        "imports that do not go downward:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_import_scanner_sees_paths_and_skips_comments() {
    let text =
        "use crate::model::Report;\n// crate::cli is mentioned\nlet x = crate::stats::mean(&v);";
    assert_eq!(named_modules(text), ["model", "stats"]);
}

/// The library files allowed to open frame files: the measuring pass (each
/// frame decoded once) and `[match]`, which reads frame times.
const FRAME_OPENERS: &[&str] = &["analysis/measure.rs", "analysis/matching.rs"];

#[test]
fn frames_are_opened_only_by_the_measuring_pass_and_matching() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let openers: Vec<String> = files
        .iter()
        .map(|file| file.strip_prefix(&src).unwrap().display().to_string())
        .filter(|name| !name.starts_with("formats/") && !name.starts_with("cli/"))
        .filter(|name| !FRAME_OPENERS.contains(&name.as_str()))
        .filter(|name| {
            let text = fs::read_to_string(src.join(name)).unwrap();
            opens_frames(&text)
        })
        .collect();
    assert!(
        openers.is_empty(),
        "frames opened outside {FRAME_OPENERS:?}: {openers:?}"
    );
}
