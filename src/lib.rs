//! The `fevercheck` command line as a library: its argument definitions and
//! commands ([`cli`]). The binary (src/main.rs) runs them; the Python
//! package (python/) reads the same arguments through [`cli::embedded`],
//! so that `fevercheck.analyze(path, **options)` takes exactly the options
//! of `fevercheck analyze` and returns exactly its report.

pub mod cli;
