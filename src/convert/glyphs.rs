//! A 3×5 pixel font for the labels of the PNG scale bar: digits, minus,
//! point, degree sign and C. Each glyph is 5 rows of 3 bits, drawn here.

/// The bitmap of a character (rows top to bottom, bit 2 = left column).
fn glyph(c: char) -> Option<[u8; 5]> {
    Some(match c {
        '0' => [0b111, 0b101, 0b101, 0b101, 0b111],
        '1' => [0b010, 0b110, 0b010, 0b010, 0b111],
        '2' => [0b111, 0b001, 0b111, 0b100, 0b111],
        '3' => [0b111, 0b001, 0b111, 0b001, 0b111],
        '4' => [0b101, 0b101, 0b111, 0b001, 0b001],
        '5' => [0b111, 0b100, 0b111, 0b001, 0b111],
        '6' => [0b111, 0b100, 0b111, 0b101, 0b111],
        '7' => [0b111, 0b001, 0b010, 0b010, 0b010],
        '8' => [0b111, 0b101, 0b111, 0b101, 0b111],
        '9' => [0b111, 0b101, 0b111, 0b001, 0b111],
        '-' => [0b000, 0b000, 0b111, 0b000, 0b000],
        '.' => [0b000, 0b000, 0b000, 0b000, 0b010],
        '°' => [0b010, 0b101, 0b010, 0b000, 0b000],
        'C' => [0b111, 0b100, 0b100, 0b100, 0b111],
        ' ' => [0; 5],
        _ => return None,
    })
}

/// Width in pixels of `text` drawn at `scale`.
pub fn text_width(text: &str, scale: usize) -> usize {
    text.chars().count() * 4 * scale
}

/// Draws `text` into an RGB buffer of `width` pixels per row at (x, y).
pub fn draw_text(
    buffer: &mut [u8],
    width: usize,
    x: usize,
    y: usize,
    text: &str,
    scale: usize,
    colour: [u8; 3],
) {
    let height = buffer.len() / 3 / width.max(1);
    for (i, c) in text.chars().enumerate() {
        let Some(rows) = glyph(c) else { continue };
        for (row, bits) in rows.iter().enumerate() {
            for column in 0..3 {
                if bits & (0b100 >> column) == 0 {
                    continue;
                }
                for dy in 0..scale {
                    for dx in 0..scale {
                        let px = x + (i * 4 + column) * scale + dx;
                        let py = y + row * scale + dy;
                        if px < width && py < height {
                            let at = (py * width + px) * 3;
                            buffer[at..at + 3].copy_from_slice(&colour);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_one_in_the_right_pixels() {
        let mut buffer = vec![0u8; 4 * 5 * 3];
        draw_text(&mut buffer, 4, 0, 0, "1", 1, [255, 255, 255]);
        let lit: Vec<usize> = (0..20).filter(|p| buffer[p * 3] == 255).collect();
        // Rows of '1': 010, 110, 010, 010, 111.
        assert_eq!(lit, vec![1, 4, 5, 9, 13, 16, 17, 18]);
        assert_eq!(text_width("37.5°C", 2), 48);
    }
}
