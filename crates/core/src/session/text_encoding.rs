//! The text encodings a lab's tables arrive in: UTF-8 (with or without a
//! byte-order mark), UTF-16 with a byte-order mark (Excel's "Unicode text"),
//! and Windows-1252 — what Excel writes for "CSV (Comma delimited)" on a
//! Western European Windows, where `°` is the byte 0xB0. Windows-1252 agrees
//! with Latin-1 (ISO 8859-1) on every printable character, so Latin-1 files
//! read the same.
//!
//! A file that is valid UTF-8 is UTF-8. Otherwise a file with NUL bytes is
//! no 8-bit text (binary data, or UTF-16 without its byte-order mark) and is
//! refused with the way to re-save it; any other file is read as
//! Windows-1252, whose every byte is a character, and named in a warning.

use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

use fevercheck_io::error::{Error, Location, Result};

/// How to re-save a table as UTF-8, for the messages below.
pub(super) const RESAVE_AS_UTF8: &str = "re-save it as UTF-8 (Excel: Save As → \"CSV UTF-8 (Comma \
                                  delimited)\"; LibreOffice: Character set \"Unicode (UTF-8)\")";

/// Text decoded from a file, and the encoding it was read in when that was
/// not UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DecodedText {
    /// The text.
    pub text: String,
    /// `UTF-16LE`, `UTF-16BE` or `windows-1252`; `None` for UTF-8.
    pub encoding: Option<&'static str>,
}

/// Decodes the bytes of `path` as described in the module head.
pub(super) fn decode(bytes: Vec<u8>, path: &Path) -> Result<DecodedText> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(&bytes) {
        if encoding == UTF_16LE || encoding == UTF_16BE {
            let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
            if had_errors {
                return Err(Error::invalid(
                    Location::file(path),
                    format!(
                        "the file starts with a {} byte-order mark but is not valid {0} \
                         text; {RESAVE_AS_UTF8}",
                        encoding.name()
                    ),
                ));
            }
            return Ok(DecodedText {
                text: text.into_owned(),
                encoding: Some(encoding.name()),
            });
        }
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Ok(DecodedText {
                text,
                encoding: None,
            })
        }
        Err(e) => e.into_bytes(),
    };
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::invalid(
            Location::file(path),
            format!(
                "byte offset {offset}: a NUL byte, so this is not a text table in UTF-8, \
                 UTF-16 with a byte-order mark or Windows-1252 (binary data, or UTF-16 \
                 without its mark); {RESAVE_AS_UTF8}"
            ),
        ));
    }
    let (text, _, _) = WINDOWS_1252.decode(&bytes);
    Ok(DecodedText {
        text: text.into_owned(),
        encoding: Some(WINDOWS_1252.name()),
    })
}

/// The warning for a table read in an encoding other than UTF-8.
pub(super) fn encoding_warning(path: &Path, encoding: &str) -> String {
    format!(
        "{}: not UTF-8; read as {encoding} (check that `°` and other non-ASCII characters \
         look right in the report; to avoid the guess, {RESAVE_AS_UTF8})",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_utf16_and_utf8_give_the_same_text() {
        let path = Path::new("sweep.csv");
        let expected = "Referenz °C;Anzeige °C\n36,0;36,1\n";
        // Windows-1252: ° is 0xB0.
        let mut cp1252 = b"Referenz \xb0C;Anzeige \xb0C\n36,0;36,1\n".to_vec();
        let read = decode(cp1252.clone(), path).unwrap();
        assert_eq!(
            (read.text.as_str(), read.encoding),
            (expected, Some("windows-1252"))
        );
        // UTF-16LE with its byte-order mark.
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in expected.encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let read = decode(utf16, path).unwrap();
        assert_eq!(
            (read.text.as_str(), read.encoding),
            (expected, Some("UTF-16LE"))
        );
        let read = decode(expected.as_bytes().to_vec(), path).unwrap();
        assert_eq!((read.text.as_str(), read.encoding), (expected, None));
        // A NUL byte: binary, refused with the offset and the remedy.
        cp1252.insert(3, 0);
        let err = decode(cp1252, path).unwrap_err().to_string();
        assert!(
            err.contains("byte offset 3") && err.contains("CSV UTF-8"),
            "{err}"
        );
    }
}
