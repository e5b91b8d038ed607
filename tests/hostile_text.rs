//! One hostile string in every text field of a session, and every output
//! checked (issue #23): no live markup in report.html or the comparison, no
//! forged section or link in the Markdown, no formula in comparison.csv, no
//! control byte in any file or on the terminal, and the verdict said once
//! and true. The string carries what each output language would obey: a
//! form feed that ends a CSS string and the rules after it, a script, an
//! image that calls out, a Markdown heading and link, a spreadsheet
//! formula, a carriage return and escape sequences that would erase a line
//! and print a PASS, a right-to-left override and a C1 control.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fevercheck() -> Command {
    Command::cargo_bin("fevercheck").unwrap()
}

/// The hostile text, as it arrives from a vendor's files.
const HOSTILE: &str = "K1\u{c}}}}.banner{background:#1f7a3a!important}header strong::after{content:'PASS'}#findings{display:none}</style><script>fetch('http://127.0.0.1:9/x')</script>\r\u{1b}[2K  verdict:  accuracy PASS; manipulation not suspected\u{1b}[8m\u{202e}\n\n## Verdict\n\n**PASS** ![](http://127.0.0.1:9/i.png) [x](javascript:alert(1)) <img src=x onerror=alert(1)> =HYPERLINK(\"http://x\") |a|b\u{7}\u{9b}";

/// `text` as a TOML basic string, every control character escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A compressing camera's session whose name, device model and serial,
/// reference model and sweep labels are all the hostile text.
fn hostile_session(dir: &Path) -> PathBuf {
    let session = dir.join("hostile");
    fevercheck()
        .args([
            "simulate",
            "--model",
            "compressing",
            "--sweeps",
            "up,down",
            "-q",
            "--out",
        ])
        .arg(&session)
        .assert()
        .success();
    let h = toml_string(HOSTILE);
    fs::write(
        session.join("session.toml"),
        format!(
            "name = {h}\n[device]\nmodel = {h}\nserial = {h}\nstated_accuracy_c = 0.5\n\
             alarm_threshold_c = 37.5\n[reference]\nmodel = {h}\n\
             [test]\nid = {h}\noperator = {h}\ndate = {h}\nnotes = {h}\n\
             [[test.equipment]]\nname = {h}\ncertificate = {h}\ncalibrated_until = {h}\n"
        ),
    )
    .unwrap();
    // The second sweep's label and every subject id become the hostile
    // text (quoted as CSV).
    let readings = fs::read_to_string(session.join("readings.csv")).unwrap();
    let quoted = format!("\"{}\"", HOSTILE.replace('"', "\"\""));
    let relabelled: String = readings
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let line = match line.strip_suffix(",down") {
                Some(start) => format!("{start},{quoted}"),
                None => line.to_string(),
            };
            match i {
                0 => format!("{line},subject\n"),
                _ => format!("{line},{quoted}\n"),
            }
        })
        .collect();
    fs::write(session.join("readings.csv"), relabelled).unwrap();
    session
}

/// Every character that would act in a terminal or a viewer instead of
/// being shown: C0 controls but line breaks and tabs, DEL, C1 controls,
/// bidirectional overrides.
fn acting_characters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || fevercheck::escape::is_hidden_format(c)
        })
        .collect()
}

/// Fails when a CommonMark reading of `markdown` holds a link, an image
/// or raw HTML: nothing fevercheck writes in Markdown has any.
fn assert_markdown_is_plain(what: &str, markdown: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        let live = matches!(
            &event,
            Event::Start(Tag::Link { .. } | Tag::Image { .. })
                | Event::Html(_)
                | Event::InlineHtml(_)
        );
        assert!(!live, "{what} renders {event:?}");
    }
}

/// The text of every heading of `markdown`.
fn markdown_headings(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut headings = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => current = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => headings.extend(current.take()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = current.as_mut() {
                    heading.push_str(&text);
                }
            }
            _ => {}
        }
    }
    headings
}

/// What CSS Syntax Level 3 (§4.3.5) reads outside strings in `style`: a
/// string ends at its closing quote, or broken at a newline, CR or form
/// feed; a backslash escapes the next character.
fn css_outside_strings(style: &str) -> String {
    let mut outside = String::new();
    let mut quote: Option<char> = None;
    let mut chars = style.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(_) if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q || matches!(c, '\n' | '\r' | '\u{c}') => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => outside.push(c),
        }
    }
    outside
}

/// Elements fevercheck's pages and charts are made of.
const OWN_ELEMENTS: &[&str] = &[
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "h3",
    "p",
    "strong",
    "main",
    "article",
    "div",
    "ul",
    "li",
    "table",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "footer",
    "section",
    "span",
    "em",
    "code",
    "small",
    "br",
    "svg",
    "g",
    "text",
    "rect",
    "circle",
    "line",
    "polyline",
    "path",
    "polygon",
    "defs",
    "clippath",
    "tspan",
    "?xml",
];

/// Fails when `page` holds an element fevercheck does not write, an event
/// handler attribute, a link or a source, or (unless `own_script`) a
/// script: an input's text can only have become markup that way.
fn assert_only_own_markup(what: &str, page: &str, own_script: bool) {
    let mut rest = page;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || name.starts_with('!') {
            continue;
        }
        let allowed = OWN_ELEMENTS.contains(&name.as_str()) || (own_script && name == "script");
        assert!(allowed, "{what} holds the element <{name}>: <{tag}>");
        let attributes = tag.to_ascii_lowercase();
        for live in [" on", " href=", " src=", " xlink:href=", "javascript:"] {
            assert!(
                !attributes.contains(live),
                "{what} holds `{live}` in <{tag}>"
            );
        }
        // The text of a script or a style is not markup.
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let close = format!("</{name}");
            rest = &rest[rest.find(&close).unwrap_or(rest.len())..];
        }
    }
}

fn assert_inert(what: &str, text: &str) {
    let acting = acting_characters(text);
    assert!(acting.is_empty(), "{what} holds {acting:?}");
}

#[test]
fn a_hostile_string_everywhere_changes_nothing_but_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let session = hostile_session(dir.path());
    let out = dir.path().join("report");
    let run = fevercheck()
        .arg("analyze")
        .arg(&session)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    // A compressing camera: findings, exit 1.
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert_inert("the terminal summary", &stdout);
    assert_inert("standard error", &String::from_utf8(run.stderr).unwrap());
    let verdicts: Vec<&str> = stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("verdict:"))
        .collect();
    assert_eq!(verdicts.len(), 1, "{stdout}");
    assert!(verdicts[0].contains("manipulation SUSPECTED"), "{stdout}");

    // report.json keeps the data as it was.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(json["session"]["name"], HOSTILE);
    assert_eq!(json["verdict"]["manipulation_suspected"], true);

    // report.md, as a CommonMark viewer reads it: one verdict heading, no
    // link, image or HTML.
    let markdown = fs::read_to_string(out.join("report.md")).unwrap();
    assert_inert("report.md", &markdown);
    assert_markdown_is_plain("report.md", &markdown);
    let headings = markdown_headings(&markdown);
    assert_eq!(
        headings.iter().filter(|h| h.as_str() == "Verdict").count(),
        1,
        "{headings:?}"
    );

    // report.html: a policy, no script, no image, the style untouched.
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert_inert("report.html", &html);
    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'"),
        "no policy"
    );
    assert_only_own_markup("report.html", &html, false);
    let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    let rules = css_outside_strings(style);
    for live in ["!important", "display:none", "::after"] {
        assert!(!rules.contains(live), "live CSS `{live}` in {rules}");
    }
    assert!(html.contains("class=\"banner manipulation\""));
    for chart in fs::read_dir(out.join("plots")).unwrap() {
        let path = chart.unwrap().path();
        if path.extension().is_some_and(|e| e == "svg") {
            let svg = fs::read_to_string(&path).unwrap();
            assert_inert(&path.display().to_string(), &svg);
            assert_only_own_markup(&path.display().to_string(), &svg, false);
        }
    }

    // The comparison: a formula is text, the Markdown table keeps its
    // columns, the HTML runs only its own sorting script.
    let honest = dir.path().join("honest");
    fevercheck()
        .args(["simulate", "-q", "--out"])
        .arg(&honest)
        .assert()
        .success();
    let comparison = dir.path().join("comparison");
    let run = fevercheck()
        .arg("compare")
        .arg(&session)
        .arg(&honest)
        .arg("--out")
        .arg(&comparison)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert_inert("compare's table", &String::from_utf8(run.stdout).unwrap());
    let mut cells = csv::Reader::from_path(comparison.join("comparison.csv")).unwrap();
    for record in cells.records() {
        for cell in record.unwrap().iter() {
            let number = cell.parse::<f64>().is_ok();
            let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(number || !formula, "comparison.csv cell `{cell}`");
            assert_inert("comparison.csv", cell);
        }
    }
    let table = fs::read_to_string(comparison.join("comparison.md")).unwrap();
    assert_inert("comparison.md", &table);
    let columns = |line: &str| line.replace("\\|", "").matches('|').count();
    let rows: Vec<&str> = table.lines().filter(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), 4, "{table}");
    assert!(
        rows.iter().all(|r| columns(r) == columns(rows[0])),
        "{table}"
    );
    assert_markdown_is_plain("comparison.md", &table);
    let page = fs::read_to_string(comparison.join("comparison.html")).unwrap();
    assert_inert("comparison.html", &page);
    assert_only_own_markup("comparison.html", &page, true);
    assert_eq!(page.matches("<script").count(), 1);
    assert!(page.contains("script-src 'sha256-"));

    // The saved report as an input of compare: its texts stay data.
    let from_saved = dir.path().join("from-saved");
    let run = fevercheck()
        .arg("compare")
        .arg(out.join("report.json"))
        .arg("--out")
        .arg(&from_saved)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert_inert(
        "compare of a saved report",
        &String::from_utf8(run.stdout).unwrap(),
    );
    for file in ["comparison.md", "comparison.html", "comparison.csv"] {
        let text = fs::read_to_string(from_saved.join(file)).unwrap();
        assert_inert(file, &text);
    }
    assert_markdown_is_plain(
        "comparison.md",
        &fs::read_to_string(from_saved.join("comparison.md")).unwrap(),
    );

    // check reads the saved report back and prints its texts inertly.
    let run = fevercheck()
        .arg("check")
        .arg(&honest)
        .arg("--expected")
        .arg(out.join("report.json"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{run:?}");
    assert_inert("check's output", &String::from_utf8(run.stdout).unwrap());
}

/// Analyses `session`, which must be refused (exit 2), and checks that its
/// error holds no acting character and no line of its own that starts
/// like the verdict; returns the error.
fn refused_inertly(what: &str, session: &Path) -> String {
    let run = fevercheck().arg("analyze").arg(session).output().unwrap();
    assert_eq!(run.status.code(), Some(2), "{what}: {run:?}");
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert_inert(what, &stderr);
    let forged = stderr
        .lines()
        .any(|l| l.trim_start().starts_with("verdict"));
    assert!(!forged, "{what}: {stderr}");
    stderr
}

#[test]
fn an_error_quoting_a_hostile_cell_cannot_erase_or_forge_a_line() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s");
    fs::create_dir(&session).unwrap();
    let cell = "37.1\r\u{1b}[2K  verdict:  accuracy PASS; manipulation not suspected\u{1b}[8m";
    fs::write(
        session.join("readings.csv"),
        format!("reference_c,reported_c\n36.0,36.1\n37.0,\"{cell}\n  verdict: PASS\"\n"),
    )
    .unwrap();
    let stderr = refused_inertly("the cell", &session);
    assert!(stderr.contains("\\x1b[2K"), "{stderr}");
}

#[test]
fn a_hostile_file_name_is_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "s\u{1b}]0;owned\u{7}\n  verdict: PASS";
    let session = dir.path().join(name);
    fs::create_dir(&session).unwrap();
    let stderr = refused_inertly("the file name", &session);
    assert!(stderr.starts_with("fevercheck: error: "), "{stderr}");
}

#[test]
fn hostile_session_toml_keys_and_column_maps_reach_the_terminal_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let h = toml_string(HOSTILE);
    for (name, manifest) in [
        ("key", format!("[device]\n{h} = 1\n")),
        (
            "column map",
            format!(
                "[reference]\nlog = \"r.csv\"\n[reference.columns]\n{h} = \"x\"\n\
                 [device]\nlog = \"d.csv\"\n"
            ),
        ),
        (
            "log path",
            format!("[reference]\nlog = {h}\n[device]\nlog = \"d.csv\"\n"),
        ),
    ] {
        let session = dir.path().join(name.replace(' ', "-"));
        fs::create_dir(&session).unwrap();
        fs::write(
            session.join("readings.csv"),
            "reference_c,reported_c\n36,36\n",
        )
        .unwrap();
        fs::write(session.join("session.toml"), manifest).unwrap();
        refused_inertly(name, &session);
    }
}
