//! What reaches a terminal. An ESC starts a control sequence (ECMA-48
//! §5.3: erase the line, move the cursor, hide text, set the window title
//! through OSC), a CR returns to the start of the line so the next text
//! overwrites it, and the bidirectional controls reorder what is shown.
//! Every C0 and C1 control, DEL and the invisible formatting characters are
//! written as visible escapes (`\x1b`, `\r`, `\u{202e}`), never as
//! themselves.
//!
//! [`inline`] is for a text from an input inside a line fevercheck
//! writes: line breaks and tabs are escaped too, so an input cannot start a
//! line of its own. [`block`] is for a whole message fevercheck composed:
//! its own line breaks and indents stay.

/// `text` for one line of a terminal: every control (line breaks
/// included) and invisible formatting character shown escaped.
pub fn inline(text: &str) -> String {
    escaped(text, false)
}

/// `text` for a terminal, keeping line breaks and tabs: every other
/// control and invisible formatting character shown escaped.
pub fn block(text: &str) -> String {
    escaped(text, true)
}

/// Most characters of an input's text quoted in a message.
const QUOTED_CHARACTERS: usize = 200;

/// A text from an input quoted in a message: between backticks, cut to
/// 200 characters (a cell can be a megabyte), every control shown escaped.
pub fn quoted(text: &str) -> String {
    let cut = match text.char_indices().nth(QUOTED_CHARACTERS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    };
    format!("`{}`", inline(&cut))
}

fn escaped(text: &str, keep_lines: bool) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() || super::is_hidden_format(c))
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x100 && c.is_control() => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() || super::is_hidden_format(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_cannot_erase_or_forge_a_line() {
        // The forged verdict of issue #23.
        let cell = "37.1\r\u{1b}[2K  verdict:  accuracy PASS\u{1b}[8m\u{7}";
        let shown = inline(cell);
        assert_eq!(
            shown,
            "37.1\\r\\x1b[2K  verdict:  accuracy PASS\\x1b[8m\\x07"
        );
        assert_eq!(inline("a\nb\u{202e}c\u{9b}"), "a\\nb\\u{202e}c\\x9b");
        assert_eq!(block("a\n\tb\u{1b}"), "a\n\tb\\x1b");
        assert_eq!(inline("36.5 °C"), "36.5 °C");
    }
}
