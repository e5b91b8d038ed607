//! Which column of a log holds what: the names cameras' and sites' exports
//! use for each role, matched case-insensitively with spaces, dashes and
//! underscores ignored.

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// The camera's name or identifier.
    Camera,
    /// The reported temperature, in the unit the name or the option says.
    Temperature,
    /// The reported temperature, °C.
    TemperatureCelsius,
    /// The reported temperature, °F.
    TemperatureFahrenheit,
    /// When the person was screened.
    Time,
    /// The room temperature, °C.
    AmbientCelsius,
    /// The room temperature, °F.
    AmbientFahrenheit,
    /// Whether the alarm was raised.
    Alarm,
    /// The alarm threshold, in the reported temperature's unit.
    Threshold,
    /// The site (an airport, a building).
    Site,
}

/// Unit of temperatures whose column name does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// Degrees Celsius.
    #[default]
    Celsius,
    /// Degrees Fahrenheit.
    Fahrenheit,
    /// Kelvin (Hikvision's `thermometryUnit` may say so).
    Kelvin,
}

impl Unit {
    /// °C of a temperature in this unit.
    pub fn celsius(self, value: f64) -> f64 {
        match self {
            Unit::Celsius => value,
            Unit::Fahrenheit => (value - 32.0) / 1.8,
            Unit::Kelvin => value - 273.15,
        }
    }
}

/// Column names per role, normalised (lower case, no spaces, dashes or
/// underscores). Hikvision's thermometry events name the reading
/// `currTemperature`, the alarm `isAbnomalTemperature` (sic) and the
/// threshold `alarmTemperature` (ISAPI thermometry event JSON).
pub const COLUMN_NAMES: &[(ColumnRole, &[&str])] = &[
    (
        ColumnRole::Camera,
        &[
            "camera",
            "cameraid",
            "cameraname",
            "device",
            "deviceid",
            "devicename",
            "serial",
            "serialnumber",
            "channel",
        ],
    ),
    (
        ColumnRole::TemperatureCelsius,
        &["temperaturec", "tempc", "readingc", "bodytemperaturec"],
    ),
    (
        ColumnRole::TemperatureFahrenheit,
        &["temperaturef", "tempf", "readingf", "bodytemperaturef"],
    ),
    (
        ColumnRole::Temperature,
        &[
            "temperature",
            "temp",
            "reading",
            "currtemperature",
            "bodytemperature",
            "facetemperature",
        ],
    ),
    (
        ColumnRole::Time,
        &["time", "timestamp", "datetime", "eventtime", "date"],
    ),
    (
        ColumnRole::AmbientCelsius,
        &[
            "ambientc",
            "ambient",
            "roomc",
            "roomtemperature",
            "environmenttemperature",
            "envtemperature",
        ],
    ),
    (ColumnRole::AmbientFahrenheit, &["ambientf", "roomf"]),
    (
        ColumnRole::Alarm,
        &[
            "alarm",
            "alarmflag",
            "fever",
            "abnormal",
            "isabnomaltemperature",
            "isabnormaltemperature",
        ],
    ),
    (
        ColumnRole::Threshold,
        &[
            "threshold",
            "thresholdc",
            "alarmthreshold",
            "alarmtemperature",
        ],
    ),
    (ColumnRole::Site, &["site", "location", "building"]),
];

/// A header or key as [`COLUMN_NAMES`] holds it.
pub(super) fn normalised(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The role of a column named `name`, if it has one.
pub fn role_of(name: &str) -> Option<ColumnRole> {
    let name = normalised(name);
    COLUMN_NAMES
        .iter()
        .find(|(_, names)| names.contains(&name.as_str()))
        .map(|(role, _)| *role)
}

/// Every name a role is known by, for a message.
pub(super) fn names_of(role: ColumnRole) -> String {
    COLUMN_NAMES
        .iter()
        .filter(|(r, _)| *r == role)
        .flat_map(|(_, names)| names.iter())
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses a header without a camera or a reported temperature column:
/// the message names the names that would do and shows the header.
pub fn required_columns_present(header: &[String]) -> Result<(), String> {
    let roles: Vec<ColumnRole> = header.iter().filter_map(|name| role_of(name)).collect();
    let shown: Vec<String> = header
        .iter()
        .map(|h| fevercheck_io::escape::terminal::inline(h))
        .collect();
    if !roles.contains(&ColumnRole::Camera) {
        return Err(format!(
            "no column names the camera (expected one of: {}); the header is: {}",
            names_of(ColumnRole::Camera),
            shown.join(", ")
        ));
    }
    let temperature = [
        ColumnRole::Temperature,
        ColumnRole::TemperatureCelsius,
        ColumnRole::TemperatureFahrenheit,
    ];
    if !temperature.iter().any(|role| roles.contains(role)) {
        return Err(format!(
            "no column holds the reported temperature (expected one of: {}, {}, {}); the header is: {}",
            names_of(ColumnRole::TemperatureCelsius),
            names_of(ColumnRole::TemperatureFahrenheit),
            names_of(ColumnRole::Temperature),
            shown.join(", ")
        ));
    }
    Ok(())
}
