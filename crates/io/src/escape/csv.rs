//! A spreadsheet cell. A cell whose text begins with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is taken as a formula by Excel, LibreOffice and
//! Google Sheets (`=HYPERLINK(…)`, `+cmd|' /C calc'!A0`, `@SUM(…)`); OWASP's
//! *CSV Injection* advice is to prefix such a cell with a single quote,
//! which the spreadsheet shows as text. A cell that is a number as a whole
//! (`-0.35`) is left as it is, so it stays a number to sort and sum.
//! Control characters other than a line feed and a tab (which the CSV
//! quoting keeps inside the cell) are dropped, a carriage return among them.

/// `text` as the content of a cell (before CSV quoting).
pub fn cell(text: &str) -> String {
    if text.trim().parse::<f64>().is_ok_and(f64::is_finite) {
        return text.to_string();
    }
    let cleaned: String = text
        .chars()
        .filter(|&c| !(c.is_control() && c != '\n' && c != '\t'))
        .filter(|&c| !super::is_hidden_format(c))
        .collect();
    match cleaned.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t') => format!("'{cleaned}"),
        _ => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-2+3"), "'-2+3");
        assert_eq!(cell("-0.35"), "-0.35");
        assert_eq!(cell("-0.50 to 0.30"), "'-0.50 to 0.30");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("\r=1+1"), "'=1+1");
        assert_eq!(cell("Kiosk K1"), "Kiosk K1");
        assert_eq!(cell("K\u{1b}[2J1"), "K[2J1");
    }
}
