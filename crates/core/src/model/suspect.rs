//! A value of the readings that looks like a mistake in the file (a unit
//! slip, a typing slip) rather than a reading of the device.

use serde::{Deserialize, Serialize};

/// A value that looks like a mistake in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuspectValue {
    /// Line of the file.
    pub line: u64,
    /// The column.
    pub column: String,
    /// The value as written.
    pub written: f64,
    /// Whether it is the reference (else the device value).
    pub is_reference: bool,
    /// What is wrong and what would fix it.
    pub reason: String,
}
