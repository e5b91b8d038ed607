//! What the command line adds to a library error: the option or command that
//! would help. The library's errors name library parameters, never flags;
//! this is where they meet the flags.

use fevercheck::{Error, LimitKind};

/// The hint for an error, naming the command-line options that would help.
pub fn hint(error: &anyhow::Error) -> Option<String> {
    let error = error.chain().find_map(|e| e.downcast_ref::<Error>())?;
    let text = match error {
        Error::Limit {
            limit: LimitKind::FrameSize,
            ..
        } => "if the file is real, raise the limit with --max-width, --max-height or --max-pixels",
        Error::Limit {
            limit: LimitKind::Frames,
            ..
        } => "if the file is real, raise the limit with --max-frames",
        Error::Limit {
            limit: LimitKind::Expansion,
            ..
        } => "if the file is real, raise the limit with --max-expansion",
        Error::ScaleNeeded { .. } => {
            "declare it with --scale centikelvin|decikelvin|flirpy, or --scale-factor K_PER_COUNT \
             [--scale-offset K]"
        }
        Error::Layout { .. } => {
            "for another layout, name the columns: fevercheck analyze FILE --reference COL \
             --reported COL"
        }
        Error::OutputInUse { .. } => {
            "choose another folder with --out; --force replaces fevercheck's own outputs (never \
             the input, and not while another run writes)"
        }
        Error::SuspectValues { .. } => {
            "pass --exclude-outliers to leave these rows out; they are then listed at the top of \
             the report"
        }
        Error::UnknownKeys { .. } => {
            "correct the key; for a session.toml written for a newer fevercheck, \
             --allow-unknown-keys reads it and lists each unknown key as a warning"
        }
        Error::InvalidParameter { parameter, .. } => {
            return Some(format!("see --{}", parameter.replace('_', "-")));
        }
        _ => return None,
    };
    Some(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_parameters_become_their_flags() {
        let error = anyhow::Error::new(Error::parameter("header_row", "rows count from 1"));
        assert_eq!(hint(&error).as_deref(), Some("see --header-row"));
        let wrapped = anyhow::Error::new(Error::ScaleNeeded {
            path: "a.tif".into(),
            what: "16-bit TIFF".into(),
        })
        .context("reading a.tif");
        assert!(hint(&wrapped).unwrap().contains("--scale centikelvin"));
        assert_eq!(hint(&anyhow::anyhow!("other")), None);
    }
}
