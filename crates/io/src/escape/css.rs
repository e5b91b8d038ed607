//! The inside of a CSS string (`"…"`). CSS Syntax Level 3 §4.3.5 ends a
//! string at a newline, and its preprocessing (§3.3) turns CR, FF and CR LF
//! into newlines: any of them would end the string and make the rest live
//! CSS. Every control character (C0, DEL, C1), the quotes, the backslash and
//! the characters that could close the `<style>` element are written as
//! CSS hexadecimal escapes (`\c `), which stay inside the string whatever
//! follows.

/// `text` as the inside of a double-quoted CSS string.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_control()
                || matches!(c, '"' | '\'' | '\\' | '<' | '>' | '&')
                || super::is_hidden_format(c) =>
            {
                // The space ends the escape, so a hex digit after it is text.
                out.push_str(&format!("\\{:X} ", c as u32));
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
    fn nothing_can_end_the_string() {
        // The form feed of issue #23 ended the string in Chromium.
        let hostile = "K1\u{c}}}}.banner{background:#1f7a3a}\"\\</style>";
        let escaped = string(hostile);
        assert!(!escaped.chars().any(|c| c.is_control()), "{escaped}");
        assert!(
            !escaped.contains('"') && !escaped.contains('<'),
            "{escaped}"
        );
        assert_eq!(string("a\u{c}b"), "a\\C b");
        assert_eq!(string("\"x\""), "\\22 x\\22 ");
        assert_eq!(string("ok 36.5 °C"), "ok 36.5 °C");
    }
}
