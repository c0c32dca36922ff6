//! NumPy `.npy` (format 1.0) for 2D little-endian float32 arrays, the only kind
//! wifiplan writes: a short header, then the values row by row.

use std::io;

/// Encodes a `[rows][cols]` float32 array (row-major `data`) as `.npy` bytes.
pub fn write_npy_f32(rows: usize, cols: usize, data: &[f32]) -> Vec<u8> {
    assert_eq!(rows * cols, data.len(), "npy shape does not match the data");
    let dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");
    // Magic (6) + version (2) + header length (2) + dict + padding + '\n', to a multiple of 64.
    let unpadded = 10 + dict.len() + 1;
    let total = unpadded.div_ceil(64) * 64;
    let mut out = Vec::with_capacity(total + data.len() * 4);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&((total - 10) as u16).to_le_bytes());
    out.extend_from_slice(dict.as_bytes());
    out.resize(total - 1, b' ');
    out.push(b'\n');
    for v in data {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Decodes `.npy` bytes holding a 2D little-endian float32 C-order array: (rows, cols, data).
pub fn read_npy_f32(bytes: &[u8]) -> io::Result<(usize, usize, Vec<f32>)> {
    let bad = |m: &str| io::Error::new(io::ErrorKind::InvalidData, format!("not a 2D float32 .npy file: {m}"));
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(bad("no magic"));
    }
    let (len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize, 12),
        _ => return Err(bad("unknown version")),
    };
    let header = std::str::from_utf8(bytes.get(start..start + len).ok_or_else(|| bad("short header"))?)
        .map_err(|_| bad("header is not text"))?;
    if !header.contains("'<f4'") || header.contains("'fortran_order': True") {
        return Err(bad("not little-endian float32 in C order"));
    }
    let shape = header.split("'shape': (").nth(1).and_then(|s| s.split(')').next()).ok_or_else(|| bad("no shape"))?;
    let dims: Vec<usize> = shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| bad("bad shape")))
        .collect::<Result<_, _>>()?;
    let [rows, cols] = dims[..] else { return Err(bad("not 2D")) };
    let body = &bytes[start + len..];
    if body.len() != rows * cols * 4 {
        return Err(bad("data length does not match the shape"));
    }
    Ok((rows, cols, body.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_infinities_and_an_aligned_header() {
        let data = [1.5f32, f32::NEG_INFINITY, -67.25, 0.0, 3.0, 4.0];
        let bytes = write_npy_f32(2, 3, &data);
        assert_eq!((bytes.len() - data.len() * 4) % 64, 0);
        let (r, c, back) = read_npy_f32(&bytes).unwrap();
        assert_eq!((r, c), (2, 3));
        assert_eq!(back, data);
    }
}
