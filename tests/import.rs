//! Importing plans: an architect's DXF, a facility-management export and an estates
//! department's space plan (written by ezdxf, an independent DXF writer: `floorplans/import/make_fixtures.py`), a plan image
//! (written by Pillow), units and scales, clean-up, the reports, bad input, and fuzzing.

mod common;

use common::{stderr, wifiplan};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::path::Path;
use wifiplan::coverage::Requirement;
use wifiplan::plan::import::config::{ImportConfig, RasterScale};
use wifiplan::plan::import::{ImportError, ImportReport, import, import_file};
use wifiplan::plan::{OpeningKind, RoomKind, Site, validate};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn config(name: &str) -> ImportConfig {
    wifiplan::ronfile::read(&root().join(format!("floorplans/import/{name}.import.ron"))).unwrap()
}

fn imported(file: &str, cfg: &str) -> (Site, ImportReport) {
    import_file(&root().join(format!("floorplans/import/{file}")), &config(cfg)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_architects_dxf_becomes_a_valid_floor() {
    let (site, report) = imported("aile-sud.dxf", "aile-sud");
    assert!(validate(&site).is_empty());
    let b = &site.buildings[0];
    assert_eq!((b.name.as_str(), b.floors[0].name.as_str()), ("S", "RDC"));
    let f = &b.floors[0];
    // Façades drawn as two faces 0.3 m apart became centre lines, meeting at the corners
    // (drawing in millimetres, $INSUNITS = 4).
    let south =
        f.walls.iter().find(|w| w.material == "concrete" && w.from.1.abs() < 0.2 && w.to.1.abs() < 0.2).unwrap();
    assert!(
        (south.from.1 - 0.15).abs() < 1e-6 && (south.from.0 - 0.15).abs() < 1e-6 && (south.to.0 - 39.85).abs() < 1e-6,
        "{south:?}"
    );
    assert_eq!(south.thickness, 0.3);
    assert_eq!(report.faces_paired, 15, "{report:?}");
    // 8 single doors bridge the gaps the corridor walls leave; the double door (two
    // nested blocks in one insert) is one 1.8 m opening; 18 windows.
    let openings: Vec<_> = f.walls.iter().flat_map(|w| w.openings.iter()).collect();
    let doors: Vec<_> = openings.iter().filter(|o| o.kind == OpeningKind::Door).collect();
    assert_eq!(doors.len(), 9);
    assert_eq!(openings.iter().filter(|o| o.kind == OpeningKind::Window).count(), 18);
    assert!(doors.iter().any(|o| (o.width - 1.8).abs() < 0.01), "{doors:?}");
    assert!(doors.iter().filter(|o| (o.width - 0.9).abs() < 0.01).count() == 8);
    assert_eq!(report.bridged, 8);
    // The curved wall (a bulge) and the arc are flattened within the arc tolerance.
    let curved: Vec<_> =
        f.walls.iter().filter(|w| w.material == "brick" && w.from.0 >= 35.9 && w.from.1 < 4.0).collect();
    assert!(curved.len() >= 5, "{curved:?}");
    for w in &curved {
        for p in [w.from, w.to] {
            assert!(((p.0 - 36.0).hypot(p.1 - 4.0) - 3.7).abs() < 0.02, "{p:?}");
        }
    }
    // Columns (circles) are small polygons of concrete around their centres.
    let column: Vec<_> = f.walls.iter().filter(|w| (w.from.0 - 28.0).hypot(w.from.1 - 3.5) < 0.25).collect();
    assert!(column.len() >= 6 && column.iter().all(|w| w.material == "concrete"));
    // Rooms: names, kinds and capacities from their labels (TEXT and MTEXT).
    let room = |name: &str| {
        f.rooms.iter().find(|r| r.name.starts_with(name)).unwrap_or_else(|| panic!("{name}: {:?}", f.rooms))
    };
    assert_eq!((room("Salle 101").kind, room("Salle 101").occupants), (RoomKind::Classroom, 35));
    assert_eq!((room("Salle 112").kind, room("Salle 112").occupants), (RoomKind::Classroom, 30));
    assert_eq!((room("TP Physique").kind, room("TP Physique").occupants), (RoomKind::Lab, 24));
    assert_eq!((room("CDI").kind, room("CDI").occupants), (RoomKind::Library, 40));
    assert_eq!(room("Salle des professeurs").kind, RoomKind::Office);
    assert!(room("Local VDI").closet);
    assert_eq!(room("Circulation").kind, RoomKind::Corridor);
    // The dimension layer is reported with its entity counts, never silently dropped.
    assert_eq!(report.unmapped.get("layer \"A-COTATION\" (LINE 1, TEXT 1)"), Some(&2), "{:?}", report.unmapped);
}

#[test]
fn binary_dxf_imports_like_ascii() {
    assert_eq!(imported("aile-sud-binary.dxf", "aile-sud").0, imported("aile-sud.dxf", "aile-sud").0);
}

#[test]
fn the_scale_override_replaces_the_drawing_units() {
    let mut cfg = config("aile-sud");
    cfg.scale = Some(0.002);
    let (site, _) = import_file(&root().join("floorplans/import/aile-sud.dxf"), &cfg).unwrap();
    let f = &site.buildings[0].floors[0];
    let xmax = f.walls.iter().flat_map(|w| [w.from.0, w.to.0]).fold(f64::NEG_INFINITY, f64::max);
    assert!((xmax - 79.7).abs() < 0.01, "twice the metres: {xmax}");
}

#[test]
fn an_outline_only_export_gets_walls_from_its_rooms() {
    let (site, report) = imported("fm-export.dxf", "fm-export");
    assert!(validate(&site).is_empty());
    let f = &site.buildings[0].floors[0];
    assert_eq!((f.name.as_str(), f.elevation), ("R+1", 3.5));
    let concrete: f64 = f.walls.iter().filter(|w| w.material == "concrete").map(|w| w.length()).sum();
    let brick: f64 = f.walls.iter().filter(|w| w.material == "brick").map(|w| w.length()).sum();
    assert!((concrete - 80.0).abs() < 1e-6, "the outer boundary 24 × 16 m: {concrete}");
    assert!((brick - (24.0 * 2.0 + 7.0 * 4.0)).abs() < 1e-6, "shared edges: {brick}");
    assert!(report.derived > 0);
    assert_eq!(f.rooms.len(), 7);
    assert!(f.rooms.iter().any(|r| r.kind == RoomKind::Lab && r.occupants == 24));
    assert!(f.rooms.iter().any(|r| r.closet));
}

#[test]
fn a_space_plan_gets_its_walls_from_the_gaps_between_zones_its_corridor_and_its_closets() {
    let (site, report) = imported("space-plan.dxf", "space-plan");
    assert!(validate(&site).is_empty());
    assert!(report.space_plan);
    let hand = wifiplan::plan::load(&root().join("floorplans/import/space-plan.ron")).unwrap();
    let (f, h) = (&site.buildings[0].floors[0], &hand.buildings[0].floors[0]);
    let p = |(x, y): (f64, f64)| wifiplan::geometry::P2::new(x, y);
    let on = |w: &wifiplan::plan::Wall, q: (f64, f64)| {
        wifiplan::geometry::segment_distance(&p(w.from), &p(w.to), q.0, q.1) <= 0.01
    };
    let same = |a: &wifiplan::plan::Wall, b: &wifiplan::plan::Wall| {
        a.material == b.material && (a.thickness - b.thickness).abs() <= 0.01
    };
    // Every wall of the hand-written plan is imported: on its centre line within 1 cm,
    // as thick within 1 cm, of the same material (the façade only outside, 0.3 m; the
    // partitions 0.1, 0.2 and 0.4 m by their gaps).
    for w in &h.walls {
        assert!(f.walls.iter().any(|v| same(v, w) && on(v, w.from) && on(v, w.to)), "missing {w:?}");
    }
    // And nothing else: every imported wall lies on a hand-written one.
    for v in &f.walls {
        let mid = ((v.from.0 + v.to.0) / 2.0, (v.from.1 + v.to.1) / 2.0);
        assert!(h.walls.iter().any(|w| same(v, w) && on(w, mid)), "extra {v:?}");
    }
    assert_eq!(report.facing, 10);
    // The corridor no zone covers is a room, 40 × 2 m inside its walls.
    let corridors: Vec<_> = f.rooms.iter().filter(|r| r.kind == RoomKind::Corridor).collect();
    assert_eq!(corridors.len(), 1);
    assert!((corridors[0].area() - 80.0).abs() < 0.01, "{}", corridors[0].area());
    // Closets by their labels; kinds and capacities of the French labels.
    let closets: Vec<_> = f.rooms.iter().filter(|r| r.closet).map(|r| r.name.as_str()).collect();
    assert_eq!(closets, ["A004 Local courants faibles", "B004 Salle serveurs"]);
    let room = |prefix: &str| f.rooms.iter().find(|r| r.name.starts_with(prefix)).unwrap();
    assert_eq!((room("A002").kind, room("A002").occupants), (RoomKind::Classroom, 60));
    assert_eq!(room("B002").kind, RoomKind::Office);
    assert_eq!((room("B005").kind, room("B005").occupants), (RoomKind::Classroom, 90));
    // Placed like the same floor written by hand (±10 %), the APs named after the rooms'
    // numbers.
    let place = |s: &Site| {
        wifiplan::placement::place(s, &Default::default(), &wifiplan::solver::CpuBackend, &|_, _| {}).unwrap()
    };
    let placed = place(&site);
    assert!(placed.aps.0.iter().all(|ap| ap.name.len() <= 6 && ap.name.starts_with(['A', 'B'])), "{:?}", placed.aps.0);
    let (a, b) = (placed.report, place(&hand).report);
    assert!(a.bounds.lp_error.is_none(), "{:?}", a.bounds.lp_error);
    let (na, nb) = (a.ap_count as f64, b.ap_count as f64);
    assert!((na - nb).abs() <= 0.1 * nb, "imported {na} APs, by hand {nb}");
    assert!(a.failing_rooms.iter().all(|f| f.requirement == Requirement::Secondary), "{:?}", a.failing_rooms);
}

#[test]
fn the_import_preview_draws_walls_by_material_rooms_by_kind_and_closets() {
    let dir = tempfile::tempdir().unwrap();
    let (plan, png) = (dir.path().join("plan.ron"), dir.path().join("preview.png"));
    let args = ["import", "floorplans/import/space-plan.dxf", "--config", "floorplans/import/space-plan.import.ron"];
    let o = wifiplan(&[&args[..], &["-o", plan.to_str().unwrap(), "--preview", png.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("walls by material: brick 5 (101.6 m), concrete 5 (121.7 m), plasterboard 6 (42.7 m)"),
        "{stdout}"
    );
    assert!(stdout.contains("preview: "), "{stdout}");
    let written = image::open(&png).unwrap().to_rgb8();
    // The same image as the library draws, whose layout says where the plan lies.
    let (site, _) = imported("space-plan.dxf", "space-plan");
    let (bytes, lay) = wifiplan::render::heatmap::plan_preview(&site, 0, 0, 20.0, wifiplan::lang::Lang::Fr).unwrap();
    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(img, written);
    let at = |x: f64, y: f64| {
        let (px, py) = lay.pixel(x, y);
        img.get_pixel(px as u32, py as u32).0
    };
    // Rooms by kind: the two closets alike, the two offices alike, the two apart; the
    // corridor its own colour; the 0.4 m concrete wall drawn as concrete.
    // (Points in the rooms' lower halves, away from their labels.)
    assert_eq!(at(26.0, 1.5), at(28.2, 11.0), "closets");
    assert_eq!(at(29.1, 1.5), at(33.2, 1.5), "offices");
    assert_ne!(at(26.0, 1.5), at(29.1, 1.5));
    assert_ne!(at(5.0, 8.5), at(29.1, 1.5));
    assert_eq!(at(24.8, 1.5), [40, 40, 40], "concrete");
    // A preview that cannot be written leaves nothing behind.
    let plan2 = dir.path().join("plan2.ron");
    let bad = dir.path().join("no/such/folder/preview.png");
    let o = wifiplan(&[&args[..], &["-o", plan2.to_str().unwrap(), "--preview", bad.to_str().unwrap()]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("preview.png: cannot write"), "{}", stderr(&o));
    assert!(!plan2.exists());
}

#[test]
fn an_ifc_model_becomes_its_storeys_walls_openings_slabs_and_spaces() {
    // Written by IfcOpenShell (floorplans/import/make_ifc_fixture.py), in millimetres.
    let (site, report) = imported("two-storeys.ifc", "two-storeys");
    assert!(validate(&site).is_empty());
    assert_eq!(report.floors, 2);
    assert!(report.unknown_materials.is_empty() && report.walls_left_out.is_empty(), "{report:?}");
    let floors = &site.buildings[0].floors;
    let near = |a: f64, b: f64| (a - b).abs() <= 0.01;
    assert!(near(floors[0].elevation, 0.0) && near(floors[1].elevation, 3.5));
    assert!(near(floors[0].height, 3.5) && near(floors[1].height, 3.25), "the last up to the roof");
    let roof = site.buildings[0].roof.as_ref().expect("the roof slab");
    assert_eq!((roof.material.as_str(), roof.thickness), ("concrete", 0.25));
    for f in floors {
        // Walls on their centre lines, within 1 cm of the source, full height.
        let wall = |from: (f64, f64), to: (f64, f64)| {
            f.walls
                .iter()
                .find(|w| near(w.from.0, from.0) && near(w.from.1, from.1) && near(w.to.0, to.0) && near(w.to.1, to.1))
                .unwrap_or_else(|| panic!("floor {}: no wall {from:?} → {to:?}: {:?}", f.name, f.walls))
        };
        let south = wall((0.0, 0.0), (20.0, 0.0));
        assert_eq!((south.material.as_str(), south.thickness), ("concrete", 0.3));
        assert_eq!((south.bottom, south.top), (None, None));
        for (o, at) in south.openings.iter().zip([3.0, 13.0]) {
            assert_eq!(o.kind, OpeningKind::Window);
            assert!(near(o.offset, at) && near(o.width, 1.5), "{o:?}");
            assert!(near(o.bottom.unwrap(), 1.0) && near(o.top.unwrap(), 2.2), "{o:?}");
        }
        for (from, to) in [((20.0, 0.0), (20.0, 10.0)), ((20.0, 10.0), (0.0, 10.0)), ((0.0, 10.0), (0.0, 0.0))] {
            assert_eq!(wall(from, to).material, "concrete");
        }
        let partition = wall((10.0, 0.0), (10.0, 10.0));
        assert_eq!((partition.material.as_str(), partition.thickness), ("brick", 0.2));
        let door = &partition.openings[0];
        assert_eq!(door.kind, OpeningKind::Door);
        assert!(near(door.offset, 4.0) && near(door.width, 0.9) && near(door.top.unwrap(), 2.1), "{door:?}");
        assert_eq!(f.walls.len(), 5);
        let slab = f.slab.as_ref().unwrap();
        assert_eq!((slab.material.as_str(), slab.thickness), ("concrete", 0.25));
        assert_eq!(f.rooms.len(), 2);
        for r in &f.rooms {
            assert!((r.area() - 9.75 * 9.7).abs() < 0.1, "{}: {} m²", r.name, r.area());
        }
    }
    let room = |name: &str| floors.iter().flat_map(|f| &f.rooms).find(|r| r.name == name).unwrap();
    assert_eq!((room("Salle 101 35 places").kind, room("Salle 101 35 places").occupants), (RoomKind::Classroom, 35));
    assert_eq!(room("Labo 201 24 places").kind, RoomKind::Lab);
    assert!(room("Local VDI").closet);
    // IFC2X3 (polylines, owner histories) gives the same plan.
    let (older, _) = imported("two-storeys-ifc2x3.ifc", "two-storeys");
    assert_eq!(older.buildings, site.buildings);
    // And it can be placed.
    let p = wifiplan::placement::place(&site, &Default::default(), &wifiplan::solver::CpuBackend, &|_, _| {}).unwrap();
    assert!(p.report.ap_count >= 3 && p.report.bounds.lp_error.is_none(), "{:?}", p.report.bounds);
}

#[test]
fn bad_ifc_input_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("floorplans/import/two-storeys.ifc")).unwrap();
    let cfg = "floorplans/import/two-storeys.import.ron";
    for (name, edited, says) in [
        ("schema.ifc", text.replace("FILE_SCHEMA(('IFC4'))", "FILE_SCHEMA(('IFC5'))"), "unknown IFC schema"),
        ("storeys.ifc", text.replace("IFCBUILDINGSTOREY(", "IFCBUILDINGELEMENTPROXY("), "no IfcBuildingStorey"),
        ("walls.ifc", text.replace("IFCWALL(", "IFCCOLUMN("), "no wall that can be read"),
        ("units.ifc", text.replace(".LENGTHUNIT.", ".MASSUNIT."), "declares no length unit"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, edited).unwrap();
        let err = refused(&[path.to_str().unwrap(), "--config", cfg]);
        assert!(err.contains(name) && err.contains(says), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}

#[test]
fn a_plan_image_is_vectorised_into_walls_doors_windows_and_rooms() {
    let (site, report) = imported("plan-scan.png", "plan-scan");
    assert!(validate(&site).is_empty());
    let f = &site.buildings[0].floors[0];
    let concrete: f64 = f.walls.iter().filter(|w| w.material == "concrete").map(|w| w.length()).sum();
    assert!((concrete - 72.0).abs() < 1.5, "the 24 × 12 m outline: {concrete} m");
    let board: f64 = f.walls.iter().filter(|w| w.material == "plasterboard").map(|w| w.length()).sum();
    assert!((board - 24.0).abs() < 1.0, "two 12 m partitions: {board} m");
    let openings: Vec<_> = f.walls.iter().flat_map(|w| w.openings.iter()).collect();
    assert_eq!(openings.iter().filter(|o| o.kind == OpeningKind::Window).count(), 3);
    assert_eq!(openings.iter().filter(|o| o.kind == OpeningKind::Door).count(), 2);
    assert_eq!(f.rooms.len(), 3);
    for r in &f.rooms {
        assert!((r.area() - 96.0).abs() < 4.0, "8 × 12 m rooms: {} m²", r.area());
    }
    assert!(
        report.unmapped.keys().any(|k| k.starts_with("colour about")),
        "the green annotation: {:?}",
        report.unmapped
    );
}

#[test]
fn two_points_and_their_distance_scale_like_pixels_per_metre() {
    let mut cfg = config("plan-scan");
    cfg.raster.as_mut().unwrap().scale = RasterScale::TwoPoints((20.0, 20.0), (420.0, 20.0), 10.0);
    let (a, _) = import_file(&root().join("floorplans/import/plan-scan.png"), &cfg).unwrap();
    let (b, _) = imported("plan-scan.png", "plan-scan");
    assert_eq!(a, b);
}

#[test]
fn imported_plans_can_be_placed() {
    let (site, _) = imported("aile-sud.dxf", "aile-sud");
    let p = wifiplan::placement::place(&site, &Default::default(), &wifiplan::solver::CpuBackend, &|_, _| {}).unwrap();
    // Capacity: four classrooms, the lab, and two APs for the 40-seat CDI.
    assert_eq!(p.report.bounds.capacity, 7);
    assert_eq!(p.report.ap_count, 7);
    assert!(
        p.report.failing_rooms.iter().all(|f| f.requirement == Requirement::Secondary),
        "{:?}",
        p.report.failing_rooms
    );
}

fn refused(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.ron");
    let mut all: Vec<&str> = vec!["import"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out.to_str().unwrap()]);
    let o = wifiplan(&all);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written");
    stderr(&o)
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.dxf");
    let bytes = std::fs::read(root().join("floorplans/import/aile-sud.dxf")).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    let err = refused(&[cut.to_str().unwrap(), "--config", "floorplans/import/aile-sud.import.ron"]);
    assert!(err.contains("cut.dxf:"), "{err}");
    let junk = dir.path().join("junk.png");
    std::fs::write(&junk, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let err = refused(&[junk.to_str().unwrap(), "--config", "floorplans/import/plan-scan.import.ron"]);
    assert!(err.contains("not a readable image"), "{err}");
    // A config that maps nothing of the drawing names the layers it has.
    let err = refused(&["floorplans/import/aile-sud.dxf", "--config", "floorplans/import/fm-export.import.ron"]);
    assert!(err.contains("the config maps none of the drawing's geometry") && err.contains("\"A-MUR-BETON\""), "{err}");
    // Images above the limit are refused from their header.
    let big = dir.path().join("big.import.ron");
    let text = std::fs::read_to_string(root().join("floorplans/import/plan-scan.import.ron")).unwrap();
    std::fs::write(&big, text.replace("detect_rooms: true,", "detect_rooms: true, max_pixels: 1000,")).unwrap();
    let err = refused(&["floorplans/import/plan-scan.png", "--config", big.to_str().unwrap()]);
    assert!(err.contains("the image is 1000 × 520 pixels, more than the 1000 allowed"), "{err}");
    // A unitless drawing without `scale`.
    let unitless = dir.path().join("unitless.dxf");
    std::fs::write(
        &unitless,
        "0\nSECTION\n2\nENTITIES\n0\nLINE\n8\nW\n10\n0\n20\n0\n11\n5\n21\n0\n0\nENDSEC\n0\nEOF\n",
    )
    .unwrap();
    let cfg = dir.path().join("w.import.ron");
    std::fs::write(&cfg, r#"ImportConfig(floor: FloorSpec(name: "0", height: 3.0), walls: [LayerMaterial(layer: "W", material: "brick", thickness: 0.2)])"#).unwrap();
    let err = refused(&[unitless.to_str().unwrap(), "--config", cfg.to_str().unwrap()]);
    assert!(err.contains("set `scale`"), "{err}");
    // Space-plan settings out of range, named.
    let space = std::fs::read_to_string(root().join("floorplans/import/space-plan.import.ron")).unwrap();
    let bad = dir.path().join("bad.import.ron");
    for (from, to, says) in [
        (
            "thickness: 0.3),",
            "thickness: 0.3), max_thickness: 0.0,",
            "derived_walls.max_thickness 0 must lie in (0, 2] m",
        ),
        (
            "thickness: 0.3),",
            "thickness: 0.3), classes: [ThicknessClass(up_to: 0.3, material: \"brick\"), ThicknessClass(up_to: 0.2, material: \"concrete\")],",
            "`up_to` must be positive and increase",
        ),
        (
            "    derived_walls",
            "    keywords: [LabelKeyword(words: \" - \", kind: Hall)],\n    derived_walls",
            "keywords: \" - \" has no word to match",
        ),
    ] {
        std::fs::write(&bad, space.replacen(from, to, 1)).unwrap();
        let err = refused(&["floorplans/import/space-plan.dxf", "--config", bad.to_str().unwrap()]);
        assert!(err.contains("bad.import.ron") || err.contains("space-plan.dxf"), "{err}");
        assert!(err.contains(says), "{err}");
    }
}

fn fuzz_config(cases: u32) -> Config {
    Config { cases, failure_persistence: None, rng_seed: RngSeed::Fixed(0xD0F_2026), ..Config::default() }
}

/// Imports mutated bytes: an error or a plan, never a panic.
fn mutate_and_import(seed: &[u8], png: bool, cfg: &ImportConfig, edits: &[(proptest::sample::Index, u8, u8)]) {
    let bytes = mutated(seed, edits);
    let result: Result<_, ImportError> = import(&bytes, png, cfg, "fuzz");
    if let Ok((site, _)) = result {
        assert!(validate(&site).is_empty());
    }
}

fn mutate_and_import_ifc(seed: &[u8], edits: &[(proptest::sample::Index, u8, u8)]) {
    let bytes = mutated(seed, edits);
    if let Ok((site, _)) = wifiplan::plan::import::import_ifc(&bytes, &config("two-storeys"), "fuzz") {
        assert!(validate(&site).is_empty());
    }
}

/// `seed` with `edits` applied: bytes replaced, inserted, or the rest cut.
fn mutated(seed: &[u8], edits: &[(proptest::sample::Index, u8, u8)]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for (at, op, value) in edits {
        let i = at.index(bytes.len().max(1));
        match op % 3 {
            0 if !bytes.is_empty() => bytes[i] = *value,
            1 => bytes.insert(i.min(bytes.len()), *value),
            _ if !bytes.is_empty() => bytes.truncate(i),
            _ => {}
        }
    }
    bytes
}

/// Encodes a random plan-like image (strokes in legend colours and noise) and imports it.
fn random_image_imports(pixels: &[(u8, u8, u8, u8)], width: usize) {
    let height = pixels.len() / width;
    let palette = [(255, 255, 255), (0, 0, 0), (96, 96, 96), (220, 30, 30), (40, 80, 220)];
    let mut img = image::RgbImage::new(width as u32, height as u32);
    for (i, &(kind, r, g, b)) in pixels.iter().take(width * height).enumerate() {
        let c = if kind % 8 < 5 { palette[(kind % 8) as usize] } else { (r, g, b) };
        img.put_pixel((i % width) as u32, (i / width) as u32, image::Rgb([c.0, c.1, c.2]));
    }
    let mut bytes = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    if let Ok((site, _)) = import(&bytes, true, &config("plan-scan"), "fuzz") {
        assert!(validate(&site).is_empty());
    }
}

fn images() -> impl Strategy<Value = (Vec<(u8, u8, u8, u8)>, usize)> {
    (4usize..40).prop_flat_map(|w| (proptest::collection::vec(any::<(u8, u8, u8, u8)>(), w * 4..w * 40), Just(w)))
}

fn edits() -> impl Strategy<Value = Vec<(proptest::sample::Index, u8, u8)>> {
    proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>(), any::<u8>()), 1..8)
}

proptest! {
    #![proptest_config(fuzz_config(300))]

    #[test]
    fn mutated_dxf_never_panics(e in edits()) {
        mutate_and_import(include_bytes!("../floorplans/import/fm-export.dxf"), false, &config("fm-export"), &e);
    }

    #[test]
    fn mutated_space_plan_never_panics(e in edits()) {
        mutate_and_import(include_bytes!("../floorplans/import/space-plan.dxf"), false, &config("space-plan"), &e);
    }

    #[test]
    fn mutated_ifc_never_panics(e in edits()) {
        mutate_and_import_ifc(include_bytes!("../floorplans/import/two-storeys.ifc"), &e);
    }

    #[test]
    fn mutated_png_never_panics(e in edits()) {
        mutate_and_import(include_bytes!("../floorplans/import/fuzz-seed.png"), true, &config("plan-scan"), &e);
    }

    #[test]
    fn random_images_never_panic((pixels, width) in images()) {
        random_image_imports(&pixels, width);
    }
}

/// The long runs: `cargo test --release --test import -- --ignored` (100,000 cases each).
mod long {
    use super::*;

    proptest! {
        #![proptest_config(fuzz_config(100_000))]

        #[test]
        #[ignore]
        fn fuzz_dxf_100k(e in edits()) {
            mutate_and_import(include_bytes!("../floorplans/import/fm-export.dxf"), false, &config("fm-export"), &e);
        }

        #[test]
        #[ignore]
        fn fuzz_space_plan_100k(e in edits()) {
            mutate_and_import(include_bytes!("../floorplans/import/space-plan.dxf"), false, &config("space-plan"), &e);
        }

        #[test]
        #[ignore]
        fn fuzz_ifc_100k(e in edits()) {
            mutate_and_import_ifc(include_bytes!("../floorplans/import/two-storeys.ifc"), &e);
        }

        #[test]
        #[ignore]
        fn fuzz_png_100k(e in edits()) {
            mutate_and_import(include_bytes!("../floorplans/import/fuzz-seed.png"), true, &config("plan-scan"), &e);
        }

        #[test]
        #[ignore]
        fn fuzz_random_images_100k((pixels, width) in images()) {
            random_image_imports(&pixels, width);
        }
    }
}
