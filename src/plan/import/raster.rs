//! Scanned or exported plan images: colours mean materials (a legend with a tolerance),
//! wall pixels are thinned to a one-pixel skeleton (Zhang–Suen), traced into pixel
//! chains and simplified (Douglas–Peucker) into segments; the stroke width gives the
//! thickness where the legend does not. Images are measured before they are decoded and
//! refused above a size (decompression bombs).

use super::ImportError;
use super::assemble::{Extract, OpeningPiece, Piece};
use super::config::{RasterScale, RasterSettings, Role};
use crate::geometry::P2;
use crate::plan::OpeningKind;
use std::collections::BTreeMap;

/// Pixels whose channels are all at least this are background.
const WHITE: u8 = 230;
/// Smallest Douglas–Peucker tolerance [px] (half the stroke width when larger).
const SIMPLIFY_PX: f64 = 1.5;
/// Skeleton chains shorter than this are noise [px].
const MIN_CHAIN_PX: usize = 4;

/// Pixels per metre of a scale.
fn pixels_per_metre(scale: &RasterScale) -> f64 {
    match *scale {
        RasterScale::PixelsPerMetre(p) => p,
        RasterScale::TwoPoints(a, b, d) => (a.0 - b.0).hypot(a.1 - b.1) / d,
    }
}

/// Zhang–Suen thinning of a binary image in place.
fn thin(mask: &mut [bool], w: usize, h: usize) {
    let at = |m: &[bool], x: isize, y: isize| {
        x >= 0 && y >= 0 && (x as usize) < w && (y as usize) < h && m[y as usize * w + x as usize]
    };
    loop {
        let mut changed = false;
        for step in 0..2 {
            let mut remove = Vec::new();
            for y in 0..h as isize {
                for x in 0..w as isize {
                    if !at(mask, x, y) {
                        continue;
                    }
                    // P2..P9 clockwise from north.
                    let n = [
                        at(mask, x, y - 1),
                        at(mask, x + 1, y - 1),
                        at(mask, x + 1, y),
                        at(mask, x + 1, y + 1),
                        at(mask, x, y + 1),
                        at(mask, x - 1, y + 1),
                        at(mask, x - 1, y),
                        at(mask, x - 1, y - 1),
                    ];
                    let b = n.iter().filter(|&&v| v).count();
                    let a = (0..8).filter(|&i| !n[i] && n[(i + 1) % 8]).count();
                    let (p2, p4, p6, p8) = (n[0], n[2], n[4], n[6]);
                    // Step 1: P2·P4·P6 = P4·P6·P8 = 0; step 2: P2·P4·P8 = P2·P6·P8 = 0.
                    let cond = if step == 0 { !(p4 && p6 && (p2 || p8)) } else { !(p2 && p8 && (p4 || p6)) };
                    if (2..=6).contains(&b) && a == 1 && cond {
                        remove.push(y as usize * w + x as usize);
                    }
                }
            }
            changed |= !remove.is_empty();
            for i in remove {
                mask[i] = false;
            }
        }
        if !changed {
            break;
        }
    }
}

/// Chains of skeleton pixels between endpoints and junctions (and closed loops), each
/// with whether its first and last pixels are free ends of the skeleton.
type Chain = (Vec<(usize, usize)>, bool, bool);

fn trace(skel: &[bool], w: usize, h: usize) -> Vec<Chain> {
    let neighbours = |i: usize| {
        let (x, y) = ((i % w) as isize, (i / w) as isize);
        let mut out = Vec::with_capacity(8);
        for dy in -1..=1 {
            for dx in -1..=1 {
                let (nx, ny) = (x + dx, y + dy);
                if (dx, dy) != (0, 0) && nx >= 0 && ny >= 0 && (nx as usize) < w && (ny as usize) < h {
                    let j = ny as usize * w + nx as usize;
                    if skel[j] {
                        out.push(j);
                    }
                }
            }
        }
        out
    };
    let degree: Vec<u8> = (0..skel.len()).map(|i| if skel[i] { neighbours(i).len() as u8 } else { 0 }).collect();
    let is_node = |i: usize| skel[i] && degree[i] != 2;
    let mut used: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    let mut visited = vec![false; skel.len()];
    let mut chains = Vec::new();
    let walk =
        |start: usize, first: usize, used: &mut std::collections::HashSet<(usize, usize)>, visited: &mut Vec<bool>| {
            let mut chain = vec![start, first];
            used.insert((start.min(first), start.max(first)));
            visited[start] = true;
            let (mut prev, mut cur) = (start, first);
            while !is_node(cur) && cur != start {
                visited[cur] = true;
                let Some(next) =
                    neighbours(cur).into_iter().find(|&n| n != prev && !used.contains(&(cur.min(n), cur.max(n))))
                else {
                    break;
                };
                used.insert((cur.min(next), cur.max(next)));
                chain.push(next);
                prev = cur;
                cur = next;
            }
            visited[cur] = true;
            chain
        };
    for i in (0..skel.len()).filter(|&i| is_node(i)) {
        for n in neighbours(i) {
            if !used.contains(&(i.min(n), i.max(n))) {
                chains.push(walk(i, n, &mut used, &mut visited));
            }
        }
    }
    // Loops with no node.
    for i in 0..skel.len() {
        if skel[i] && !visited[i] {
            if let Some(n) = neighbours(i).into_iter().next() {
                chains.push(walk(i, n, &mut used, &mut visited));
            } else {
                visited[i] = true;
            }
        }
    }
    chains
        .into_iter()
        .filter(|c| c.len() >= MIN_CHAIN_PX)
        .map(|c| {
            let (first, last) = (degree[c[0]] == 1, degree[c[c.len() - 1]] == 1);
            (c.into_iter().map(|i| (i % w, i / w)).collect(), first, last)
        })
        .collect()
}

/// Douglas–Peucker simplification of a pixel chain.
fn simplify(points: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let (a, b) = (points[0], points[points.len() - 1]);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy);
    let dist = |p: &(f64, f64)| {
        if len < 1e-12 { (p.0 - a.0).hypot(p.1 - a.1) } else { ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / len }
    };
    let (k, d) =
        points.iter().enumerate().map(|(i, p)| (i, dist(p))).fold((0, 0.0), |m, v| if v.1 > m.1 { v } else { m });
    if d <= tol {
        return vec![a, b];
    }
    let mut left = simplify(&points[..=k], tol);
    left.pop();
    left.extend(simplify(&points[k..], tol));
    left
}

/// Geometry of a PNG plan and the unmapped colours with their pixel counts.
pub fn extract(bytes: &[u8], settings: &RasterSettings) -> Result<(Extract, BTreeMap<String, usize>), ImportError> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImportError::Format(format!("not a readable image: {e}")))?;
    let (w, h) = reader.into_dimensions().map_err(|e| ImportError::Format(format!("not a readable image: {e}")))?;
    if u64::from(w) * u64::from(h) > settings.max_pixels {
        return Err(ImportError::TooLarge { width: w, height: h, limit: settings.max_pixels });
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImportError::Format(format!("not a readable image: {e}")))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(settings.max_pixels.saturating_mul(8));
    reader.limits(limits);
    let img = reader.decode().map_err(|e| ImportError::Format(format!("not a readable image: {e}")))?.to_rgb8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    let ppm = pixels_per_metre(&settings.scale);
    let to_m = |x: f64, y: f64| P2::new(x / ppm, (h as f64 - y) / ppm);

    // Label every pixel with its legend entry.
    let mut label = vec![u8::MAX; w * h];
    let mut unmapped: BTreeMap<(u8, u8, u8), usize> = BTreeMap::new();
    for (i, p) in img.pixels().enumerate() {
        let [r, g, b] = p.0;
        let hit = settings.legend.iter().position(|e| {
            let t = e.tolerance;
            r.abs_diff(e.colour.0) <= t && g.abs_diff(e.colour.1) <= t && b.abs_diff(e.colour.2) <= t
        });
        match hit {
            Some(k) => label[i] = k as u8,
            None if r >= WHITE && g >= WHITE && b >= WHITE => {}
            None => *unmapped.entry((r / 32 * 32, g / 32 * 32, b / 32 * 32)).or_default() += 1,
        }
    }
    let mut x = Extract::default();
    for (k, entry) in settings.legend.iter().enumerate() {
        let mut mask: Vec<bool> = label.iter().map(|&l| l as usize == k).collect();
        let area = mask.iter().filter(|&&m| m).count();
        if area == 0 {
            continue;
        }
        thin(&mut mask, w, h);
        let skeleton = mask.iter().filter(|&&m| m).count().max(1);
        let stroke_m = area as f64 / skeleton as f64 / ppm;
        let thickness = entry.thickness.unwrap_or(stroke_m.max(0.01));
        // Wiggles within half a stroke are the skeleton's, not the wall's.
        let tolerance = SIMPLIFY_PX.max(0.5 * area as f64 / skeleton as f64);
        let half_stroke = 0.5 * area as f64 / skeleton as f64;
        for (chain, free_first, free_last) in trace(&mask, w, h) {
            let pts: Vec<(f64, f64)> = chain.iter().map(|&(px, py)| (px as f64 + 0.5, py as f64 + 0.5)).collect();
            let mut simple = simplify(&pts, tolerance);
            // Thinning eats half a stroke at free ends: give it back.
            let n = simple.len();
            if n >= 2 {
                let grow = |end: (f64, f64), towards: (f64, f64)| {
                    let (dx, dy) = (end.0 - towards.0, end.1 - towards.1);
                    let len = dx.hypot(dy).max(1e-9);
                    (end.0 + dx / len * half_stroke, end.1 + dy / len * half_stroke)
                };
                if free_first {
                    simple[0] = grow(simple[0], simple[1]);
                }
                if free_last {
                    simple[n - 1] = grow(simple[n - 1], simple[n - 2]);
                }
            }
            let simple: Vec<P2> = simple.into_iter().map(|(px, py)| to_m(px, py)).collect();
            match entry.role {
                Role::Wall => {
                    for s in simple.windows(2) {
                        x.walls.push(Piece { a: s[0], b: s[1], material: entry.material.clone(), thickness });
                    }
                }
                Role::Door | Role::Window => {
                    let kind = if entry.role == Role::Door { OpeningKind::Door } else { OpeningKind::Window };
                    if let (Some(a), Some(b)) = (simple.first(), simple.last())
                        && (b - a).norm() > 0.0
                    {
                        x.openings.push(OpeningPiece {
                            a: *a,
                            b: *b,
                            kind,
                            material: entry.material.clone(),
                            thickness,
                        });
                    }
                }
            }
        }
    }
    if settings.detect_rooms {
        x.outlines = rooms(&label, w, h, &to_m);
    }
    if x.walls.is_empty() {
        return Err(ImportError::NothingMatched("no pixel of the image has a legend colour of a wall".into()));
    }
    let unmapped = unmapped
        .into_iter()
        .filter(|(_, n)| *n >= 16)
        .map(|((r, g, b), n)| (format!("colour about ({r}, {g}, {b})"), n))
        .collect();
    Ok((x, unmapped))
}

/// Enclosed background regions that fill most of their bounding box, as rectangles
/// reaching halfway into the surrounding strokes.
fn rooms(label: &[u8], w: usize, h: usize, to_m: &dyn Fn(f64, f64) -> P2) -> Vec<Vec<P2>> {
    let free = |i: usize| label[i] == u8::MAX;
    let mut seen = vec![false; w * h];
    let mut out = Vec::new();
    for start in 0..w * h {
        if seen[start] || !free(start) {
            continue;
        }
        let mut stack = vec![start];
        seen[start] = true;
        let (mut x0, mut y0, mut x1, mut y1, mut n, mut border) = (w, h, 0, 0, 0usize, false);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            n += 1;
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            border |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
            for (nx, ny) in [(x.wrapping_sub(1), y), (x + 1, y), (x, y.wrapping_sub(1)), (x, y + 1)] {
                if nx < w && ny < h {
                    let j = ny * w + nx;
                    if !seen[j] && free(j) {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        let bbox = (x1 - x0 + 1) * (y1 - y0 + 1);
        if border || n < 64 || (n as f64) < 0.85 * bbox as f64 {
            continue;
        }
        // Half a stroke on each side, measured along the middle row and column.
        let half = |step: &dyn Fn(usize) -> Option<usize>| {
            let mut k = 0;
            let mut i = step(0);
            while let Some(j) = i {
                if free(j) || k > 64 {
                    break;
                }
                k += 1;
                i = step(k);
            }
            k as f64 / 2.0
        };
        let (my, mx) = ((y0 + y1) / 2, (x0 + x1) / 2);
        let left = half(&|k| x0.checked_sub(1 + k).map(|x| my * w + x));
        let right = half(&|k| (x1 + 1 + k < w).then(|| my * w + x1 + 1 + k));
        let top = half(&|k| y0.checked_sub(1 + k).map(|y| y * w + mx));
        let bottom = half(&|k| (y1 + 1 + k < h).then(|| (y1 + 1 + k) * w + mx));
        let (fx0, fy0) = (x0 as f64 - left, y0 as f64 - top);
        let (fx1, fy1) = (x1 as f64 + 1.0 + right, y1 as f64 + 1.0 + bottom);
        out.push(vec![to_m(fx0, fy1), to_m(fx1, fy1), to_m(fx1, fy0), to_m(fx0, fy0)]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thick_stroke_thins_to_one_chain_that_simplifies_to_one_segment() {
        let (w, h) = (40, 12);
        let mut mask = vec![false; w * h];
        for y in 4..9 {
            for x in 3..37 {
                mask[y * w + x] = true;
            }
        }
        thin(&mut mask, w, h);
        let chains = trace(&mask, w, h);
        assert_eq!(chains.len(), 1, "{chains:?}");
        assert!(chains[0].1 && chains[0].2, "both ends are free");
        let pts: Vec<(f64, f64)> = chains[0].0.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
        let s = simplify(&pts, 1.5);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!((s[0].0 - s[1].0).abs() > 25.0);
    }
}
