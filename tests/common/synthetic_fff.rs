//! FFF blocks made by hand, for tests of the decoders' limits.

/// A minimal big-endian FFF block: header, two directory entries, a camera
/// info record (parameters of the SC660 sample) and a raw record that says
/// it is `width × height` and holds `pixels` (little-endian u16 counts, or a
/// compressed stream).
pub fn block(width: u16, height: u16, pixels: &[u8]) -> Vec<u8> {
    let info_len = 0x400usize;
    let raw_len = 0x20 + pixels.len();
    let mut b = vec![0u8; 64 + 64];
    b[..4].copy_from_slice(b"FFF\0");
    b[0x14..0x18].copy_from_slice(&100u32.to_be_bytes());
    b[0x18..0x1c].copy_from_slice(&64u32.to_be_bytes());
    b[0x1c..0x20].copy_from_slice(&2u32.to_be_bytes());
    let entries = [
        (0x20u16, 128usize, info_len),
        (0x01, 128 + info_len, raw_len),
    ];
    for (i, (kind, offset, length)) in entries.iter().enumerate() {
        let e = 64 + 32 * i;
        b[e..e + 2].copy_from_slice(&kind.to_be_bytes());
        b[e + 12..e + 16].copy_from_slice(&(*offset as u32).to_be_bytes());
        b[e + 16..e + 20].copy_from_slice(&(*length as u32).to_be_bytes());
    }
    let mut info = vec![0u8; info_len];
    info[..2].copy_from_slice(&2u16.to_be_bytes());
    let floats: [(usize, f32); 14] = [
        (0x20, 0.95),
        (0x24, 1.0),
        (0x28, 293.15),
        (0x2c, 293.15),
        (0x30, 293.15),
        (0x34, 1.0),
        (0x3c, 0.5),
        (0x58, 21106.77),
        (0x5c, 1501.0),
        (0x60, 1.0),
        (0x70, 0.006569),
        (0x74, 0.01262),
        (0x80, 1.9),
        (0x30c, 0.012545),
    ];
    for (offset, value) in floats {
        info[offset..offset + 4].copy_from_slice(&value.to_be_bytes());
    }
    info[0x308..0x30c].copy_from_slice(&(-7340i32).to_be_bytes());
    b.extend(info);
    let mut raw = vec![0u8; 0x20];
    raw[..2].copy_from_slice(&2u16.to_be_bytes());
    raw[2..4].copy_from_slice(&width.to_be_bytes());
    raw[4..6].copy_from_slice(&height.to_be_bytes());
    raw.extend_from_slice(pixels);
    b.extend(raw);
    b
}
