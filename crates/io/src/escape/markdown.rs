//! Inline Markdown text. A text from an input must stay one inline run of
//! plain characters: a line break would start a heading, a list or a
//! forged verdict section; `[x](javascript:…)` would be a link and
//! `![](http://…)` an image fetched on opening; `<img onerror>` raw HTML;
//! `|` would split a table row. So line breaks and tabs become spaces,
//! other controls and invisible formatting are dropped, `&`, `<` and `>`
//! become character references, and the characters that open inline
//! structure in CommonMark 0.31 and GitHub's tables — `\`, `` ` ``, `*`,
//! `[`, `]`, `|`, `~`, `#`, and `_` where it could open emphasis (next to a
//! non-word character, §6.2) — are backslash-escaped (§2.4: an escaped
//! ASCII punctuation character is a literal one). Without a line break no
//! text can open a block (a heading, a quote, a fence), so parentheses,
//! colons, hyphens and numbers stay as they are and the Markdown still
//! reads as plain text.

/// `text` as inline Markdown that renders as exactly these characters.
pub fn inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\n' | '\r' | '\t' | '\u{b}' | '\u{c}' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(word(i.checked_sub(1)) && word(Some(i + 1))) => out.push_str("\\_"),
            c if c.is_control() || super::is_hidden_format(c) => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_structure_survives() {
        let forged = inline(
            "K1\n\n## Verdict\n\n**PASS** ![](http://x/t.png) [x](javascript:alert(1)) \
             <img onerror=a> | b",
        );
        assert_eq!(
            forged,
            "K1  \\#\\# Verdict  \\*\\*PASS\\*\\* !\\[\\](http://x/t.png) \
             \\[x\\](javascript:alert(1)) &lt;img onerror=a&gt; \\| b"
        );
        assert_eq!(inline("36.5 °C (up)"), "36.5 °C (up)");
        assert_eq!(inline("order_effect _x_"), "order_effect \\_x\\_");
        assert_eq!(inline("-0.35 to 0.20"), "-0.35 to 0.20");
        assert_eq!(inline("DS-2TD2636B"), "DS-2TD2636B");
    }
}
