//! The layout of report.json written as one serde formatter over a whole
//! report: the reference its writer (`json`, which splices the records
//! into the rest) is tested against. Pretty-printed as serde_json prints it (two
//! spaces an indent, one member a line), except that each record of the
//! top-level `observations` list is one line of its own, written compact
//! (no space after a colon or a comma):
//!
//! ```text
//!   "observations": [
//!     {"line":2,"reference_c":35.0,"reported_c":36.6,…},
//!     {"line":3,"reference_c":35.0,"reported_c":36.6,…}
//!   ],
//! ```
//!
//! A session of a million readings is then a file of a million record
//! lines that `grep`, `head` or a spreadsheet's import read one by one,
//! 56 % of the size of the fully indented file and faster to write.
//! The layout changes white space only: the JSON value is the same.
//!
//! The list is recognised by its key among the members of the top-level
//! object, as the serialiser writes it; a key or value elsewhere that reads
//! `observations` is a string inside the structure, escaped, and changes
//! nothing.

use std::io::{self, Write};

use serde_json::ser::Formatter;

/// The top-level member whose records are written one a line.
const ONE_LINE_RECORDS: &str = "observations";

/// Indent of one level.
const INDENT: &[u8] = b"  ";

/// serde_json's pretty layout, with the records of [`ONE_LINE_RECORDS`]
/// on one line each.
#[derive(Debug, Default)]
pub(crate) struct ReportLayout {
    /// Containers open around the next token.
    depth: usize,
    /// Whether the innermost open container has a member yet.
    has_value: bool,
    /// The top-level key being written, while it is written.
    key: Option<String>,
    /// Whether the value being started is that of [`ONE_LINE_RECORDS`].
    records_next: bool,
    /// The depth from which containers are written on one line, while the
    /// records' list is open.
    one_line_from: Option<usize>,
}

impl ReportLayout {
    /// Whether the innermost open container is written on one line.
    fn one_line(&self) -> bool {
        self.one_line_from.is_some_and(|from| self.depth >= from)
    }

    fn indent<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        for _ in 0..self.depth {
            writer.write_all(INDENT)?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        if std::mem::take(&mut self.records_next) {
            self.one_line_from = Some(self.depth + 1);
        }
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        let one_line = self.one_line();
        self.depth -= 1;
        if self.one_line_from == Some(self.depth + 2) {
            // The records' list itself closes.
            self.one_line_from = None;
        }
        if self.has_value && !one_line {
            writer.write_all(b"\n")?;
            self.indent(writer)?;
        }
        // The container just closed is a value of its parent.
        self.has_value = true;
        writer.write_all(bracket)
    }

    fn next_member<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        if self.one_line() {
            return writer.write_all(if first { b"" } else { b"," });
        }
        writer.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(writer)
    }
}

impl Formatter for ReportLayout {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.next_member(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.depth == 1 {
            self.key = Some(String::new());
        }
        self.next_member(writer, first)
    }

    fn end_object_key<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.records_next = self.key.take().is_some_and(|key| key == ONE_LINE_RECORDS);
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if let Some(key) = &mut self.key {
            key.push_str(fragment);
        }
        writer.write_all(fragment.as_bytes())
    }

    fn write_char_escape<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        escape: serde_json::ser::CharEscape,
    ) -> io::Result<()> {
        // A key with an escaped character is not the records' key.
        if let Some(key) = &mut self.key {
            key.push('\u{0}');
        }
        serde_json::ser::CompactFormatter.write_char_escape(writer, escape)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.one_line() { b":" } else { b": " })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        // A scalar value of the records' key opens no list.
        self.records_next = false;
        self.has_value = true;
        Ok(())
    }
}

/// `value` as report.json lays it out, streamed into `writer`.
pub(crate) fn write_report_layout<W: Write, T: ?Sized + serde::Serialize>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, ReportLayout::default());
    value.serialize(&mut serializer)
}

/// `value` on one line, as a record of the observations is laid out (what
/// report.json's own writer of records is checked against).
pub(crate) fn write_one_line<W: Write, T: ?Sized + serde::Serialize>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let one_line = ReportLayout {
        one_line_from: Some(0),
        ..ReportLayout::default()
    };
    let mut serializer = serde_json::Serializer::with_formatter(writer, one_line);
    value.serialize(&mut serializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn laid_out(value: &serde_json::Value) -> String {
        let mut bytes = Vec::new();
        write_report_layout(&mut bytes, value).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn records_are_one_line_each_and_everything_else_as_serde_json_prints_it() {
        let value = json!({
            "schema": "fevercheck.report/1",
            "session": {"name": "s", "warnings": [], "counts": {"steps": 2}},
            "observations": [
                {"line": 2, "reference_c": 35.0, "sweep": "up", "nested": [1, {"a": null}]},
                {"line": 3, "reference_c": 35.5, "sweep": null, "nested": []}
            ],
            "steps": [{"n": 1, "sources": {"reported": {"mean_c": 36.6}}}],
            "empty": {}
        });
        // Written out by hand: serde_json's pretty layout (keys sorted, as
        // a `Value` holds them), the two records each on a compact line.
        let expected = r#"{
  "empty": {},
  "observations": [
    {"line":2,"nested":[1,{"a":null}],"reference_c":35.0,"sweep":"up"},
    {"line":3,"nested":[],"reference_c":35.5,"sweep":null}
  ],
  "schema": "fevercheck.report/1",
  "session": {
    "counts": {
      "steps": 2
    },
    "name": "s",
    "warnings": []
  },
  "steps": [
    {
      "n": 1,
      "sources": {
        "reported": {
          "mean_c": 36.6
        }
      }
    }
  ]
}"#;
        assert_eq!(laid_out(&value), expected);
    }

    #[test]
    fn a_list_named_observations_below_the_top_is_printed_as_usual() {
        let value = json!({"session": {"observations": [{"line": 2}]}, "observations": []});
        let expected = r#"{
  "observations": [],
  "session": {
    "observations": [
      {
        "line": 2
      }
    ]
  }
}"#;
        assert_eq!(laid_out(&value), expected);
    }

    #[test]
    fn hostile_keys_and_values_change_no_layout_and_the_value_is_kept() {
        let value = json!({
            "observ\nations": [{"a": 1}],
            "x": "observations",
            "observations": [{"sweep": "}\n  ],\n  \"observations\": [", "\u{1b}[31m": "\u{0}"}],
            "after": [{"b": 2}]
        });
        let text = laid_out(&value);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed, value);
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        // Only the one record of the real list is folded onto a line.
        assert_eq!(text.lines().count(), pretty.lines().count() - 3);
        assert!(text.contains(
            "\n    {\"\\u001b[31m\":\"\\u0000\",\"sweep\":\"}\\n  ],\\n  \\\"observations\\\": [\"}\n"
        ));
    }
}
