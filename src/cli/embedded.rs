//! The commands as a program embedding fevercheck calls them (the Python
//! package): the same argument definitions as the command line, parsed from
//! a list of arguments, with the result returned instead of written or
//! printed.

use anyhow::{bail, Result};
use clap::Parser;

use super::{
    analysis_written, analyze_with_command_line, error_chain, hint, load_session, Caller, Cli,
    Command,
};
use fevercheck::formats::{open, FrameSource};
use fevercheck::model::Report;

/// Parses `fevercheck COMMAND ARGUMENTS…`; a usage error comes back as the
/// first line of clap's message (its tips and usage speak of a shell).
fn parse(command: &str, arguments: &[String]) -> Result<Command> {
    let words = ["fevercheck", command]
        .into_iter()
        .map(String::from)
        .chain(arguments.iter().cloned());
    match Cli::try_parse_from(words) {
        Ok(cli) => Ok(cli.command),
        Err(error) => {
            let message = error.render().to_string();
            let first = message.lines().next().unwrap_or_default();
            bail!("{}", first.strip_prefix("error: ").unwrap_or(first))
        }
    }
}

/// The report of `fevercheck analyze ARGUMENTS…`: the same session
/// loading, options and analysis. With `--out`, the report's files are
/// written there exactly as the command writes them (the same folder
/// rules; nothing printed); without it, nothing is written. The report's
/// `tool.command_line` is left empty: it was not run from a command line.
pub fn analysis_report(arguments: &[String]) -> Result<Report> {
    let Command::Analyze(args) = parse("analyze", arguments)? else {
        bail!("not an analysis");
    };
    if args.out.is_some() {
        return Ok(analysis_written(&args, Caller::Embedding)?.0);
    }
    let session = load_session(&args.input)?;
    analyze_with_command_line(&session, args.decode.options(None)?, Caller::Embedding)
}

/// The radiometric file `fevercheck inspect FILE ARGUMENTS…` would read,
/// opened with the decode options of those arguments (emissivity,
/// distance, scale, limits …, and `--manifest`'s `[radiometry]`).
pub fn open_frames(file: &str, arguments: &[String]) -> Result<Box<dyn FrameSource>> {
    let mut words = vec![file.to_string()];
    words.extend(arguments.iter().cloned());
    let Command::Inspect(args) = parse("inspect", &words)? else {
        bail!("not an inspection");
    };
    let options = args.decode_options()?;
    Ok(open(std::path::Path::new(file), &options)?)
}

/// An error as the command line prints it: the message and its causes,
/// and the hint on a line of its own.
pub fn message_of(error: &anyhow::Error) -> String {
    let mut message = error_chain(error);
    if let Some(hint) = hint(error) {
        message.push_str("\n  hint: ");
        message.push_str(&hint);
    }
    message
}
