//! FLIR SEQ, CSQ and bare FFF files: FFF blocks one after another, each with
//! its own header, directory, camera info and raw record (docs/formats.md).
//!
//! The file is walked block by block: a block's length is the end of its
//! last record, and the next block starts there. The bytes `"FFF\0"` are never
//! searched for — they also occur inside pixel data (the SEQ sample has them
//! at byte 449 999 of frame 0). Only headers and directories are read while
//! walking; a frame's bytes are read when it is asked for, so a long
//! sequence is never all in memory.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::bytes::Bytes;
use super::fff::{
    decode_block_cached, read_meta, FffBlock, Header, TableKey, HEADER_LEN, MAX_TAIL_PADDING,
};
use super::limits::DecodeBudget;
use super::{DecodeOptions, FrameSource};
use crate::frame::{Frame, FrameMeta};
use crate::radiometry::RawToCelsius;
use fevercheck_io::error::{Error, Location, Result};

/// A sequence of FFF blocks in a file.
pub(super) struct FffSequence {
    path: PathBuf,
    file: File,
    format: &'static str,
    /// (offset, length) of each frame.
    frames: Vec<(u64, usize)>,
    options: DecodeOptions,
    table: Option<(TableKey, Arc<RawToCelsius>)>,
    /// Bytes decoded so far against what the file's size allows (frames
    /// compressed with JPEG-LS or PNG may claim far more than they hold).
    budget: DecodeBudget,
}

impl FffSequence {
    /// Walks the blocks of `path`.
    pub(super) fn open(path: &Path, format: &'static str, options: DecodeOptions) -> Result<Self> {
        let mut file = fevercheck_io::input::open_regular(path)?;
        let size = file.metadata().map_err(|e| Error::read(path, e))?.len();
        let mut frames = Vec::new();
        let mut offset = 0u64;
        while offset < size {
            let remaining = size - offset;
            if remaining < HEADER_LEN as u64 {
                return Err(Error::invalid(
                    Location::byte(path, offset, Some(frames.len())),
                    format!("{remaining} trailing bytes after the last complete frame; expected another 64-byte FFF header"),
                ));
            }
            let mut length = block_length(&mut file, path, offset, frames.len())?;
            let padding = (length as u64).saturating_sub(remaining);
            if padding > 0 && padding <= MAX_TAIL_PADDING as u64 {
                length = remaining as usize;
            }
            if length as u64 > remaining {
                return Err(Error::invalid(
                    Location::byte(path, offset, Some(frames.len())),
                    format!("truncated: this frame needs {length} bytes but the file ends after {remaining}"),
                ));
            }
            frames.push((offset, length));
            options.limits.check_frames(
                frames.len(),
                &Location::byte(path, offset, Some(frames.len())),
            )?;
            offset += length as u64;
        }
        if frames.is_empty() {
            return Err(Error::invalid(
                Location::file(path),
                "the file is empty; expected FFF frames",
            ));
        }
        Ok(FffSequence {
            path: path.to_path_buf(),
            file,
            format,
            frames,
            budget: options.limits.file_budget(size),
            options,
            table: None,
        })
    }
}

impl FffSequence {
    /// The block of frame `index`, parsed from its bytes `data`.
    fn block<'a>(&'a self, data: &'a [u8], index: usize) -> Result<FffBlock<'a>> {
        let (offset, _) = self.frames[index];
        FffBlock::parse(Bytes {
            data,
            big_endian: false,
            base: offset,
            path: &self.path,
            frame: Some(index),
        })
    }

    /// Checks frame `index`'s size against the limits and charges what it
    /// decodes to against the file's budget, before it is decoded.
    fn admit(&mut self, data: &[u8], index: usize) -> Result<()> {
        let (width, height) = self
            .block(data, index)?
            .checked_raw_dimensions(&self.options.limits)?;
        let at = Location::byte(&self.path, self.frames[index].0, Some(index));
        self.budget.charge((width * height * 2) as u64, &at)
    }

    /// Decodes frame `index`, admitted, from its bytes `data`, with `table`
    /// as the last table used.
    fn decode(
        &self,
        data: &[u8],
        index: usize,
        table: &mut Option<(TableKey, Arc<RawToCelsius>)>,
    ) -> Result<Frame> {
        decode_block_cached(
            &self.block(data, index)?,
            &self.options.limits,
            &self.options.radiometry,
            self.format,
            index,
            table,
        )
    }

    fn frame_bytes(&mut self, index: usize) -> Result<Vec<u8>> {
        super::check_index(index, self.frames.len())?;
        let (offset, length) = self.frames[index];
        read_at(&mut self.file, &self.path, offset, length)
    }

    fn view<'a>(&'a self, data: &'a [u8], index: usize) -> Bytes<'a> {
        Bytes {
            data,
            big_endian: false,
            base: self.frames[index].0,
            path: &self.path,
            frame: Some(index),
        }
    }
}

/// The length of the block at `offset`, from its header and directory
/// (two small reads; the records themselves are checked when read).
fn block_length(file: &mut File, path: &Path, offset: u64, frame: usize) -> Result<usize> {
    let head = read_at(file, path, offset, HEADER_LEN)?;
    let header = Header::parse(Bytes {
        data: &head,
        big_endian: false,
        base: offset,
        path,
        frame: Some(frame),
    })?;
    let directory_at = offset + header.directory as u64;
    let directory = read_at(file, path, directory_at, header.directory_len())?;
    header.extent(Bytes {
        data: &directory,
        big_endian: false,
        base: directory_at,
        path,
        frame: Some(frame),
    })
}

fn read_at(file: &mut File, path: &Path, offset: u64, length: usize) -> Result<Vec<u8>> {
    // Nothing is allocated for bytes the file does not have: a record that
    // claims 4 GB in a file of 600 KB is refused before its buffer exists.
    let size = file.metadata().map_err(|e| Error::read(path, e))?.len();
    if offset.saturating_add(length as u64) > size {
        return Err(Error::invalid(
            Location::byte(path, offset, None),
            format!(
                "truncated: {length} bytes are needed here but the file ends after {}",
                size.saturating_sub(offset)
            ),
        ));
    }
    let mut buffer = vec![0u8; length];
    file.seek(SeekFrom::Start(offset))
        .map_err(|e| Error::read(path, e))?;
    file.read_exact(&mut buffer).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            Error::invalid(
                Location::byte(path, offset, None),
                format!("truncated: {length} bytes are needed here but the file ends first"),
            )
        } else {
            Error::read(path, e)
        }
    })?;
    Ok(buffer)
}

impl FrameSource for FffSequence {
    fn format(&self) -> &'static str {
        self.format
    }

    fn frame_count(&self) -> usize {
        self.frames.len()
    }

    fn frame_offsets(&self) -> Vec<u64> {
        self.frames.iter().map(|(offset, _)| *offset).collect()
    }

    fn read_frame(&mut self, index: usize) -> Result<Frame> {
        let data = self.frame_bytes(index)?;
        self.admit(&data, index)?;
        let mut table = self.table.take();
        let frame = self.decode(&data, index, &mut table);
        self.table = table;
        frame
    }

    fn read_frames(&mut self, indexes: &[usize]) -> Vec<Result<Frame>> {
        // The file is read in order on this thread, the frames decoded on
        // all cores (a JPEG-LS frame of a CSQ takes 25 ms).
        let read: Vec<(usize, Result<Vec<u8>>)> = indexes
            .iter()
            .map(|&index| {
                let data = self
                    .frame_bytes(index)
                    .and_then(|data| self.admit(&data, index).map(|()| data));
                (index, data)
            })
            .collect();
        let this = &*self;
        read.into_par_iter()
            .map(|(index, data)| {
                let mut table = this.table.clone();
                this.decode(&data?, index, &mut table)
            })
            .collect()
    }

    fn read_meta(&mut self, index: usize) -> Result<FrameMeta> {
        let data = self.frame_bytes(index)?;
        let block = FffBlock::parse(self.view(&data, index))?;
        read_meta(&block, &self.options.radiometry, self.format, index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_length_beyond_the_file_is_refused_before_its_buffer_exists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.seq");
        std::fs::write(&path, [0u8; 10]).unwrap();
        let mut file = File::open(&path).unwrap();
        let err = read_at(&mut file, &path, 4, 1 << 32)
            .unwrap_err()
            .to_string();
        assert!(err.contains("the file ends after 6"), "{err}");
        assert_eq!(read_at(&mut file, &path, 4, 6).unwrap().len(), 6);
    }
}
