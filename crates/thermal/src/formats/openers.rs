//! The open function of each format the table lists ([`super::table`]),
//! each giving a boxed [`FrameSource`].

use std::path::Path;

use super::flir_jpeg::{assemble_fff, Segment};
use super::{
    csv_matrix, fff, fpf, hikvision, hti, infiray, irg, npy, png_image, read_file, sequence,
    tiff_image, uvc_dump, Bytes, DecodeOptions, FrameSource,
};
use fevercheck_io::error::Result;

/// FLIR SEQ, CSQ and FFF files; the extension names which (`.seq` when
/// it is none of them).
pub(super) fn open_sequence(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let format = match extension.as_str() {
        "csq" => "flir_csq",
        "fff" => "flir_fff",
        _ => "flir_seq",
    };
    let frames = sequence::FffSequence::open(path, format, options.clone())?;
    Ok(Box::new(frames))
}

/// A FLIR R-JPEG: its APP1 chunks joined into one FFF block.
pub(super) fn open_flir_jpeg(
    bytes: &Bytes,
    segments: &[Segment],
    options: &DecodeOptions,
) -> Result<Box<dyn FrameSource>> {
    let fff = assemble_fff(segments, bytes)?;
    let path = bytes.path_buf();
    Ok(Box::new(fff::FffInMemory::new(
        &path,
        fff,
        "flir_rjpeg",
        options,
    )?))
}

/// An InfiRay / Infisense radiometric JPEG.
pub(super) fn open_infiray(
    bytes: &Bytes,
    segments: &[Segment],
    options: &DecodeOptions,
) -> Result<Box<dyn FrameSource>> {
    Ok(Box::new(infiray::decode(segments, bytes, options)?))
}

/// An HTI / Xintai radiometric JPEG.
pub(crate) fn open_hti(
    bytes: &Bytes,
    _segments: &[Segment],
    options: &DecodeOptions,
) -> Result<Box<dyn FrameSource>> {
    Ok(Box::new(hti::decode(bytes, options)?))
}

/// A FLIR FPF file.
pub(super) fn open_fpf(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let data = read_file(path)?;
    Ok(Box::new(fpf::decode(Bytes::new(&data, path), options)?))
}

/// A saved Hikvision `jpegPicWithAppendData` response.
pub(crate) fn open_hikvision(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let data = read_file(path)?;
    Ok(Box::new(hikvision::decode(
        Bytes::new(&data, path),
        options,
    )?))
}

/// An InfiRay `.irg` file.
pub(crate) fn open_irg(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let data = read_file(path)?;
    Ok(Box::new(irg::decode(Bytes::new(&data, path), options)?))
}

/// A TIFF, page by page.
pub(super) fn open_tiff(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    Ok(Box::new(tiff_image::open(path, options)?))
}

/// A 16-bit PNG.
pub(super) fn open_png(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    let data = read_file(path)?;
    Ok(Box::new(png_image::decode(
        Bytes::new(&data, path),
        options,
    )?))
}

/// A NumPy array.
pub(super) fn open_npy(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    Ok(Box::new(npy::open(path, options)?))
}

/// Raw TC001 / P2 Pro video frames.
pub(crate) fn open_uvc_dump(path: &Path, options: &DecodeOptions) -> Result<Box<dyn FrameSource>> {
    Ok(Box::new(uvc_dump::open(path, options)?))
}

/// A CSV temperature matrix.
pub(super) fn open_csv_matrix(
    path: &Path,
    options: &DecodeOptions,
) -> Result<Box<dyn FrameSource>> {
    Ok(Box::new(csv_matrix::open(path, options)?))
}
