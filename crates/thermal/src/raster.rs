//! Raster output shared by the report's charts and `convert`'s false-colour
//! pictures: the DejaVu Sans font embedded in the binary (the `dejavu`
//! crate), registered with plotters so that text renders on a machine
//! without fonts, and 8-bit RGB pictures encoded as PNG by the `image` crate.

use std::io::Cursor;
use std::sync::Once;

use plotters::style::FontStyle;

/// Font family under which the embedded DejaVu Sans is registered.
pub const FONT: &str = "sans-serif";

/// Registers the embedded font once (plotters keeps it for the process).
pub fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fonts = [
            (FontStyle::Normal, dejavu::sans::regular()),
            (FontStyle::Bold, dejavu::sans::bold()),
            (FontStyle::Italic, dejavu::sans::oblique()),
            (FontStyle::Oblique, dejavu::sans::oblique()),
        ];
        for (style, bytes) in fonts {
            let _ = plotters::style::register_font(FONT, style, bytes);
        }
    });
}

/// `rgb` (row-major, 3 bytes a pixel) as a PNG file.
pub fn encode_png(width: u32, height: u32, rgb: Vec<u8>) -> Result<Vec<u8>, String> {
    let picture = image::RgbImage::from_raw(width, height, rgb)
        .ok_or_else(|| format!("{width}×{height} pixels do not match the buffer"))?;
    let mut png = Cursor::new(Vec::new());
    picture
        .write_to(&mut png, image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(png.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_encoded_picture_decodes_to_the_same_pixels() {
        let rgb: Vec<u8> = (0..2 * 3 * 3).map(|i| (i * 13) as u8).collect();
        let png = encode_png(3, 2, rgb.clone()).unwrap();
        let back = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!((back.width(), back.height()), (3, 2));
        assert_eq!(back.into_raw(), rgb);
        assert!(encode_png(3, 3, rgb).is_err());
    }
}
