//! How a command speaks on standard output: a summary for people (the
//! default), nothing but errors (`--quiet`), or one JSON document for
//! scripts (`--json`). Errors go to standard error whatever is chosen, and
//! the exit code tells the outcome either way.

use std::io::Write;

use clap::Args;
use serde::Serialize;

/// `--quiet` and `--json`, on every command that produces results.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct OutputArgs {
    /// Print only errors.
    #[arg(long, short, conflicts_with = "json")]
    pub quiet: bool,
    /// Print one JSON document, a machine-readable summary, instead of text.
    #[arg(long)]
    pub json: bool,
}

impl OutputArgs {
    /// True when the summary for people is wanted.
    pub fn human(&self) -> bool {
        !self.quiet && !self.json
    }

    /// Prints `value` as the command's JSON document when `--json` asked
    /// for one. A closed pipe is ignored: the exit code still tells.
    pub fn json_summary<T: Serialize>(&self, value: &T) {
        if self.json {
            if let Ok(text) = serde_json::to_string_pretty(value) {
                let _ = writeln!(std::io::stdout().lock(), "{text}");
            }
        }
    }
}
