//! `report.json`: the report serialised, pretty-printed with each
//! observation on a line of its own (`json_layout`), and a final newline.

use std::io::Write;

use super::json_layout::write_report_layout;
use super::Exporter;
use fevercheck::model::Report;
use fevercheck_io::atomic::AtomicFile;
use fevercheck_io::error::{Error, Result};

/// Writes the report contract.
pub struct JsonExporter;

impl Exporter<Report> for JsonExporter {
    fn file_name(&self) -> &'static str {
        "report.json"
    }

    fn render(&self, report: &Report) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        write_report_layout(&mut bytes, report).map_err(|e| Error::encode("report.json", e))?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    fn write_into(&self, report: &Report, file: &mut AtomicFile) -> Result<()> {
        let streamed = write_report_layout(&mut *file.writer(), report)
            .map_err(std::io::Error::from)
            .and_then(|()| file.writer().write_all(b"\n"));
        streamed.map_err(|e| file.error(e))
    }
}
