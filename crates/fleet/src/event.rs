//! One screening event of a camera's log: who measured (the camera), when,
//! what it showed, and what the log says of the room and the alarm.

/// One screened person as a camera's log records it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The camera's name or identifier as the log gives it.
    pub camera: String,
    /// The hour of the day (0–23) in the log's own clock, when given.
    pub hour: Option<u8>,
    /// The temperature the camera reported, °C.
    pub temperature_c: f64,
    /// The room temperature the camera or the site recorded, °C.
    pub ambient_c: Option<f64>,
    /// Whether the camera raised its fever alarm, when the log says.
    pub alarm: Option<bool>,
    /// The camera's alarm threshold, °C, when the log says.
    pub threshold_c: Option<f64>,
}

impl Event {
    /// An event with only a camera and a temperature.
    pub fn new(camera: impl Into<String>, temperature_c: f64) -> Self {
        Event {
            camera: camera.into(),
            hour: None,
            temperature_c,
            ambient_c: None,
            alarm: None,
            threshold_c: None,
        }
    }
}

/// The name a camera is audited under, as a log's cells give it: the
/// camera's text without surrounding spaces or quotes, prefixed with its
/// site's (`site/camera`) when the log names a site. `None` when the
/// camera's text is empty.
pub fn camera_name(site: Option<&str>, camera: &str) -> Option<String> {
    let camera = camera.trim().trim_matches('"');
    if camera.is_empty() {
        return None;
    }
    Some(match site.map(|s| s.trim().trim_matches('"')) {
        Some(site) if !site.is_empty() => format!("{site}/{camera}"),
        _ => camera.to_string(),
    })
}
