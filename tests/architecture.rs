//! The architecture (docs/design.md) is the workspace's crates: each
//! depends only on the crates below it, so the compiler refuses an upward
//! import. This test holds the graph itself to the intended one, read from
//! `cargo metadata`, so a new dependency between the crates is decided, not
//! drifted into. Within the `fevercheck` crate, the modules are layered as
//! well (model ◄ session ◄ detect ◄ analysis); a scan of the source checks
//! that, and that only the measuring pass and `[match]` open frame files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every crate of the workspace and the workspace crates it depends on
/// (normal dependencies), bottom first.
const CRATE_GRAPH: &[(&str, &[&str])] = &[
    ("fevercheck-stats", &[]),
    ("fevercheck-io", &[]),
    ("fevercheck-thermal", &["fevercheck-io", "fevercheck-stats"]),
    ("fevercheck-fleet", &["fevercheck-io", "fevercheck-stats"]),
    (
        "fevercheck",
        &["fevercheck-io", "fevercheck-stats", "fevercheck-thermal"],
    ),
    (
        "fevercheck-report",
        &[
            "fevercheck",
            "fevercheck-fleet",
            "fevercheck-io",
            "fevercheck-stats",
            "fevercheck-thermal",
        ],
    ),
    (
        "fevercheck-cli",
        &["fevercheck", "fevercheck-fleet", "fevercheck-report"],
    ),
    (
        "fevercheck-python",
        &["fevercheck", "fevercheck-cli", "fevercheck-fleet"],
    ),
];

/// The command line's own crates: no library crate may need them.
const COMMAND_LINE_CRATES: &[&str] = &[
    "anyhow",
    "clap",
    "clap_complete",
    "indicatif",
    "signal-hook",
];

/// Each workspace package and the packages it declares as dependencies of
/// `kind` (`None`: normal; `Some("dev")`: dev-dependencies).
fn declared_dependencies(kind: Option<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(root)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    packages
        .iter()
        .map(|package| {
            let depends_on = package["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["kind"].as_str() == kind)
                .map(|d| d["name"].as_str().unwrap().to_string())
                .collect();
            (package["name"].as_str().unwrap().to_string(), depends_on)
        })
        .collect()
}

/// Each workspace package and the workspace packages it depends on.
fn workspace_graph(kind: Option<&str>) -> BTreeMap<String, BTreeSet<String>> {
    let declared = declared_dependencies(kind);
    let names: BTreeSet<String> = declared.keys().cloned().collect();
    declared
        .into_iter()
        .map(|(package, dependencies)| {
            let within = dependencies.intersection(&names).cloned().collect();
            (package, within)
        })
        .collect()
}

#[test]
fn no_library_crate_needs_the_command_lines_crates() {
    for (package, dependencies) in declared_dependencies(None) {
        if package == "fevercheck-cli" {
            continue;
        }
        for name in COMMAND_LINE_CRATES {
            assert!(!dependencies.contains(*name), "{package} depends on {name}");
        }
    }
}

#[test]
fn the_crates_depend_on_one_another_as_layered() {
    let intended: BTreeMap<String, BTreeSet<String>> = CRATE_GRAPH
        .iter()
        .map(|(name, below)| {
            let below = below.iter().map(|b| b.to_string()).collect();
            (name.to_string(), below)
        })
        .collect();
    assert_eq!(workspace_graph(None), intended);
}

#[test]
fn no_library_crate_reaches_upward_even_for_its_tests() {
    // A dev-dependency on a higher crate would let a library's tests (and
    // its doctests, where the planted imports are refused) reach upward.
    let order: Vec<&str> = CRATE_GRAPH.iter().map(|(name, _)| *name).collect();
    for (package, dev) in workspace_graph(Some("dev")) {
        let at = order.iter().position(|n| *n == package).unwrap();
        for dependency in dev {
            let below = order.iter().position(|n| *n == dependency).unwrap();
            assert!(below < at, "{package} has a dev-dependency on {dependency}");
        }
    }
}

/// The modules of the `fevercheck` crate and their layers, bottom first.
const CORE_LAYERS: &[(&str, u32)] = &[
    ("units", 0),
    ("model", 1),
    ("session", 2),
    ("detect", 3),
    ("analysis", 4),
];

fn core_src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("crates/core/src")
}

/// The top-level module a source file belongs to (`session/cells.rs` → `session`).
fn module_of(path: &Path, src: &Path) -> String {
    let relative = path.strip_prefix(src).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_str().unwrap().trim_end_matches(".rs").to_string()
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

/// `text` without its comments (line and block comments, nested), with
/// string literals kept; whitespace runs become one space, so a `use`
/// spread over lines reads as one.
fn code_of(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::new();
    let (mut i, mut depth, mut in_string) = (0, 0usize, false);
    while i < chars.len() {
        let (c, next) = (chars[i], chars.get(i + 1).copied());
        if depth == 0 && in_string {
            code.push(c);
            if c == '\\' {
                code.extend(next);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if depth == 0 && c == '\'' && (next == Some('\\') || chars.get(i + 2) == Some(&'\''))
        {
            // A character literal such as '"' or '\'': copied whole.
            let end = if next == Some('\\') {
                (i + 3..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .unwrap_or(i)
            } else {
                i + 2
            };
            code.extend(&chars[i..=end]);
            i = end;
        } else if depth == 0 && c == 'r' && next == Some('#') && chars.get(i + 2) == Some(&'"') {
            // A raw string r#"…"#: copied whole.
            let end = (i + 3..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == '"' && chars[j + 1] == '#')
                .map_or(chars.len() - 1, |j| j + 1);
            code.extend(&chars[i..=end]);
            i = end;
        } else if c == '/' && next == Some('*') {
            depth += 1;
            i += 1;
        } else if depth > 0 && c == '*' && next == Some('/') {
            depth -= 1;
            i += 1;
        } else if depth > 0 {
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        } else {
            in_string = c == '"';
            code.push(c);
        }
        i += 1;
    }
    code.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The module names a path starting at `at` in `code` names first: `NAME`
/// of `NAME::…`, or every `NAME` of a `{NAME, NAME::…}` group.
fn first_names(code: &str) -> Vec<String> {
    let code = code.trim_start();
    if let Some(group) = code.strip_prefix('{') {
        let mut depth = 0;
        let end = group
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                depth < 0
            })
            .map_or(group.len(), |(at, _)| at);
        let mut names = Vec::new();
        let mut item_depth = 0;
        let mut item_start = 0;
        for (at, c) in group[..end].char_indices() {
            match c {
                '{' => item_depth += 1,
                '}' => item_depth -= 1,
                ',' if item_depth == 0 => {
                    names.extend(first_names(&group[item_start..at]).into_iter().take(1));
                    item_start = at + 1;
                }
                _ => {}
            }
        }
        names.extend(first_names(&group[item_start..end]).into_iter().take(1));
        return names;
    }
    let name: String = code
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() {
        Vec::new()
    } else {
        vec![name]
    }
}

/// The crate modules `code` (of a file at module depth `depth`: 0 for
/// `model/mod.rs`, 1 for `model/report.rs`) names: through `crate::`, the
/// `super::` chain that reaches the crate root, and `use crate as alias`
/// (reported as `crate-alias`).
fn named_modules(code: &str, depth: usize) -> Vec<String> {
    let mut names = Vec::new();
    let prefixes = ["crate::".to_string(), "super::".repeat(depth + 1)];
    for prefix in &prefixes {
        let mut rest = code;
        while let Some(at) = rest.find(prefix.as_str()) {
            let after = &rest[at + prefix.len()..];
            if !rest[..at].ends_with("super::") {
                names.extend(first_names(after));
            }
            rest = after;
        }
    }
    if code.contains("crate as ") {
        names.push("crate-alias".to_string());
    }
    names
}

/// How deep a file is below its top-level module's folder (`session.rs`
/// and `session/mod.rs`: 0; `session/cells.rs`: 1).
fn depth_of(path: &Path, src: &Path) -> usize {
    let relative = path.strip_prefix(src).unwrap();
    let folders = relative.components().count() - 1;
    if relative.file_name().is_some_and(|n| n == "mod.rs") {
        folders.saturating_sub(1)
    } else {
        folders
    }
}

#[test]
fn the_core_crates_modules_import_only_lower_layers() {
    let layers: BTreeMap<&str, u32> = CORE_LAYERS.iter().copied().collect();
    let src = core_src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(file, &src);
        if module == "lib" {
            continue;
        }
        let own = *layers
            .get(module.as_str())
            .unwrap_or_else(|| panic!("module `{module}` has no layer in tests/architecture.rs"));
        let code = code_of(&fs::read_to_string(file).unwrap());
        for name in named_modules(&code, depth_of(file, &src)) {
            let allowed = if name == module {
                true
            } else if name == "crate-alias" {
                false
            } else if is_root_reexport(&name) {
                own >= layers["analysis"]
            } else {
                // Other root items (`Error`, the re-exported crates) are
                // below every module.
                layers.get(name.as_str()).is_none_or(|&layer| layer < own)
            };
            if !allowed {
                violations.push(format!(
                    "{} ({module}) names `{name}`",
                    file.strip_prefix(&src).unwrap().display()
                ));
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

/// Names the crate root exports from the analysis layer.
fn is_root_reexport(name: &str) -> bool {
    ["analyze", "analyze_with", "AnalysisOptions"].contains(&name)
}

#[test]
fn the_import_scanner_sees_groups_super_paths_and_skips_comments() {
    let text = "use crate::model::Report;\n// crate::analysis is mentioned\n\
                /* crate::detect\n /* nested */ crate::session */\n\
                let x = crate::units::celsius(v);\n\
                use crate::{\n    session::Session,\n    detect::{a, b},\n};\n\
                use super::super::analysis::measure;\n\
                let s = \"// not a comment\"; let q = '\"'; use crate::analyze;";
    let code = code_of(text);
    assert_eq!(
        named_modules(&code, 1),
        ["model", "units", "session", "detect", "analyze", "analysis"]
    );
    assert_eq!(named_modules("use crate as root;", 0), ["crate-alias"]);
}

#[test]
fn the_scan_refuses_the_upward_imports_a_reviewer_planted() {
    let layers: BTreeMap<&str, u32> = CORE_LAYERS.iter().copied().collect();
    // In detect (layer 3): a root re-export of the analysis, a relative
    // path up into it, and a grouped import.
    for planted in [
        "use crate::analyze;",
        "use super::super::analysis::measure;",
        "use crate::{model::Report, analysis::verdict};",
    ] {
        let names = named_modules(&code_of(planted), 1);
        let upward = names.iter().any(|name| {
            is_root_reexport(name) || layers.get(name.as_str()).is_some_and(|&l| l > 3)
        });
        assert!(upward, "{planted} passed: {names:?}");
    }
}

/// The library files allowed to open frame files: the measuring pass (each
/// frame decoded once) and `[match]`, which reads frame times.
const FRAME_OPENERS: &[&str] = &["analysis/measure.rs", "analysis/matching.rs"];

/// Whether `code` calls or imports the frame decoders' `open`.
fn opens_frames(code: &str) -> bool {
    let mut rest = code;
    while let Some(at) = rest.find("formats::") {
        let after = &rest[at + "formats::".len()..];
        if first_names(after)
            .iter()
            .any(|name| name == "open" || name == "self")
        {
            return true;
        }
        rest = after;
    }
    code.contains("formats as ")
}

#[test]
fn frames_are_opened_only_by_the_measuring_pass_and_matching() {
    let src = core_src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let openers: Vec<String> = files
        .iter()
        .map(|file| file.strip_prefix(&src).unwrap().display().to_string())
        .filter(|name| !FRAME_OPENERS.contains(&name.as_str()))
        .filter(|name| opens_frames(&code_of(&fs::read_to_string(src.join(name)).unwrap())))
        .collect();
    assert!(
        openers.is_empty(),
        "frames opened outside {FRAME_OPENERS:?}: {openers:?}"
    );
    assert!(opens_frames(&code_of(
        "use fevercheck_thermal::formats::{check_index,\n open};"
    )));
    assert!(opens_frames(&code_of(
        "let f = fevercheck_thermal::formats::open(p, &o);"
    )));
}
