//! What a conversion writes, decided before anything is written: for each
//! input file the frames to convert and the files they go to. One input
//! goes to `--out` as named; several (or a folder of them) go into the
//! folder `--out`, each as its own name with the output's extension. Frames
//! are one file each for PNG, and for any format when asked (`per_frame`),
//! numbered `name-N.ext`. Two inputs that would write the same file are
//! refused before either is converted.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::targets::output_paths;
use super::{numbered, writer, OutputFormat};
use crate::frame::Frame;
use fevercheck_io::error::{Error, Result};

/// Which frames of each file to convert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameSelection {
    /// One frame, by its index.
    One(usize),
    /// Every frame.
    All,
}

/// One input's conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// The radiometric file.
    pub input: PathBuf,
    /// The frames to convert.
    pub frames: Vec<usize>,
    /// Where they go: one path, or one per frame.
    pub targets: Vec<PathBuf>,
    /// Whether each frame goes to a file of its own.
    pub per_frame: bool,
}

impl Conversion {
    /// The conversion of the frames `frames` of `input` to `out`.
    pub fn new(
        input: &Path,
        frames: Vec<usize>,
        out: &Path,
        format: OutputFormat,
        per_frame: bool,
    ) -> Conversion {
        let per_frame = frames.len() > 1 && (per_frame || format == OutputFormat::Png);
        let targets = if per_frame {
            frames.iter().map(|&i| numbered(out, i)).collect()
        } else {
            output_paths(format, out, &frames)
        };
        Conversion {
            input: input.to_path_buf(),
            frames,
            targets,
            per_frame,
        }
    }
}

/// The frames `selection` picks of a file holding `count`.
pub fn selected_frames(selection: FrameSelection, count: usize) -> Vec<usize> {
    match selection {
        FrameSelection::All => (0..count).collect(),
        FrameSelection::One(index) => vec![index],
    }
}

/// The file an input converts to inside the folder `out`: its own name with
/// the output format's extension.
pub fn target_in_folder(input: &Path, out: &Path, format: OutputFormat) -> PathBuf {
    let stem = input
        .file_stem()
        .map_or_else(|| "frame".to_string(), |s| s.to_string_lossy().into_owned());
    out.join(format!("{stem}.{}", format.extension()))
}

/// Converts: reads each frame of `conversion` with `read` and writes it to
/// its target(s); returns the files written.
pub fn write_conversion(
    conversion: &Conversion,
    format: OutputFormat,
    mut read: impl FnMut(usize) -> Result<Frame>,
) -> Result<Vec<PathBuf>> {
    if conversion.per_frame {
        let mut written = Vec::new();
        for (&index, target) in conversion.frames.iter().zip(&conversion.targets) {
            let mut out = writer(format, target, 1)?;
            out.write(&read(index)?)?;
            written.extend(out.finish()?);
        }
        return Ok(written);
    }
    let target = conversion
        .targets
        .first()
        .ok_or_else(|| Error::parameter("targets", "a conversion writes at least one file"))?;
    let mut out = writer(format, target, conversion.frames.len())?;
    for &index in &conversion.frames {
        out.write(&read(index)?)?;
    }
    out.finish()
}

/// Refuses conversions that would write the same file twice, naming both
/// inputs.
pub fn check_distinct(conversions: &[Conversion]) -> Result<()> {
    let mut writers: BTreeMap<&Path, &Path> = BTreeMap::new();
    for conversion in conversions {
        for target in &conversion.targets {
            if let Some(first) = writers.insert(target, &conversion.input) {
                return Err(Error::OutputInUse {
                    path: target.clone(),
                    message: format!(
                        "both {} and {} would be converted to it; convert them into different \
                         folders",
                        first.display(),
                        conversion.input.display()
                    ),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_go_to_one_file_or_one_each() {
        let out = Path::new("out/run.csv");
        let whole = Conversion::new(
            Path::new("run.seq"),
            vec![0, 1, 2],
            out,
            OutputFormat::Csv,
            false,
        );
        assert_eq!(whole.targets, [PathBuf::from("out/run.csv")]);
        let each = Conversion::new(
            Path::new("run.seq"),
            vec![0, 1, 2],
            out,
            OutputFormat::Csv,
            true,
        );
        assert_eq!(
            each.targets,
            ["out/run-0.csv", "out/run-1.csv", "out/run-2.csv"].map(PathBuf::from)
        );
        // One frame is one file, asked per frame or not.
        let one = Conversion::new(Path::new("a.jpg"), vec![4], out, OutputFormat::Csv, true);
        assert_eq!(one.targets, [PathBuf::from("out/run.csv")]);
        assert!(!one.per_frame);
    }

    #[test]
    fn inputs_that_would_collide_are_refused() {
        let folder = Path::new("out");
        let a = Path::new("day1/photo.jpg");
        let b = Path::new("day2/photo.jpg");
        let conversions: Vec<Conversion> = [a, b]
            .iter()
            .map(|input| {
                let target = target_in_folder(input, folder, OutputFormat::Tiff);
                Conversion::new(input, vec![0], &target, OutputFormat::Tiff, false)
            })
            .collect();
        assert_eq!(conversions[0].targets, [PathBuf::from("out/photo.tiff")]);
        let err = check_distinct(&conversions).unwrap_err().to_string();
        assert!(
            err.contains("day1/photo.jpg") && err.contains("day2/photo.jpg"),
            "{err}"
        );
    }
}
