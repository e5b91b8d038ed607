//! FLIR's FFF block: the container inside R-JPEGs, SEQ, CSQ and bare `.fff`
//! files (docs/formats.md).
//!
//! Header (64 bytes): `"FFF\0"` or `"AFF\0"` magic, creator at 0x04, u32
//! version at 0x14 (100–199 in the header's byte order, which is how the byte
//! order is found: big-endian in FLIR JPEGs, little-endian in DJI XT-R, SEQ and
//! CSQ), u32 directory offset at 0x18, u32 entry count at 0x1c. Directory
//! entries (32 bytes): u16 type, u16 subtype, u32 version, u32 index, u32
//! offset from the block start, u32 length. Records read here: 0x01 raw data
//! and 0x20 camera info, each in its own byte order (its u16 at 0 reads 2).
//! Raw pixels start at +0x20 as bare little-endian u16, a byte-swapped 16-bit
//! PNG, or JPEG-LS. Camera info holds the radiometric parameters (floats,
//! temperatures in kelvin) at the offsets docs/formats.md lists.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use ndarray::Array2;

use super::bytes::Bytes;
use super::limits::Limits;
use super::png_raw::decode_flir_png;
use crate::calibrated_range::{CalibratedRange, OutsideRange};
use crate::frame::{Camera, Frame, FrameMeta, TemperatureLimits};
use crate::overrides::RadiometryOverrides;
use crate::radiometry::{
    Atmosphere, AtmosphereModel, Planck, RadiometricParams, RawToCelsius, KELVIN_OFFSET,
};
use fevercheck_io::error::Result;

/// Record type of raw sensor data.
pub(super) const RECORD_RAW: u16 = 0x01;
/// Record type of camera info (radiometric parameters).
pub(super) const RECORD_CAMERA_INFO: u16 = 0x20;
/// Size of the FFF header.
pub(super) const HEADER_LEN: usize = 64;
/// Size of one directory entry.
const ENTRY_LEN: usize = 32;
/// Most directory entries accepted: real files have 14 or fewer; a header
/// claiming more is corrupt.
const MAX_ENTRIES: usize = 1024;
/// Bytes a block's last record may claim beyond the end of the data: FLIR
/// writers pad record lengths, and the CSQ sample's last frame claims 4 bytes
/// past the end of the file, after its JPEG-LS end marker.
pub(super) const MAX_TAIL_PADDING: usize = 16;
/// Offset of the pixels inside a raw record.
const RAW_PIXELS_OFFSET: usize = 0x20;

/// One directory entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Record {
    /// Record type.
    pub kind: u16,
    /// Record subtype (for raw: 1 = u16, 2 = PNG, 3/4 = JPEG-LS).
    pub subtype: u16,
    /// Offset from the block start.
    pub offset: usize,
    /// Length in bytes.
    pub length: usize,
}

/// The 64-byte header of an FFF block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Header {
    /// Byte order of the header and directory.
    pub big_endian: bool,
    /// Offset of the directory from the block start.
    pub directory: usize,
    /// Number of directory entries.
    pub entries: usize,
}

impl Header {
    /// Reads and checks the header at the start of `bytes`.
    pub(super) fn parse(bytes: Bytes) -> Result<Header> {
        let magic = bytes.range(0, 4, "the FFF magic")?;
        if magic != b"FFF\0" && magic != b"AFF\0" {
            return Err(bytes.invalid(
                0,
                format!("expected the FFF magic \"FFF\\0\", found {magic:02x?}"),
            ));
        }
        let version_le = bytes.with_big_endian(false).u32(0x14, "the FFF version")?;
        let version_be = bytes.with_big_endian(true).u32(0x14, "the FFF version")?;
        let big_endian = match ((100..200).contains(&version_le), (100..200).contains(&version_be)) {
            (_, true) => true,
            (true, false) => false,
            _ => {
                return Err(bytes.invalid(
                    0x14,
                    format!("FFF version reads {version_be} (big-endian) or {version_le} (little-endian); expected 100–199"),
                ))
            }
        };
        let b = bytes.with_big_endian(big_endian);
        let directory = b.u32(0x18, "the directory offset")? as usize;
        let entries = b.u32(0x1c, "the directory size")? as usize;
        if entries > MAX_ENTRIES {
            return Err(b.invalid(
                0x1c,
                format!("the directory claims {entries} entries; expected at most {MAX_ENTRIES}"),
            ));
        }
        Ok(Header {
            big_endian,
            directory,
            entries,
        })
    }

    /// Bytes the directory occupies.
    pub(super) fn directory_len(&self) -> usize {
        self.entries * ENTRY_LEN
    }

    /// The block's length from its directory (held in `directory`, in the
    /// header's byte order): the end of its last non-empty record.
    pub(super) fn extent(&self, directory: Bytes) -> Result<usize> {
        let directory = directory.with_big_endian(self.big_endian);
        let mut end = HEADER_LEN;
        for i in 0..self.entries {
            let entry = directory.slice(i * ENTRY_LEN, ENTRY_LEN, "a directory entry")?;
            if entry.u16(0, "the record type")? != 0 {
                let offset = entry.u32(0x0c, "the record offset")? as usize;
                let length = entry.u32(0x10, "the record length")? as usize;
                end = end.max(offset.saturating_add(length));
            }
        }
        Ok(end)
    }
}

/// A parsed FFF block.
#[derive(Debug, Clone)]
pub(super) struct FffBlock<'a> {
    /// The block's bytes (byte order of the header).
    pub bytes: Bytes<'a>,
    /// Non-empty directory entries.
    pub records: Vec<Record>,
}

/// How a raw record stores its pixels.
#[derive(Debug, Clone)]
pub(super) enum RawPixels<'a> {
    /// Decoded u16 counts and how they were stored.
    Counts(Array2<u16>, &'static str),
    /// A JPEG-LS stream of the given size.
    JpegLs {
        /// Width from the record.
        width: usize,
        /// Height from the record.
        height: usize,
        /// The stream.
        stream: Bytes<'a>,
    },
}

/// What the camera-info record says.
#[derive(Debug, Clone)]
pub(super) struct CameraInfo {
    /// Raw → °C parameters.
    pub params: RadiometricParams,
    /// Model and serial.
    pub camera: Camera,
    /// Capture time.
    pub time: Option<DateTime<FixedOffset>>,
    /// Range, clip and saturation limits.
    pub limits: TemperatureLimits,
}

impl<'a> FffBlock<'a> {
    /// Parses the header and directory of the block starting at `bytes`.
    pub(super) fn parse(bytes: Bytes<'a>) -> Result<Self> {
        let header = Header::parse(bytes)?;
        let bytes = bytes.with_big_endian(header.big_endian);
        let (directory, entries) = (header.directory, header.entries);
        let mut records = Vec::with_capacity(entries);
        for i in 0..entries {
            let at = directory + i * ENTRY_LEN;
            let entry = bytes.slice(at, ENTRY_LEN, "a directory entry")?;
            let kind = entry.u16(0, "the record type")?;
            if kind == 0 {
                continue;
            }
            let mut record = Record {
                kind,
                subtype: entry.u16(2, "the record subtype")?,
                offset: entry.u32(0x0c, "the record offset")? as usize,
                length: entry.u32(0x10, "the record length")? as usize,
            };
            let end = record.offset.saturating_add(record.length);
            let available = bytes.data.len();
            if end > available && end - available <= MAX_TAIL_PADDING && record.offset <= available
            {
                record.length = available - record.offset;
            }
            bytes.range(record.offset, record.length, "a record the directory lists")?;
            records.push(record);
        }
        Ok(FffBlock { bytes, records })
    }

    /// The view of the first record of `kind`, in its own byte order.
    pub(super) fn record(&self, kind: u16, name: &str) -> Result<(Record, Bytes<'a>)> {
        let record = self
            .records
            .iter()
            .find(|r| r.kind == kind)
            .copied()
            .ok_or_else(|| {
                self.bytes.invalid(
                    0,
                    format!("the FFF directory has no {name} record (type {kind:#04x})"),
                )
            })?;
        let view = self.bytes.slice(record.offset, record.length, name)?;
        // The record's own byte order: its first u16 reads 2.
        let big_endian = view.with_big_endian(true).u16(0, name)? == 2;
        Ok((record, view.with_big_endian(big_endian)))
    }

    /// The camera-info record.
    pub(super) fn camera_info(&self) -> Result<CameraInfo> {
        let (_, b) = self.record(RECORD_CAMERA_INFO, "camera info")?;
        let kelvin = |offset: usize, what: &str| b.f32(offset, what).map(|k| k - KELVIN_OFFSET);
        let mut relative_humidity = b.f32(0x3c, "relative humidity")?;
        if relative_humidity > 2.0 {
            relative_humidity /= 100.0;
        }
        let params = RadiometricParams {
            emissivity: b.f32(0x20, "emissivity")?,
            distance_m: b.f32(0x24, "object distance")?,
            reflected_c: kelvin(0x28, "reflected temperature")?,
            atmospheric_c: kelvin(0x2c, "atmospheric temperature")?,
            window_c: kelvin(0x30, "IR window temperature")?,
            window_transmission: b.f32(0x34, "IR window transmission")?,
            relative_humidity,
            planck: Planck {
                r1: b.f32(0x58, "Planck R1")?,
                b: b.f32(0x5c, "Planck B")?,
                f: b.f32(0x60, "Planck F")?,
                o: b.i32(0x308, "Planck O")? as f64,
                r2: b.f32(0x30c, "Planck R2")?,
            },
            atmosphere: Atmosphere {
                alpha1: b.f32(0x70, "atmospheric alpha1")?,
                alpha2: b.f32(0x74, "atmospheric alpha2")?,
                beta1: b.f32(0x78, "atmospheric beta1")?,
                beta2: b.f32(0x7c, "atmospheric beta2")?,
                x: b.f32(0x80, "atmospheric X")?,
            },
            atmosphere_model: AtmosphereModel::default(),
        };
        let limits = TemperatureLimits {
            range_max_c: kelvin(0x90, "camera range max").ok(),
            range_min_c: kelvin(0x94, "camera range min").ok(),
            clip_max_c: kelvin(0x98, "max clip").ok(),
            clip_min_c: kelvin(0x9c, "min clip").ok(),
            saturated_max_c: kelvin(0xa8, "max saturated").ok(),
            saturated_min_c: kelvin(0xac, "min saturated").ok(),
        };
        let camera = Camera {
            model: b
                .text(0xd4, 32, "camera model")
                .ok()
                .and_then(Camera::field),
            serial: b
                .text(0x104, 16, "camera serial")
                .ok()
                .and_then(Camera::field),
        };
        Ok(CameraInfo {
            params,
            camera,
            time: capture_time(&b),
            limits,
        })
    }

    /// The width and height of the raw record, as its header states them.
    pub(super) fn raw_dimensions(&self) -> Result<(usize, usize)> {
        let (_, b) = self.record(RECORD_RAW, "raw data")?;
        let width = b.u16(2, "the raw width")? as usize;
        let height = b.u16(4, "the raw height")? as usize;
        Ok((width, height))
    }

    /// The raw record's width and height, checked against `limits`: the
    /// frame size, and for a compressed record (PNG, JPEG-LS) the bytes it
    /// would decode to against the bytes it holds.
    pub(super) fn checked_raw_dimensions(&self, limits: &Limits) -> Result<(usize, usize)> {
        let (_, b) = self.record(RECORD_RAW, "raw data")?;
        let (width, height) = self.raw_dimensions()?;
        limits.check_frame(width, height, &b.location(2))?;
        let pixels = b.tail(RAW_PIXELS_OFFSET, "raw pixels")?;
        let head = pixels.data.get(..4).unwrap_or(&[]);
        if head == [0x89, b'P', b'N', b'G'] || head == [0xFF, 0xD8, 0xFF, 0xF7] {
            let decoded = (width * height * 2) as u64;
            limits.check_expansion(decoded, pixels.data.len() as u64, &pixels.location(0))?;
        }
        Ok((width, height))
    }

    /// The raw record's pixels. A compressed record (PNG, JPEG-LS) is
    /// refused before decoding when its size claims more than
    /// [`Limits::check_expansion`] allows.
    pub(super) fn raw(&self, limits: &Limits) -> Result<RawPixels<'a>> {
        let (width, height) = self.checked_raw_dimensions(limits)?;
        let (_, b) = self.record(RECORD_RAW, "raw data")?;
        let pixels = b.tail(RAW_PIXELS_OFFSET, "raw pixels")?;
        let head = pixels.data.get(..4).unwrap_or(&[]);
        if head == [0x89, b'P', b'N', b'G'] {
            let counts = decode_flir_png(pixels, width, height)?;
            return Ok(RawPixels::Counts(counts.0, counts.1));
        }
        if head == [0xFF, 0xD8, 0xFF, 0xF7] {
            return Ok(RawPixels::JpegLs {
                width,
                height,
                stream: pixels,
            });
        }
        let data = pixels.range(
            0,
            width * height * 2,
            "the raw pixels (width × height × 2 bytes)",
        )?;
        let counts: Vec<u16> = data
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        let array = Array2::from_shape_vec((height, width), counts)
            .map_err(|e| b.invalid(RAW_PIXELS_OFFSET, e.to_string()))?;
        Ok(RawPixels::Counts(array, "u16 little-endian"))
    }
}

/// Capture time at 0x384: u32 Unix seconds, u32 milliseconds, i16 time zone
/// in minutes west of UTC.
fn capture_time(b: &Bytes) -> Option<DateTime<FixedOffset>> {
    let seconds = b.u32(0x384, "time").ok()? as i64;
    let millis = b.u32(0x388, "time").ok()?;
    let zone_minutes_west = b.i16(0x38c, "time zone").ok()? as i32;
    if seconds == 0 || millis >= 1000 {
        return None;
    }
    let zone = FixedOffset::west_opt(zone_minutes_west * 60)?;
    DateTime::from_timestamp(seconds, millis * 1_000_000).map(|t| t.with_timezone(&zone))
}

/// The metadata of a parsed block, without decoding its pixels: camera
/// info with `overrides` applied, and the raw record's size.
pub(super) fn read_meta(
    block: &FffBlock,
    overrides: &RadiometryOverrides,
    format: &str,
    index: usize,
) -> Result<FrameMeta> {
    let info = block.camera_info()?;
    let (width, height) = block.raw_dimensions()?;
    Ok(FrameMeta {
        format: format.to_string(),
        index,
        width,
        height,
        camera: info.camera,
        time: info.time,
        radiometry: Some(info.params.with_overrides(overrides)),
        limits: info.limits,
        encoding: String::new(),
        outside_range: 0,
    })
}

/// Decodes a parsed block into a frame: raw counts, camera info, and the
/// temperatures through a lookup table of the parameters after `overrides`.
pub(super) fn decode_block(
    block: &FffBlock,
    limits: &Limits,
    overrides: &RadiometryOverrides,
    format: &str,
    index: usize,
) -> Result<Frame> {
    decode_block_cached(block, limits, overrides, format, index, &mut None)
}

/// [`decode_block`] reusing the raw → °C table of the previous frame when
/// its parameters are the same (the frames of a sequence usually share them),
/// else the process's table for them (files of one camera share them).
pub(super) fn decode_block_cached(
    block: &FffBlock,
    limits: &Limits,
    overrides: &RadiometryOverrides,
    format: &str,
    index: usize,
    cache: &mut Option<(TableKey, Arc<RawToCelsius>)>,
) -> Result<Frame> {
    let mut meta = read_meta(block, overrides, format, index)?;
    let (raw, encoding) = match block.raw(limits)? {
        RawPixels::Counts(raw, encoding) => (raw, encoding),
        RawPixels::JpegLs {
            width,
            height,
            stream,
        } => (super::jpeg_ls::decode(stream, width, height)?, "jpeg-ls"),
    };
    let params = meta.radiometry.expect("read_meta sets radiometry");
    let key = TableKey {
        params,
        range: CalibratedRange::of(&meta.limits),
        policy: overrides.outside_range.unwrap_or_default(),
    };
    if cache.as_ref().is_none_or(|(cached, _)| *cached != key) {
        *cache = Some((key, super::shared_tables::table_for(&key)));
    }
    let table = Arc::clone(&cache.as_ref().expect("filled above").1);
    meta.encoding = encoding.to_string();
    let temperatures = if table.has_outside() {
        let mut outside = 0;
        let temperatures = raw.mapv(|v| {
            outside += usize::from(table.is_outside(v));
            table.get(v)
        });
        meta.outside_range = outside;
        temperatures
    } else {
        raw.mapv(|v| table.get(v))
    };
    Ok(Frame {
        temperatures,
        raw: Some(raw),
        raw_table: Some(table),
        meta,
    })
}

/// What a raw → °C table is made from: frames with an equal key share one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TableKey {
    params: RadiometricParams,
    range: Option<CalibratedRange>,
    policy: OutsideRange,
}

impl TableKey {
    /// The table this key describes.
    pub(super) fn build(&self) -> RawToCelsius {
        RawToCelsius::new(&self.params).within(self.range, self.policy)
    }
}

/// One FFF block held in memory (the block of an R-JPEG), decoded on request.
pub(super) struct FffInMemory {
    path: std::path::PathBuf,
    data: Vec<u8>,
    format: &'static str,
    options: super::DecodeOptions,
}

impl FffInMemory {
    /// Wraps an assembled block, checking that its header parses.
    pub(super) fn new(
        path: &std::path::Path,
        data: Vec<u8>,
        format: &'static str,
        options: &super::DecodeOptions,
    ) -> Result<Self> {
        FffBlock::parse(Bytes::new(&data, path))?;
        Ok(FffInMemory {
            path: path.to_path_buf(),
            data,
            format,
            options: options.clone(),
        })
    }

    fn block(&self) -> Result<FffBlock<'_>> {
        FffBlock::parse(Bytes::new(&self.data, &self.path))
    }
}

impl super::FrameSource for FffInMemory {
    fn format(&self) -> &'static str {
        self.format
    }

    fn frame_count(&self) -> usize {
        1
    }

    fn read_frame(&mut self, index: usize) -> Result<Frame> {
        super::check_index(index, 1)?;
        decode_block(
            &self.block()?,
            &self.options.limits,
            &self.options.radiometry,
            self.format,
            0,
        )
    }

    fn read_meta(&mut self, index: usize) -> Result<FrameMeta> {
        super::check_index(index, 1)?;
        read_meta(&self.block()?, &self.options.radiometry, self.format, 0)
    }
}
