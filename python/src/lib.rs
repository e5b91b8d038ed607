//! The extension module `fevercheck._native`, which the Python package
//! (python/fevercheck/) wraps: every result is computed by fevercheck's
//! own crates — the command line's `analyze` and `inspect` argument
//! parsing ([`fevercheck_cli::cli::embedded`]), the camera file readers,
//! the fleet's mergeable state and judgement. Python only moves data:
//! arguments in, JSON text, bytes of states and bytes of pixels out.
//!
//! Errors are raised as `fevercheck.FevercheckError` (a `ValueError`) with
//! the message and hint the command line would print.

use pyo3::buffer::{Element, PyBuffer};
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict};

use fevercheck::formats::FrameSource;
use fevercheck_cli::cli::embedded;
use fevercheck_fleet::batch::{accumulate, EventColumns, MISSING};
use fevercheck_fleet::log::{
    alarm_flag, hour_of_time, read_logs, required_columns_present, role_of, ColumnRole, LogOptions,
    Unit,
};
use fevercheck_fleet::{judge, CameraState, FleetState};

create_exception!(
    _native,
    FevercheckError,
    PyValueError,
    "An input fevercheck cannot use: the message names the file and the place, as the command line's error does."
);

/// An error of fevercheck's crates as the exception, its message as is.
fn refused(error: impl std::fmt::Display) -> PyErr {
    FevercheckError::new_err(error.to_string())
}

/// The report of `fevercheck analyze ARGUMENTS…`, as JSON text (its files
/// written too when the arguments hold `--out`).
#[pyfunction]
fn analyze(py: Python<'_>, arguments: Vec<String>) -> PyResult<String> {
    let report = py
        .detach(|| embedded::analysis_report(&arguments))
        .map_err(|e| FevercheckError::new_err(embedded::message_of(&e)))?;
    serde_json::to_string(&report).map_err(refused)
}

/// An open radiometric file: its frames decoded one at a time.
#[pyclass(unsendable, module = "fevercheck._native")]
struct ThermalFile {
    source: Box<dyn FrameSource>,
}

/// A frame as Python receives it: temperatures (°C, float32, row-major),
/// height, width, the metadata as JSON text and the raw counts (uint16,
/// row-major) where the format has them.
type FrameParts = (
    Py<PyByteArray>,
    usize,
    usize,
    String,
    Option<Py<PyByteArray>>,
);

#[pymethods]
impl ThermalFile {
    /// The format's short name (`flir_rjpeg`, `flir_seq`, `tiff` …).
    #[getter]
    fn format(&self) -> &'static str {
        self.source.format()
    }

    /// Number of frames.
    #[getter]
    fn frame_count(&self) -> usize {
        self.source.frame_count()
    }

    /// Byte offset of each frame in the file, where frames have one.
    fn frame_offsets(&self) -> Vec<u64> {
        self.source.frame_offsets()
    }

    /// The metadata of frame `index`, as JSON text.
    fn meta(&mut self, index: usize) -> PyResult<String> {
        let meta = self.source.read_meta(index).map_err(refused)?;
        serde_json::to_string(&meta).map_err(refused)
    }

    /// Frame `index` decoded.
    fn read(&mut self, py: Python<'_>, index: usize) -> PyResult<FrameParts> {
        let frame = self.source.read_frame(index).map_err(refused)?;
        let meta = serde_json::to_string(&frame.meta).map_err(refused)?;
        let (height, width) = frame.temperatures.dim();
        let celsius: Vec<u8> = frame
            .temperatures
            .iter()
            .flat_map(|t| t.to_ne_bytes())
            .collect();
        let raw = frame.raw.as_ref().map(|raw| {
            let counts: Vec<u8> = raw.iter().flat_map(|c| c.to_ne_bytes()).collect();
            PyByteArray::new(py, &counts).unbind()
        });
        Ok((
            PyByteArray::new(py, &celsius).unbind(),
            height,
            width,
            meta,
            raw,
        ))
    }
}

/// Opens `file` with the decode options of `fevercheck inspect FILE ARGUMENTS…`.
#[pyfunction]
fn open(file: String, arguments: Vec<String>) -> PyResult<ThermalFile> {
    let source = embedded::open_frames(&file, &arguments)
        .map_err(|e| FevercheckError::new_err(embedded::message_of(&e)))?;
    Ok(ThermalFile { source })
}

/// The role of each column name in a screening log (`None`: none), as the
/// log readers assign them; refused, as a log would be, without a camera
/// or a reported temperature column.
#[pyfunction]
fn fleet_column_roles(names: Vec<String>) -> PyResult<Vec<Option<&'static str>>> {
    required_columns_present(&names).map_err(FevercheckError::new_err)?;
    Ok(names
        .iter()
        .map(|name| {
            role_of(name).map(|role| match role {
                ColumnRole::Camera => "camera",
                ColumnRole::Temperature => "temperature",
                ColumnRole::TemperatureCelsius => "temperature_c",
                ColumnRole::TemperatureFahrenheit => "temperature_f",
                ColumnRole::Time => "time",
                ColumnRole::AmbientCelsius => "ambient_c",
                ColumnRole::AmbientFahrenheit => "ambient_f",
                ColumnRole::Alarm => "alarm",
                ColumnRole::Threshold => "threshold",
                ColumnRole::Site => "site",
            })
        })
        .collect())
}

fn unit_named(name: &str) -> PyResult<Unit> {
    match name {
        "c" | "C" => Ok(Unit::Celsius),
        "f" | "F" => Ok(Unit::Fahrenheit),
        other => Err(FevercheckError::new_err(format!(
            "unit {other:?}: expected \"c\" or \"f\""
        ))),
    }
}

/// A column passed through the buffer protocol (a numpy array), copied.
fn values<T: Element + Copy>(
    py: Python<'_>,
    column: Option<PyBuffer<T>>,
) -> PyResult<Option<Vec<T>>> {
    column.map(|buffer| buffer.to_vec(py)).transpose()
}

/// Each camera's state as bytes, by camera name.
fn states_as_dict<'py>(py: Python<'py>, fleet: &FleetState) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (camera, state) in &fleet.cameras {
        dict.set_item(camera, PyBytes::new(py, &state.to_bytes()))?;
    }
    Ok(dict)
}

/// The partial state of one batch of events given column by column
/// ([`EventColumns`]): each camera's state as bytes, and the number of
/// events left out for want of a temperature.
#[pyfunction]
#[pyo3(signature = (camera_names, camera, temperature, unit, site_names=None, site=None, hour=None, ambient=None, ambient_unit="c", alarm=None, threshold=None))]
#[allow(clippy::too_many_arguments)]
fn fleet_partial<'py>(
    py: Python<'py>,
    camera_names: Vec<String>,
    camera: PyBuffer<i32>,
    temperature: PyBuffer<f64>,
    unit: &str,
    site_names: Option<Vec<String>>,
    site: Option<PyBuffer<i32>>,
    hour: Option<PyBuffer<i8>>,
    ambient: Option<PyBuffer<f64>>,
    ambient_unit: &str,
    alarm: Option<PyBuffer<i8>>,
    threshold: Option<PyBuffer<f64>>,
) -> PyResult<(Bound<'py, PyDict>, u64)> {
    let unit = unit_named(unit)?;
    let ambient_unit = unit_named(ambient_unit)?;
    let camera = camera.to_vec(py)?;
    let temperature = temperature.to_vec(py)?;
    let site = values(py, site)?;
    let hour = values(py, hour)?;
    let ambient = values(py, ambient)?;
    let alarm = values(py, alarm)?;
    let threshold = values(py, threshold)?;
    let sites = match (&site_names, &site) {
        (Some(names), Some(indexes)) => Some((names.as_slice(), indexes.as_slice())),
        (None, None) => None,
        _ => {
            return Err(FevercheckError::new_err(
                "give both the site names and the sites' indexes, or neither",
            ))
        }
    };
    let columns = EventColumns {
        camera_names: &camera_names,
        camera: &camera,
        sites,
        temperature: &temperature,
        unit,
        hour: hour.as_deref(),
        ambient: ambient.as_deref(),
        ambient_unit,
        alarm: alarm.as_deref(),
        threshold: threshold.as_deref(),
    };
    let (fleet, summary) = py.detach(|| accumulate(&columns)).map_err(refused)?;
    Ok((states_as_dict(py, &fleet)?, summary.without_temperature))
}

/// One camera's states (bytes) merged into one.
#[pyfunction]
fn fleet_merge<'py>(
    py: Python<'py>,
    states: Vec<Bound<'py, PyBytes>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut merged = CameraState::default();
    for state in &states {
        merged.merge(&CameraState::from_bytes(state.as_bytes()).map_err(refused)?);
    }
    Ok(PyBytes::new(py, &merged.to_bytes()))
}

/// The audit (fleet.json's text) of cameras' states (name, bytes); a name
/// given twice has its states merged.
#[pyfunction]
fn fleet_judge(states: Vec<(String, Bound<'_, PyBytes>)>, notes: Vec<String>) -> PyResult<String> {
    let mut fleet = FleetState::default();
    for (camera, bytes) in &states {
        let state = CameraState::from_bytes(bytes.as_bytes())
            .map_err(|e| FevercheckError::new_err(format!("the state of {camera:?}: {e}")))?;
        fleet.merge(FleetState {
            cameras: [(camera.clone(), state)].into(),
        });
    }
    if fleet.cameras.is_empty() {
        return Err(FevercheckError::new_err(
            "no camera's state was given: nothing to audit",
        ));
    }
    serde_json::to_string(&judge(&fleet, notes)).map_err(refused)
}

/// Screening logs read as `fevercheck fleet LOG…` reads them: each
/// camera's state as bytes, and the notes of lines left out.
#[pyfunction]
fn fleet_read_logs<'py>(
    py: Python<'py>,
    paths: Vec<std::path::PathBuf>,
    unit: &str,
) -> PyResult<(Bound<'py, PyDict>, Vec<String>)> {
    let options = LogOptions {
        unit: unit_named(unit)?,
    };
    let (fleet, notes) = py.detach(|| read_logs(&paths, options)).map_err(refused)?;
    Ok((states_as_dict(py, &fleet)?, notes))
}

/// One small integer per text (`None` for a missing one), read by `read`;
/// an unreadable text is refused with its row and what was expected.
fn small_values<'py, T>(
    py: Python<'py>,
    texts: Vec<Option<String>>,
    column: &str,
    expected: &str,
    read: impl Fn(&str) -> Option<T>,
    code: impl Fn(T) -> i8,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut codes = Vec::with_capacity(texts.len());
    for (row, text) in texts.iter().enumerate() {
        let value = match text.as_deref().map(str::trim) {
            None | Some("") => MISSING,
            Some(text) => code(read(text).ok_or_else(|| {
                FevercheckError::new_err(format!(
                    "event {row}: {column}: expected {expected}, found {:?}",
                    fevercheck::escape::terminal::inline(text)
                ))
            })?),
        };
        codes.push(value as u8);
    }
    Ok(PyBytes::new(py, &codes))
}

/// The hour of the day of each time text, as the log readers read a time
/// cell (int8 bytes, −1 where none).
#[pyfunction]
fn hours_of_times<'py>(
    py: Python<'py>,
    texts: Vec<Option<String>>,
) -> PyResult<Bound<'py, PyBytes>> {
    small_values(
        py,
        texts,
        "time",
        "a time (2021-03-04T09:15:00, 2021-03-04 09:15 or seconds since 1970)",
        hour_of_time,
        |hour| hour as i8,
    )
}

/// Each alarm flag text as the log readers read an alarm cell (int8
/// bytes: 1, 0, or −1 where none).
#[pyfunction]
fn alarm_flags<'py>(py: Python<'py>, texts: Vec<Option<String>>) -> PyResult<Bound<'py, PyBytes>> {
    small_values(
        py,
        texts,
        "alarm",
        "an alarm flag (true/false, yes/no, 1/0)",
        alarm_flag,
        i8::from,
    )
}

/// The module.
#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add("FevercheckError", module.py().get_type::<FevercheckError>())?;
    module.add_class::<ThermalFile>()?;
    module.add_function(wrap_pyfunction!(analyze, module)?)?;
    module.add_function(wrap_pyfunction!(open, module)?)?;
    module.add_function(wrap_pyfunction!(fleet_column_roles, module)?)?;
    module.add_function(wrap_pyfunction!(fleet_partial, module)?)?;
    module.add_function(wrap_pyfunction!(fleet_merge, module)?)?;
    module.add_function(wrap_pyfunction!(fleet_judge, module)?)?;
    module.add_function(wrap_pyfunction!(fleet_read_logs, module)?)?;
    module.add_function(wrap_pyfunction!(hours_of_times, module)?)?;
    module.add_function(wrap_pyfunction!(alarm_flags, module)?)?;
    Ok(())
}
