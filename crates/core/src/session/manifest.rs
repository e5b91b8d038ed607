//! `session.toml`: what the lab knows about the device and the reference.
//!
//! Every key is optional. An unknown key is an error naming its line and
//! the known key nearest to it (`known_keys`): a typo such as
//! `stated_accuracy = 0.3` would otherwise judge the device against the
//! default. Where a newer session file carries keys this version does not
//! know, `allow_unknown_keys` turns the errors into warnings. Values are
//! checked for sense (an accuracy must be positive, a threshold a plausible
//! body temperature) and a bad one is an error naming the key.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::known_keys::{home_section, suggestion};
use crate::model::{
    ColumnNames, DecisionSettings, DeclaredTransfer, Device, Matching, PathSettings,
    RadiometryOverrides, Reference, RoiSpec, Screening, SessionKind, TestRecord, TimeSettings,
};
use crate::units::TemperatureUnit;
use fevercheck_io::error::{shown, Error, Location, Result};
use fevercheck_io::escape::terminal::{inline, quoted};

/// Lowest and highest alarm threshold accepted, °C. A fever threshold outside
/// 30–45 °C is certainly a unit or typing mistake (thresholds in use are
/// 37.5, 37.8 and 38.0 °C, docs/science.md §1).
const ALARM_THRESHOLD_RANGE_C: (f64, f64) = (30.0, 45.0);

/// Lowest and highest room temperature accepted in `[test]`, °C: IEC
/// 80601-2-59 tests at 18–24 °C and screening happens indoors; a value
/// outside −10–50 °C is a unit or typing mistake (73 is °F).
const AMBIENT_RANGE_C: (f64, f64) = (-10.0, 50.0);

/// Largest plausible coverage factor of a stated reference uncertainty:
/// certificates state k = 2 (about 95 %); a 95 % value from very few
/// readings can carry up to t(0.975; 2) = 4.30.
const MOST_PLAUSIBLE_COVERAGE_FACTOR: f64 = 4.5;

/// Largest plausible stated accuracy or display resolution, °C: vendors state
/// ±0.3 to ±0.5 °C (Healy et al. 2021); ±5 °C would be a mistake.
const LARGEST_PLAUSIBLE_TOLERANCE_C: f64 = 5.0;

/// Range a declared transfer's temperatures must lie in, °C: the targets
/// and readings of a fever screener, with room on both sides. A point
/// outside is a unit mistake (°F points without `unit = "F"`).
const DECLARED_TRANSFER_RANGE_C: (f64, f64) = (20.0, 50.0);

/// Largest plausible expanded uncertainty of a blackbody's emissivity:
/// certificates state ±0.005 to ±0.02; ±0.2 would leave the emissivity
/// itself unknown.
const LARGEST_PLAUSIBLE_EMISSIVITY_UNCERTAINTY: f64 = 0.2;

/// Largest session.toml read, bytes: a full one is about 2 KB.
const MAX_MANIFEST_BYTES: u64 = 1024 * 1024;

/// Range of the known temperature of an in-scene reference source (an
/// ETRS), °C: they run at 33–40 °C; outside 0–100 °C is a mistake.
const SOURCE_TEMPERATURE_RANGE_C: (f64, f64) = (0.0, 100.0);

/// The parsed `session.toml`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Human name of the session.
    pub name: Option<String>,
    /// A sweep (the default) or a clinical study.
    pub kind: Option<SessionKind>,
    /// The decision rule of the pass/fail.
    #[serde(default)]
    pub decision: DecisionSettings,
    /// The device under test.
    #[serde(default)]
    pub device: Device,
    /// The reference (blackbody or thermometer).
    #[serde(default)]
    pub reference: Reference,
    /// Screening thresholds to evaluate besides the device's own.
    #[serde(default)]
    pub screening: Screening,
    /// Regions of interest in frames, by name (used by frame sessions).
    #[serde(default)]
    pub roi: BTreeMap<String, RoiSpec>,
    /// Overrides of radiometric parameters embedded in frame files.
    #[serde(default)]
    pub radiometry: RadiometryOverrides,
    /// How the files write times.
    #[serde(default)]
    pub time: TimeSettings,
    /// Matching frames to the readings by time.
    #[serde(rename = "match")]
    pub matching: Option<Matching>,
    /// Where the session's files may be.
    #[serde(default)]
    pub paths: PathSettings,
    /// The lab's record of the test.
    #[serde(default)]
    pub test: TestRecord,
    /// The observations' table in the lab's own layout, its columns named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<ColumnNames>,
}

/// A manifest and the warnings its reading raised.
#[derive(Debug, Clone, Default)]
pub struct LoadedManifest {
    /// The parsed manifest (default when the file is absent).
    pub manifest: Manifest,
    /// One message per unknown key.
    pub warnings: Vec<String>,
}

impl Manifest {
    /// Reads `path` if it exists; an absent file gives an empty manifest.
    /// Unknown keys are an error unless `allow_unknown_keys`.
    pub fn load_optional(path: &Path, allow_unknown_keys: bool) -> Result<LoadedManifest> {
        if std::fs::symlink_metadata(path).is_err() {
            return Ok(LoadedManifest::default());
        }
        Manifest::read(path, allow_unknown_keys)
    }

    /// Reads `path`, which must be a regular file of at most
    /// `MAX_MANIFEST_BYTES`.
    pub fn read(path: &Path, allow_unknown_keys: bool) -> Result<LoadedManifest> {
        let text = fevercheck_io::input::read_text(path, MAX_MANIFEST_BYTES)?;
        Manifest::parse(&text, path, allow_unknown_keys)
    }

    /// Parses the text of a `session.toml`; `path` is used in messages.
    /// Unknown keys are an error listing each with its line and the nearest
    /// known key, or with `allow_unknown_keys` one warning each.
    pub fn parse(text: &str, path: &Path, allow_unknown_keys: bool) -> Result<LoadedManifest> {
        let mut unknown = Vec::new();
        let deserializer = toml::Deserializer::new(text);
        let manifest: Manifest =
            serde_ignored::deserialize(deserializer, |key| unknown.push(key.to_string()))
                .map_err(|e| toml_error(&e, text, path))?;
        // Each of the first few keys is found in the text and matched to a
        // known one; the rest are counted, so that a file of 60 000 unknown
        // keys costs one pass, not one per key.
        let described: Vec<(Option<usize>, String)> = unknown
            .iter()
            .take(UNKNOWN_KEYS_LISTED)
            .map(|key| {
                let hint = home_section(key)
                    .map(|section| {
                        let name = key.rsplit('.').next().unwrap_or(key);
                        format!("; `{name}` belongs in the {section} section")
                    })
                    .or_else(|| suggestion(key).map(|known| format!("; did you mean `{known}`?")))
                    .unwrap_or_else(|| {
                        "; known sections are [device], [reference], [screening], [roi.NAME], \
                         [radiometry], [match], [time], [decision], [paths], [test] \
                         (docs/guide.md)"
                            .to_string()
                    });
                let key_shown = inline(&cut(key, KEY_SHOWN_CHARACTERS));
                (
                    key_line(text, key),
                    format!("unknown key `{key_shown}`{hint}"),
                )
            })
            .collect();
        let unlisted = unknown.len() - described.len();
        if !allow_unknown_keys && !described.is_empty() {
            let mut listing: Vec<String> = described
                .iter()
                .map(|(line, what)| match line {
                    Some(line) => format!("line {line}: {what}"),
                    None => what.clone(),
                })
                .collect();
            if unlisted > 0 {
                listing.push(format!(
                    "and {unlisted} more unknown keys ({} in all)",
                    unknown.len()
                ));
            }
            return Err(Error::UnknownKeys {
                path: path.to_path_buf(),
                listing: listing.join("; "),
            });
        }
        manifest.validate(path)?;
        let warnings = described
            .into_iter()
            .map(|(line, what)| {
                let at = line.map(|l| format!(" line {l}")).unwrap_or_default();
                format!("{}{at}: {what} (ignored)", shown(path))
            })
            .chain(
                (unlisted > 0)
                    .then(|| format!("{}: {unlisted} more unknown keys (ignored)", shown(path))),
            )
            .collect();
        Ok(LoadedManifest { manifest, warnings })
    }

    fn validate(&self, path: &Path) -> Result<()> {
        let bad = |key: &str, value: f64, expected: &str| {
            Error::invalid(
                Location::file(path),
                format!("`{key}` = {value} is not usable; expected {expected}"),
            )
        };
        let tolerances = [
            ("device.stated_accuracy_c", self.device.stated_accuracy_c),
            (
                "device.display_resolution_c",
                self.device.display_resolution_c,
            ),
        ];
        for (key, value) in tolerances {
            if let Some(v) = value {
                if !(v > 0.0 && v <= LARGEST_PLAUSIBLE_TOLERANCE_C) {
                    return Err(bad(key, v, "a positive number of °C, at most 5"));
                }
            }
        }
        // 0 is an exact reference (a simulation's); a lab states its blackbody's.
        if let Some(v) = self.reference.uncertainty_c {
            if !(0.0..=LARGEST_PLAUSIBLE_TOLERANCE_C).contains(&v) {
                return Err(bad(
                    "reference.uncertainty_c",
                    v,
                    "a number of °C from 0 (exact) to 5",
                ));
            }
        }
        if let Some(k) = self.reference.uncertainty_k {
            if !(1.0..=MOST_PLAUSIBLE_COVERAGE_FACTOR).contains(&k) {
                return Err(bad(
                    "reference.uncertainty_k",
                    k,
                    "a coverage factor from 1 to 4 (2 on most certificates)",
                ));
            }
        }
        if let Some(e) = self
            .reference
            .emissivity
            .filter(|e| !(*e > 0.0 && *e <= 1.0))
        {
            return Err(bad("reference.emissivity", e, "a number in (0, 1]"));
        }
        if let Some(u) = self
            .reference
            .emissivity_uncertainty
            .filter(|u| !(0.0..=LARGEST_PLAUSIBLE_EMISSIVITY_UNCERTAINTY).contains(u))
        {
            return Err(bad(
                "reference.emissivity_uncertainty",
                u,
                "an expanded uncertainty from 0 to 0.2",
            ));
        }
        let r = &self.radiometry;
        if let Some(e) = r.emissivity.filter(|e| !(*e > 0.0 && *e <= 1.0)) {
            return Err(bad("radiometry.emissivity", e, "a number in (0, 1]"));
        }
        if let Some(d) = r.distance_m.filter(|d| !(*d >= 0.0 && d.is_finite())) {
            return Err(bad(
                "radiometry.distance_m",
                d,
                "a distance in metres, 0 or more",
            ));
        }
        if let Some(h) = r.relative_humidity.filter(|h| !(0.0..=1.0).contains(h)) {
            return Err(bad(
                "radiometry.relative_humidity",
                h,
                "a fraction from 0 to 1",
            ));
        }
        if let Some(transfer) = &self.device.transfer {
            check_transfer(transfer, path)?;
        }
        for (name, roi) in &self.roi {
            if let Some(t) = roi.temperature_c {
                let (low, high) = SOURCE_TEMPERATURE_RANGE_C;
                if !(low..=high).contains(&t) {
                    return Err(Error::invalid(
                        Location::file(path),
                        format!(
                            "{} = {t} is not usable; expected the known temperature of the \
                             in-scene source in °C, {low} to {high}",
                            quoted(&format!("roi.{name}.temperature_c"))
                        ),
                    ));
                }
            }
            let sizes: Vec<u32> = match (roi.rect, roi.circle) {
                (Some([_, _, w, h]), _) => vec![w, h],
                (None, Some([_, _, r])) => vec![r],
                _ => Vec::new(),
            };
            if sizes.contains(&0) {
                return Err(Error::invalid(
                    Location::file(path),
                    format!(
                        "{} has a width, height or radius of 0; expected a region of at least \
                         one pixel",
                        quoted(&format!("roi.{name}"))
                    ),
                ));
            }
        }
        if let Some(m) = &self.matching {
            let durations = [
                ("match.tolerance_s", m.tolerance_s, false),
                ("match.stable_c", m.stable_c, true),
                ("match.settle_s", m.settle_s, true),
            ];
            for (key, value, zero_allowed) in durations {
                if let Some(v) = value {
                    let usable = v.is_finite() && (v > 0.0 || (zero_allowed && v == 0.0));
                    if !usable {
                        let expected = if zero_allowed {
                            "a finite number, 0 or more"
                        } else {
                            "a finite number above 0"
                        };
                        return Err(bad(key, v, expected));
                    }
                }
            }
        }
        if let Some(v) = self.test.ambient_c {
            let (low, high) = AMBIENT_RANGE_C;
            if !(low..=high).contains(&v) {
                return Err(bad(
                    "test.ambient_c",
                    v,
                    "a room temperature in °C between -10 and 50",
                ));
            }
        }
        if let Some(v) = self.test.relative_humidity {
            if !(0.0..=100.0).contains(&v) {
                return Err(bad(
                    "test.relative_humidity",
                    v,
                    "a percentage between 0 and 100",
                ));
            }
        }
        let (low, high) = ALARM_THRESHOLD_RANGE_C;
        let mut thresholds: Vec<(&str, f64)> = Vec::new();
        if let Some(v) = self.device.alarm_threshold_c {
            thresholds.push(("device.alarm_threshold_c", v));
        }
        for &v in self.screening.thresholds_c.iter().flatten() {
            thresholds.push(("screening.thresholds_c", v));
        }
        for (key, v) in thresholds {
            if !(low..=high).contains(&v) {
                return Err(bad(key, v, "a fever threshold in °C between 30 and 45"));
            }
        }
        Ok(())
    }
}

/// A declared transfer can be judged against: two points or more, in a
/// plausible range, references strictly ascending.
fn check_transfer(transfer: &DeclaredTransfer, path: &Path) -> Result<()> {
    let bad = |what: String| {
        Error::invalid(
            Location::file(path),
            format!("`device.transfer.points`: {what}"),
        )
    };
    if transfer.points.len() < 2 {
        return Err(bad(format!(
            "{} point(s) given; expected at least two [reference, reading] pairs, \
             e.g. points = [[34.0, 36.8], [40.0, 38.6]]",
            transfer.points.len()
        )));
    }
    let celsius = transfer.in_celsius();
    let (low, high) = DECLARED_TRANSFER_RANGE_C;
    for (i, (written, point)) in transfer.points.iter().zip(&celsius.points).enumerate() {
        if point.iter().any(|v| !(low..=high).contains(v)) {
            let unit = match transfer.unit {
                Some(TemperatureUnit::Fahrenheit) => "°F",
                _ => "°C (add unit = \"F\" for points in °F)",
            };
            return Err(bad(format!(
                "point {} = [{}, {}] is outside {low}–{high} °C; expected temperatures in {unit}",
                i + 1,
                written[0],
                written[1]
            )));
        }
    }
    if let Some(i) = celsius.points.windows(2).position(|w| w[1][0] <= w[0][0]) {
        return Err(bad(format!(
            "the reference of point {} ({}) is not above that of point {} ({}); expected \
             the points in ascending order of reference, each reference once",
            i + 2,
            transfer.points[i + 1][0],
            i + 1,
            transfer.points[i][0]
        )));
    }
    Ok(())
}

/// The TOML error located at its line, with the column in the message.
fn toml_error(error: &toml::de::Error, text: &str, path: &Path) -> Error {
    let message = error.message().trim_end();
    let advice = "expected TOML as in docs/guide.md's session.toml example";
    match error.span() {
        Some(span) => {
            let (line, column) = line_and_column(text, span.start);
            let written = text.lines().nth(line - 1).unwrap_or("");
            let advice = match decimal_comma(written) {
                Some((comma, point)) => format!(
                    "`{comma}` has a decimal comma; TOML numbers take a point: write `{point}`"
                ),
                None => advice.to_string(),
            };
            Error::invalid(
                Location::line(path, line as u64),
                format!("column {column}: {message}; {advice}"),
            )
        }
        None => Error::invalid(Location::file(path), format!("{message}; {advice}")),
    }
}

/// The value of a `key = value` line when it is a number written with a
/// decimal comma (`0,3`), and the same number with a point.
fn decimal_comma(line: &str) -> Option<(String, String)> {
    let value = line.split_once('=')?.1.split('#').next()?.trim();
    let (whole, fraction) = value.split_once(',')?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let unsigned = whole.strip_prefix('-').unwrap_or(whole);
    (digits(unsigned) && digits(fraction))
        .then(|| (value.to_string(), format!("{whole}.{fraction}")))
}

/// The 1-based line where the key path `key` (as serde reports it) is
/// written: the first line, after the key's table header when it has one,
/// that starts with the key's last part followed by `=` (or is its header).
fn key_line(text: &str, key: &str) -> Option<usize> {
    let last = key.rsplit('.').next()?;
    let table = key.rsplit_once('.').map(|(table, _)| table);
    let mut in_table = table.is_none();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(header) = trimmed.strip_prefix('[') {
            let name = header.trim_end().trim_end_matches(']').trim();
            if name == key {
                return Some(index + 1);
            }
            in_table = table.is_some_and(|t| t == name);
            continue;
        }
        let written = trimmed.split('=').next().unwrap_or("").trim();
        if in_table && trimmed.contains('=') && (written == last || written == key) {
            return Some(index + 1);
        }
    }
    None
}

/// Unknown keys described one by one in an error or the warnings; the
/// rest are counted.
const UNKNOWN_KEYS_LISTED: usize = 20;

/// Characters of an unknown key shown (a key can be a megabyte long).
const KEY_SHOWN_CHARACTERS: usize = 80;

/// `text` cut to `most` characters, with `…` where it was cut.
fn cut(text: &str, most: usize) -> String {
    match text.char_indices().nth(most) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// 1-based line and column of a byte offset in `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<LoadedManifest> {
        Manifest::parse(text, Path::new("session.toml"), false)
    }

    #[test]
    fn source_temperatures_and_match_limits_must_be_usable() {
        for (text, key) in [
            (
                "[roi.etrs]\nrect = [1, 1, 4, 4]\ntemperature_c = nan\n",
                "roi.etrs.temperature_c",
            ),
            (
                "[roi.etrs]\nrect = [1, 1, 4, 4]\ntemperature_c = 1e308\n",
                "roi.etrs.temperature_c",
            ),
            ("[roi.target]\nrect = [1, 1, 0, 4]\n", "roi.target"),
            ("[match]\ntolerance_s = nan\n", "match.tolerance_s"),
            ("[match]\nstable_c = -0.1\n", "match.stable_c"),
        ] {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(key), "{text}: {err}");
        }
        assert!(parse("[match]\ntolerance_s = 5.0\nsettle_s = 0.0\n").is_ok());
    }

    #[test]
    fn reads_the_design_example() {
        let loaded = parse(
            "name = \"Vendor X kiosk, lab run 3\"\n[device]\nmodel = \"K1\"\n\
             stated_accuracy_c = 0.3\nalarm_threshold_c = 37.5\ndisplay_resolution_c = 0.1\n\
             [reference]\nuncertainty_c = 0.1\n[roi.target]\nrect = [1, 2, 3, 4]\n\
             statistic = \"max\"\n[radiometry]\nemissivity = 0.98\n",
        )
        .unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let m = loaded.manifest;
        assert_eq!(m.name.as_deref(), Some("Vendor X kiosk, lab run 3"));
        assert_eq!(m.device.stated_accuracy_c, Some(0.3));
        assert_eq!(m.roi["target"].rect, Some([1, 2, 3, 4]));
        assert_eq!(m.radiometry.emissivity, Some(0.98));
    }

    #[test]
    fn unknown_keys_are_errors_with_their_line_and_the_key_meant() {
        let text =
            "name = \"x\"\n[device]\nstated_accuracy = 0.3\n[roi.face]\nrectt = [1, 2, 3, 4]\n";
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains("session.toml: line 3"), "{err}");
        assert!(
            err.contains("unknown key `device.stated_accuracy`; did you mean `stated_accuracy_c`?"),
            "{err}"
        );
        assert!(
            err.contains("line 5: unknown key `roi.face.rectt`; did you mean `rect`?"),
            "{err}"
        );
        // Allowed: one warning each, with the line.
        let loaded = Manifest::parse(text, Path::new("session.toml"), true).unwrap();
        assert_eq!(loaded.warnings.len(), 2);
        assert!(
            loaded.warnings[0].contains("line 3"),
            "{:?}",
            loaded.warnings
        );
        assert_eq!(loaded.manifest.device.stated_accuracy_c, None);
    }

    #[test]
    fn a_key_above_its_section_is_sent_to_it() {
        let err = parse("stated_accuracy_c = 0.3\n[device]\nmodel = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "line 1: unknown key `stated_accuracy_c`; `stated_accuracy_c` belongs in the \
                 [device] section"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_decimal_comma_gets_the_number_with_a_point() {
        let err = parse("[device]\nstated_accuracy_c = 0,3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("write `0.3`"), "{err}");
        assert_eq!(
            decimal_comma("x = -37,5 # c"),
            Some(("-37,5".into(), "-37.5".into()))
        );
        assert_eq!(decimal_comma("x = [1,2]"), None);
    }

    #[test]
    fn syntax_errors_give_line_and_column() {
        let err = parse("name = \"x\"\n[device\n").unwrap_err().to_string();
        assert!(
            err.contains("session.toml") && err.contains("line 2"),
            "{err}"
        );
    }

    #[test]
    fn implausible_values_are_errors_naming_the_key() {
        let err = parse("[device]\nstated_accuracy_c = -0.3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("device.stated_accuracy_c"), "{err}");
        let err = parse("[device]\nalarm_threshold_c = 100.4\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("alarm_threshold_c") && err.contains("100.4"),
            "{err}"
        );
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_and_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
    }
}
