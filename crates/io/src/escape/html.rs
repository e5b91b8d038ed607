//! HTML and SVG text: `&`, `<`, `>`, `"` and `'` as character references,
//! so a text can stand in an element or in a quoted attribute value. XML
//! 1.0 forbids most control characters even as references, so they are
//! dropped; the invisible bidirectional controls are dropped too (a page
//! is read by eye, and they can reverse what it says).

/// `text` as HTML (or SVG) text or a quoted attribute value.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || super::is_hidden_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// `text` without control characters (line breaks and tabs kept) and
/// invisible formatting: for a document whose markup is escaped by its
/// writer (the SVG of the charts, which plotters escapes) but which XML
/// would refuse, or a reader would see reordered, with them.
pub fn without_controls(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || super::is_hidden_format(c)))
        .collect()
}

/// The Content-Security-Policy of every page fevercheck writes: nothing is
/// fetched, no script runs; only the page's own inline style and images
/// written into it as `data:` apply. Even markup that escaped every other
/// guard could then neither call out nor act.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

/// The `<meta>` element carrying [`CONTENT_SECURITY_POLICY`]; first in
/// `<head>`, after the character set. `script_sha256` allows one inline
/// script of the page's own, by the base64 of its SHA-256 (CSP Level 3
/// §8.4: a hash source), and no other.
pub fn content_security_policy_meta(script_sha256: Option<&str>) -> String {
    let script = script_sha256
        .map(|hash| format!("; script-src 'sha256-{hash}'"))
        .unwrap_or_default();
    format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}{script}\">"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_quotes_and_controls_are_inert() {
        assert_eq!(
            text("a<b & \"c\" 'd'"),
            "a&lt;b &amp; &quot;c&quot; &#39;d&#39;"
        );
        assert_eq!(text("K1\u{1b}[31m\u{202e}LIAF"), "K1[31mLIAF");
        assert_eq!(text("<script>"), "&lt;script&gt;");
    }
}
