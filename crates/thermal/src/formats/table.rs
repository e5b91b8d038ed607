//! Every file format fevercheck recognises, in one table: its name, its
//! extensions, the bytes it starts with, and either the function that opens
//! it or the advice it is refused with. [`super::open`] sniffs files by this
//! table, folder listings take their extensions from it, the error for an
//! unknown file names what it lists, and docs/formats.md carries it as
//! [`markdown`] writes it (a test compares them). A new format is one entry
//! here and one module beside this one.

use std::path::Path;

use super::flir_jpeg::{JpegKind, Segment};
use super::openers::{
    open_csv_matrix, open_flir_jpeg, open_fpf, open_hikvision, open_hti, open_infiray, open_irg,
    open_npy, open_png, open_sequence, open_tiff, open_uvc_dump,
};
use super::{fpf, hikvision, npy, Bytes, DecodeOptions, FrameSource};
use fevercheck_io::error::Result;

/// Opens a file from its path.
pub type FileOpener = fn(&Path, &DecodeOptions) -> Result<Box<dyn FrameSource>>;

/// Opens a JPEG from its bytes and marker segments, read once.
pub type JpegOpener = fn(&Bytes, &[Segment], &DecodeOptions) -> Result<Box<dyn FrameSource>>;

/// How a file of a format is opened.
#[derive(Clone, Copy)]
pub enum Opener {
    /// From its path.
    File(FileOpener),
    /// A JPEG of this kind (FLIR and InfiRay pictures are both JPEGs; their
    /// segments tell them apart).
    Jpeg(JpegKind, JpegOpener),
}

/// What fevercheck does with a format.
#[derive(Clone, Copy)]
pub enum Handling {
    /// Reads it.
    Reads(Opener),
    /// Recognises it and refuses it with this advice (which export works).
    Refused(&'static str),
    /// A JPEG of this kind, refused with this advice.
    RefusedJpeg(JpegKind, &'static str),
}

/// The bytes a file of the format starts with.
#[derive(Clone, Copy)]
pub struct Signature {
    /// The first bytes.
    pub prefix: &'static [u8],
    /// Whether the extension must be one of the format's as well (for
    /// containers other formats share: ZIP, RIFF, a short magic).
    pub with_extension: bool,
    /// Bytes the file's head (its first [`HEAD_BYTES`]) must also contain,
    /// for a container whose prefix says little (a multipart body).
    pub containing: Option<&'static [u8]>,
}

/// Bytes of a file's head that sniffing looks at.
pub const HEAD_BYTES: u64 = 512;

/// One format.
#[derive(Clone, Copy)]
pub struct Format {
    /// Its name, as documentation and error messages give it.
    pub name: &'static str,
    /// Its extensions, lower case.
    pub extensions: &'static [&'static str],
    /// The bytes its files start with; none for a text format, which the
    /// extension alone names.
    pub signatures: &'static [Signature],
    /// Whether its files are picked up from a folder of frames. CSV
    /// matrices are not: a session's readings.csv lies beside its frames.
    pub in_folders: bool,
    /// Whether it holds a camera's raw counts, to which the `[radiometry]`
    /// overrides apply; formats of temperatures already converted refuse
    /// them rather than ignore them.
    pub raw_counts: bool,
    /// What fevercheck does with it.
    pub handling: Handling,
}

const fn starts(prefix: &'static [u8]) -> Signature {
    Signature {
        prefix,
        with_extension: false,
        containing: None,
    }
}

const fn starts_with_extension(prefix: &'static [u8]) -> Signature {
    Signature {
        prefix,
        with_extension: true,
        containing: None,
    }
}

const fn starts_containing(prefix: &'static [u8], containing: &'static [u8]) -> Signature {
    Signature {
        prefix,
        with_extension: false,
        containing: Some(containing),
    }
}

const JPEG: &[Signature] = &[starts(&[0xFF, 0xD8])];

/// Every format, in the order files are sniffed.
pub const FORMATS: &[Format] = &[
    Format {
        name: "FLIR SEQ, CSQ and FFF (sequences and single FFF frames)",
        extensions: &["seq", "csq", "fff"],
        signatures: &[starts(b"FFF\0"), starts(b"AFF\0")],
        in_folders: true,
        raw_counts: true,
        handling: Handling::Reads(Opener::File(open_sequence)),
    },
    Format {
        name: "FLIR radiometric JPEG (R-JPEG)",
        extensions: &["jpg", "jpeg"],
        signatures: JPEG,
        in_folders: true,
        raw_counts: true,
        handling: Handling::Reads(Opener::Jpeg(JpegKind::Flir, open_flir_jpeg)),
    },
    Format {
        name: "InfiRay / Infisense radiometric JPEG (P2 Pro)",
        extensions: &["jpg", "jpeg"],
        signatures: JPEG,
        in_folders: true,
        raw_counts: false,
        handling: Handling::Reads(Opener::Jpeg(JpegKind::InfiRay, open_infiray)),
    },
    Format {
        name: "HTI / Xintai radiometric JPEG (HT-04D, HT-19)",
        extensions: &["jpg", "jpeg"],
        signatures: JPEG,
        in_folders: true,
        raw_counts: false,
        handling: Handling::Reads(Opener::Jpeg(JpegKind::Hti, open_hti)),
    },
    Format {
        name: "DJI R-JPEG",
        extensions: &["jpg", "jpeg"],
        signatures: JPEG,
        in_folders: true,
        raw_counts: false,
        handling: Handling::RefusedJpeg(
            JpegKind::Dji,
            "a DJI R-JPEG (raw data in APP3, parameters in APP4): DJI's format needs DJI's \
             closed SDK. Export temperatures with DJI Thermal Analysis Tool as a CSV or TIFF \
             (float °C) and read that",
        ),
    },
    Format {
        name: "HikMicro JPEG",
        extensions: &["jpg", "jpeg"],
        signatures: JPEG,
        in_folders: true,
        raw_counts: false,
        handling: Handling::RefusedJpeg(
            JpegKind::HikMicro,
            "a HikMicro JPEG: its HDRI block holds the sensor's raw counts, but no public \
             formula turns them into temperatures. Export a CSV temperature matrix from \
             HikMicro Analyzer and read that",
        ),
    },
    Format {
        name: "Dahua camera JPEG",
        extensions: &["jpg", "jpeg"],
        signatures: JPEG,
        in_folders: true,
        raw_counts: false,
        handling: Handling::RefusedJpeg(
            JpegKind::Dahua,
            "a JPEG from a Dahua camera: Dahua's thermal cameras give temperatures only \
             through Dahua's SDK or their HTTP API, not in their pictures. Export the \
             temperature matrix as a CSV with Dahua's client software (or record the displayed \
             temperatures in readings.csv) and read that",
        ),
    },
    Format {
        name: "JPEG without radiometric data (a plain or stripped picture)",
        extensions: &["jpg", "jpeg"],
        signatures: JPEG,
        in_folders: true,
        raw_counts: false,
        handling: Handling::RefusedJpeg(
            JpegKind::Plain,
            "a plain JPEG without radiometric data (no FLIR APP1 segments): it holds colours, \
             not temperatures. Export the radiometric JPEG (\"R-JPEG\"), a SEQ/CSV, or a 16-bit \
             TIFF with its scale from the camera's software",
        ),
    },
    Format {
        name: "FLIR FPF (public image format)",
        extensions: &["fpf"],
        signatures: &[starts(fpf::MAGIC), starts_with_extension(b"FPF")],
        in_folders: true,
        raw_counts: false,
        handling: Handling::Reads(Opener::File(open_fpf)),
    },
    Format {
        name: "InfiRay IRG (C200 series, P200, InfiRay cores)",
        extensions: &["irg"],
        signatures: &[
            starts_with_extension(&[0xCA, 0xAC]),
            starts_with_extension(&[0xBA, 0xAB]),
            starts_with_extension(&[0x04, 0xA0]),
        ],
        in_folders: true,
        raw_counts: false,
        handling: Handling::Reads(Opener::File(open_irg)),
    },
    Format {
        name: "TIFF (32-bit float temperatures, or integer counts with a declared scale)",
        extensions: &["tif", "tiff"],
        signatures: &[starts(b"II*\0"), starts(b"MM\0*")],
        in_folders: true,
        raw_counts: false,
        handling: Handling::Reads(Opener::File(open_tiff)),
    },
    Format {
        name: "16-bit PNG (integer counts with a declared scale)",
        extensions: &["png"],
        signatures: &[starts(&[0x89, b'P', b'N', b'G'])],
        in_folders: true,
        raw_counts: false,
        handling: Handling::Reads(Opener::File(open_png)),
    },
    Format {
        name: "NumPy array (.npy)",
        extensions: &["npy"],
        signatures: &[starts(npy::MAGIC)],
        in_folders: true,
        raw_counts: false,
        handling: Handling::Reads(Opener::File(open_npy)),
    },
    Format {
        name: "Hikvision thermometry picture (ISAPI jpegPicWithAppendData response)",
        extensions: &["http", "bin", "dat", "mime"],
        signatures: &[starts_containing(b"--", hikvision::METADATA_KEY)],
        in_folders: false,
        raw_counts: false,
        handling: Handling::Reads(Opener::File(open_hikvision)),
    },
    Format {
        name: "TC001 / P2 Pro raw video frames (256×384 YUY2, temperatures in the lower half)",
        extensions: &["raw", "yuv"],
        signatures: &[],
        in_folders: false,
        raw_counts: false,
        handling: Handling::Reads(Opener::File(open_uvc_dump)),
    },
    Format {
        name: "Fluke IS2 / IS3 (SmartView)",
        extensions: &["is2", "is3"],
        signatures: &[starts_with_extension(b"PK\x03\x04")],
        in_folders: false,
        raw_counts: false,
        handling: Handling::Refused(
            "a Fluke SmartView image (a ZIP archive of Fluke's own undocumented raw data): \
             export the temperatures from Fluke Connect or SmartView as a CSV matrix (or \
             IS2 → CSV) and read that",
        ),
    },
    Format {
        name: "Optris radiometric video (.ravi)",
        extensions: &["ravi"],
        signatures: &[starts_with_extension(b"RIFF")],
        in_folders: false,
        raw_counts: false,
        handling: Handling::Refused(
            "an Optris radiometric video (RIFF container, Optris's undocumented \
             raw-to-temperature conversion): export the frames from Optris PIX Connect as CSV \
             temperature matrices (or 32-bit float TIFF) and read those",
        ),
    },
    Format {
        name: "Testo thermal image (.bmt)",
        extensions: &["bmt"],
        signatures: &[],
        in_folders: false,
        raw_counts: false,
        handling: Handling::Refused(
            "a Testo thermal image (Testo's undocumented format): export the temperature \
             matrix from Testo IRSoft as a CSV and read that",
        ),
    },
    Format {
        name: "Seek Thermal image (.hir)",
        extensions: &["hir"],
        signatures: &[],
        in_folders: false,
        raw_counts: false,
        handling: Handling::Refused(
            "a Seek Thermal image (Seek's undocumented format): export the temperatures as a \
             CSV matrix from the Seek Thermal app or SDK and read that",
        ),
    },
    Format {
        name: "CSV temperature matrix (°C, or a declared scale)",
        extensions: &["csv", "txt", "tsv"],
        signatures: &[],
        in_folders: false,
        raw_counts: false,
        handling: Handling::Reads(Opener::File(open_csv_matrix)),
    },
];

impl Format {
    /// Whether a file of this format may be one starting with `head`, named
    /// with `extension` (lower case). JPEG kinds all match a JPEG; its
    /// segments choose among them.
    pub fn matches(&self, head: &[u8], extension: &str) -> bool {
        let named = self.extensions.contains(&extension);
        if self.signatures.is_empty() {
            return named;
        }
        self.signatures.iter().any(|s| {
            let contained = s
                .containing
                .is_none_or(|c| head.windows(c.len()).any(|w| w == c));
            head.starts_with(s.prefix) && (named || !s.with_extension) && contained
        })
    }

    /// The JPEG kind the entry stands for, if it is a JPEG's.
    pub fn jpeg_kind(&self) -> Option<JpegKind> {
        match self.handling {
            Handling::Reads(Opener::Jpeg(kind, _)) | Handling::RefusedJpeg(kind, _) => Some(kind),
            _ => None,
        }
    }

    /// Whether fevercheck reads it.
    pub fn is_read(&self) -> bool {
        matches!(self.handling, Handling::Reads(_))
    }
}

/// Extensions of the formats picked up from a folder of frames, lower case,
/// each once, in table order.
pub fn frame_extensions() -> Vec<&'static str> {
    let mut extensions: Vec<&'static str> = Vec::new();
    for format in FORMATS.iter().filter(|f| f.is_read() && f.in_folders) {
        for extension in format.extensions {
            if !extensions.contains(extension) {
                extensions.push(extension);
            }
        }
    }
    extensions
}

/// The names of the formats fevercheck reads, for an error's "expected".
pub fn read_format_names() -> String {
    let names: Vec<&str> = FORMATS
        .iter()
        .filter(|f| f.is_read())
        .map(|f| f.name)
        .collect();
    names.join("; ")
}

/// The table as docs/formats.md shows it: format, extensions, first bytes,
/// and what fevercheck does.
pub fn markdown() -> String {
    let mut table =
        String::from("| format | extensions | starts with | fevercheck |\n|---|---|---|---|\n");
    for format in FORMATS {
        let extensions: Vec<String> = format.extensions.iter().map(|e| format!(".{e}")).collect();
        let signatures: Vec<String> = format
            .signatures
            .iter()
            .map(|s| {
                let mut shown = shown_bytes(s.prefix);
                if let Some(c) = s.containing {
                    shown = format!(
                        "{shown}, then `{}` in the first {HEAD_BYTES} bytes",
                        String::from_utf8_lossy(c)
                    );
                }
                if s.with_extension {
                    format!("{shown} (with its extension)")
                } else {
                    shown
                }
            })
            .collect();
        let starts = if signatures.is_empty() {
            "— (text; the extension decides)".to_string()
        } else {
            signatures.join(" or ")
        };
        let handling = match format.handling {
            Handling::Reads(_) if format.raw_counts => {
                "reads (raw counts: `[radiometry]` applies)".to_string()
            }
            Handling::Reads(_) => "reads".to_string(),
            Handling::Refused(advice) | Handling::RefusedJpeg(_, advice) => {
                format!("refuses: {advice}")
            }
        };
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            format.name,
            extensions.join(", "),
            starts,
            handling.replace('|', "\\|")
        ));
    }
    table
}

/// Bytes as `` `FFF\0` `` where printable, else hex (`FF D8`).
fn shown_bytes(bytes: &[u8]) -> String {
    if bytes
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || [0, b'*', b' ', b'-'].contains(b))
    {
        let text: String = bytes
            .iter()
            .map(|&b| {
                if b == 0 {
                    "\\0".to_string()
                } else {
                    (b as char).to_string()
                }
            })
            .collect();
        format!("`{text}`")
    } else {
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
        format!("`{}`", hex.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(head: &[u8], extension: &str) -> Option<&'static str> {
        FORMATS
            .iter()
            .find(|f| f.matches(head, extension))
            .map(|f| f.name)
    }

    #[test]
    fn every_jpeg_kind_has_one_entry() {
        for kind in [
            JpegKind::Flir,
            JpegKind::InfiRay,
            JpegKind::Dji,
            JpegKind::HikMicro,
            JpegKind::Dahua,
            JpegKind::Hti,
            JpegKind::Plain,
        ] {
            let entries = FORMATS
                .iter()
                .filter(|f| f.jpeg_kind() == Some(kind))
                .count();
            assert_eq!(entries, 1, "{kind:?}");
        }
    }

    #[test]
    fn folders_pick_up_the_frame_formats_and_never_a_csv() {
        let mut found = frame_extensions();
        found.sort();
        assert_eq!(
            found,
            ["csq", "fff", "fpf", "irg", "jpeg", "jpg", "npy", "png", "seq", "tif", "tiff"]
        );
    }

    #[test]
    fn magic_bytes_decide_before_the_extension() {
        // An FFF block named .jpg is a FLIR sequence, as the camera wrote it.
        assert_eq!(
            format_of(b"FFF\0rest", "jpg"),
            Some("FLIR SEQ, CSQ and FFF (sequences and single FFF frames)")
        );
        assert!(format_of(&[0xFF, 0xD8, 0xFF], "bin")
            .unwrap()
            .contains("R-JPEG"));
        assert!(format_of(b"\x93NUMPY\x01\x00", "dat")
            .unwrap()
            .contains("NumPy"));
    }

    #[test]
    fn shared_containers_need_the_formats_extension() {
        assert!(format_of(b"PK\x03\x04", "is2").unwrap().contains("Fluke"));
        assert_eq!(format_of(b"PK\x03\x04", "zip"), None);
        assert!(format_of(b"RIFF\0\0\0\0AVI ", "ravi")
            .unwrap()
            .contains("Optris"));
        assert_eq!(format_of(b"RIFF\0\0\0\0AVI ", "avi"), None);
        assert!(format_of(b"FPF", "fpf").unwrap().contains("FPF"));
        assert_eq!(format_of(b"FPF", "bin"), None);
    }

    #[test]
    fn text_formats_go_by_their_extension() {
        assert!(format_of(b"36.1,36.2", "csv").unwrap().contains("CSV"));
        assert!(format_of(b"anything", "bmt").unwrap().contains("Testo"));
        assert!(format_of(b"anything", "hir").unwrap().contains("Seek"));
        assert_eq!(format_of(b"36.1,36.2", "dat"), None);
    }

    #[test]
    fn the_markdown_table_has_a_row_per_format() {
        let table = markdown();
        assert_eq!(table.lines().count(), 2 + FORMATS.len());
        assert!(table.contains(
            "| FLIR radiometric JPEG (R-JPEG) | .jpg, .jpeg | `FF D8` | reads (raw counts"
        ));
        assert!(table.contains("| .is2, .is3 | `50 4B 03 04` (with its extension) | refuses:"));
    }
}
