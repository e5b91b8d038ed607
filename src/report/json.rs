//! `report.json`: the report serialised, pretty-printed, with a final newline.

use super::Exporter;
use crate::error::{Error, Result};
use crate::model::Report;

/// Writes the report contract.
pub struct JsonExporter;

impl Exporter<Report> for JsonExporter {
    fn file_name(&self) -> &'static str {
        "report.json"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>> {
        let mut bytes =
            serde_json::to_vec_pretty(report).map_err(|e| Error::encode("report.json", e))?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
