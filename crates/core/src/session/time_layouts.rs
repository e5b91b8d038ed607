//! The time layouts spreadsheets and controllers write, to name the
//! `--time-format` that would read a time cell fevercheck could not: a
//! German Excel writes `01.03.2026 09:30`, a British one `01/03/2026 09:30`,
//! an American one `3/1/2026 9:30:00 AM`. A day-first and a month-first
//! reading that both fit are both named: the cell alone cannot tell them
//! apart.

use chrono::NaiveDateTime;

/// Layouts tried, in strftime syntax, day-first before month-first.
const LAYOUTS: [&str; 14] = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y%m%d %H%M%S",
];

/// The layouts that read `text` as a date and time.
pub(super) fn likely_layouts(text: &str) -> Vec<&'static str> {
    let text = text.trim();
    LAYOUTS
        .iter()
        .copied()
        .filter(|layout| NaiveDateTime::parse_from_str(text, layout).is_ok())
        .collect()
}

/// "; it reads with `--time-format "…"`" (or with either of two), for an
/// error message; empty when no layout reads it.
pub(super) fn layout_hint(text: &str) -> String {
    let quoted: Vec<String> = likely_layouts(text)
        .iter()
        .map(|layout| format!("`--time-format \"{layout}\"`"))
        .collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => format!("; it reads with {one} (or `[time] format` in session.toml)"),
        [first, rest @ ..] => format!(
            "; it reads with {first} or {} — day first or month first, which the cell \
             cannot tell; check a date after the 12th (or set `[time] format` in session.toml)",
            rest.join(" or ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_first_month_first_and_ambiguous_dates_are_named() {
        assert_eq!(likely_layouts("13.03.2026 09:30"), vec!["%d.%m.%Y %H:%M"]);
        assert_eq!(
            likely_layouts("13/03/2026 09:30:05"),
            vec!["%d/%m/%Y %H:%M:%S"]
        );
        assert_eq!(
            likely_layouts("3/13/2026 9:30:00 AM"),
            vec!["%m/%d/%Y %I:%M:%S %p"]
        );
        assert_eq!(
            likely_layouts("01/03/2026 09:30"),
            vec!["%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M"]
        );
        assert!(layout_hint("01/03/2026 09:30").contains("day first or month first"));
        assert!(layout_hint("13.03.2026 09:30").contains("`--time-format \"%d.%m.%Y %H:%M\"`"));
        assert_eq!(layout_hint("soon"), "");
    }
}
