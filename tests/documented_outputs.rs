//! The sample outputs in README.md and docs/guide.md are the program's own
//! (issue #26): every block headed `<!-- output of: fevercheck ARGS -->` is
//! compared with what `fevercheck ARGS` prints, run in a folder where the
//! demo has run. Each line of the block must be a line of the output, in
//! order (lines may be left out); a line ending in "…" stands for any line
//! that begins with what comes before it; a line starting with `$ ` is the
//! command and is passed over. And the guide's table of simulated cameras
//! lists exactly the models `simulate --model` accepts.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The blocks of `file` headed by an output marker: (arguments, lines).
fn output_blocks(file: &Path) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(arguments) = line
            .strip_prefix("<!-- output of: fevercheck ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.get(i + 1),
            Some(&"```"),
            "{}: marker not followed by a block",
            file.display()
        );
        let body: Vec<String> = lines[i + 2..]
            .iter()
            .take_while(|l| **l != "```")
            .map(|l| l.to_string())
            .collect();
        blocks.push((arguments.to_string(), body));
    }
    blocks
}

/// Where in `output` the documented `lines` fail to appear in order.
fn first_mismatch(lines: &[String], output: &str) -> Option<String> {
    let mut actual = output.lines();
    for line in lines.iter().filter(|l| !l.starts_with("$ ")) {
        let matches = |candidate: &str| match line.strip_suffix('…') {
            Some(head) => candidate.starts_with(head),
            None => candidate == line,
        };
        if !actual.by_ref().any(matches) {
            return Some(line.clone());
        }
    }
    None
}

#[test]
fn the_documented_outputs_are_the_programs() {
    let dir = tempfile::tempdir().unwrap();
    let run = |arguments: &str| {
        let output = Command::cargo_bin("fevercheck")
            .unwrap()
            .current_dir(dir.path())
            .args(arguments.split_whitespace())
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let demo = run("demo");
    let mut checked = 0;
    for file in [root().join("README.md"), root().join("docs/guide.md")] {
        for (arguments, lines) in output_blocks(&file) {
            let output = if arguments == "demo" {
                demo.clone()
            } else {
                run(&arguments)
            };
            if let Some(line) = first_mismatch(&lines, &output) {
                panic!(
                    "{}: the output of `fevercheck {arguments}` has no line\n{line}\n(in order); \
                     it printed:\n{output}",
                    file.display()
                );
            }
            checked += 1;
        }
    }
    // README's demo and the guide's analyze.
    assert!(checked >= 2, "{checked} blocks checked");
}

#[test]
fn a_changed_line_is_caught() {
    let output = "a\n  b: 1.00\n  c: long line here\n";
    let documented = |lines: &[&str]| lines.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert_eq!(
        first_mismatch(&documented(&["$ x", "a", "  c: long…"]), output),
        None
    );
    assert_eq!(
        first_mismatch(&documented(&["a", "  b: 1.01"]), output),
        Some("  b: 1.01".to_string())
    );
    // Out of order.
    assert!(first_mismatch(&documented(&["  b: 1.00", "a"]), output).is_some());
}

#[test]
fn the_guide_lists_every_simulated_camera() {
    let help = Command::cargo_bin("fevercheck")
        .unwrap()
        .args(["simulate", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let accepted: Vec<String> = help
        .lines()
        .find(|l| l.contains("The camera model"))
        .and_then(|l| l.split("[possible values: ").nth(1))
        .map(|l| {
            l.trim_end_matches(']')
                .split(", ")
                .map(String::from)
                .collect()
        })
        .expect("simulate --help lists the models");
    let guide = std::fs::read_to_string(root().join("docs/guide.md")).unwrap();
    let table = guide
        .split("| model | what the camera does")
        .nth(1)
        .expect("the guide's model table");
    let listed: Vec<String> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('`').nth(1).map(String::from))
        .collect();
    assert_eq!(listed, accepted);
}
