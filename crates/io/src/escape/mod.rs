//! Text from inputs is data wherever it is written: one escaper per output
//! language. A session comes from a vendor; a device name, a column header,
//! a ROI name or a cell of its files ends up in report.html, report.md, the
//! charts, comparison.csv and the terminal, and none of it may become
//! markup, a style rule, a formula, a link or a terminal command there.
//!
//! - [`html`]: text and attribute values of HTML and SVG (XML).
//! - [`css`]: the inside of a CSS string.
//! - [`markdown`]: inline Markdown text.
//! - [`csv`]: a spreadsheet cell (formula injection).
//! - [`terminal`]: what reaches a terminal.

pub mod css;
pub mod csv;
pub mod html;
pub mod markdown;
pub mod terminal;

/// Whether `c` changes the direction or joining of the text around it
/// (Unicode bidirectional controls, UAX #9 §2): shown as themselves they
/// reorder a line, so `PASS` can be made to read where `FAIL` is written.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` is invisible formatting that can hide or reorder text: the
/// bidirectional controls, zero-width characters and the line and
/// paragraph separators.
pub fn is_hidden_format(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}'
        )
}
