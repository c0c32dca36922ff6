//! Building a [`Scene`] from a validated [`Site`]: walls to merged lines with vertical
//! profiles, floors and roofs to slab planes with footprints.

use super::cover::{SlabCover, cell_edges, comes_within};
use super::{
    BuildingExtent, Bvh, Layer, MIXED, NONE, Polygon, Scene, SlabPlane, SlabType, Span, UNIFORM_MARGIN, WallLine,
    first_footprint,
};
use crate::materials::{MaterialError, MaterialLibrary};
use crate::plan::{Building, Floor, OpeningKind, Site, Wall};
use std::collections::BTreeMap;

/// Collinear walls closer than this merge into one line [m].
const MERGE_TOL: f64 = 1e-6;
/// Directions closer than this are parallel [rad].
const ANGLE_TOL: f64 = 1e-9;
/// Cell size of the footprint lookup grids [m].
const PLANE_CELL: f64 = 2.0;

/// Why a site cannot become a scene.
#[derive(Debug, thiserror::Error)]
pub enum SceneError {
    /// A material name did not resolve (the site was not validated).
    #[error(transparent)]
    Material(#[from] MaterialError),
}

/// A piece of wall profile: along-wall interval, altitude interval, slab type or hole.
#[derive(Debug, Clone, Copy)]
struct Panel {
    s0: f64,
    s1: f64,
    z0: f64,
    z1: f64,
    slab: u32,
}

/// A plan wall in the site frame with its panels (s measured from `a`).
struct SiteWall {
    a: [f64; 2],
    b: [f64; 2],
    panels: Vec<Panel>,
}

struct Registry<'a> {
    library: MaterialLibrary,
    materials: Vec<crate::materials::Material>,
    material_index: BTreeMap<&'a str, u32>,
    slab_types: Vec<SlabType>,
    slab_index: BTreeMap<(u32, u32), u32>,
}

impl<'a> Registry<'a> {
    fn slab(&mut self, material: &'a str, thickness: f64) -> Result<u32, SceneError> {
        let m = match self.material_index.get(material) {
            Some(&m) => m,
            None => {
                self.materials.push(self.library.get(material)?);
                let m = (self.materials.len() - 1) as u32;
                self.material_index.insert(material, m);
                m
            }
        };
        let t = thickness as f32;
        Ok(*self.slab_index.entry((m, t.to_bits())).or_insert_with(|| {
            self.slab_types.push(SlabType { material: m, thickness: t });
            (self.slab_types.len() - 1) as u32
        }))
    }
}

fn site_point(b: &Building, p: (f64, f64)) -> [f64; 2] {
    let q = b.to_site(p);
    [q.x, q.y]
}

/// Removes `cut` from the sorted disjoint intervals `free`.
fn subtract(free: &mut Vec<(f64, f64)>, cut: (f64, f64)) {
    let mut out = Vec::with_capacity(free.len() + 1);
    for &(a, b) in free.iter() {
        if cut.1 <= a || cut.0 >= b {
            out.push((a, b));
            continue;
        }
        if cut.0 > a {
            out.push((a, cut.0));
        }
        if cut.1 < b {
            out.push((cut.1, b));
        }
    }
    *free = out;
}

fn wall_panels<'a>(reg: &mut Registry<'a>, w: &'a Wall, floor: &Floor, ground: f64) -> Result<Vec<Panel>, SceneError> {
    let len = w.length();
    let base = ground + floor.elevation;
    let (wz0, wz1) = w.z_range(floor.height);
    let wall_slab = reg.slab(&w.material, w.thickness)?;
    let mut cuts: Vec<f64> = vec![0.0, len];
    for o in &w.openings {
        cuts.push(o.offset.clamp(0.0, len));
        cuts.push((o.offset + o.width).clamp(0.0, len));
    }
    cuts.sort_by(f64::total_cmp);
    cuts.dedup_by(|a, b| (*a - *b).abs() < MERGE_TOL);
    let mut panels = Vec::new();
    for pair in cuts.windows(2) {
        let (s0, s1) = (pair[0], pair[1]);
        if s1 - s0 < MERGE_TOL {
            continue;
        }
        let mid = 0.5 * (s0 + s1);
        let mut free = vec![(wz0, wz1)];
        for o in w.openings.iter().filter(|o| o.offset <= mid && mid < o.offset + o.width) {
            let (oz0, oz1) = o.z_range((wz0, wz1));
            subtract(&mut free, (oz0, oz1));
            if let (OpeningKind::Door | OpeningKind::Window, Some(m), Some(t)) = (o.kind, &o.material, o.thickness) {
                let slab = reg.slab(m, t)?;
                panels.push(Panel { s0, s1, z0: base + oz0, z1: base + oz1, slab });
            }
        }
        for (z0, z1) in free {
            if z1 - z0 > MERGE_TOL {
                panels.push(Panel { s0, s1, z0: base + z0, z1: base + z1, slab: wall_slab });
            }
        }
    }
    Ok(panels)
}

/// Footprint polygons of a floor in the site frame: its rooms, else its walls' bounding box.
fn footprint(b: &Building, f: &Floor) -> Vec<Vec<[f64; 2]>> {
    if !f.rooms.is_empty() {
        return f.rooms.iter().map(|r| r.outline.iter().map(|&p| site_point(b, p)).collect()).collect();
    }
    if f.walls.is_empty() {
        return Vec::new();
    }
    let xs = f.walls.iter().flat_map(|w| [w.from.0, w.to.0]);
    let ys = f.walls.iter().flat_map(|w| [w.from.1, w.to.1]);
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    let (y0, y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    if x1 - x0 < MERGE_TOL || y1 - y0 < MERGE_TOL {
        return Vec::new();
    }
    vec![[(x0, y0), (x1, y0), (x1, y1), (x0, y1)].iter().map(|&p| site_point(b, p)).collect()]
}

pub(super) fn build(site: &Site) -> Result<Scene, SceneError> {
    let mut reg = Registry {
        library: MaterialLibrary::new(&site.materials),
        materials: Vec::new(),
        material_index: BTreeMap::new(),
        slab_types: Vec::new(),
        slab_index: BTreeMap::new(),
    };
    let mut walls = Vec::new();
    let mut slabs: Vec<(f64, Vec<[f64; 2]>, u32)> = Vec::new();
    let mut buildings = Vec::new();
    for b in &site.buildings {
        let mut bbox: Option<[f64; 4]> = None;
        let mut grow = |p: [f64; 2]| {
            let bb = bbox.get_or_insert([p[0], p[1], p[0], p[1]]);
            *bb = [bb[0].min(p[0]), bb[1].min(p[1]), bb[2].max(p[0]), bb[3].max(p[1])];
        };
        for f in &b.floors {
            for w in &f.walls {
                let (a, c) = (site_point(b, w.from), site_point(b, w.to));
                grow(a);
                grow(c);
                walls.push(SiteWall { a, b: c, panels: wall_panels(&mut reg, w, f, b.ground)? });
            }
            for r in &f.rooms {
                r.outline.iter().for_each(|&p| grow(site_point(b, p)));
            }
            if let Some(s) = &f.slab {
                let slab = reg.slab(&s.material, s.thickness)?;
                for poly in footprint(b, f) {
                    slabs.push((b.site_z(f.elevation), poly, slab));
                }
            }
        }
        if let (Some(roof), Some(top)) =
            (&b.roof, b.floors.iter().max_by(|x, y| (x.elevation + x.height).total_cmp(&(y.elevation + y.height))))
        {
            let slab = reg.slab(&roof.material, roof.thickness)?;
            for poly in footprint(b, top) {
                slabs.push((b.site_z(top.elevation + top.height), poly, slab));
            }
        }
        buildings.push(BuildingExtent { name: b.name.clone(), bbox });
    }
    let (lines, spans, layers) = merge_lines(&walls);
    let bvh = Bvh::build(&lines);
    let Planes { planes, cells: plane_cells, items: plane_items, uniform: plane_uniform, polygons, vertices } =
        build_planes(slabs);
    let mut scene = Scene {
        lines,
        spans,
        layers,
        planes,
        plane_cells,
        plane_items,
        plane_uniform,
        polygons,
        vertices,
        slab_types: reg.slab_types,
        materials: reg.materials,
        bvh,
        buildings,
        cover: SlabCover::default(),
    };
    scene.cover = SlabCover::build(&scene);
    // A cell inside the footprints' union whose polygons are all of one slab type finds
    // that type at every point, however many rooms' outlines cross it.
    for (k, plane) in scene.planes.iter().enumerate() {
        for local in 0..(plane.nx * plane.ny) as usize {
            let cell = plane.cells_start as usize + local;
            let [start, count] = scene.plane_cells[cell];
            let items = &scene.plane_items[start as usize..(start + count) as usize];
            let Some(&first) = items.first() else { continue };
            let slab_type = scene.polygons[first as usize].slab_type;
            if scene.plane_uniform[cell] == MIXED
                && scene.cover.inside(k, local)
                && items.iter().all(|&i| scene.polygons[i as usize].slab_type == slab_type)
            {
                scene.plane_uniform[cell] = slab_type;
            }
        }
    }
    Ok(scene)
}

/// Groups collinear touching walls into lines and builds their span/layer profiles.
fn merge_lines(walls: &[SiteWall]) -> (Vec<WallLine>, Vec<Span>, Vec<Layer>) {
    struct Oriented {
        wall: usize,
        angle: f64,
        offset: f64,
        dir: [f64; 2],
    }
    let mut oriented: Vec<Oriented> = walls
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let (dx, dy) = (w.b[0] - w.a[0], w.b[1] - w.a[1]);
            let len = dx.hypot(dy);
            let mut dir = [dx / len, dy / len];
            if dir[0] < -1e-12 || (dir[0].abs() <= 1e-12 && dir[1] < 0.0) {
                dir = [-dir[0], -dir[1]];
            }
            let angle = dir[1].atan2(dir[0]);
            let offset = -dir[1] * w.a[0] + dir[0] * w.a[1];
            Oriented { wall: i, angle, offset, dir }
        })
        .collect();
    oriented.sort_by(|p, q| p.angle.total_cmp(&q.angle).then(p.offset.total_cmp(&q.offset)).then(p.wall.cmp(&q.wall)));

    let (mut lines, mut spans, mut layers) = (Vec::new(), Vec::new(), Vec::new());
    let mut i = 0;
    while i < oriented.len() {
        let mut j = i + 1;
        while j < oriented.len()
            && (oriented[j].angle - oriented[j - 1].angle).abs() <= ANGLE_TOL
            && (oriented[j].offset - oriented[j - 1].offset).abs() <= MERGE_TOL
        {
            j += 1;
        }
        let group = &oriented[i..j];
        let dir = group[0].dir;
        let origin = walls[group[0].wall].a;
        let along = |p: [f64; 2]| (p[0] - origin[0]) * dir[0] + (p[1] - origin[1]) * dir[1];
        // Each wall as a u interval with its panels mapped onto u (in definition order).
        let mut pieces: Vec<(f64, f64, usize)> = group
            .iter()
            .map(|o| {
                let w = &walls[o.wall];
                let (ua, ub) = (along(w.a), along(w.b));
                (ua.min(ub), ua.max(ub), o.wall)
            })
            .collect();
        pieces.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.2.cmp(&q.2)));
        let mut k = 0;
        while k < pieces.len() {
            let mut end = pieces[k].1;
            let mut m = k + 1;
            while m < pieces.len() && pieces[m].0 <= end + MERGE_TOL {
                end = end.max(pieces[m].1);
                m += 1;
            }
            let start = pieces[k].0;
            let mut chain: Vec<usize> = pieces[k..m].iter().map(|p| p.2).collect();
            chain.sort_unstable();
            let panels: Vec<Panel> = chain
                .iter()
                .flat_map(|&wi| {
                    let w = &walls[wi];
                    let ua = along(w.a) - start;
                    let forward = (w.b[0] - w.a[0]) * dir[0] + (w.b[1] - w.a[1]) * dir[1] > 0.0;
                    w.panels.iter().map(move |p| {
                        let (u0, u1) = if forward { (ua + p.s0, ua + p.s1) } else { (ua - p.s1, ua - p.s0) };
                        Panel { s0: u0, s1: u1, ..*p }
                    })
                })
                .collect();
            let a = [origin[0] + start * dir[0], origin[1] + start * dir[1]];
            let b = [origin[0] + end * dir[0], origin[1] + end * dir[1]];
            let span_start = spans.len() as u32;
            profile(&panels, end - start, &mut spans, &mut layers);
            lines.push(WallLine {
                a: [a[0] as f32, a[1] as f32],
                b: [b[0] as f32, b[1] as f32],
                span_start,
                span_count: spans.len() as u32 - span_start,
            });
            k = m;
        }
        i = j;
    }
    (lines, spans, layers)
}

/// Cuts a line of length `len` into spans of constant profile; earlier panels win where
/// panels overlap.
fn profile(panels: &[Panel], len: f64, spans: &mut Vec<Span>, layers: &mut Vec<Layer>) {
    let mut cuts: Vec<f64> = panels.iter().flat_map(|p| [p.s0.clamp(0.0, len), p.s1.clamp(0.0, len)]).collect();
    cuts.extend([0.0, len]);
    cuts.sort_by(f64::total_cmp);
    cuts.dedup_by(|a, b| (*a - *b).abs() < MERGE_TOL);
    let mut previous: Option<Vec<(f64, f64, u32)>> = None;
    for pair in cuts.windows(2) {
        let (u0, u1) = (pair[0], pair[1]);
        if u1 - u0 < MERGE_TOL {
            continue;
        }
        let mid = 0.5 * (u0 + u1);
        let mut taken: Vec<(f64, f64, u32)> = Vec::new();
        for p in panels.iter().filter(|p| p.s0 <= mid && mid < p.s1 && p.slab != NONE) {
            let mut free = vec![(p.z0, p.z1)];
            for t in &taken {
                subtract(&mut free, (t.0, t.1));
            }
            taken.extend(free.into_iter().filter(|(a, b)| b - a > MERGE_TOL).map(|(a, b)| (a, b, p.slab)));
        }
        taken.sort_by(|x, y| x.0.total_cmp(&y.0));
        if previous.as_ref() == Some(&taken) {
            spans.last_mut().expect("a previous span").u1 = u1 as f32;
            continue;
        }
        let layer_start = layers.len() as u32;
        layers.extend(taken.iter().map(|&(z0, z1, slab)| Layer {
            z0: z0 as f32,
            z1: z1 as f32,
            slab_type: slab,
            pad: 0,
        }));
        spans.push(Span { u0: u0 as f32, u1: u1 as f32, layer_start, layer_count: taken.len() as u32 });
        previous = Some(taken);
    }
}

/// The slab planes and their lookup grids, as [`Scene`] holds them.
struct Planes {
    planes: Vec<SlabPlane>,
    cells: Vec<[u32; 2]>,
    items: Vec<u32>,
    uniform: Vec<u32>,
    polygons: Vec<Polygon>,
    vertices: Vec<[f32; 2]>,
}

/// Groups slab polygons by altitude into planes with lookup grids.
fn build_planes(mut slabs: Vec<(f64, Vec<[f64; 2]>, u32)>) -> Planes {
    slabs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut planes, mut cells, mut items, mut uniform, mut polygons, mut vertices) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut i = 0;
    while i < slabs.len() {
        let mut j = i + 1;
        while j < slabs.len() && slabs[j].0 - slabs[i].0 <= MERGE_TOL {
            j += 1;
        }
        let first_poly = polygons.len();
        let mut bb = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for (_, poly, slab) in &slabs[i..j] {
            let mut pb = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
            for p in poly {
                pb = [pb[0].min(p[0]), pb[1].min(p[1]), pb[2].max(p[0]), pb[3].max(p[1])];
            }
            bb = [bb[0].min(pb[0]), bb[1].min(pb[1]), bb[2].max(pb[2]), bb[3].max(pb[3])];
            polygons.push(Polygon {
                bbox: pb.map(|v| v as f32),
                vertex_start: vertices.len() as u32,
                vertex_count: poly.len() as u32,
                slab_type: *slab,
                pad: 0,
            });
            vertices.extend(poly.iter().map(|p| [p[0] as f32, p[1] as f32]));
        }
        let nx = (((bb[2] - bb[0]) / PLANE_CELL).floor() as u32 + 1).max(1);
        let ny = (((bb[3] - bb[1]) / PLANE_CELL).floor() as u32 + 1).max(1);
        let cells_start = cells.len() as u32;
        // The origin as the lookup reads it.
        let origin = [bb[0] as f32, bb[1] as f32];
        for gy in 0..ny {
            for gx in 0..nx {
                let x0 = bb[0] + f64::from(gx) * PLANE_CELL;
                let y0 = bb[1] + f64::from(gy) * PLANE_CELL;
                let start = items.len() as u32;
                for (k, poly) in polygons.iter().enumerate().skip(first_poly) {
                    let [px0, py0, px1, py1] = poly.bbox.map(f64::from);
                    if px0 <= x0 + PLANE_CELL && px1 >= x0 && py0 <= y0 + PLANE_CELL && py1 >= y0 {
                        items.push(k as u32);
                    }
                }
                cells.push([start, items.len() as u32 - start]);
                uniform.push(uniform_type(&items[start as usize..], &polygons, &vertices, origin, gx, gy));
            }
        }
        planes.push(SlabPlane {
            z: slabs[i].0 as f32,
            cell: PLANE_CELL as f32,
            origin,
            nx,
            ny,
            cells_start,
            polygon_start: first_poly as u32,
            polygon_count: (polygons.len() - first_poly) as u32,
            pad: 0,
        });
        i = j;
    }
    Planes { planes, cells, items, uniform, polygons, vertices }
}

/// The slab type every point of plane grid cell (gx, gy) finds among the polygons
/// `items` ([`Scene::slab_at`]), or [`MIXED`] where one of their outlines comes within
/// [`UNIFORM_MARGIN`] of the cell: elsewhere each polygon holds all of the cell or none
/// of it, so its centre decides.
fn uniform_type(items: &[u32], polygons: &[Polygon], vertices: &[[f32; 2]], origin: [f32; 2], gx: u32, gy: u32) -> u32 {
    use crate::geometry::P2;
    let inward = cell_edges(origin.map(f64::from), PLANE_CELL, gx as usize, gy as usize);
    for &k in items {
        let poly = &polygons[k as usize];
        let verts = &vertices[poly.vertex_start as usize..(poly.vertex_start + poly.vertex_count) as usize];
        let at = |i: usize| P2::new(f64::from(verts[i][0]), f64::from(verts[i][1]));
        if (0..verts.len()).any(|i| comes_within(&[at(i), at((i + 1) % verts.len())], &inward, UNIFORM_MARGIN)) {
            return MIXED;
        }
    }
    let centre = nalgebra::center(&inward[0].0, &inward[2].0);
    first_footprint(items, polygons, vertices, centre.x, centre.y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan;
    use std::path::Path;

    fn demo() -> Scene {
        let site = plan::parse(include_str!("../../floorplans/lycee-demo.ron"), Path::new("demo")).unwrap();
        Scene::build(&site).unwrap()
    }

    #[test]
    fn the_walls_of_every_floor_merge_into_one_line() {
        let scene = demo();
        // The south façade of building A: one 60 m line carrying the three floors.
        let south =
            scene.lines.iter().position(|l| l.a == [0.0, 0.0] && l.b == [60.0, 0.0]).expect("a 60 m south façade line");
        let concrete_03 = |t: u32| {
            let s = scene.slab_types[t as usize];
            (scene.materials[s.material as usize].name.as_str(), s.thickness)
        };
        // Between the windows: concrete 0.3 m at every floor; in a window: glass.
        for z in [0.5, 4.0, 9.0] {
            assert_eq!(concrete_03(scene.wall_at(south, 0.5, z)), ("concrete", 0.3));
        }
        assert_eq!(concrete_03(scene.wall_at(south, 6.0, 1.5)), ("glass", 0.008));
        assert_eq!(concrete_03(scene.wall_at(south, 6.0, 3.0)), ("concrete", 0.3), "above the window");
        assert_eq!(concrete_03(scene.wall_at(south, 6.0, 3.5 + 1.5)), ("glass", 0.008), "R+1 window");
        assert_eq!(scene.wall_at(south, 6.0, 10.6), NONE, "above the roof");
        assert_eq!(scene.wall_at(south, 60.5, 1.0), NONE, "beyond the end");
        // Far fewer lines than plan walls: 3 floors × 29 walls + 8 gym walls = 95.
        assert!(scene.lines.len() < 45, "{} lines", scene.lines.len());
    }

    #[test]
    fn slab_planes_hold_floors_roofs_and_the_rotated_gym() {
        let scene = demo();
        let z = scene.plane_altitudes();
        assert_eq!(z, vec![-0.5, 0.0, 3.5, 7.0, 10.5], "gym slab, A slabs, A roof; gym roof shares 7.0");
        let name = |t: u32| scene.materials[scene.slab_types[t as usize].material as usize].name.clone();
        assert_eq!(name(scene.slab_at(2, 30.0, 8.0)), "concrete", "R+1 slab under the corridor");
        assert_eq!(scene.slab_at(2, 30.0, 20.0), NONE, "north of building A");
        // The gym's roof (metal) is at 7.0 m too, over its rotated footprint.
        let gym_centre = {
            let (s, c) = 25f64.to_radians().sin_cos();
            (72.0 + 16.0 * c - 10.0 * s, -14.0 + 16.0 * s + 10.0 * c)
        };
        assert_eq!(name(scene.slab_at(3, gym_centre.0, gym_centre.1)), "metal");
        assert_eq!(name(scene.slab_at(3, 30.0, 8.0)), "concrete");
    }

    #[test]
    fn the_uniform_cells_answer_every_point_as_the_polygon_test_does() {
        let scene = demo();
        let seed = "uniform-cells";
        let mut rng = crate::seed::rng(seed);
        let (mut uniform, mut with_items, mut checked) = (0, 0, 0);
        for (k, p) in scene.planes.iter().enumerate() {
            let (ox, oy, cell) = (f64::from(p.origin[0]), f64::from(p.origin[1]), f64::from(p.cell));
            let slow = |x: f64, y: f64| {
                let (gx, gy) = (((x - ox) / cell).floor(), ((y - oy) / cell).floor());
                if gx < 0.0 || gy < 0.0 || gx >= f64::from(p.nx) || gy >= f64::from(p.ny) {
                    return NONE;
                }
                let [start, count] =
                    scene.plane_cells[p.cells_start as usize + gy as usize * p.nx as usize + gx as usize];
                first_footprint(
                    &scene.plane_items[start as usize..(start + count) as usize],
                    &scene.polygons,
                    &scene.vertices,
                    x,
                    y,
                )
            };
            // Random points, and the points where a lookup is most fragile: footprint
            // vertices, points along their edges, and the grid's own lines.
            let mut points: Vec<(f64, f64)> = (0..20_000)
                .map(|_| {
                    (
                        crate::seed::uniform(&mut rng, ox - 1.0, ox + cell * f64::from(p.nx) + 1.0),
                        crate::seed::uniform(&mut rng, oy - 1.0, oy + cell * f64::from(p.ny) + 1.0),
                    )
                })
                .collect();
            for poly in scene.plane_polygons(k) {
                let v = &scene.vertices[poly.vertex_start as usize..(poly.vertex_start + poly.vertex_count) as usize];
                for i in 0..v.len() {
                    let (a, b) = (v[i].map(f64::from), v[(i + 1) % v.len()].map(f64::from));
                    for t in [0.0, 0.25, 0.5, 1.0 / 3.0] {
                        points.push((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])));
                    }
                }
            }
            for g in 0..=p.nx.max(p.ny) {
                let y = crate::seed::uniform(&mut rng, oy, oy + cell * f64::from(p.ny));
                let x = crate::seed::uniform(&mut rng, ox, ox + cell * f64::from(p.nx));
                points.push((ox + f64::from(g) * cell, y));
                points.push((x, oy + f64::from(g) * cell));
            }
            for (x, y) in points {
                assert_eq!(scene.slab_at(k, x, y), slow(x, y), "plane {k} at ({x}, {y}), seed {seed:?}");
                checked += 1;
            }
            let cells = p.cells_start as usize..(p.cells_start + p.nx * p.ny) as usize;
            with_items += scene.plane_cells[cells.clone()].iter().filter(|c| c[1] > 0).count();
            uniform += cells.filter(|&c| scene.plane_cells[c][1] > 0 && scene.plane_uniform[c] != MIXED).count();
        }
        // Most cells under a footprint skip the polygon test (rooms' shared outlines do
        // not make a cell mixed).
        println!("{uniform} of {with_items} cells with footprints uniform, {checked} points");
        assert!(uniform * 2 > with_items, "{uniform} of {with_items}");
    }
}
