//! The records the GPU kernel (`shaders/paths.wgsl`) reads from its word buffers, written
//! once: `#[repr(C)]` structs on the host, and the WGSL constants (each record's size and
//! each field's offset, in 32-bit words) generated from them with `offset_of!` and
//! prepended to the shader's source ([`shader_source`]). The shader names every field it
//! reads (`T[rb + REGION_LEN]`), so a field moved on the host moves in the shader, and a
//! field removed or renamed fails the shader's compilation (tested without a device:
//! here, and `tests/gpu.rs` validates the composed source).
//!
//! The scene's records ([`Span`], [`Layer`], [`SlabPlane`], [`Polygon`]) are the scene's
//! own `#[repr(C)]` structs, uploaded as they are.

use super::antenna::{GAIN_COLUMNS, GAIN_ROWS};
use super::beams::BOUNDED_REFLECTIONS;
use crate::scene::{Layer, Polygon, SlabPlane, Span};
use bytemuck::{Pod, Zeroable};
use std::mem::{offset_of, size_of};

/// One node of a transmitter's interaction tree, positions relative to the transmitter.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct NodeRecord {
    /// Unit normal of the wall line.
    pub normal: [f32; 2],
    /// Line offset: normal · x = offset on the line [m].
    pub offset: f32,
    /// Unit direction along the line.
    pub dir: [f32; 2],
    /// Position along the line of the foot of the transmitter's image [m].
    pub u_tx: f32,
    /// A point of the line [m].
    pub origin: [f32; 2],
    /// First span of the line.
    pub span_first: u32,
    /// Last span.
    pub span_last: u32,
    /// 1 for a reflection, 0 for a transmission.
    pub reflect: u32,
    /// Parent node (or none).
    pub parent: u32,
    /// Farthest the beam reaches [m].
    pub max_t: f32,
    /// Covered interval along the line [m].
    pub cover: [f32; 2],
    /// Padding.
    pub pad: u32,
}

/// A half-plane n · p ≥ c (`present` 0: none).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct HalfPlaneRecord {
    /// Unit normal.
    pub n: [f32; 2],
    /// Offset [m].
    pub c: f32,
    /// 1 when the half-plane exists.
    pub present: u32,
}

/// A reflection a region's paths make: its line and the least cosine of incidence.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct BoundRecord {
    /// Wall line.
    pub line: u32,
    /// Least horizontal cosine of incidence [1].
    pub cos_min: f32,
}

/// A region of one generation, positions relative to the transmitter.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct RegionRecord {
    /// Apex [m].
    pub apex: [f32; 2],
    /// Unit right and left edge directions.
    pub right: [f32; 2],
    /// Left edge direction.
    pub left: [f32; 2],
    /// The half-plane the region starts behind.
    pub start: HalfPlaneRecord,
    /// The half-plane it ends at.
    pub end: HalfPlaneRecord,
    /// The unfolding map's matrix, row-major.
    pub m: [f32; 4],
    /// The unfolded apex less the transmitter [m].
    pub t: [f32; 2],
    /// Last node.
    pub last: u32,
    /// Nodes in its chain.
    pub len: u32,
    /// Reflections on its paths.
    pub reflections: u32,
    /// 1 when the apex belongs to the region.
    pub holds_apex: u32,
    /// Least distance from the transmitter [m].
    pub min_distance: f32,
    /// Product of its transmissions' bounds [1].
    pub t_product: f32,
    /// Covered interval [m].
    pub t_cover: [f32; 2],
    /// Its first reflections.
    pub bounds: [BoundRecord; BOUNDED_REFLECTIONS],
    /// Where its chain starts among the transmitter's chains.
    pub chain: u32,
    /// Padding.
    pub pad: [u32; 3],
}

/// A vertical path of a grid band.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct VerticalRecord {
    /// Vertical travel to the receivers [m].
    pub travel: f32,
    /// Reflections off slabs.
    pub reflections: u32,
    /// First slab event.
    pub event_start: u32,
    /// Slab events.
    pub event_count: u32,
    /// First leg.
    pub leg_start: u32,
    /// Legs.
    pub leg_count: u32,
    /// Lowest and highest altitude [m].
    pub z_lo: f32,
    /// Highest altitude [m].
    pub z_hi: f32,
}

/// A slab met by a vertical path.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct EventRecord {
    /// Slab plane.
    pub plane: u32,
    /// 1 for a reflection.
    pub reflect: u32,
    /// Vertical travel at the slab [m].
    pub travel: f32,
}

/// A straight leg of a vertical path: from travel `v`, altitude `z` + `slope` · (travel − v).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct LegRecord {
    /// Travel where the leg starts [m].
    pub v: f32,
    /// Altitude there [m].
    pub z: f32,
    /// dz / dtravel [1].
    pub slope: f32,
}

/// Words of a record type.
const fn words_of<T>() -> usize {
    size_of::<T>() / 4
}

/// The WGSL constants: each record's size and each field's offset, in words.
pub fn wgsl_constants() -> String {
    let mut out = String::from("// Generated from src/solver/layout.rs: record sizes and field offsets in words.\n");
    let mut put = |name: &str, value: usize| out.push_str(&format!("const {name}: u32 = {value}u;\n"));
    macro_rules! record {
        ($name:literal, $ty:ty { $($field:ident => $const:literal),* $(,)? }) => {
            put($name, words_of::<$ty>());
            $( put(concat!($name, "_", $const), offset_of!($ty, $field) / 4); )*
        };
    }
    record!("NODE", NodeRecord { normal => "NORMAL", offset => "OFFSET", dir => "DIR", u_tx => "U_TX",
        origin => "ORIGIN", span_first => "SPAN_FIRST", span_last => "SPAN_LAST", reflect => "REFLECT" });
    record!("HALF", HalfPlaneRecord { n => "N", c => "C", present => "PRESENT" });
    record!("BOUND", BoundRecord { line => "LINE", cos_min => "COS_MIN" });
    record!("REGION", RegionRecord { apex => "APEX", right => "RIGHT", left => "LEFT", start => "START",
        end => "END", m => "M", t => "T", len => "LEN", reflections => "REFLECTIONS",
        holds_apex => "HOLDS_APEX", bounds => "BOUNDS", chain => "CHAIN" });
    record!("VERTICAL", VerticalRecord { travel => "TRAVEL", reflections => "REFLECTIONS",
        event_start => "EVENT_START", event_count => "EVENT_COUNT", leg_start => "LEG_START",
        leg_count => "LEG_COUNT" });
    record!("EVENT", EventRecord { plane => "PLANE", reflect => "REFLECT", travel => "TRAVEL" });
    record!("LEG", LegRecord { v => "V", z => "Z", slope => "SLOPE" });
    record!("SPAN", Span { u0 => "U0", u1 => "U1", layer_start => "LAYER_START", layer_count => "LAYER_COUNT" });
    record!("LAYER", Layer { z0 => "Z0", z1 => "Z1", slab_type => "SLAB_TYPE" });
    record!("PLANE", SlabPlane { cell => "CELL", origin => "ORIGIN", nx => "NX", ny => "NY",
        cells_start => "CELLS_START" });
    record!("POLYGON", Polygon { bbox => "BBOX", vertex_start => "VERTEX_START", vertex_count => "VERTEX_COUNT",
        slab_type => "SLAB_TYPE" });
    // Plain arrays: a plane cell's (first item, item count), a vertex's (x, y), a table
    // sample's (R_TE, R_TM, T_TE, T_TM) as (re, im) pairs.
    put("CELL_LIST", words_of::<[u32; 2]>());
    put("VERTEX", words_of::<[f32; 2]>());
    put("TABLE_ROW", words_of::<[f32; 8]>());
    put("BOUNDED_REFLECTIONS", BOUNDED_REFLECTIONS);
    // An antenna's gain table: rows of elevation, columns of azimuth, 1° apart.
    put("GAIN_ROWS", GAIN_ROWS);
    put("GAIN_COLUMNS", GAIN_COLUMNS);
    out
}

/// The kernel's WGSL source: the generated constants, then `shaders/paths.wgsl`.
pub fn shader_source() -> String {
    format!("{}\n{}", wgsl_constants(), include_str!("../../shaders/paths.wgsl"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_the_shader_reads_that_the_host_no_longer_writes_fails_the_shader() {
        // As if the host's RegionRecord lost its `len`: the constant is gone, and the
        // shader no longer compiles.
        let source = shader_source().replace("const REGION_LEN: u32", "const REGION_LEN_GONE: u32");
        assert!(wgpu::naga::front::wgsl::parse_str(&source).is_err());
    }

    #[test]
    fn the_shader_reads_records_by_name_not_by_literal_offsets() {
        // Every index into a word buffer (S, T, G, and their float views) adds named
        // offsets: a literal added to an index is 1u (the next element), or an element
        // of an array field added to the field's name (REGION_M + 2u).
        let shader = include_str!("../../shaders/paths.wgsl");
        for (n, line) in shader.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for open in ["S[", "T[", "G[", "sf(", "tf(", "gf("] {
                for (at, _) in code.match_indices(open) {
                    if at > 0 && code.as_bytes()[at - 1].is_ascii_alphanumeric() {
                        continue;
                    }
                    let arg: String = code[at + open.len()..].chars().take_while(|c| *c != ']' && *c != ')').collect();
                    let tokens: Vec<&str> = arg.split_whitespace().collect();
                    for (k, t) in tokens.iter().enumerate() {
                        let literal = t.strip_suffix('u').and_then(|v| v.parse::<u32>().ok()).is_some_and(|v| v > 1);
                        if literal && k >= 2 && tokens[k - 1] == "+" {
                            let field = tokens[k - 2];
                            assert!(
                                field.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()),
                                "shaders/paths.wgsl:{}: a literal offset in {open}{arg}",
                                n + 1
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn records_have_the_sizes_the_shader_strides_by() {
        assert_eq!(words_of::<NodeRecord>(), 16);
        assert_eq!(words_of::<RegionRecord>(), 40);
        assert_eq!(words_of::<VerticalRecord>(), 8);
        let c = wgsl_constants();
        assert!(
            c.contains("const REGION_CHAIN: u32 = 36u;") && c.contains("const BOUNDED_REFLECTIONS: u32 = 4u;"),
            "{c}"
        );
    }
}
