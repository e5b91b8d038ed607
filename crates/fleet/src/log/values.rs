//! Reading one cell of a log: a temperature, a time's hour, an alarm flag.

/// The hour of the day of a time: `YYYY-MM-DD[T ]HH…` as written (the log's
/// own clock), or seconds since 1970 (UTC).
pub fn hour(cell: &str) -> Option<u8> {
    let cell = cell.trim().trim_matches('"');
    if !cell.is_empty() && cell.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: u64 = cell.parse().ok()?;
        return Some(((seconds / 3600) % 24) as u8);
    }
    let bytes = cell.as_bytes();
    // Date then a separator, then two digits of the hour.
    let separator = cell.find(['T', ' '])?;
    let date = &cell[..separator];
    let looks_like_date =
        date.len() >= 8 && date.bytes().filter(|b| *b == b'-' || *b == b'/').count() == 2;
    let digits = bytes.get(separator + 1..separator + 3)?;
    if !looks_like_date || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let hour = (digits[0] - b'0') * 10 + (digits[1] - b'0');
    (hour < 24).then_some(hour)
}

/// An alarm flag: true/false, yes/no, 1/0, y/n (any case).
pub fn flag(cell: &str) -> Option<bool> {
    match cell.trim().trim_matches('"').to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "y" => Some(true),
        "false" | "no" | "0" | "n" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::Unit;

    #[test]
    fn hours_flags_and_units_are_read_as_written() {
        assert_eq!(hour("2021-03-04T09:15:00+08:00"), Some(9));
        assert_eq!(hour("2021/03/04 23:59"), Some(23));
        // 1 614 850 200 s = 2021-03-04 09:30:00 UTC.
        assert_eq!(hour("1614850200"), Some(9));
        assert_eq!(hour("09:15"), None);
        assert_eq!(hour("2021-03-04T25:00"), None);
        assert_eq!(flag("Yes"), Some(true));
        assert_eq!(flag("0"), Some(false));
        assert_eq!(flag("maybe"), None);
        assert!((Unit::Fahrenheit.celsius(98.6) - 37.0).abs() < 1e-12);
    }
}
