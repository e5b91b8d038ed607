//! Raw → °C tables shared by every file a process decodes.
//!
//! A table costs 65 536 evaluations of the Planck formula (an exponential
//! and a logarithm each, about 2 ms), more than decoding a 640 × 480 R-JPEG.
//! The pictures of one camera in one session share their parameters, so a
//! folder of a thousand of them needs one table, not a thousand: tables are
//! kept here by what they are made from, the most recently used first, and
//! handed out as shared references (any thread may ask).

use std::sync::{Arc, Mutex};

use super::fff::TableKey;
use crate::radiometry::RawToCelsius;

/// Tables kept: one per camera and parameter set in use at once (a session
/// comparing a few cameras, each perhaps with overrides); 256 KB each.
const TABLES_KEPT: usize = 16;

static TABLES: Mutex<Vec<(TableKey, Arc<RawToCelsius>)>> = Mutex::new(Vec::new());

/// The table made from `key`, built once per process while it is in use.
pub(super) fn table_for(key: &TableKey) -> Arc<RawToCelsius> {
    let found = {
        let mut tables = TABLES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        tables.iter().position(|(k, _)| k == key).map(|at| {
            let entry = tables.remove(at);
            let table = Arc::clone(&entry.1);
            tables.insert(0, entry);
            table
        })
    };
    if let Some(table) = found {
        return table;
    }
    // Built outside the lock: another thread may build the same table at
    // the same time, which costs time once and gives equal tables.
    let table = Arc::new(key.build());
    let mut tables = TABLES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !tables.iter().any(|(k, _)| k == key) {
        tables.insert(0, (*key, Arc::clone(&table)));
        tables.truncate(TABLES_KEPT);
    }
    table
}
