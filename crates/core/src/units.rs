//! Temperature units. Everything inside fevercheck is in degrees Celsius; values
//! given in degrees Fahrenheit are converted once, where they are read.

/// Converts degrees Fahrenheit to degrees Celsius: `(f − 32) · 5/9`.
pub fn fahrenheit_to_celsius(fahrenheit: f64) -> f64 {
    (fahrenheit - 32.0) * 5.0 / 9.0
}

/// Converts degrees Celsius to degrees Fahrenheit: `c · 9/5 + 32`.
pub fn celsius_to_fahrenheit(celsius: f64) -> f64 {
    celsius * 9.0 / 5.0 + 32.0
}

/// The unit a column of temperatures is written in; `"C"` or `"F"` in
/// session.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum TemperatureUnit {
    /// Degrees Celsius.
    #[default]
    #[serde(rename = "C")]
    Celsius,
    /// Degrees Fahrenheit.
    #[serde(rename = "F")]
    Fahrenheit,
}

impl TemperatureUnit {
    /// Converts a value in this unit to degrees Celsius.
    pub fn to_celsius(self, value: f64) -> f64 {
        match self {
            TemperatureUnit::Celsius => value,
            TemperatureUnit::Fahrenheit => fahrenheit_to_celsius(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fever_threshold_of_100_4_f_is_38_c() {
        // 100.4 °F is the US fever threshold, 38.0 °C (docs/science.md §1).
        assert!((fahrenheit_to_celsius(100.4) - 38.0).abs() < 1e-12);
        assert!((celsius_to_fahrenheit(38.0) - 100.4).abs() < 1e-12);
        assert!((fahrenheit_to_celsius(32.0)).abs() < 1e-12);
        assert!((fahrenheit_to_celsius(212.0) - 100.0).abs() < 1e-12);
    }
}
