//! The keys `session.toml` knows, and the nearest one to a key it does not:
//! a typo such as `stated_accuracy = 0.3` changes the verdict if it is
//! ignored, so it is an error that says "did you mean `stated_accuracy_c`?".
//!
//! Nearness is the Levenshtein edit distance (insertions, deletions and
//! substitutions of one character), among the keys of the same section.

/// Every known key path; `roi.*` stands for any ROI name.
pub(super) const KNOWN_KEYS: &[&str] = &[
    "name",
    "kind",
    "device.model",
    "device.serial",
    "device.stated_accuracy_c",
    "device.alarm_threshold_c",
    "device.display_resolution_c",
    "device.log",
    "device.columns",
    "device.transfer.points",
    "device.transfer.unit",
    "reference.model",
    "reference.uncertainty_c",
    "reference.uncertainty_k",
    "reference.emissivity",
    "reference.emissivity_uncertainty",
    "reference.log",
    "reference.columns",
    "screening.thresholds_c",
    "roi.*.rect",
    "roi.*.circle",
    "roi.*.auto",
    "roi.*.statistic",
    "roi.*.temperature_c",
    "radiometry.emissivity",
    "radiometry.reflected_c",
    "radiometry.atmospheric_c",
    "radiometry.distance_m",
    "radiometry.relative_humidity",
    "radiometry.atmosphere_model",
    "radiometry.outside_range",
    "match.frames",
    "match.tolerance_s",
    "match.stable_c",
    "match.settle_s",
    "match.offset_s",
    "time.format",
    "time.zone",
    "decision.rule",
    "paths.allow_outside",
    "test.id",
    "test.operator",
    "test.date",
    "test.ambient_c",
    "test.relative_humidity",
    "test.equipment",
    "test.notes",
    "columns.file",
    "columns.sheet",
    "columns.header_row",
    "columns.unit",
    "columns.reference",
    "columns.reported",
    "columns.subject",
    "columns.round",
    "columns.time",
    "columns.date",
    "columns.clock",
    "columns.sweep",
    "columns.setpoint",
    "columns.ambient",
];

/// The sections (tables) of `session.toml`.
const SECTIONS: &[&str] = &[
    "device",
    "reference",
    "screening",
    "roi",
    "radiometry",
    "match",
    "time",
    "decision",
    "paths",
    "test",
    "columns",
];

/// Largest edit distance still suggested: a third of the key's length, at
/// least 2 (two slips of the keyboard), so `model` is not offered for
/// `colour`.
fn largest_distance(key: &str) -> usize {
    (key.chars().count() / 3).max(2)
}

/// The known key nearest to the unknown key path `unknown` (as serde reports
/// it, e.g. `device.stated_accuracy` or `roi.face.rectangle`), written as
/// the user would write it in its section; `None` when nothing is near.
pub(super) fn suggestion(unknown: &str) -> Option<String> {
    let parts: Vec<&str> = unknown.split('.').collect();
    let (prefix, last) = match parts.as_slice() {
        [] => return None,
        [only] => (Vec::new(), *only),
        [init @ .., last] => (init.to_vec(), *last),
    };
    // Candidates: the known names one level below the same prefix (any ROI
    // name matches `*`); at the top, the top-level keys and the sections.
    let candidates: Vec<&str> = if prefix.is_empty() {
        let mut top: Vec<&str> = KNOWN_KEYS
            .iter()
            .filter(|k| !k.contains('.'))
            .copied()
            .collect();
        top.extend(SECTIONS);
        top
    } else {
        KNOWN_KEYS
            .iter()
            .filter_map(|known| {
                let known_parts: Vec<&str> = known.split('.').collect();
                let (known_prefix, known_last) = known_parts.split_at(known_parts.len() - 1);
                let same = known_prefix.len() == prefix.len()
                    && known_prefix
                        .iter()
                        .zip(&prefix)
                        .all(|(k, p)| *k == "*" || k == p);
                same.then_some(known_last[0])
            })
            .collect()
    };
    // No known key is anywhere near this long; and the distance costs the
    // product of the lengths.
    if last.len() > LONGEST_KEY_MATCHED {
        return None;
    }
    let (best, distance) = candidates
        .iter()
        .map(|c| (*c, edit_distance(last, c)))
        .min_by_key(|(_, d)| *d)?;
    (distance <= largest_distance(last)).then(|| best.to_string())
}

/// The section a key belongs in when it is written in another one (or at
/// the top): `stated_accuracy_c` at the top of the file belongs in
/// `[device]`. `None` when no known key of another section has that name.
pub(super) fn home_section(unknown: &str) -> Option<String> {
    let (prefix, last) = match unknown.rsplit_once('.') {
        Some((prefix, last)) => (prefix, last),
        None => ("", unknown),
    };
    KNOWN_KEYS.iter().find_map(|known| {
        let (known_prefix, known_last) = known.rsplit_once('.')?;
        (known_last == last && known_prefix != prefix && !known_prefix.contains('*'))
            .then(|| format!("[{known_prefix}]"))
    })
}

/// Longest unknown key (in bytes) still compared with the known ones: three
/// times the longest known name.
const LONGEST_KEY_MATCHED: usize = 3 * 28;

/// Levenshtein distance between `a` and `b`, by characters.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_in_the_wrong_section_is_sent_home() {
        assert_eq!(
            home_section("stated_accuracy_c").as_deref(),
            Some("[device]")
        );
        assert_eq!(
            home_section("reference.alarm_threshold_c").as_deref(),
            Some("[device]")
        );
        assert_eq!(
            home_section("device.tolerance_s").as_deref(),
            Some("[match]")
        );
        assert_eq!(home_section("device.stated_accuracy_c"), None);
        assert_eq!(home_section("colour"), None);
    }

    #[test]
    fn edit_distances_by_hand() {
        // kitten → sitting: k→s, e→i, +g (the textbook example).
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        // One deletion: the `_c` suffix forgotten is two.
        assert_eq!(edit_distance("stated_accuracy", "stated_accuracy_c"), 2);
    }

    #[test]
    fn typos_get_the_key_they_meant() {
        assert_eq!(
            suggestion("device.stated_accuracy").as_deref(),
            Some("stated_accuracy_c")
        );
        assert_eq!(
            suggestion("device.stated_acuracy_c").as_deref(),
            Some("stated_accuracy_c")
        );
        assert_eq!(suggestion("roi.face.rectt").as_deref(), Some("rect"));
        assert_eq!(suggestion("devise").as_deref(), Some("device"));
        assert_eq!(
            suggestion("match.tolerance").as_deref(),
            Some("tolerance_s")
        );
        // Nothing near: no suggestion rather than a wrong one.
        assert_eq!(suggestion("device.colour"), None);
    }

    #[test]
    fn the_known_keys_are_the_manifest_fields() {
        // A session.toml with every known key parses without an unknown key.
        let text = r#"
            name = "n"
            kind = "clinical"
            [device]
            model = "m"
            serial = "s"
            stated_accuracy_c = 0.5
            alarm_threshold_c = 37.5
            display_resolution_c = 0.1
            log = "device.csv"
            columns = { time = "Timestamp" }
            [device.transfer]
            points = [[34.0, 36.8], [40.0, 38.6]]
            unit = "C"
            [reference]
            model = "bb"
            uncertainty_c = 0.1
            uncertainty_k = 2.0
            emissivity = 0.98
            emissivity_uncertainty = 0.01
            log = "blackbody.csv"
            columns = { time = "Zeit" }
            [screening]
            thresholds_c = [37.5]
            [roi.face]
            rect = [0, 0, 2, 2]
            circle = [1, 1, 1]
            auto = false
            statistic = "max"
            temperature_c = 35.0
            [radiometry]
            emissivity = 0.98
            reflected_c = 20.0
            atmospheric_c = 20.0
            distance_m = 1.0
            relative_humidity = 0.5
            atmosphere_model = "thermimage"
            outside_range = "keep"
            [match]
            frames = "frames"
            tolerance_s = 5.0
            stable_c = 0.1
            settle_s = 60.0
            offset_s = 120.0
            [time]
            format = "%d.%m.%Y %H:%M:%S"
            zone = "Europe/Brussels"
            [decision]
            rule = "simple"
            [paths]
            allow_outside = true
            [test]
            id = "LAB-1"
            operator = "A. Tester"
            date = "2026-03-01"
            ambient_c = 22.0
            relative_humidity = 40.0
            equipment = [{ name = "BB", certificate = "C-1", calibrated_until = "2027" }]
            notes = "n"
            [columns]
            file = "export.csv"
            sheet = "Sweep"
            header_row = 2
            unit = "C"
            reference = "Blackbody"
            reported = ["T1", "T2"]
            subject = "ID"
            round = "Visit"
            time = "Timestamp"
            date = "Datum"
            clock = "Uhrzeit"
            sweep = "Richtung"
            setpoint = "Soll"
            ambient = "Raum"
        "#;
        let mut unknown = Vec::new();
        let _: crate::session::Manifest =
            serde_ignored::deserialize(toml::Deserializer::new(text), |k| {
                unknown.push(k.to_string())
            })
            .unwrap();
        assert!(unknown.is_empty(), "{unknown:?}");
        let keys_in_text = text.lines().filter(|l| l.contains('=')).count();
        assert_eq!(keys_in_text, KNOWN_KEYS.len());
    }
}
