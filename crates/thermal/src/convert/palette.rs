//! The false-colour palette of PNG output: an "iron" ramp (black, violet,
//! red, orange, yellow, white) as thermographers use, defined by anchor
//! colours and interpolated linearly. Chosen here; not copied from any tool.

/// Anchor colours from coldest to hottest.
const ANCHORS: [[u8; 3]; 6] = [
    [0, 0, 0],
    [60, 0, 110],
    [170, 20, 100],
    [235, 90, 20],
    [255, 200, 30],
    [255, 255, 235],
];

/// Colour of a value at `position` in 0–1 (clamped); grey for NaN.
pub fn colour(position: f32) -> [u8; 3] {
    if position.is_nan() {
        return [128, 128, 128];
    }
    let scaled = position.clamp(0.0, 1.0) * (ANCHORS.len() - 1) as f32;
    let index = (scaled.floor() as usize).min(ANCHORS.len() - 2);
    let fraction = scaled - index as f32;
    let (a, b) = (ANCHORS[index], ANCHORS[index + 1]);
    [0, 1, 2].map(|c| (a[c] as f32 + (b[c] as f32 - a[c] as f32) * fraction).round() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_and_middle_of_the_ramp() {
        assert_eq!(colour(0.0), [0, 0, 0]);
        assert_eq!(colour(1.0), [255, 255, 235]);
        assert_eq!(colour(2.0), [255, 255, 235]);
        assert_eq!(colour(0.1), [30, 0, 55]);
        assert_eq!(colour(f32::NAN), [128, 128, 128]);
    }
}
