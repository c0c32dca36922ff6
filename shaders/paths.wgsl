// Path gains of one generation of a transmitter's regions on a band of receiver rows,
// added to the totals of the earlier generations: the CPU backend's per-cell evaluation
// (src/solver/cpu.rs, src/solver/path.rs) in f32. One invocation per cell: the regions
// binned to the cell's tile are visited in the CPU's order (regions without reflection,
// then the others, each in tracing order), each with the vertical paths its reflection
// budget allows, and the paths are summed with the CPU's running-total cutoff.
// Writes linear power (never inf or NaN); a cell whose result hinges on a comparison
// within `eps` of its threshold (a region edge, a span or layer edge, a footprint edge),
// or whose path is degenerate, is flagged for the host to evaluate in f64.

struct Params {
    xmin: f32, ymin: f32, cell: f32, nx: u32,
    row0: u32, rows: u32, tiles_x: u32, tile: u32,
    n_verticals: u32, max_reflections: u32, intervals: u32, use_mask: u32,
    tx_x: f32, tx_y: f32, fs2: f32, floor: f32,
    relative: f32, eps: f32, off_layers: u32, off_planes: u32,
    off_plane_cells: u32, off_plane_items: u32, off_polygons: u32, off_vertices: u32,
    off_table: u32, off_line_refl: u32, off_plane_refl: u32, off_regions: u32,
    off_events: u32, off_legs: u32, off_tiles: u32, off_items: u32,
    off_mask: u32, sweep: u32, off_nodes: u32, off_chains: u32,
    off_tbounds: u32, tile_base: u32, cell_base: u32, off_verticals: u32,
    off_antenna: u32,
}

// What changes between the dispatches of a batch: the window of each tile's list, and
// the batch's workgroups (one per tile of every request) laid out in rows of groups_x.
struct Step { window0: u32, window1: u32, tiles: u32, groups_x: u32 }

// One request per band of a grid for one generation of one transmitter; every offset
// indexes the batch's concatenated words.
@group(0) @binding(0) var<storage, read> PS: array<Params>;
// Scene: spans, layers, planes, plane cells and items, polygons, vertices, tables.
@group(0) @binding(1) var<storage, read> S: array<u32>;
// Transmitter: nodes, then regions, then each region's chain of nodes.
@group(0) @binding(2) var<storage, read> T: array<u32>;
// Grid band: verticals, events, legs, tile offsets and items, mask bits, and per region
// and vertical path its transmission bound (−1: not worth evaluating).
@group(0) @binding(3) var<storage, read> G: array<u32>;
@group(0) @binding(4) var<storage, read_write> gain: array<f32>;
@group(0) @binding(5) var<storage, read_write> flags: array<u32>;
@group(0) @binding(6) var<uniform> W: Step;

// Record sizes and field offsets (NODE, REGION_LEN, …) are generated from the host's
// #[repr(C)] records (src/solver/layout.rs) and prepended to this source.
const NONE: u32 = 0xffffffffu;

fn sf(i: u32) -> f32 { return bitcast<f32>(S[i]); }
fn tf(i: u32) -> f32 { return bitcast<f32>(T[i]); }
fn gf(i: u32) -> f32 { return bitcast<f32>(G[i]); }

var<private> flagged: bool;
// This invocation's request.
var<private> P: Params;

fn near(a: f32, b: f32) -> bool { return abs(a - b) < P.eps; }

// Complex multiply.
fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

struct Field { theta: vec2<f32>, phi: vec2<f32> }

fn meet(f: Field, s_theta: f32, s_phi: f32, c_te: vec2<f32>, c_tm: vec2<f32>) -> Field {
    let norm2 = s_theta * s_theta + s_phi * s_phi;
    if (norm2 < 1e-12) {
        return Field(cmul(f.theta, c_te), cmul(f.phi, c_te));
    }
    let inv = inverseSqrt(norm2);
    let cs = s_theta * inv;
    let sn = s_phi * inv;
    let te = cmul(f.theta * cs + f.phi * sn, c_te);
    let tm = cmul(f.phi * cs - f.theta * sn, c_tm);
    return Field(te * cs - tm * sn, te * sn + tm * cs);
}

fn power(f: Field) -> f32 { return dot(f.theta, f.theta) + dot(f.phi, f.phi); }

// Interpolated coefficients (R_TE, R_TM, T_TE, T_TM as re, im pairs).
struct Coefficients { r: vec4<f32>, t: vec4<f32> }

fn lookup(slab_type: u32, cos_theta: f32) -> Coefficients {
    let n = P.intervals;
    let x = clamp(cos_theta, 0.0, 1.0) * f32(n);
    let i = min(u32(x), n - 1u);
    let w = x - f32(i);
    let base = P.off_table + (slab_type * (n + 1u) + i) * TABLE_ROW;
    var a: array<f32, 16>;
    for (var k = 0u; k < 16u; k++) { a[k] = sf(base + k); }
    let r = vec4<f32>(a[0], a[1], a[2], a[3]);
    let t = vec4<f32>(a[4], a[5], a[6], a[7]);
    let r1 = vec4<f32>(a[8], a[9], a[10], a[11]);
    let t1 = vec4<f32>(a[12], a[13], a[14], a[15]);
    return Coefficients(r + w * (r1 - r), t + w * (t1 - t));
}

// (TE, TM) pair of an interaction; reflections act as diag(R_TE, −R_TM) unfolded.
fn coefficient_te(c: Coefficients, reflect: bool) -> vec2<f32> {
    if (reflect) { return c.r.xy; }
    return c.t.xy;
}
fn coefficient_tm(c: Coefficients, reflect: bool) -> vec2<f32> {
    if (reflect) { return -c.r.zw; }
    return c.t.zw;
}

// Scene::wall_in_spans.
fn wall_in_spans(first: u32, last: u32, u: f32, z: f32) -> u32 {
    for (var s = first; s <= last; s++) {
        let b = s * SPAN;
        let u0 = sf(b + SPAN_U0);
        let u1 = sf(b + SPAN_U1);
        if (near(u, u0) || near(u, u1)) { flagged = true; }
        if (u >= u0 && u < u1) {
            let start = S[b + SPAN_LAYER_START];
            let count = S[b + SPAN_LAYER_COUNT];
            for (var l = start; l < start + count; l++) {
                let lb = P.off_layers + l * LAYER;
                let z0 = sf(lb + LAYER_Z0);
                let z1 = sf(lb + LAYER_Z1);
                if (near(z, z0) || near(z, z1)) { flagged = true; }
                if (z0 <= z && z < z1) { return S[lb + LAYER_SLAB_TYPE]; }
            }
            return NONE;
        }
    }
    return NONE;
}

// Scene::slab_at, with the crossing-number test of scene::point_in_polygon.
fn slab_at(plane: u32, x: f32, y: f32) -> u32 {
    let pb = P.off_planes + plane * PLANE;
    let cell = sf(pb + PLANE_CELL);
    let ox = sf(pb + PLANE_ORIGIN);
    let oy = sf(pb + PLANE_ORIGIN + 1u);
    let nx = S[pb + PLANE_NX];
    let ny = S[pb + PLANE_NY];
    let gx = floor((x - ox) / cell);
    let gy = floor((y - oy) / cell);
    if (gx < 0.0 || gy < 0.0 || gx >= f32(nx) || gy >= f32(ny)) { return NONE; }
    let c = P.off_plane_cells + (S[pb + PLANE_CELLS_START] + u32(gy) * nx + u32(gx)) * CELL_LIST;
    let start = S[c];
    let count = S[c + 1u];
    for (var k = start; k < start + count; k++) {
        let poly = P.off_polygons + S[P.off_plane_items + k] * POLYGON;
        let x0 = sf(poly + POLYGON_BBOX);
        let y0 = sf(poly + POLYGON_BBOX + 1u);
        let x1 = sf(poly + POLYGON_BBOX + 2u);
        let y1 = sf(poly + POLYGON_BBOX + 3u);
        if (x < x0 - P.eps || x > x1 + P.eps || y < y0 - P.eps || y > y1 + P.eps) {
            continue;
        }
        let vs = S[poly + POLYGON_VERTEX_START];
        let vn = S[poly + POLYGON_VERTEX_COUNT];
        var inside = false;
        var j = vn - 1u;
        for (var i = 0u; i < vn; i++) {
            let vi = P.off_vertices + (vs + i) * VERTEX;
            let vj = P.off_vertices + (vs + j) * VERTEX;
            let xi = sf(vi);
            let yi = sf(vi + 1u);
            let xj = sf(vj);
            let yj = sf(vj + 1u);
            if (near(y, yi)) { flagged = true; }
            if ((yi > y) != (yj > y)) {
                let xc = (xj - xi) * (y - yi) / (yj - yi) + xi;
                if (near(x, xc)) { flagged = true; }
                if (x < xc) { inside = !inside; }
            }
            j = i;
        }
        if (inside) { return S[poly + POLYGON_SLAB_TYPE]; }
    }
    return NONE;
}

// VerticalPath::altitude.
fn altitude(vb: u32, v: f32) -> f32 {
    let start = G[vb + VERTICAL_LEG_START];
    let count = G[vb + VERTICAL_LEG_COUNT];
    var l = P.off_legs + start * LEG;
    for (var k = 1u; k < count; k++) {
        let next = P.off_legs + (start + k) * LEG;
        if (gf(next + LEG_V) > v) { break; }
        l = next;
    }
    return gf(l + LEG_Z) + gf(l + LEG_SLOPE) * (v - gf(l + LEG_V));
}

// PathContext::reflection_bound.
fn reflection_bound(rb: u32, vb: u32, horizontal: f32, vertical: f32) -> f32 {
    let n = f32(P.intervals);
    var bound = 1.0;
    let reflections = min(T[rb + REGION_REFLECTIONS], BOUNDED_REFLECTIONS);
    for (var k = 0u; k < reflections; k++) {
        let bound_k = rb + REGION_BOUNDS + BOUND * k;
        let line = T[bound_k + BOUND_LINE];
        let cos_min = tf(bound_k + BOUND_COS_MIN);
        let i = min(u32(cos_min * horizontal * n), P.intervals);
        bound *= sf(P.off_line_refl + line * (P.intervals + 1u) + i);
    }
    if (G[vb + VERTICAL_REFLECTIONS] > 0u) {
        let i = min(u32(abs(vertical) * n), P.intervals - 1u);
        let es = G[vb + VERTICAL_EVENT_START];
        for (var e = es; e < es + G[vb + VERTICAL_EVENT_COUNT]; e++) {
            let eb = P.off_events + e * EVENT;
            if (G[eb + EVENT_REFLECT] != 0u) {
                let t = P.off_plane_refl + G[eb + EVENT_PLANE] * (P.intervals + 1u);
                bound *= max(sf(t + i), sf(t + i + 1u));
            }
        }
    }
    return bound;
}

// Applies slab event `eb` met after the first `before` wall interactions of the chain
// starting at T[cs]; false when the path does not exist. Positions are relative to the
// transmitter.
fn slab_event(f: ptr<function, Field>, cs: u32, before: u32, eb: u32, d: vec2<f32>, inv_v: f32, cos_theta: f32) -> bool {
    var x = d * (gf(eb + EVENT_TRAVEL) * inv_v);
    for (var k = before; k > 0u; k--) {
        let nb = P.off_nodes + T[cs + k - 1u] * NODE;
        if (T[nb + NODE_REFLECT] != 0u) {
            let n = vec2<f32>(tf(nb + NODE_NORMAL), tf(nb + NODE_NORMAL + 1u));
            let o = vec2<f32>(tf(nb + NODE_ORIGIN), tf(nb + NODE_ORIGIN + 1u));
            x -= n * (2.0 * dot(n, x - o));
        }
    }
    let slab = slab_at(G[eb + EVENT_PLANE], x.x + P.tx_x, x.y + P.tx_y);
    let reflect = G[eb + EVENT_REFLECT] != 0u;
    if (slab == NONE) { return !reflect; }
    let c = lookup(slab, cos_theta);
    *f = meet(*f, 0.0, -1.0, coefficient_te(c, reflect), coefficient_tm(c, reflect));
    return true;
}

// PathContext::path_gain, for a region whose chain is T[cs..cs + len].
fn path_gain(rb: u32, cs: u32, len: u32, vb: u32, p: vec2<f32>, cutoff_in: f32, t_bound: f32) -> f32 {
    // d = M·(p − apex) + (M·apex + t − tx): the unfolded offset from the transmitter.
    let q = p - vec2<f32>(tf(rb + REGION_APEX), tf(rb + REGION_APEX + 1u));
    let d = vec2<f32>(tf(rb + REGION_M) * q.x + tf(rb + REGION_M + 1u) * q.y + tf(rb + REGION_T),
                      tf(rb + REGION_M + 2u) * q.x + tf(rb + REGION_M + 3u) * q.y + tf(rb + REGION_T + 1u));
    let v = gf(vb + VERTICAL_TRAVEL);
    let h2 = dot(d, d);
    let dist2 = h2 + v * v;
    if (dist2 == 0.0) { return 0.0; }
    let free_space = P.fs2 / dist2;
    let cutoff = max(cutoff_in, P.floor);
    let dist = sqrt(dist2);
    if (free_space * t_bound * reflection_bound(rb, vb, sqrt(h2) / dist, v / dist) < cutoff) { return 0.0; }
    let kx = d.x / dist;
    let ky = d.y / dist;
    let kz = v / dist;
    let slab_cos = abs(kz);
    var field = Field(vec2<f32>(1.0, 0.0), vec2<f32>(0.0, 0.0));
    let es = G[vb + VERTICAL_EVENT_START];
    let ec = G[vb + VERTICAL_EVENT_COUNT];
    var j = 0u;
    var inv_v = 0.0;
    if (v > 0.0) { inv_v = 1.0 / v; }
    for (var i = 0u; i < len; i++) {
        let nb = P.off_nodes + T[cs + i] * NODE;
        let n = vec2<f32>(tf(nb + NODE_NORMAL), tf(nb + NODE_NORMAL + 1u));
        let nd = dot(n, d);
        let t = tf(nb + NODE_OFFSET) / nd;
        loop {
            if (j >= ec) { break; }
            let eb = P.off_events + (es + j) * EVENT;
            if (gf(eb + EVENT_TRAVEL) * inv_v > t) { break; }
            if (!slab_event(&field, cs, i, eb, d, inv_v, slab_cos)) { return 0.0; }
            j++;
            if (power(field) * free_space < cutoff) { return 0.0; }
        }
        let u = tf(nb + NODE_U_TX) + t * dot(vec2<f32>(tf(nb + NODE_DIR), tf(nb + NODE_DIR + 1u)), d);
        let z = altitude(vb, t * v);
        let slab = wall_in_spans(T[nb + NODE_SPAN_FIRST], T[nb + NODE_SPAN_LAST], u, z);
        let reflect = T[nb + NODE_REFLECT] != 0u;
        if (slab == NONE) {
            if (reflect) { return 0.0; }
            continue;
        }
        let c = lookup(slab, abs(nd) / dist);
        field = meet(field, kx * n.y - ky * n.x, kz * (kx * n.x + ky * n.y),
                     coefficient_te(c, reflect), coefficient_tm(c, reflect));
        if (power(field) * free_space < cutoff) { return 0.0; }
    }
    loop {
        if (j >= ec) { break; }
        let eb = P.off_events + (es + j) * EVENT;
        if (!slab_event(&field, cs, len, eb, d, inv_v, slab_cos)) { return 0.0; }
        j++;
        if (power(field) * free_space < cutoff) { return 0.0; }
    }
    let g = free_space * dot(field.theta, field.theta);
    if (P.off_antenna == NONE) { return g; }
    // The departure direction: the unfolded horizontal one, the first leg's vertical.
    let up = gf(P.off_legs + G[vb + VERTICAL_LEG_START] * LEG + LEG_SLOPE);
    return g * antenna_gain(vec3<f32>(kx, ky, kz * up));
}

// GainTable::gain: the antenna's gain toward the unit direction k of the site frame,
// bilinear in the table at S[P.off_antenna] (rows of elevation −90…90°, columns of
// azimuth 0…360°, counter-clockwise from +x).
fn antenna_gain(k: vec3<f32>) -> f32 {
    var az = degrees(atan2(k.y, k.x));
    if (az < 0.0) { az += 360.0; }
    let el = degrees(atan2(k.z, length(k.xy))) + 90.0;
    let c = min(u32(az), GAIN_COLUMNS - 2u);
    let r = min(u32(el), GAIN_ROWS - 2u);
    let u = az - f32(c);
    let v = el - f32(r);
    let b = P.off_antenna + r * GAIN_COLUMNS + c;
    let low = sf(b) + u * (sf(b + 1u) - sf(b));
    let high = sf(b + GAIN_COLUMNS) + u * (sf(b + GAIN_COLUMNS + 1u) - sf(b + GAIN_COLUMNS));
    return low + v * (high - low);
}

// Region::contains, with the cell flagged when a deciding test is within eps.
fn contains(rb: u32, p: vec2<f32>) -> bool {
    let d = p - vec2<f32>(tf(rb + REGION_APEX), tf(rb + REGION_APEX + 1u));
    if (abs(d.x) < P.eps && abs(d.y) < P.eps) {
        flagged = true;
        return T[rb + REGION_HOLDS_APEX] != 0u;
    }
    // Signed distances that must be ≥ 0 (right), < 0 (left), > 0 (start), ≤ 0 (end).
    let right = tf(rb + REGION_RIGHT) * d.y - tf(rb + REGION_RIGHT + 1u) * d.x;
    let left = tf(rb + REGION_LEFT) * d.y - tf(rb + REGION_LEFT + 1u) * d.x;
    let hs = rb + REGION_START;
    var s = 1.0;
    if (T[hs + HALF_PRESENT] != 0u) { s = tf(hs + HALF_N) * p.x + tf(hs + HALF_N + 1u) * p.y - tf(hs + HALF_C); }
    let he = rb + REGION_END;
    var e = -1.0;
    if (T[he + HALF_PRESENT] != 0u) { e = tf(he + HALF_N) * p.x + tf(he + HALF_N + 1u) * p.y - tf(he + HALF_C); }
    if (right < -P.eps || left > P.eps || s < -P.eps || e > P.eps) { return false; }
    if (abs(right) < P.eps || abs(left) < P.eps || abs(s) < P.eps || abs(e) < P.eps) { flagged = true; }
    return right >= 0.0 && left < 0.0 && s > 0.0 && e <= 0.0;
}

// Sum over one region's paths at p (its vertical paths in order, those the host found
// worth it), with the cutoff following the running total `before`.
fn region_gain(rb: u32, region: u32, p: vec2<f32>, before: f32) -> f32 {
    let len = T[rb + REGION_LEN];
    let cs = P.off_chains + T[rb + REGION_CHAIN];
    var sum = 0.0;
    for (var vi = 0u; vi < P.n_verticals; vi++) {
        let t_bound = gf(P.off_tbounds + region * P.n_verticals + vi);
        if (t_bound >= 0.0) {
            let g = path_gain(rb, cs, len, P.off_verticals + vi * VERTICAL, p, (before + sum) * P.relative, t_bound);
            // A degenerate path (a chain line parallel to the ray) is the host's to judge.
            if (g >= 0.0 && g <= 1.0) {
                sum += g;
            } else {
                flagged = true;
            }
        }
    }
    return sum;
}

// One workgroup per tile of `P.tile` × `P.tile` cells (8 × 8 = 64) of one request: its
// invocations walk the same region list, in step.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let linear = group.y * W.groups_x + group.x;
    if (linear >= W.tiles) { return; }
    // The request holding this tile: the last whose first tile is at or before it.
    var lo = 0u;
    var hi = arrayLength(&PS) - 1u;
    while (lo < hi) {
        let mid = (lo + hi + 1u) / 2u;
        if (PS[mid].tile_base <= linear) { lo = mid; } else { hi = mid - 1u; }
    }
    P = PS[lo];
    let tile = linear - P.tile_base;
    let band_row = (tile / P.tiles_x) * P.tile + lane / P.tile;
    let ix = (tile % P.tiles_x) * P.tile + lane % P.tile;
    if (ix >= P.nx || band_row >= P.rows) { return; }
    let local = P.cell_base + band_row * P.nx + ix;
    let iy = P.row0 + band_row;
    let cell_index = iy * P.nx + ix;
    flagged = false;
    if (P.use_mask != 0u && (G[P.off_mask + cell_index / 32u] & (1u << (cell_index % 32u))) == 0u) {
        return;
    }
    let p = vec2<f32>(P.xmin + (f32(ix) + 0.5) * P.cell, P.ymin + (f32(iy) + 0.5) * P.cell);
    let first = G[P.off_tiles + tile];
    let last = G[P.off_tiles + tile + 1u];
    // This dispatch covers one window of each tile's list; the running total starts from
    // the host's (earlier generations) and carries over between dispatches.
    var total = gain[local];
    let end = min(last, first + W.window1);
    for (var k = first + W.window0; k < end; k++) {
        let region = G[P.off_items + k];
        let rb = P.off_regions + region * REGION;
        if ((T[rb + REGION_REFLECTIONS] == 0u) == (P.sweep == 0u) && contains(rb, p)) {
            total += region_gain(rb, region, p, total);
        }
    }
    gain[local] = total;
    flags[local] = flags[local] | select(0u, 1u, flagged);
}
