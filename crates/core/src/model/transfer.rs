//! `[device.transfer]`: a transfer function the vendor declares — what the
//! device should display for a target at a given reference temperature —
//! such as the skin-to-core mapping of a body-temperature mode.
//!
//! Two points make a line; more make a piecewise-linear table. Beyond the
//! first and last point the end segments are extended: a declared line has
//! no ends, and a table's ends are its best statement of what follows.
//!
//! A declared mapping is disclosed, so it is never a manipulation: the
//! device is judged against it instead of the identity line. What it means
//! for screening is computed from the declaration alone
//! ([`Transfer::normal_looking_febrile_targets`]).

use serde::{Deserialize, Serialize};

use crate::units::TemperatureUnit;

/// `[device.transfer]` as session.toml writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeclaredTransfer {
    /// `[reference, expected reading]` pairs, in `unit`, references ascending.
    pub points: Vec<[f64; 2]>,
    /// The unit of the points: `"C"` (the default) or `"F"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<TemperatureUnit>,
}

impl DeclaredTransfer {
    /// The declaration in °C.
    pub fn in_celsius(&self) -> Transfer {
        let unit = self.unit.unwrap_or_default();
        Transfer {
            points: self
                .points
                .iter()
                .map(|&[reference, reading]| [unit.to_celsius(reference), unit.to_celsius(reading)])
                .collect(),
        }
    }
}

/// A declared transfer in °C: at least two points, references strictly
/// ascending (session.toml's reading checks both).
#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    /// `[reference, expected reading]`, °C.
    pub points: Vec<[f64; 2]>,
}

impl Transfer {
    /// The reading the declaration expects for a target at `reference_c`:
    /// linear interpolation between the neighbouring points, the end
    /// segments extended beyond the table.
    pub fn expected_c(&self, reference_c: f64) -> f64 {
        let [a, b] = self.segment_at(reference_c);
        a[1] + (b[1] - a[1]) * (reference_c - a[0]) / (b[0] - a[0])
    }

    /// The declared reading's change per °C of target at `reference_c`.
    pub fn slope_at(&self, reference_c: f64) -> f64 {
        let [a, b] = self.segment_at(reference_c);
        (b[1] - a[1]) / (b[0] - a[0])
    }

    /// The declaration from `from_c` to `to_c` as a polyline through its
    /// breakpoints, for drawing.
    pub fn polyline(&self, from_c: f64, to_c: f64) -> Vec<(f64, f64)> {
        std::iter::once(from_c)
            .chain(
                self.points
                    .iter()
                    .map(|p| p[0])
                    .filter(|&x| x > from_c && x < to_c),
            )
            .chain(std::iter::once(to_c))
            .map(|x| (x, self.expected_c(x)))
            .collect()
    }

    /// The two points of the segment that covers `reference_c`.
    fn segment_at(&self, reference_c: f64) -> [[f64; 2]; 2] {
        let last = self.points.len() - 1;
        let upper = self.points[1..last]
            .iter()
            .position(|p| reference_c < p[0])
            .map_or(last, |i| i + 1);
        [self.points[upper - 1], self.points[upper]]
    }

    /// The targets from `threshold_c` up to `highest_c` that the declaration
    /// itself shows below `threshold_c`: febrile targets it makes look
    /// normal. Intervals of reference temperature, ascending; empty when the
    /// declaration alarms for every febrile target.
    pub fn normal_looking_febrile_targets(
        &self,
        threshold_c: f64,
        highest_c: f64,
    ) -> Vec<(f64, f64)> {
        // The breakpoints inside the range cut it into pieces on which the
        // declaration is linear; on each, the part below the threshold is
        // one interval.
        let mut cuts = vec![threshold_c];
        cuts.extend(
            self.points
                .iter()
                .map(|p| p[0])
                .filter(|&r| r > threshold_c && r < highest_c),
        );
        cuts.push(highest_c);
        let mut intervals: Vec<(f64, f64)> = Vec::new();
        for piece in cuts.windows(2) {
            let (from, to) = (piece[0], piece[1]);
            if to <= from {
                continue;
            }
            let (at_from, at_to) = (self.expected_c(from), self.expected_c(to));
            let below = match (at_from < threshold_c, at_to < threshold_c) {
                (true, true) => Some((from, to)),
                (false, false) => None,
                (true, false) => Some((from, crossing(from, at_from, to, at_to, threshold_c))),
                (false, true) => Some((crossing(from, at_from, to, at_to, threshold_c), to)),
            };
            if let Some((start, end)) = below {
                match intervals.last_mut() {
                    Some(last) if (last.1 - start).abs() < 1e-9 => last.1 = end,
                    _ => intervals.push((start, end)),
                }
            }
        }
        intervals
    }

    /// The declaration as people write it: `34.00 → 36.80 °C, 40.00 → 38.60 °C`.
    pub fn describe(&self) -> String {
        self.points
            .iter()
            .map(|[reference, reading]| format!("{reference:.2} → {reading:.2} °C"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Where the line through `(x0, y0)` and `(x1, y1)` reaches `level`.
fn crossing(x0: f64, y0: f64, x1: f64, y1: f64, level: f64) -> f64 {
    x0 + (level - y0) * (x1 - x0) / (y1 - y0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_mode() -> Transfer {
        Transfer {
            points: vec![[34.0, 36.8], [40.0, 38.6]],
        }
    }

    #[test]
    fn two_points_make_a_line_extended_beyond_them() {
        let t = body_mode();
        // 36.8 + 0.3 × (37 − 34) = 37.7 by hand.
        assert!((t.expected_c(37.0) - 37.7).abs() < 1e-12);
        assert!((t.expected_c(42.0) - 39.2).abs() < 1e-12);
        assert!((t.expected_c(33.0) - 36.5).abs() < 1e-12);
        assert!((t.slope_at(35.0) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn more_points_make_a_table() {
        let t = Transfer {
            points: vec![[30.0, 30.0], [36.0, 37.0], [40.0, 37.4]],
        };
        assert!((t.expected_c(33.0) - 33.5).abs() < 1e-12);
        assert!((t.expected_c(38.0) - 37.2).abs() < 1e-12);
        assert!((t.slope_at(38.0) - 0.1).abs() < 1e-12);
        // Beyond the table the last segment goes on: 37.4 + 0.1 × 2.
        assert!((t.expected_c(42.0) - 37.6).abs() < 1e-12);
    }

    #[test]
    fn a_flat_table_hides_febrile_targets() {
        // 37.0 at 36 °C rising 0.1 per °C: 37.5 °C is displayed only from
        // a 41 °C target, so every febrile target up to 41 °C looks normal.
        let t = Transfer {
            points: vec![[30.0, 30.0], [36.0, 37.0], [40.0, 37.4]],
        };
        let hidden = t.normal_looking_febrile_targets(37.5, 42.0);
        assert_eq!(hidden.len(), 1);
        assert!((hidden[0].0 - 37.5).abs() < 1e-9);
        assert!((hidden[0].1 - 41.0).abs() < 1e-9, "{hidden:?}");
        // The body-mode line shows 37.5 °C from a 36.33 °C target: nothing
        // febrile looks normal.
        assert!(body_mode()
            .normal_looking_febrile_targets(37.5, 42.0)
            .is_empty());
    }

    #[test]
    fn fahrenheit_points_are_converted() {
        let declared = DeclaredTransfer {
            points: vec![[93.2, 98.24], [104.0, 101.48]],
            unit: Some(TemperatureUnit::Fahrenheit),
        };
        let t = declared.in_celsius();
        assert!((t.points[0][0] - 34.0).abs() < 1e-9);
        assert!((t.points[1][1] - 38.6).abs() < 1e-9);
    }
}
