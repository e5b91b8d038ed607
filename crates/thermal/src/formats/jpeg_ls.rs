//! JPEG-LS decoding (ITU-T T.87 | ISO/IEC 14495-1), written here from the
//! standard for the raw data of FLIR CSQ files.
//!
//! Supported: one component (the raw counts), 2–16 bits, lossless or
//! near-lossless (any NEAR; the CSQ sample's scan says NEAR 5), preset
//! parameters from an LSE segment or the standard's defaults, marker
//! stuffing. Not supported (refused with a message): several components,
//! mapping tables, restart markers, point transforms.
//!
//! Structure of the decoder (T.87 Annex A): for each sample, the local
//! gradients of its neighbours a (left), b (above), c (above left) and
//! d (above right) select either run mode (flat region) or regular mode.
//! Regular mode predicts with the median edge detector, corrects the
//! prediction by a per-context bias, and reads a Golomb-coded error whose
//! parameter adapts per context (365 contexts). Run mode reads run lengths
//! with an adaptive index and ends with a run-interruption sample coded in
//! one of two further contexts. Every read is bounds-checked; a damaged
//! stream is an error with its byte offset, never a panic.

use ndarray::Array2;

use super::bytes::Bytes;
use fevercheck_io::error::{Error, Result};

/// Run-length order table J of T.87 (A.7.1.1).
const J: [u32; 32] = [
    0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13,
    14, 15,
];
/// Bounds of the bias correction C (T.87 A.6.2).
const MIN_C: i32 = -128;
const MAX_C: i32 = 127;
/// Default RESET (T.87 C.2.4.1.1).
const DEFAULT_RESET: i32 = 64;
/// Basic thresholds of T.87 C.2.4.1.1.2.
const BASIC_T1: i32 = 3;
const BASIC_T2: i32 = 7;
const BASIC_T3: i32 = 21;

/// Parameters of a scan.
#[derive(Debug, Clone, Copy)]
struct Parameters {
    width: usize,
    height: usize,
    max_value: i32,
    near: i32,
    t1: i32,
    t2: i32,
    t3: i32,
    reset: i32,
}

/// Decodes the JPEG-LS stream in `stream` of one `width × height` component.
pub fn decode(stream: Bytes, width: usize, height: usize) -> Result<Array2<u16>> {
    let bytes = stream.with_big_endian(true);
    let (parameters, scan_start) = read_headers(&bytes, width, height)?;
    let samples = Decoder::new(parameters, &bytes, scan_start).decode()?;
    Array2::from_shape_vec((height, width), samples).map_err(|e| bytes.invalid(0, e.to_string()))
}

/// Reads SOI, SOF55, LSE and SOS; returns the parameters and the offset of the scan data.
fn read_headers(b: &Bytes, width: usize, height: usize) -> Result<(Parameters, usize)> {
    if b.range(0, 2, "the JPEG-LS start marker")? != [0xFF, 0xD8] {
        return Err(b.invalid(0, "expected a JPEG-LS stream (FF D8)"));
    }
    let mut at = 2;
    let mut frame: Option<(usize, usize, u32)> = None;
    let mut preset: Option<(i32, i32, i32, i32, i32)> = None;
    loop {
        if b.range(at, 1, "a JPEG-LS marker")?[0] != 0xFF {
            return Err(b.invalid(at, "expected a JPEG-LS marker"));
        }
        let marker = b.range(at + 1, 1, "a JPEG-LS marker")?[0];
        let length = b.u16(at + 2, "a segment length")? as usize;
        let segment = b.slice(at + 4, length.saturating_sub(2), "a JPEG-LS segment")?;
        match marker {
            0xF7 => {
                let bits = segment.range(0, 1, "the sample precision")?[0] as u32;
                let rows = segment.u16(1, "the number of lines")? as usize;
                let columns = segment.u16(3, "the number of columns")? as usize;
                let components = segment.range(5, 1, "the number of components")?[0];
                if components != 1 {
                    return Err(unsupported(
                        b,
                        format!("{components} components (one expected)"),
                    ));
                }
                if !(2..=16).contains(&bits) {
                    return Err(b.invalid(
                        at + 4,
                        format!("sample precision {bits} bits; expected 2–16"),
                    ));
                }
                frame = Some((rows, columns, bits));
            }
            0xF8 => {
                let id = segment.range(0, 1, "the LSE id")?[0];
                if id != 1 {
                    return Err(unsupported(
                        b,
                        format!("an LSE segment of type {id} (mapping tables)"),
                    ));
                }
                preset = Some((
                    segment.u16(1, "MAXVAL")? as i32,
                    segment.u16(3, "T1")? as i32,
                    segment.u16(5, "T2")? as i32,
                    segment.u16(7, "T3")? as i32,
                    segment.u16(9, "RESET")? as i32,
                ));
            }
            0xDA => {
                let (rows, columns, bits) =
                    frame.ok_or_else(|| b.invalid(at, "a scan before the SOF55 frame header"))?;
                if (rows, columns) != (height, width) {
                    return Err(b.invalid(
                        at,
                        format!(
                            "the stream is {columns}×{rows} but the record says {width}×{height}"
                        ),
                    ));
                }
                let components = segment.range(0, 1, "the scan's components")?[0] as usize;
                if components != 1 {
                    return Err(unsupported(b, format!("a scan of {components} components")));
                }
                let near = segment.range(3, 1, "NEAR")?[0] as i32;
                let point_transform = segment.range(5, 1, "the point transform")?[0];
                if point_transform != 0 {
                    return Err(unsupported(b, "a point transform".to_string()));
                }
                let parameters = parameters(bits, near, preset, width, height);
                return Ok((parameters, at + 2 + length));
            }
            0xD8 | 0xD9 => return Err(b.invalid(at, "the stream ends before its scan")),
            _ => {}
        }
        at += 2 + length;
    }
}

/// Scan parameters from the frame, NEAR and the LSE preset (or the
/// defaults of T.87 C.2.4.1.1).
fn parameters(
    bits: u32,
    near: i32,
    preset: Option<(i32, i32, i32, i32, i32)>,
    width: usize,
    height: usize,
) -> Parameters {
    let default_max = (1i32 << bits) - 1;
    let (max_value, t1, t2, t3, reset) = preset.unwrap_or((0, 0, 0, 0, 0));
    let max_value = if max_value > 0 {
        max_value
    } else {
        default_max
    };
    let (d1, d2, d3) = default_thresholds(max_value, near);
    let t1 = if t1 > 0 { t1 } else { d1 };
    let t2 = if t2 > 0 { t2 } else { d2 };
    let t3 = if t3 > 0 { t3 } else { d3 };
    let reset = if reset > 0 { reset } else { DEFAULT_RESET };
    Parameters {
        width,
        height,
        max_value,
        near,
        t1,
        t2,
        t3,
        reset,
    }
}

/// Default thresholds of T.87 C.2.4.1.1.2.
fn default_thresholds(max_value: i32, near: i32) -> (i32, i32, i32) {
    let clamp = |v: i32, low: i32, high: i32| if v > high || v < low { low } else { v };
    if max_value >= 128 {
        let factor = (max_value.min(4095) + 128) / 256;
        let t1 = clamp(factor * (BASIC_T1 - 2) + 2 + 3 * near, near + 1, max_value);
        let t2 = clamp(factor * (BASIC_T2 - 3) + 3 + 5 * near, t1, max_value);
        let t3 = clamp(factor * (BASIC_T3 - 4) + 4 + 7 * near, t2, max_value);
        (t1, t2, t3)
    } else {
        let factor = 256 / (max_value + 1);
        let t1 = clamp((BASIC_T1 / factor).max(2) + 3 * near, near + 1, max_value);
        let t2 = clamp((BASIC_T2 / factor).max(3) + 5 * near, t1, max_value);
        let t3 = clamp((BASIC_T3 / factor).max(4) + 7 * near, t2, max_value);
        (t1, t2, t3)
    }
}

fn unsupported(b: &Bytes, what: String) -> Error {
    Error::Unsupported {
        path: b.path_buf(),
        message: format!(
            "frame {}: the JPEG-LS stream uses {what}, which fevercheck does not decode",
            b.frame.unwrap_or(0)
        ),
    }
}

/// Reads bits most significant first, skipping the stuffed zero bit after
/// every 0xFF byte.
///
/// Reads never fail, so the per-sample work carries no error paths: past
/// the scan's data (its end, or a marker) the reader supplies zero bits and
/// counts them, and a code the standard forbids is noted where it occurs.
/// The decoder asks [`BitReader::problem`] once per line, and a stream that
/// needed bits it does not hold, or held a forbidden code, is an error with
/// the byte offset where it went wrong.
struct BitReader<'a> {
    bytes: &'a Bytes<'a>,
    position: usize,
    buffer: u64,
    available: u32,
    /// Bits taken from the stream, and zero bits supplied past its end.
    real_bits: u64,
    supplied_bits: u64,
    /// Where the scan's data ended, and whether a marker ended it.
    end: Option<(usize, bool)>,
    /// The first forbidden code: its offset and what was wrong.
    damage: Option<(usize, &'static str)>,
}

impl<'a> BitReader<'a> {
    fn new(bytes: &'a Bytes<'a>, position: usize) -> Self {
        BitReader {
            bytes,
            position,
            buffer: 0,
            available: 0,
            real_bits: 0,
            supplied_bits: 0,
            end: None,
            damage: None,
        }
    }

    /// Tops the buffer up to more than 56 bits.
    #[inline]
    fn fill(&mut self) {
        // Fast path: eight bytes without 0xFF (no stuffing, no marker) after
        // a byte that is not 0xFF either, taken whole.
        let data = self.bytes.data;
        if let Some(next) = data.get(self.position..self.position + 8) {
            let word = u64::from_be_bytes(next.try_into().expect("eight bytes"));
            let after_ff = self.position > 0 && data[self.position - 1] == 0xFF;
            if !after_ff && !has_ff_byte(word) {
                let taken = (64 - self.available) / 8;
                self.buffer |= (word >> (64 - 8 * taken)) << (64 - self.available - 8 * taken);
                self.available += 8 * taken;
                self.real_bits += 8 * taken as u64;
                self.position += taken as usize;
                return;
            }
        }
        self.fill_slowly();
    }

    /// Tops the buffer up a byte at a time, unstuffing, stopping at the end.
    #[cold]
    fn fill_slowly(&mut self) {
        let data = self.bytes.data;
        while self.available <= 56 {
            if self.end.is_some() {
                // Zero bits past the end: counted, never silently used.
                self.available += 8;
                self.supplied_bits += 8;
                continue;
            }
            let Some(&byte) = data.get(self.position) else {
                self.end = Some((self.position, false));
                continue;
            };
            if self.position > 0 && data[self.position - 1] == 0xFF {
                if byte & 0x80 != 0 {
                    // A marker: the scan's data ends here.
                    self.end = Some((self.position - 1, true));
                    continue;
                }
                self.buffer |= (byte as u64) << (57 - self.available);
                self.available += 7;
                self.real_bits += 7;
            } else {
                self.buffer |= (byte as u64) << (56 - self.available);
                self.available += 8;
                self.real_bits += 8;
            }
            self.position += 1;
        }
    }

    #[inline]
    fn bit(&mut self) -> bool {
        if self.available == 0 {
            self.fill();
        }
        let bit = self.buffer >> 63 != 0;
        self.buffer <<= 1;
        self.available -= 1;
        bit
    }

    /// The next `count` bits (at most 32) as a number.
    #[inline]
    fn bits(&mut self, count: u32) -> i32 {
        if count == 0 {
            return 0;
        }
        if self.available < count {
            self.fill();
        }
        let value = (self.buffer >> (64 - count)) as i32;
        self.buffer <<= count;
        self.available -= count;
        value
    }

    /// Counts zero bits up to the next one bit (consumed), a buffer's worth
    /// at a time; a count beyond `limit` is damage, and `limit + 1` is
    /// returned.
    #[inline]
    fn unary(&mut self, limit: i32) -> i32 {
        let mut count = 0;
        loop {
            if self.available == 0 {
                self.fill();
            }
            // Bits below `available` are zero, so the count never passes it.
            let zeros = self.buffer.leading_zeros().min(self.available);
            count += zeros as i32;
            if count > limit {
                self.damaged("a JPEG-LS code is longer than the limit (damaged stream)");
                return limit + 1;
            }
            if zeros < self.available {
                // The one bit ending the code.
                self.buffer <<= zeros + 1;
                self.available -= zeros + 1;
                return count;
            }
            self.buffer = 0;
            self.available = 0;
        }
    }

    /// Notes a forbidden code at the current position (the first one only).
    #[cold]
    fn damaged(&mut self, what: &'static str) {
        self.damage.get_or_insert((self.position, what));
    }

    /// The error, if the codes read so far were damaged or needed bits the
    /// stream does not hold.
    fn problem(&self) -> Option<Error> {
        if let Some((at, what)) = self.damage {
            return Some(self.bytes.invalid(at, what));
        }
        let used = self.real_bits + self.supplied_bits - self.available as u64;
        if used <= self.real_bits {
            return None;
        }
        let (at, marker) = self.end.unwrap_or((self.position, false));
        Some(self.bytes.invalid(
            at,
            if marker {
                "the JPEG-LS scan ends (marker) before the image is complete"
            } else {
                "the JPEG-LS scan ends before the image is complete"
            },
        ))
    }
}

/// Adaptive statistics of one regular context.
#[derive(Debug, Clone, Copy)]
struct Context {
    a: i32,
    b: i32,
    c: i32,
    n: i32,
}

/// Adaptive statistics of one run-interruption context.
#[derive(Debug, Clone, Copy)]
struct RunContext {
    a: i32,
    n: i32,
    nn: i32,
    kind: i32,
}

struct Decoder<'a> {
    p: Parameters,
    /// The quantised gradient of every difference −MAXVAL..=MAXVAL, at
    /// `difference + MAXVAL`.
    quantized: std::rc::Rc<[i8]>,
    bits: BitReader<'a>,
    range: i32,
    qbpp: u32,
    limit: i32,
    contexts: [Context; 365],
    run_contexts: [RunContext; 2],
    run_index: usize,
}

impl<'a> Decoder<'a> {
    fn new(p: Parameters, bytes: &'a Bytes<'a>, scan_start: usize) -> Self {
        let range = (p.max_value + 2 * p.near) / (2 * p.near + 1) + 1;
        let qbpp = ceil_log2(range);
        let bpp = ceil_log2(p.max_value + 1).max(2);
        let limit = 2 * (bpp as i32 + bpp.max(8) as i32);
        let a = ((range + 32) / 64).max(2);
        let quantized = quantizer(&p);
        Decoder {
            p,
            quantized,
            bits: BitReader::new(bytes, scan_start),
            range,
            qbpp,
            limit,
            contexts: [Context {
                a,
                b: 0,
                c: 0,
                n: 1,
            }; 365],
            run_contexts: [
                RunContext {
                    a,
                    n: 1,
                    nn: 0,
                    kind: 0,
                },
                RunContext {
                    a,
                    n: 1,
                    nn: 0,
                    kind: 1,
                },
            ],
            run_index: 0,
        }
    }

    fn decode(mut self) -> Result<Vec<u16>> {
        let w = self.p.width;
        let mut out = Vec::with_capacity(w * self.p.height);
        // Lines with one sample of padding on each side: index 1..=w.
        let mut previous = vec![0i32; w + 2];
        let mut current = vec![0i32; w + 2];
        for _ in 0..self.p.height {
            current[0] = previous[1];
            previous[w + 1] = previous[w];
            self.decode_line(&previous, &mut current);
            if let Some(error) = self.bits.problem() {
                return Err(error);
            }
            out.extend(current[1..=w].iter().map(|&v| v as u16));
            std::mem::swap(&mut previous, &mut current);
        }
        Ok(out)
    }

    fn decode_line(&mut self, previous: &[i32], current: &mut [i32]) {
        let w = self.p.width;
        let mut x = 1;
        while x <= w {
            let (ra, rb, rc, rd) = (
                current[x - 1],
                previous[x],
                previous[x - 1],
                previous[x + 1],
            );
            let q1 = self.quantize(rd - rb);
            let q2 = self.quantize(rb - rc);
            let q3 = self.quantize(rc - ra);
            if q1 == 0 && q2 == 0 && q3 == 0 {
                x += self.decode_run(previous, current, x);
            } else {
                current[x] = self.decode_regular(q1 * 81 + q2 * 9 + q3, ra, rb, rc);
                x += 1;
            }
        }
    }

    /// The quantised gradient of `d` (T.87 A.3.3), from the table.
    #[inline]
    fn quantize(&self, d: i32) -> i32 {
        self.quantized[(d + self.p.max_value) as usize] as i32
    }

    fn decode_regular(&mut self, q: i32, ra: i32, rb: i32, rc: i32) -> i32 {
        let sign = if q < 0 { -1 } else { 1 };
        let index = (q * sign) as usize;
        let ctx = self.contexts[index];
        let k = golomb_k(ctx.n, ctx.a);
        let predicted = median_edge(ra, rb, rc);
        let corrected = (predicted + sign * ctx.c).clamp(0, self.p.max_value);
        let mapped = self.read_value(k, self.limit);
        let mut error = if mapped & 1 == 0 {
            mapped >> 1
        } else {
            -((mapped + 1) >> 1)
        };
        if self.p.near == 0 && k == 0 && 2 * ctx.b + ctx.n - 1 < 0 {
            error = -error - 1;
        }
        self.update_regular(index, error);
        self.reconstruct(corrected + sign * error * (2 * self.p.near + 1))
    }

    fn update_regular(&mut self, index: usize, error: i32) {
        let (near, reset) = (self.p.near, self.p.reset);
        let ctx = &mut self.contexts[index];
        ctx.b += error * (2 * near + 1);
        ctx.a += error.abs();
        if ctx.n == reset {
            ctx.a >>= 1;
            ctx.b >>= 1;
            ctx.n >>= 1;
        }
        ctx.n += 1;
        if ctx.b + ctx.n <= 0 {
            ctx.b += ctx.n;
            if ctx.b <= -ctx.n {
                ctx.b = -ctx.n + 1;
            }
            if ctx.c > MIN_C {
                ctx.c -= 1;
            }
        } else if ctx.b > 0 {
            ctx.b -= ctx.n;
            if ctx.b > 0 {
                ctx.b = 0;
            }
            if ctx.c < MAX_C {
                ctx.c += 1;
            }
        }
    }

    /// Brings a reconstructed value back into 0..=MAXVAL (T.87 A.4.5).
    fn reconstruct(&self, value: i32) -> i32 {
        let step = self.range * (2 * self.p.near + 1);
        let value = if value < -self.p.near {
            value + step
        } else if value > self.p.max_value + self.p.near {
            value - step
        } else {
            value
        };
        value.clamp(0, self.p.max_value)
    }

    /// Reads a limited-length Golomb code (T.87 A.5.3). A mapped error is at
    /// most RANGE (T.87 A.5.2); a larger one can only come from a damaged
    /// stream and would overflow the reconstruction, so it is noted as
    /// damage and read as 0.
    #[inline]
    fn read_value(&mut self, k: u32, limit: i32) -> i32 {
        let escape = limit - self.qbpp as i32 - 1;
        let high = self.bits.unary(escape);
        let value = if high >= escape {
            self.bits.bits(self.qbpp) + 1
        } else {
            (high << k) + self.bits.bits(k)
        };
        if value > self.range + 1 {
            self.bits
                .damaged("a JPEG-LS error value is out of range (damaged stream)");
            return 0;
        }
        value
    }

    /// Decodes a run starting at `x`; returns the samples written.
    fn decode_run(&mut self, previous: &[i32], current: &mut [i32], x: usize) -> usize {
        let w = self.p.width;
        let value = current[x - 1];
        let remaining = w + 1 - x;
        let mut length = 0;
        let mut reached_end = false;
        while self.bits.bit() {
            let block = 1usize << J[self.run_index];
            let count = block.min(remaining - length);
            length += count;
            if count == block {
                self.run_index = (self.run_index + 1).min(31);
            }
            if length == remaining {
                reached_end = true;
                break;
            }
        }
        if !reached_end {
            length += self.bits.bits(J[self.run_index]) as usize;
            if length > remaining {
                self.bits.damaged("a JPEG-LS run is longer than its line");
                length = remaining;
            }
        }
        for slot in &mut current[x..x + length] {
            *slot = value;
        }
        if x + length > w {
            return length;
        }
        // The run-interruption sample.
        let at = x + length;
        let (ra, rb) = (current[at - 1], previous[at]);
        current[at] = self.decode_interruption(ra, rb);
        self.run_index = self.run_index.saturating_sub(1);
        length + 1
    }

    fn decode_interruption(&mut self, ra: i32, rb: i32) -> i32 {
        let kind = usize::from((ra - rb).abs() <= self.p.near);
        let ctx = self.run_contexts[kind];
        let k = golomb_k(ctx.n, ctx.a + (ctx.n >> 1) * ctx.kind);
        let limit = self.limit - J[self.run_index] as i32 - 1;
        let coded = self.read_value(k, limit);
        let temp = coded + ctx.kind;
        let map = temp & 1;
        let magnitude = (temp + map) / 2;
        let negative = (k != 0 || 2 * ctx.nn >= ctx.n) == (map == 1);
        let error = if negative { -magnitude } else { magnitude };
        let ctx = &mut self.run_contexts[kind];
        if error < 0 {
            ctx.nn += 1;
        }
        ctx.a += (coded + 1 - ctx.kind) >> 1;
        if ctx.n == self.p.reset {
            ctx.a >>= 1;
            ctx.n >>= 1;
            ctx.nn >>= 1;
        }
        ctx.n += 1;
        let step = error * (2 * self.p.near + 1);
        let value = if kind == 1 {
            ra + step
        } else if rb > ra {
            rb + step
        } else {
            rb - step
        };
        self.reconstruct(value)
    }
}

/// Whether any of the eight bytes of `word` is 0xFF (a byte of all ones
/// becomes zero in `!word`; the classic test for a zero byte finds it).
fn has_ff_byte(word: u64) -> bool {
    let inverted = !word;
    inverted.wrapping_sub(0x0101_0101_0101_0101) & !inverted & 0x8080_8080_8080_8080 != 0
}

/// Gradients quantised for every difference −MAXVAL..=MAXVAL, kept per
/// thread for the last parameters: the frames of a CSQ share them, and the
/// table of a 16-bit stream (131 071 entries) costs more to build than a
/// tenth of a frame.
fn quantizer(p: &Parameters) -> std::rc::Rc<[i8]> {
    type Thresholds = (i32, i32, i32, i32, i32);
    thread_local! {
        static LAST: std::cell::RefCell<Option<(Thresholds, std::rc::Rc<[i8]>)>> =
            const { std::cell::RefCell::new(None) };
    }
    let key = (p.max_value, p.near, p.t1, p.t2, p.t3);
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some((cached, table)) if *cached == key => std::rc::Rc::clone(table),
            _ => {
                let table: std::rc::Rc<[i8]> = (-p.max_value..=p.max_value)
                    .map(|d| quantize(p, d) as i8)
                    .collect();
                *last = Some((key, std::rc::Rc::clone(&table)));
                table
            }
        }
    })
}

/// The quantised gradient of `d` (T.87 A.3.3).
fn quantize(p: &Parameters, d: i32) -> i32 {
    match d {
        d if d <= -p.t3 => -4,
        d if d <= -p.t2 => -3,
        d if d <= -p.t1 => -2,
        d if d < -p.near => -1,
        d if d <= p.near => 0,
        d if d < p.t1 => 1,
        d if d < p.t2 => 2,
        d if d < p.t3 => 3,
        _ => 4,
    }
}

/// The median edge detector (T.87 A.4.1).
fn median_edge(a: i32, b: i32, c: i32) -> i32 {
    if c >= a.max(b) {
        a.min(b)
    } else if c <= a.min(b) {
        a.max(b)
    } else {
        a + b - c
    }
}

/// The Golomb parameter: the smallest k with `n·2^k ≥ a`, at most 24 (in
/// i64: a RESET of up to 65 535 from an LSE segment would overflow i32).
fn golomb_k(n: i32, a: i32) -> u32 {
    let (n, a) = (n.max(1) as i64, a as i64);
    if n >= a {
        return 0;
    }
    // n·2^k ≥ a needs k ≥ bits(a) − bits(n) − 1, and one more at most.
    let mut k = (63 - a.leading_zeros())
        .saturating_sub(64 - n.leading_zeros())
        .min(24);
    while k < 24 && (n << k) < a {
        k += 1;
    }
    k
}

/// ⌈log2(v)⌉ for v ≥ 1.
fn ceil_log2(v: i32) -> u32 {
    let mut bits = 0;
    while (1i64 << bits) < v as i64 {
        bits += 1;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_follow_the_standard() {
        assert_eq!(median_edge(10, 20, 5), 20);
        assert_eq!(median_edge(10, 20, 25), 10);
        assert_eq!(median_edge(10, 20, 15), 15);
        assert_eq!(golomb_k(1, 1024), 10);
        assert_eq!(golomb_k(4, 3), 0);
        // Against the definition, by search.
        for n in 1..300 {
            for a in [0, 1, 2, 3, 7, 8, 9, 100, 1000, 65_535, 1 << 20, 1 << 30] {
                let mut k = 0;
                while k < 24 && ((n as i64) << k) < a as i64 {
                    k += 1;
                }
                assert_eq!(golomb_k(n, a), k, "n {n}, a {a}");
            }
        }
        assert_eq!(ceil_log2(65536), 16);
        assert_eq!(ceil_log2(2), 1);
        // T.87 C.2.4.1.1.2 defaults for 8 bits lossless: 3, 7, 21.
        assert_eq!(default_thresholds(255, 0), (3, 7, 21));
        assert!(has_ff_byte(0x0000_00FF_0000_0000));
        assert!(has_ff_byte(0xFF00_0000_0000_0000));
        assert!(!has_ff_byte(0xFEFE_7F80_0102_FEEF));
        // For 16 bits: FACTOR = (4095 + 128)/256 = 16 → 18, 67, 276.
        assert_eq!(default_thresholds(65535, 0), (18, 67, 276));
    }
}
