//! Our own way to locate and sample codes, tried before rqrr's detection on every binarised pass (it is
//! cheaper than rqrr's grid fitting, and reads the frames where rqrr finds finder patterns but cannot
//! build a grid from them, or builds one it cannot read).
//!
//! rqrr (a port of quirc) gives up on a code when its flood fill cannot find the bottom-right alignment
//! pattern (common once blur merges that pattern's centre with its ring), and it samples large codes
//! through a perspective fitted to the three finder corners and that one pattern, which drifts by a module
//! or more across a dense version-25 code. Neither step can be tuned from outside, so this module does
//! them again its own way and hands the sampled modules back to rqrr's decoder (format, error correction
//! and payload stay rqrr's):
//!
//! 1. finder patterns are found as runs of dark–light–dark–light–dark in the ratio 1:1:3:1:1 along a row,
//!    confirmed by the same ratio down the column through their centre and again along the row;
//! 2. three patterns whose module sizes are within a factor of two, forming a right angle with legs within
//!    a factor of two of each other (a code seen at a steep angle), make a candidate code; its size in
//!    modules follows from the distance between them;
//! 3. each finder's outer ring is flood-filled and its four corners found (quirc's method); the twelve
//!    corners and three centres give a homography from module to pixel coordinates, which holds the
//!    code's perspective (the parallelogram of the three centres misplaces the far corner by up to 13
//!    modules on an 18% keystone). Format and version information are read through it, the bottom-right
//!    alignment pattern is searched for on the grey frame with a template within 2.5 modules of where it
//!    maps, and the fit is redone with it and then with every other alignment pattern found near its
//!    predicted place. When the corners are unusable (a ring joined to its neighbours by blur) or their
//!    reading fails, the old way is tried: the bottom-right alignment pattern searched for within 6
//!    modules of where the parallelogram puts it;
//! 4. each module is read at its centre against the local mean of the grey frame, and the grid goes to
//!    rqrr; a size one version off either way is tried too (the finder distance is an estimate).

use rqrr::BitGrid;
use zeroize::Zeroizing;

use super::{Bits, Found, Grey};

/// A finder pattern: centre in pixels, module size in pixels, and how many scan lines confirmed it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Finder {
    x: f64,
    y: f64,
    module: f64,
    count: u32,
}

/// The side of the cells that index finders while the frame is scanned, in pixels.
const CELL: f64 = 32.0;

/// At most this many finder patterns are combined into candidate codes (the best confirmed first).
const MAX_FINDERS: usize = 12;

/// Reads the codes whose finder patterns (from [`scan`] on `bits`) lie outside the areas of `known`
/// codes. `bits` is the binarised `grey` with `true` for the code's dark modules (so already inverted for
/// light-on-dark codes, and `invert` says so); positions in the result are scaled by `scale`, like the
/// pass's own results.
pub(super) fn decode(
    grey: &Grey,
    bits: &Bits,
    mut finders: Vec<Finder>,
    invert: bool,
    scale: f64,
    known: &[Found],
) -> Vec<Found> {
    let inside_known = |f: &Finder| {
        let (x, y) = (f.x * scale, f.y * scale);
        known.iter().any(|k| x >= k.left && x <= k.right && y >= k.top && y <= k.bottom)
    };
    finders.retain(|f| !inside_known(f));
    if finders.len() < 3 {
        return Vec::new();
    }
    finders.sort_by_key(|f| std::cmp::Reverse(f.count));
    finders.truncate(MAX_FINDERS);
    let means = LocalMean::new(grey);
    // Each finder's four outer corners, found once: they carry the perspective (see `corners`).
    let corners: Vec<Option<[(f64, f64); 4]>> = finders.iter().map(|f| corners(bits, f)).collect();
    let mut used = vec![false; finders.len()];
    let mut found: Vec<Found> = Vec::new();
    let n = finders.len();
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                if used[i] || used[j] || used[k] {
                    continue;
                }
                let Some((triple, order)) = arrange_indexed([finders[i], finders[j], finders[k]]) else { continue };
                let ijk = [i, j, k];
                let quads = order.map(|o| corners[ijk[o]]);
                let quads = match quads {
                    [Some(a), Some(b), Some(c)] => Some([a, b, c]),
                    _ => None,
                };
                if let Some(code) = read_triple(grey, &means, &triple, quads.as_ref(), invert, scale)
                    && !found.iter().any(|f| f.bytes == code.bytes)
                {
                    // Its own finders, and the chance ones in its data, are done with.
                    for (u, f) in used.iter_mut().zip(&finders) {
                        let (x, y) = (f.x * scale, f.y * scale);
                        *u |= x >= code.left && x <= code.right && y >= code.top && y <= code.bottom;
                    }
                    used[i] = true;
                    used[j] = true;
                    used[k] = true;
                    found.push(code);
                }
            }
        }
    }
    found
}

impl Finder {
    /// The centre in the original frame's coordinates.
    pub(super) fn centre(&self, scale: f64) -> (f64, f64) {
        (self.x * scale, self.y * scale)
    }
}

/// The areas `[x0, y0, x1, y1)` of the codes the finders outline: triples taken greedily, the most
/// confirmed finders first, each area the triple's parallelogram grown by eight modules (half a finder,
/// the quiet zone and some slack for perspective); finders inside an area are not used again.
pub(super) fn regions(finders: &[Finder], width: usize, height: usize) -> Vec<[usize; 4]> {
    let mut finders = finders.to_vec();
    finders.sort_by_key(|f| std::cmp::Reverse(f.count));
    finders.truncate(MAX_FINDERS);
    let n = finders.len();
    let mut used = vec![false; n];
    let mut regions = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                if used[i] || used[j] || used[k] {
                    continue;
                }
                let Some([tl, tr, bl]) = arrange([finders[i], finders[j], finders[k]]) else { continue };
                let module = (tl.module + tr.module + bl.module) / 3.0;
                let xs = [tl.x, tr.x, bl.x, tr.x + bl.x - tl.x];
                let ys = [tl.y, tr.y, bl.y, tr.y + bl.y - tl.y];
                let grow = module * 8.0;
                let x0 = (xs.iter().copied().fold(f64::INFINITY, f64::min) - grow).max(0.0);
                let y0 = (ys.iter().copied().fold(f64::INFINITY, f64::min) - grow).max(0.0);
                let x1 = (xs.iter().copied().fold(f64::NEG_INFINITY, f64::max) + grow).min(width as f64);
                let y1 = (ys.iter().copied().fold(f64::NEG_INFINITY, f64::max) + grow).min(height as f64);
                for (u, f) in used.iter_mut().zip(&finders) {
                    *u |= f.x >= x0 && f.x <= x1 && f.y >= y0 && f.y <= y1;
                }
                regions.push([
                    x0 as usize,
                    y0 as usize,
                    (x1 as usize).max(x0 as usize + 1),
                    (y1 as usize).max(y0 as usize + 1),
                ]);
            }
        }
    }
    regions
}

/// Whether five run lengths are in the ratio 1:1:3:1:1 (each within half a module, the centre within 1.5).
fn ratio_ok(runs: [usize; 5]) -> bool {
    let total: usize = runs.iter().sum();
    if total < 7 {
        return false;
    }
    let module = total as f64 / 7.0;
    let tolerance = module * 0.6;
    let near = |run: usize, modules: f64| (run as f64 - module * modules).abs() < tolerance * modules;
    near(runs[0], 1.0) && near(runs[1], 1.0) && near(runs[2], 3.0) && near(runs[3], 1.0) && near(runs[4], 1.0)
}

/// The five runs through `(x, y)` (which must be dark, in the centre run) along a column or a row: returns
/// the centre of the middle run and the total length, when the runs are in finder ratio and no run is
/// longer than `limit`.
fn cross(bits: &Bits, x: usize, y: usize, vertical: bool, limit: usize, polarity: bool) -> Option<(f64, usize)> {
    let (len, pos) = if vertical { (bits.height, y) } else { (bits.width, x) };
    let at =
        |i: usize| polarity == if vertical { bits.dark[i * bits.width + x] } else { bits.dark[y * bits.width + i] };
    if !at(pos) {
        return None;
    }
    let mut runs = [0usize; 5];
    // Backwards: the rest of the centre run, then light, then dark.
    let mut i = pos;
    let mut centre_start = pos;
    for (slot, dark) in [(2, true), (1, false), (0, true)] {
        while i > 0 && at(i - 1) == dark && runs[slot] <= limit {
            runs[slot] += 1;
            i -= 1;
        }
        if slot == 2 {
            centre_start = i;
        }
    }
    runs[2] += 1;
    let mut j = pos + 1;
    let mut centre_end = j;
    for (slot, dark) in [(2, true), (3, false), (4, true)] {
        while j < len && at(j) == dark && runs[slot] <= limit {
            runs[slot] += 1;
            j += 1;
        }
        if slot == 2 {
            centre_end = j;
        }
    }
    if runs.iter().any(|&r| r == 0 || r > limit) || !ratio_ok(runs) {
        return None;
    }
    Some(((centre_start + centre_end) as f64 / 2.0, runs.iter().sum()))
}

/// Every finder pattern in the frame, each confirmed along a row, a column and the row again, and on
/// at least three rows and as many as it has pixels per module (which a real pattern, three modules tall in the
/// middle, always is and chance patterns of noise are not). Returns the patterns drawn in `true` bits
/// (the codes this pass reads) and those drawn in `false` bits (codes of the other polarity).
pub(super) fn scan(bits: &Bits) -> [Vec<Finder>; 2] {
    let (w, h) = (bits.width, bits.height);
    let mut found: [Vec<Finder>; 2] = [Vec::new(), Vec::new()];
    // Finders by the cell of the frame where they were first seen, so merging a new sighting looks only
    // at its neighbourhood; a finder's centre moves by less than a cell while rows confirm it.
    let mut indexes: [std::collections::HashMap<(i64, i64), Vec<usize>>; 2] = Default::default();
    let mut runs: Vec<(usize, usize)> = Vec::with_capacity(w);
    for y in 0..h {
        let row = &bits.dark[y * w..(y + 1) * w];
        runs.clear();
        let mut start = 0;
        let mut x = 1;
        while x < w {
            // Sixteen pixels with no change from their left neighbours are skipped at once: most of a
            // row is flat, and a test per pixel was most of the scan's time.
            if let (Some(ahead), Some(behind)) = (row.get(x..x + 16), row.get(x - 1..x + 15))
                && ahead == behind
            {
                x += 16;
                continue;
            }
            if row[x] != row[x - 1] {
                runs.push((start, x - start));
                start = x;
            }
            x += 1;
        }
        runs.push((start, w - start));
        for window in runs.windows(5) {
            let polarity = row[window[0].0];
            let side = usize::from(!polarity);
            let (finders, cells) = (&mut found[side], &mut indexes[side]);
            let lengths = [window[0].1, window[1].1, window[2].1, window[3].1, window[4].1];
            if !ratio_ok(lengths) {
                continue;
            }
            let total: usize = lengths.iter().sum();
            let cx = window[2].0 + window[2].1 / 2;
            let Some((cy, v_total)) = cross(bits, cx, y, true, total * 2, polarity) else { continue };
            let Some((cx, h_total)) = cross(bits, cx, cy as usize, false, total * 2, polarity) else { continue };
            if v_total * 2 < h_total || h_total * 2 < v_total {
                continue;
            }
            let module = (h_total + v_total) as f64 / 14.0;
            let (gx, gy) = ((cx / CELL) as i64, (cy / CELL) as i64);
            let same = |f: &Finder| {
                (f.x - cx).abs() < f.module.max(module) * 2.0
                    && (f.y - cy).abs() < f.module.max(module) * 2.0
                    && f.module.max(module) < f.module.min(module) * 1.5
            };
            let reach = (module * 3.0 / CELL).ceil() as i64;
            let near = (gy - reach..=gy + reach)
                .flat_map(|y| (gx - reach..=gx + reach).map(move |x| (x, y)))
                .filter_map(|key| cells.get(&key))
                .flatten()
                .copied()
                .find(|&i| same(&finders[i]));
            match near {
                Some(i) => {
                    let f = &mut finders[i];
                    let n = f64::from(f.count);
                    f.x = (f.x * n + cx) / (n + 1.0);
                    f.y = (f.y * n + cy) / (n + 1.0);
                    f.module = (f.module * n + module) / (n + 1.0);
                    f.count += 1;
                }
                None => {
                    cells.entry((gx, gy)).or_default().push(finders.len());
                    finders.push(Finder { x: cx, y: cy, module, count: 1 });
                }
            }
        }
    }
    for finders in &mut found {
        finders.retain(|f| f.count >= 3 && f64::from(f.count) >= f.module);
    }
    found
}

/// Three finders as (top-left, top-right, bottom-left) of a code, when they can be one.
fn arrange(f: [Finder; 3]) -> Option<[Finder; 3]> {
    arrange_indexed(f).map(|(arranged, _)| arranged)
}

/// [`arrange`], also saying which of the given finders went where.
fn arrange_indexed(f: [Finder; 3]) -> Option<([Finder; 3], [usize; 3])> {
    let small = f.iter().map(|p| p.module).fold(f64::INFINITY, f64::min);
    let large = f.iter().map(|p| p.module).fold(0.0, f64::max);
    // A code seen at a steep angle: its near finder looks up to twice the size of its far ones, and its
    // near side up to twice the length of the far one (keystone of 18% of the frame width on a 16:9
    // frame). The format check rejects chance triples that these wide bounds let through.
    if large > small * 2.0 {
        return None;
    }
    let d = |a: &Finder, b: &Finder| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
    // The corner is the finder opposite the longest side.
    let sides = [d(&f[1], &f[2]), d(&f[0], &f[2]), d(&f[0], &f[1])];
    let corner = (0..3).max_by(|&a, &b| sides[a].total_cmp(&sides[b]))?;
    let tl = f[corner];
    let (mut tr, mut bl) = (f[(corner + 1) % 3], f[(corner + 2) % 3]);
    let (mut itr, mut ibl) = ((corner + 1) % 3, (corner + 2) % 3);
    let (ax, ay, bx, by) = (tr.x - tl.x, tr.y - tl.y, bl.x - tl.x, bl.y - tl.y);
    let (la, lb) = ((ax * ax + ay * ay).sqrt(), (bx * bx + by * by).sqrt());
    if la < small * 14.0 || lb < small * 14.0 || la > lb * 2.0 || lb > la * 2.0 {
        return None;
    }
    let cos = (ax * bx + ay * by) / (la * lb);
    if cos.abs() > 0.4 {
        return None;
    }
    // Clockwise in image coordinates (y down): top-right then bottom-left.
    if ax * by - ay * bx < 0.0 {
        std::mem::swap(&mut tr, &mut bl);
        std::mem::swap(&mut itr, &mut ibl);
    }
    Some(([tl, tr, bl], [corner, itr, ibl]))
}

/// The four outer corners of a finder pattern's ring, in pixels (not yet in any order): the ring is
/// flood-filled in `bits` from the first dark run right of the centre, and its corners are the pixels
/// farthest out along the diagonal through the farthest pixel and along the one across it (quirc's
/// method). A square seen at an angle is a quadrilateral; its corners say how the code is tilted where
/// the finder sits, which the centres and module sizes alone cannot. `None` when the ring touches other
/// dark pixels (blur, a code without its separator) and its outline is not the finder's.
fn corners(bits: &Bits, f: &Finder) -> Option<[(f64, f64); 4]> {
    let (w, h) = (bits.width, bits.height);
    let (cx, cy) = (f.x as usize, f.y as usize);
    if cx >= w || cy >= h || !bits.dark[cy * w + cx] {
        return None;
    }
    // Right from the centre: the rest of the centre stone, the light ring, then the outer dark ring.
    let limit = (f.module * 6.0).ceil() as usize + 2;
    let row = &bits.dark[cy * w..(cy + 1) * w];
    let mut x = cx;
    for want in [false, true] {
        while x < w && row[x] != want {
            x += 1;
            if x - cx > limit {
                return None;
            }
        }
    }
    if x >= w {
        return None;
    }
    // Flood fill inside a box of ±6 modules: a ring that leaks out of it is joined to something else.
    let reach = (f.module * 6.0).ceil() as usize + 2;
    let (x0, y0) = (cx.saturating_sub(reach), cy.saturating_sub(reach));
    let (x1, y1) = ((cx + reach + 1).min(w), (cy + reach + 1).min(h));
    let bw = x1 - x0;
    let mut seen = vec![false; bw * (y1 - y0)];
    let mut stack = vec![(x, cy)];
    seen[(cy - y0) * bw + x - x0] = true;
    let mut pixels: Vec<(usize, usize)> = Vec::new();
    while let Some((px, py)) = stack.pop() {
        pixels.push((px, py));
        let neighbours = [(px.wrapping_sub(1), py), (px + 1, py), (px, py.wrapping_sub(1)), (px, py + 1)];
        for (nx, ny) in neighbours {
            if nx >= w || ny >= h {
                continue;
            }
            if nx < x0 || ny < y0 || nx >= x1 || ny >= y1 {
                if bits.dark[ny * w + nx] {
                    return None;
                }
                continue;
            }
            let i = (ny - y0) * bw + nx - x0;
            if !seen[i] && bits.dark[ny * w + nx] {
                seen[i] = true;
                stack.push((nx, ny));
            }
        }
    }
    // A ring of 24 modules' area at least; much less is a fragment.
    if (pixels.len() as f64) < f.module * f.module * 12.0 {
        return None;
    }
    let centre = (f.x, f.y);
    let far = pixels.iter().copied().max_by(|a, b| {
        let d = |p: (usize, usize)| (p.0 as f64 + 0.5 - centre.0).powi(2) + (p.1 as f64 + 0.5 - centre.1).powi(2);
        d(*a).total_cmp(&d(*b))
    })?;
    let (ux, uy) = (far.0 as f64 + 0.5 - centre.0, far.1 as f64 + 0.5 - centre.1);
    let mut best = [(f64::NEG_INFINITY, (0.0, 0.0)); 4];
    for &(px, py) in &pixels {
        let (dx, dy) = (px as f64 + 0.5 - centre.0, py as f64 + 0.5 - centre.1);
        let (along, across) = (dx * ux + dy * uy, -dx * uy + dy * ux);
        for (slot, score) in [along, across, -along, -across].into_iter().enumerate() {
            if score > best[slot].0 {
                best[slot] = (score, (dx, dy));
            }
        }
    }
    // The outermost pixel's centre lies half a pixel inside the corner of the ring's outline.
    Some(best.map(|(_, (dx, dy))| (centre.0 + dx + 0.5 * dx.signum(), centre.1 + dy + 0.5 * dy.signum())))
}

/// The homography of a code of `size` modules from its finders' corners (`quads`, for top-left,
/// top-right and bottom-left) and centres: each corner is put at the module corner it lies at, judged by
/// its offset from its finder's centre along the code's two axes. `None` when a finder's corners do not
/// fall one in each quarter, or the fit leaves a point more than a module from where it maps.
fn corner_homography(f: &[Finder; 3], quads: &[[(f64, f64); 4]; 3], size: usize) -> Option<(Homography, Vec<Pair>)> {
    let [tl, tr, bl] = *f;
    let s = size as f64;
    let (ax, ay, bx, by) = (tr.x - tl.x, tr.y - tl.y, bl.x - tl.x, bl.y - tl.y);
    let det = ax * by - ay * bx;
    if det.abs() < 1e-9 {
        return None;
    }
    let centres = [(3.5, 3.5), (s - 3.5, 3.5), (3.5, s - 3.5)];
    let mut pairs: Vec<Pair> = Vec::with_capacity(15);
    for ((finder, quad), (mu, mv)) in f.iter().zip(quads).zip(centres) {
        pairs.push(((mu, mv), (finder.x, finder.y)));
        let mut taken = [false; 4];
        for &(x, y) in quad {
            let (dx, dy) = (x - finder.x, y - finder.y);
            // Offset in the code's axes (TL→TR, TL→BL), by Cramer's rule.
            let a = (dx * by - dy * bx) / det;
            let b = (ax * dy - ay * dx) / det;
            let slot = usize::from(a > 0.0) + 2 * usize::from(b > 0.0);
            if taken[slot] {
                return None;
            }
            taken[slot] = true;
            let (su, sv) = (if a > 0.0 { 3.5 } else { -3.5 }, if b > 0.0 { 3.5 } else { -3.5 });
            pairs.push(((mu + su, mv + sv), (x, y)));
        }
    }
    let h = Homography::fit(&pairs)?;
    let module = (tl.module + tr.module + bl.module) / 3.0;
    let fits = pairs.iter().all(|&((u, v), (x, y))| {
        let (px, py) = h.map(u, v);
        (px - x).hypot(py - y) < module * 1.2
    });
    fits.then_some((h, pairs))
}

/// Local means of the grey frame from an integral image.
///
/// The sums are kept in 32 bits when the whole frame's total fits (up to 16.8 million pixels, so every
/// webcam frame): half the memory to write and read of 64-bit sums, which made this most of the cost of a
/// finder pass on a 720p frame.
struct LocalMean {
    width: usize,
    height: usize,
    sums: Sums,
}

enum Sums {
    Small(Vec<u32>),
    Large(Vec<u64>),
}

impl LocalMean {
    fn new(grey: &Grey) -> Self {
        let (w, h) = (grey.width, grey.height);
        let sums = if (w * h) as u64 * 255 <= u64::from(u32::MAX) {
            Sums::Small(integral(grey, u32::from))
        } else {
            Sums::Large(integral(grey, u64::from))
        };
        Self { width: w, height: h, sums }
    }

    /// Mean over the square of half-side `r` around `(x, y)`, clamped to the frame.
    fn at(&self, x: usize, y: usize, r: usize) -> f64 {
        let (x0, y0) = (x.saturating_sub(r), y.saturating_sub(r));
        let (x1, y1) = ((x + r + 1).min(self.width), (y + r + 1).min(self.height));
        let stride = self.width + 1;
        // (rows y0..y1 of columns 0..x1) − (rows y0..y1 of columns 0..x0): no step goes below zero.
        let total = match &self.sums {
            Sums::Small(s) => {
                u64::from((s[y1 * stride + x1] - s[y0 * stride + x1]) - (s[y1 * stride + x0] - s[y0 * stride + x0]))
            }
            Sums::Large(s) => (s[y1 * stride + x1] - s[y0 * stride + x1]) - (s[y1 * stride + x0] - s[y0 * stride + x0]),
        };
        total as f64 / ((x1 - x0) * (y1 - y0)) as f64
    }
}

/// The integral image of `grey`, `(width + 1) × (height + 1)` with a zero first row and column.
fn integral<T>(grey: &Grey, widen: impl Fn(u8) -> T) -> Vec<T>
where
    T: Copy + Default + std::ops::Add<Output = T>,
{
    let (w, h) = (grey.width, grey.height);
    let stride = w + 1;
    let mut sums = vec![T::default(); stride * (h + 1)];
    for y in 0..h {
        let (above, below) = sums.split_at_mut((y + 1) * stride);
        let above = &above[y * stride + 1..];
        let below = &mut below[1..stride];
        let mut row = T::default();
        for ((s, &a), &p) in below.iter_mut().zip(above).zip(&grey.pixels[y * w..(y + 1) * w]) {
            row = row + widen(p);
            *s = a + row;
        }
    }
    sums
}

/// A point in module coordinates and where it is in the frame, in pixels.
type Pair = ((f64, f64), (f64, f64));

/// A projective map from module coordinates to pixels.
#[derive(Clone, Copy)]
struct Homography([f64; 8]);

impl Homography {
    fn map(&self, u: f64, v: f64) -> (f64, f64) {
        let m = &self.0;
        let w = m[6] * u + m[7] * v + 1.0;
        ((m[0] * u + m[1] * v + m[2]) / w, (m[3] * u + m[4] * v + m[5]) / w)
    }

    /// The least-squares fit (exact for four points) mapping each `(u, v)` to its `(x, y)`.
    fn fit(pairs: &[Pair]) -> Option<Self> {
        let mut ata = [[0f64; 8]; 8];
        let mut atb = [0f64; 8];
        for &((u, v), (x, y)) in pairs {
            let rows =
                [([u, v, 1.0, 0.0, 0.0, 0.0, -u * x, -v * x], x), ([0.0, 0.0, 0.0, u, v, 1.0, -u * y, -v * y], y)];
            for (row, b) in rows {
                for i in 0..8 {
                    for j in 0..8 {
                        ata[i][j] += row[i] * row[j];
                    }
                    atb[i] += row[i] * b;
                }
            }
        }
        solve(ata, atb).map(Self)
    }
}

/// Gaussian elimination with partial pivoting.
fn solve(mut a: [[f64; 8]; 8], mut b: [f64; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..8 {
            let factor = a[row][col] / pivot_row[col];
            for (cell, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *cell -= factor * p;
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = [0f64; 8];
    for row in (0..8).rev() {
        let rest: f64 = (row + 1..8).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Alignment pattern centres (in modules, 0-based) of a code of `size` modules (ISO 18004 table E.1).
fn alignment_positions(size: usize) -> Vec<usize> {
    let version = (size - 17) / 4;
    if version < 2 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let step = if version == 32 { 26 } else { (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2 };
    let mut positions: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    positions.push(6);
    positions.reverse();
    positions
}

/// Grey level at a point (nearest pixel), or `None` outside the frame.
fn grey_at(grey: &Grey, x: f64, y: f64) -> Option<u8> {
    if x < 0.0 || y < 0.0 {
        return None;
    }
    let (xi, yi) = (x as usize, y as usize);
    (xi < grey.width && yi < grey.height).then(|| grey.pixels[yi * grey.width + xi])
}

/// How well a 5×5-module alignment pattern centred at `(x, y)` fits, with module steps `ex`, `ey` in
/// pixels: dark centre and outer ring, light inner ring, measured against `mean`.
fn alignment_score(grey: &Grey, x: f64, y: f64, ex: (f64, f64), ey: (f64, f64), mean: f64, invert: bool) -> f64 {
    let mut score = 0.0;
    for j in -2i32..=2 {
        for i in -2i32..=2 {
            let (fi, fj) = (f64::from(i), f64::from(j));
            let Some(g) = grey_at(grey, x + fi * ex.0 + fj * ey.0, y + fi * ex.1 + fj * ey.1) else {
                return f64::NEG_INFINITY;
            };
            let ring = i.abs().max(j.abs());
            let darkness = if invert { f64::from(g) - mean } else { mean - f64::from(g) };
            // The inner ring's eight cells weigh as much as the centre and the outer ring's sixteen.
            score += match ring {
                0 => darkness * 4.0,
                1 => -darkness,
                _ => darkness * 0.25,
            };
        }
    }
    score
}

/// The best alignment-pattern centre within `radius` pixels of `(x, y)`, with its score.
#[allow(clippy::too_many_arguments)]
fn search_alignment(
    grey: &Grey,
    means: &LocalMean,
    x: f64,
    y: f64,
    ex: (f64, f64),
    ey: (f64, f64),
    radius: f64,
    invert: bool,
) -> Option<((f64, f64), f64)> {
    let module = ((ex.0 * ex.0 + ex.1 * ex.1).sqrt() + (ey.0 * ey.0 + ey.1 * ey.1).sqrt()) / 2.0;
    if x < 0.0 || y < 0.0 || x >= grey.width as f64 || y >= grey.height as f64 {
        return None;
    }
    let mean = means.at(x as usize, y as usize, (module * 3.0) as usize + 1);
    let r = radius.ceil() as i32;
    let mut best: Option<((f64, f64), f64)> = None;
    for dy in -r..=r {
        for dx in -r..=r {
            let (px, py) = (x + f64::from(dx), y + f64::from(dy));
            let score = alignment_score(grey, px, py, ex, ey, mean, invert);
            if best.is_none_or(|(_, s)| score > s) {
                best = Some(((px, py), score));
            }
        }
    }
    // Half-pixel refinement around the best whole-pixel position.
    let ((bx, by), _) = best?;
    for dy in [-0.5, 0.0, 0.5] {
        for dx in [-0.5, 0.0, 0.5] {
            let score = alignment_score(grey, bx + dx, by + dy, ex, ey, mean, invert);
            if best.is_none_or(|(_, s)| score > s) {
                best = Some(((bx + dx, by + dy), score));
            }
        }
    }
    best.filter(|(_, s)| *s > 0.0)
}

/// The modules of a code read from the frame.
struct Sampled {
    size: usize,
    dark: Vec<bool>,
}

impl BitGrid for Sampled {
    fn size(&self) -> usize {
        self.size
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.dark[y * self.size + x]
    }
}

/// Tries the sizes the finder distance allows for one arranged triple. A size is read only when the
/// format information beside the finders is a valid code word (which rejects most chance triples before
/// the costly steps), and from version 7 on the version information fixes the size exactly. With the
/// finders' corners (`quads`), format and version are read through the homography the corners give and
/// the modules are sampled through it first: under perspective the finders' parallelogram misplaces
/// the far corner by many modules.
fn read_triple(
    grey: &Grey,
    means: &LocalMean,
    f: &[Finder; 3],
    quads: Option<&[[(f64, f64); 4]; 3]>,
    invert: bool,
    scale: f64,
) -> Option<Found> {
    let [tl, tr, bl] = *f;
    let module = (tl.module + tr.module + bl.module) / 3.0;
    let across = ((tr.x - tl.x).hypot(tr.y - tl.y) + (bl.x - tl.x).hypot(bl.y - tl.y)) / 2.0 / module + 7.0;
    let estimate = ((across - 17.0) / 4.0).round().max(1.0) as usize * 4 + 17;
    let mut tried: Vec<usize> = Vec::new();
    for size in [estimate, estimate + 4, estimate.saturating_sub(4), estimate + 8, estimate.saturating_sub(8)] {
        if !(21..=177).contains(&size) {
            continue;
        }
        let fitted = quads.and_then(|q| corner_homography(f, q, size));
        let near = Near::new(grey, means, f, size, invert, fitted.as_ref().map(|(h, _)| *h));
        let near_ok = near.format_ok();
        // The corners' fit can be wrong where the parallelogram is right (a finder's ring touched by
        // blur): then the parallelogram's reading is the one to go on.
        let (near, fitted) = if near_ok || fitted.is_none() {
            (near, fitted)
        } else {
            (Near::new(grey, means, f, size, invert, None), None)
        };
        if !(near_ok || near.format_ok()) {
            continue;
        }
        let size = if size >= 45 { near.version().map_or(size, |v| v * 4 + 17) } else { size };
        if tried.contains(&size) {
            continue;
        }
        tried.push(size);
        let fitted = match (fitted, quads) {
            (Some(fitted), Some(q)) if size != near.size => corner_homography(f, q, size).or(Some(fitted)),
            (fitted, _) => fitted,
        };
        if let Some((h, pairs)) = fitted
            && let Some(found) = read_with_corners(grey, means, h, pairs, size, invert, scale)
        {
            return Some(found);
        }
        if let Some(found) = read_at_size(grey, means, f, size, invert, scale) {
            return Some(found);
        }
    }
    None
}

/// Reads a code of `size` modules through the homography of its finders' corners: the bottom-right
/// alignment pattern is searched for close to where it maps (two and a half modules), the fit redone with
/// it and then with every other alignment pattern, and the modules sampled.
fn read_with_corners(
    grey: &Grey,
    means: &LocalMean,
    h: Homography,
    mut pairs: Vec<Pair>,
    size: usize,
    invert: bool,
    scale: f64,
) -> Option<Found> {
    let positions = alignment_positions(size);
    let mut homography = h;
    if let Some(&last) = positions.last() {
        let (u, v) = (last as f64 + 0.5, last as f64 + 0.5);
        let (x, y) = h.map(u, v);
        let (x1, y1) = h.map(u + 1.0, v);
        let (x2, y2) = h.map(u, v + 1.0);
        let (ex, ey) = ((x1 - x, y1 - y), (x2 - x, y2 - y));
        let module = (ex.0.hypot(ex.1) + ey.0.hypot(ey.1)) / 2.0;
        if let Some((p, _)) = search_alignment(grey, means, x, y, ex, ey, module * 2.5, invert) {
            pairs.push(((u, v), p));
            homography = Homography::fit(&pairs).unwrap_or(h);
        }
        if positions.len() > 2 {
            homography = refine(grey, means, homography, &positions, &mut pairs, invert);
        }
    }
    decode_grid(grey, means, &homography, size, invert, scale)
}

/// Reads single modules close to the finders, each from the nearest finder's centre and module steps
/// taken from the distances between finders (good for the few modules around a finder, whatever the
/// perspective).
struct Near<'a> {
    grey: &'a Grey,
    means: &'a LocalMean,
    finders: [Finder; 3],
    size: usize,
    ex: (f64, f64),
    ey: (f64, f64),
    radius: usize,
    invert: bool,
    /// The finders' corners' homography, when known: then modules are placed through it.
    homography: Option<Homography>,
}

impl<'a> Near<'a> {
    fn new(
        grey: &'a Grey,
        means: &'a LocalMean,
        f: &[Finder; 3],
        size: usize,
        invert: bool,
        homography: Option<Homography>,
    ) -> Self {
        let [tl, tr, bl] = *f;
        let span = size as f64 - 7.0;
        let ex = ((tr.x - tl.x) / span, (tr.y - tl.y) / span);
        let ey = ((bl.x - tl.x) / span, (bl.y - tl.y) / span);
        let module = (ex.0.hypot(ex.1) + ey.0.hypot(ey.1)) / 2.0;
        Self { grey, means, finders: *f, size, ex, ey, radius: ((module * 3.0) as usize).max(3), invert, homography }
    }

    /// Whether the module `du`, `dv` modules from finder `which`'s centre is dark (`None` off the frame).
    fn dark(&self, which: usize, du: f64, dv: f64) -> Option<bool> {
        let (x, y) = match &self.homography {
            Some(h) => {
                let far = self.size as f64 - 3.5;
                let (u, v) = [(3.5, 3.5), (far, 3.5), (3.5, far)][which];
                h.map(u + du, v + dv)
            }
            None => {
                let c = self.finders[which];
                (c.x + du * self.ex.0 + dv * self.ey.0, c.y + du * self.ex.1 + dv * self.ey.1)
            }
        };
        let g = f64::from(grey_at(self.grey, x, y)?);
        let mean = self.means.at(x as usize, y as usize, self.radius);
        Some(if self.invert { g > mean } else { g < mean })
    }

    /// Bits read at the given offsets, bit `i` from `offsets[i]`.
    fn word(&self, offsets: impl Iterator<Item = (usize, f64, f64)>) -> Option<u32> {
        let mut word = 0;
        for (i, (which, du, dv)) in offsets.enumerate() {
            if self.dark(which, du, dv)? {
                word |= 1 << i;
            }
        }
        Some(word)
    }

    /// Whether the two copies of the format information read as the same valid word (each within three
    /// bits of it), or one copy within one bit of a valid word.
    fn format_ok(&self) -> bool {
        // First copy around the top-left finder (centre at module 3.5, 3.5): ISO 18004 figure 25.
        let first = self.word((0..15).map(|i: i32| {
            let (x, y) = match i {
                0..=5 => (8, i),
                6 => (8, 7),
                7 => (8, 8),
                8 => (7, 8),
                _ => (14 - i, 8),
            };
            (0, f64::from(x) - 3.0, f64::from(y) - 3.0)
        }));
        // Second copy: bits 0–7 along row 8 under the top-right finder, 8–14 down column 8 beside the
        // bottom-left one.
        let second = self
            .word((0..15).map(|i: i32| if i < 8 { (1, f64::from(3 - i), 5.0) } else { (2, 5.0, f64::from(i - 11)) }));
        let (Some(first), Some(second)) = (first, second) else { return false };
        FORMAT_WORDS.iter().any(|&w| {
            let (a, b) = ((first ^ w).count_ones(), (second ^ w).count_ones());
            (a <= 3 && b <= 3) || a <= 1 || b <= 1
        })
    }

    /// The version from either copy of the version information (versions 7 to 40), when one is within
    /// three bits of a valid word.
    fn version(&self) -> Option<usize> {
        // Top-right block: bit i at column size − 11 + i % 3, row i / 3; the bottom-left block transposed.
        let top = self.word((0..18).map(|i: i32| (1, f64::from(i % 3 - 7), f64::from(i / 3 - 3))))?;
        let left = self.word((0..18).map(|i: i32| (2, f64::from(i / 3 - 3), f64::from(i % 3 - 7))))?;
        let mut best: Option<(u32, usize)> = None;
        for version in 7..=40 {
            let word = version_word(version as u32);
            let distance = (top ^ word).count_ones().min((left ^ word).count_ones());
            if distance <= 3 && best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, version));
            }
        }
        best.map(|(_, v)| v)
    }
}

/// The 32 valid format words (error-correction level and mask, BCH(15,5), XOR 0x5412).
const FORMAT_WORDS: [u32; 32] = {
    let mut words = [0u32; 32];
    let mut data = 0;
    while data < 32 {
        let mut rem = data;
        let mut i = 0;
        while i < 10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
            i += 1;
        }
        words[data as usize] = ((data << 10) | (rem & 0x3FF)) ^ 0x5412;
        data += 1;
    }
    words
};

/// The version information word of `version` (BCH(18,6), generator 0x1F25).
fn version_word(version: u32) -> u32 {
    let mut rem = version;
    for _ in 0..12 {
        rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
    }
    (version << 12) | (rem & 0xFFF)
}

fn read_at_size(
    grey: &Grey,
    means: &LocalMean,
    f: &[Finder; 3],
    size: usize,
    invert: bool,
    scale: f64,
) -> Option<Found> {
    let [tl, tr, bl] = *f;
    let s = size as f64;
    let span = s - 7.0;
    let ex = ((tr.x - tl.x) / span, (tr.y - tl.y) / span);
    let ey = ((bl.x - tl.x) / span, (bl.y - tl.y) / span);
    let module = (ex.0.hypot(ex.1) + ey.0.hypot(ey.1)) / 2.0;
    let mut pairs = vec![((3.5, 3.5), (tl.x, tl.y)), ((s - 3.5, 3.5), (tr.x, tr.y)), ((3.5, s - 3.5), (bl.x, bl.y))];
    let positions = alignment_positions(size);
    let homography = if let Some(&last) = positions.last() {
        // Where the three finders put the bottom-right alignment pattern, if the code is a parallelogram.
        let a = last as f64 + 0.5 - 3.5;
        let (px, py) = (tl.x + (ex.0 + ey.0) * a, tl.y + (ex.1 + ey.1) * a);
        let ((ax, ay), _) = search_alignment(grey, means, px, py, ex, ey, module * 6.0, invert)?;
        pairs.push(((last as f64 + 0.5, last as f64 + 0.5), (ax, ay)));
        let first = Homography::fit(&pairs)?;
        if positions.len() > 2 { refine(grey, means, first, &positions, &mut pairs, invert) } else { first }
    } else {
        // Version 1: no alignment pattern, the code is taken as a parallelogram.
        let corner = (tr.x + bl.x - tl.x, tr.y + bl.y - tl.y);
        pairs.push(((s - 3.5, s - 3.5), corner));
        Homography::fit(&pairs)?
    };
    decode_grid(grey, means, &homography, size, invert, scale)
}

/// Samples the modules through `homography` and hands them to rqrr's decoder.
fn decode_grid(
    grey: &Grey,
    means: &LocalMean,
    homography: &Homography,
    size: usize,
    invert: bool,
    scale: f64,
) -> Option<Found> {
    let s = size as f64;
    let (x0, y0) = homography.map(0.0, 0.0);
    let (x1, y1) = homography.map(s, s);
    let module = (x1 - x0).hypot(y1 - y0) / s / std::f64::consts::SQRT_2;
    let grid = sample(grey, means, homography, size, module, invert)?;
    let mut bytes = Zeroizing::new(Vec::new());
    rqrr::Grid::new(grid).decode_to(&mut *bytes).ok()?;
    let corners = [(0.0, 0.0), (s, 0.0), (s, s), (0.0, s)].map(|(u, v)| homography.map(u, v));
    let xs = corners.map(|c| c.0 * scale);
    let ys = corners.map(|c| c.1 * scale);
    Some(Found {
        bytes,
        top: ys.iter().copied().fold(f64::INFINITY, f64::min),
        bottom: ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        left: xs.iter().copied().fold(f64::INFINITY, f64::min),
        right: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    })
}

/// Searches each alignment pattern near where `first` puts it and refits to all that were found.
fn refine(
    grey: &Grey,
    means: &LocalMean,
    first: Homography,
    positions: &[usize],
    pairs: &mut Vec<Pair>,
    invert: bool,
) -> Homography {
    let last = positions.len() - 1;
    for (j, &ay) in positions.iter().enumerate() {
        for (i, &ax) in positions.iter().enumerate() {
            // The three finder corners hold no alignment pattern; the bottom-right one is already placed.
            if (i == 0 || i == last) && (j == 0 || j == last) {
                continue;
            }
            let (u, v) = (ax as f64 + 0.5, ay as f64 + 0.5);
            let (x, y) = first.map(u, v);
            let (x1, y1) = first.map(u + 1.0, v);
            let (x2, y2) = first.map(u, v + 1.0);
            let (ex, ey) = ((x1 - x, y1 - y), (x2 - x, y2 - y));
            let module = (ex.0.hypot(ex.1) + ey.0.hypot(ey.1)) / 2.0;
            if let Some((p, _)) = search_alignment(grey, means, x, y, ex, ey, module * 1.5, invert) {
                pairs.push(((u, v), p));
            }
        }
    }
    Homography::fit(pairs).unwrap_or(first)
}

/// Reads every module at its centre: dark when darker than the mean of the square about seven modules
/// wide around it (lighter, for inverted codes).
fn sample(grey: &Grey, means: &LocalMean, h: &Homography, size: usize, module: f64, invert: bool) -> Option<Sampled> {
    let r = ((module * 3.0) as usize).max(3);
    let mut dark = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            let (px, py) = h.map(x as f64 + 0.5, y as f64 + 0.5);
            let g = f64::from(grey_at(grey, px, py)?);
            let mean = means.at(px as usize, py as usize, r);
            dark.push(if invert { g > mean } else { g < mean });
        }
    }
    Some(Sampled { size, dark })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_means_are_the_plain_averages_in_both_widths() {
        let (w, h) = (37, 23);
        let pixels: Vec<u8> = (0..w * h).map(|i| ((i * 7919) % 256) as u8).collect();
        let grey = Grey { width: w, height: h, pixels };
        let means = LocalMean::new(&grey);
        let wide = LocalMean { width: w, height: h, sums: Sums::Large(integral(&grey, u64::from)) };
        for (x, y, r) in [(0usize, 0usize, 3usize), (36, 22, 5), (18, 11, 4), (5, 20, 40), (30, 2, 0)] {
            let (x0, y0, x1, y1) = (x.saturating_sub(r), y.saturating_sub(r), (x + r + 1).min(w), (y + r + 1).min(h));
            let sum: u64 = (y0..y1)
                .flat_map(|yy| (x0..x1).map(move |xx| (xx, yy)))
                .map(|(xx, yy)| u64::from(grey.pixels[yy * w + xx]))
                .sum();
            let expected = sum as f64 / ((x1 - x0) * (y1 - y0)) as f64;
            assert!(matches!(means.sums, Sums::Small(_)));
            assert_eq!(means.at(x, y, r), expected, "({x}, {y}) r {r}");
            assert_eq!(wide.at(x, y, r), expected, "({x}, {y}) r {r}");
        }
    }
}
