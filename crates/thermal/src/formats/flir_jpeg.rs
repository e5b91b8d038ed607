//! FLIR radiometric JPEG (R-JPEG), and the JPEG variants that look similar.
//!
//! The FLIR data is split over APP1 segments whose payload starts with
//! `"FLIR\0"`, `0x01`, the chunk index and the chunk count − 1; the payloads
//! after those 8 bytes, in index order, form one FFF block (see [`super::fff`]).
//! Duplicated or missing chunk indexes are an error naming them. A JPEG without
//! FLIR segments is refused as "not radiometric"; a DJI R-JPEG (APP3 raw,
//! APP4 parameters, a closed SDK) and a HikMicro JPEG are refused with the
//! export that would work. InfiRay JPEGs (APP2 `IJPEG`) go to [`super::infiray`].

use super::bytes::Bytes;
use fevercheck_io::error::Result;

/// A JPEG marker segment: marker byte and payload.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'a> {
    /// The marker's second byte (0xE1 for APP1).
    pub marker: u8,
    /// Offset of the payload in the file.
    pub offset: usize,
    /// The payload (after the length field).
    pub payload: &'a [u8],
}

/// The marker segments before the first scan.
pub(super) fn segments<'a>(bytes: &Bytes<'a>) -> Result<Vec<Segment<'a>>> {
    if bytes.range(0, 2, "the JPEG start marker")? != [0xFF, 0xD8] {
        return Err(bytes.invalid(0, "expected a JPEG file (FF D8)"));
    }
    let mut segments = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.data.len() {
        if bytes.data[at] != 0xFF {
            return Err(bytes.invalid(
                at,
                format!("expected a JPEG marker (FF), found {:#04x}", bytes.data[at]),
            ));
        }
        let marker = bytes.data[at + 1];
        match marker {
            0xFF => {
                at += 1;
                continue;
            }
            0xD8 | 0x01 | 0xD0..=0xD7 => {
                at += 2;
                continue;
            }
            0xDA | 0xD9 => break,
            _ => {}
        }
        let length = bytes
            .with_big_endian(true)
            .u16(at + 2, "a JPEG segment length")? as usize;
        if length < 2 {
            return Err(bytes.invalid(
                at + 2,
                format!("JPEG segment length {length}; expected at least 2"),
            ));
        }
        let payload = bytes.range(at + 4, length - 2, "a JPEG segment")?;
        segments.push(Segment {
            marker,
            offset: at + 4,
            payload,
        });
        at += 2 + length;
    }
    Ok(segments)
}

/// What kind of JPEG this is, from its segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JpegKind {
    /// FLIR R-JPEG.
    Flir,
    /// InfiRay / Infisense P2 Pro.
    InfiRay,
    /// DJI R-JPEG (closed format).
    Dji,
    /// HikMicro (closed format).
    HikMicro,
    /// A Dahua camera's picture (temperatures only through Dahua's SDK).
    Dahua,
    /// HTI / Xintai: two pictures, then a thermal block.
    Hti,
    /// A picture without temperatures.
    Plain,
}

/// Classifies a JPEG by its marker segments, and by what follows the
/// picture (`data`, the whole file) for the kinds that append their data.
pub(super) fn kind(segments: &[Segment], data: &[u8]) -> JpegKind {
    let has = |marker: u8, prefix: &[u8]| {
        segments
            .iter()
            .any(|s| s.marker == marker && s.payload.starts_with(prefix))
    };
    let mentions = |needle: &[u8]| {
        segments
            .iter()
            .any(|s| s.payload.windows(needle.len()).any(|w| w == needle))
    };
    if has(0xE1, b"FLIR\0") {
        JpegKind::Flir
    } else if segments
        .iter()
        .any(|s| s.marker == 0xE2 && s.payload.get(4..9) == Some(b"IJPEG"))
    {
        JpegKind::InfiRay
    } else if mentions(b"HIKMICRO") || mentions(b"HikMicro") {
        JpegKind::HikMicro
    } else if segments.iter().any(|s| s.marker == 0xE3)
        && segments.iter().any(|s| s.marker == 0xE4)
        && mentions(b"DJI")
    {
        JpegKind::Dji
    } else if super::hti::thermal_block(data).is_some() {
        JpegKind::Hti
    } else if mentions(b"Dahua") || mentions(b"DAHUA") {
        JpegKind::Dahua
    } else {
        JpegKind::Plain
    }
}

/// Joins the FLIR APP1 chunks into one FFF block.
pub(super) fn assemble_fff(segments: &[Segment], bytes: &Bytes) -> Result<Vec<u8>> {
    let mut chunks: Vec<(u8, &Segment)> = Vec::new();
    for segment in segments
        .iter()
        .filter(|s| s.marker == 0xE1 && s.payload.starts_with(b"FLIR\0"))
    {
        if segment.payload.len() < 8 {
            return Err(bytes.invalid(
                segment.offset,
                "a FLIR APP1 segment shorter than its 8-byte header",
            ));
        }
        let index = segment.payload[6];
        if chunks.iter().any(|(i, _)| *i == index) {
            return Err(bytes.invalid(segment.offset, format!("FLIR chunk {index} appears twice")));
        }
        chunks.push((index, segment));
    }
    chunks.sort_by_key(|(index, _)| *index);
    for (expected, (index, segment)) in chunks.iter().enumerate() {
        if *index as usize != expected {
            return Err(bytes.invalid(
                segment.offset,
                format!("FLIR chunk {expected} is missing (found chunk {index} next)"),
            ));
        }
    }
    let length = chunks.iter().map(|(_, s)| s.payload.len() - 8).sum();
    let mut block = Vec::with_capacity(length);
    for (_, segment) in &chunks {
        block.extend_from_slice(&segment.payload[8..]);
    }
    Ok(block)
}
