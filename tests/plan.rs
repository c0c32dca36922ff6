//! The plan format (DESIGN.md §3): parsing, lossless save/load, frames, and every
//! validation rule with a plan that breaks it and the message it must give.

use std::path::Path;
use wifiplan::error::JobError;
use wifiplan::materials::MaterialDef;
use wifiplan::plan::{self, OpeningKind, PlanError, RoomKind, Site, validate};
use wifiplan::ronfile::ReadError;

fn parse(text: &str) -> Site {
    plan::parse(text, Path::new("test.ron")).unwrap_or_else(|e| panic!("{e}"))
}

fn design_example() -> Site {
    parse(include_str!("data/design_example.ron"))
}

/// A minimal valid site: one building, one floor, one wall with a door, one room.
const BASE: &str = r#"
Site(
    name: "base",
    buildings: [
        Building(
            name: "A", origin: (0.0, 0.0), rotation: 0.0,
            floors: [
                Floor(
                    name: "RDC", elevation: 0.0, height: 3.0,
                    walls: [
                        Wall(from: (0.0, 0.0), to: (8.0, 0.0), material: "brick", thickness: 0.2,
                             openings: [Opening(kind: Door, offset: 1.0, width: 0.9, material: "wood", thickness: 0.04)]),
                    ],
                    rooms: [
                        Room(name: "A1", kind: Classroom, occupants: 35, outline: [(0.0, 0.0), (8.0, 0.0), (8.0, 7.0), (0.0, 7.0)]),
                    ],
                ),
            ],
        ),
    ],
)
"#;

fn base() -> Site {
    let site = parse(BASE);
    assert!(validate(&site).is_empty(), "{:?}", validate(&site));
    site
}

/// Validates a broken site and returns its problems as printed lines.
fn problems(site: &Site) -> Vec<String> {
    validate(site).iter().map(|p| p.to_string()).collect()
}

fn assert_one(site: &Site, expected: &str) {
    assert_eq!(problems(site), vec![expected.to_string()]);
}

#[test]
fn the_design_example_parses_exactly_as_written() {
    let site = design_example();
    assert_eq!(site.name, "Lycée Exemple");
    assert_eq!(site.uai.as_deref(), Some("0140013N"));
    let a = &site.buildings[0];
    assert_eq!((a.name.as_str(), a.origin, a.rotation, a.ground), ("A", (0.0, 0.0), 0.0, 0.0));
    assert_eq!(a.roof.as_ref().map(|r| (r.material.as_str(), r.thickness)), Some(("concrete", 0.25)));
    let rdc = &a.floors[0];
    assert_eq!((rdc.name.as_str(), rdc.elevation, rdc.height), ("RDC", 0.0, 3.2));
    assert_eq!(rdc.walls.len(), 3);
    let door = &rdc.walls[1].openings[0];
    assert_eq!(door.kind, OpeningKind::Door);
    assert_eq!(
        (door.offset, door.width, door.material.as_deref(), door.thickness),
        (3.0, 0.9, Some("wood"), Some(0.04))
    );
    assert_eq!((rdc.walls[2].bottom, rdc.walls[2].top), (None, None));
    assert_eq!(rdc.walls[2].thickness, 0.025);
    let room = &rdc.rooms[0];
    assert_eq!((room.name.as_str(), room.kind, room.occupants, room.area()), ("A101", RoomKind::Classroom, 35, 64.0));
    assert_eq!(site.materials["old_stone"], MaterialDef::Itu { a: 6.0, b: 0.0, c: 0.03, d: 0.8, valid_ghz: None });
    match &site.materials["lift_shaft"] {
        MaterialDef::FixedLoss { db, reflection_db } => {
            assert_eq!((db["2.4"], db["5"], db["6"], *reflection_db), (25.0, 30.0, 32.0, -3.0));
        }
        other => panic!("{other:?}"),
    }
    assert!(validate(&site).is_empty(), "{:?}", validate(&site));
}

#[test]
fn optional_fields_may_be_omitted_or_written_bare() {
    let site = parse(
        r#"Site(name: "s", buildings: [Building(name: "A", origin: (1.0, 2.0), rotation: 30.0, floors: [
            Floor(name: "0", elevation: 0.0, height: 3.0,
                  walls: [Wall(from: (0.0, 0.0), to: (4.0, 0.0), material: "plasterboard", thickness: 0.025, top: 2.4,
                               openings: [Opening(kind: Window, offset: 1.0, width: 1.0, material: "glass", thickness: 0.01, bottom: 1.0)])]),
            Floor(name: "1", elevation: 3.0, height: 3.0, slab: Slab(material: "concrete", thickness: 0.2)),
        ])])"#,
    );
    let b = &site.buildings[0];
    assert_eq!((site.uai.clone(), b.ground, b.roof.clone()), (None, 0.0, None));
    assert!(site.materials.is_empty());
    let w = &b.floors[0].walls[0];
    assert_eq!((w.bottom, w.top), (None, Some(2.4)));
    assert_eq!(w.openings[0].z_range(w.z_range(3.0)), (1.0, 2.2), "bare bottom, default window top");
    assert!(b.floors[0].slab.is_none() && b.floors[0].rooms.is_empty());
    assert_eq!(b.floors[1].slab.as_ref().map(|s| s.thickness), Some(0.2));
    assert!(validate(&site).is_empty(), "{:?}", validate(&site));
}

#[test]
fn save_then_load_is_lossless() {
    let dir = tempfile::tempdir().unwrap();
    for text in [include_str!("data/design_example.ron"), include_str!("../floorplans/lycee-demo.ron"), BASE] {
        let site = parse(text);
        let path = dir.path().join("saved.ron");
        plan::save(&site, &path).unwrap();
        let back = plan::load(&path).unwrap();
        assert_eq!(back, site);
        // And the text is stable: saving what was loaded gives the same bytes.
        assert_eq!(plan::to_ron_string(&back).unwrap(), std::fs::read_to_string(&path).unwrap());
    }
}

#[test]
fn awkward_floats_survive_a_round_trip() {
    let mut site = base();
    let w = &mut site.buildings[0].floors[0].walls[0];
    w.from = (0.1 + 0.2, -1e-300);
    w.to = (1.0 / 3.0, 123_456_789.123_456_79);
    w.thickness = f64::MIN_POSITIVE;
    let back = parse(&plan::to_ron_string(&site).unwrap());
    assert_eq!(back, site);
}

#[test]
fn building_frames_place_the_gym_of_the_demo_site() {
    let site = parse(include_str!("../floorplans/lycee-demo.ron"));
    let gym = site.buildings.iter().find(|b| b.name == "B").unwrap();
    assert_eq!((gym.origin, gym.rotation, gym.ground), ((72.0, -14.0), 25.0, -0.5));
    // The far corner (32, 20) of the gym, rotated 25° counter-clockwise, then moved.
    let c = gym.to_site((32.0, 20.0));
    let (s, co) = 25f64.to_radians().sin_cos();
    assert!((c.x - (72.0 + 32.0 * co - 20.0 * s)).abs() < 1e-9);
    assert!((c.y - (-14.0 + 32.0 * s + 20.0 * co)).abs() < 1e-9);
    assert_eq!(gym.roof_elevation(), Some(7.5));
    assert_eq!(gym.site_z(7.5), 7.0);
}

#[test]
fn syntax_errors_carry_file_line_and_column() {
    let text = "Site(\n    name: \"x\",\n    bildings: [],\n)\n";
    let err = plan::parse(text, Path::new("floorplans/x.ron")).unwrap_err();
    let PlanError::Input(ReadError::Syntax { line, col, .. }) = &err else { panic!("{err:?}") };
    assert_eq!((*line, *col), (3, 5));
    assert!(err.to_string().starts_with("floorplans/x.ron:3:5: Unexpected field named `bildings`"), "{err}");
    let err = plan::parse("Site(name: \"x\", buildings: [Building(name: \"A\", origin: (0.0 0.0)", Path::new("y.ron"))
        .unwrap_err();
    assert!(err.to_string().starts_with("y.ron:1:"), "{err}");
}

// ---- validation: one test per rule ----

#[test]
fn rule_non_finite_coordinates() {
    let mut s = base();
    s.buildings[0].floors[0].walls[0].to = (f64::NAN, 0.0);
    assert!(problems(&s).contains(&"building \"A\" / floor \"RDC\" / wall 1: non-finite coordinates".to_string()));
    let mut s = base();
    s.buildings[0].floors[0].rooms[0].outline[2] = (f64::INFINITY, 7.0);
    assert_one(&s, "building \"A\" / floor \"RDC\" / room 1 \"A1\": outline vertex 3 is not finite");
    let mut s = base();
    s.buildings[0].origin = (0.0, f64::NEG_INFINITY);
    assert_one(&s, "building \"A\": non-finite origin, rotation or ground");
    // RON's own `inf` and `NaN` literals reach validation too.
    let s = parse(&BASE.replace("to: (8.0, 0.0)", "to: (inf, 0.0)"));
    assert!(problems(&s).iter().any(|p| p.ends_with("wall 1: non-finite coordinates")), "{:?}", problems(&s));
}

#[test]
fn rule_zero_length_walls() {
    let mut s = base();
    let w = &mut s.buildings[0].floors[0].walls[0];
    w.to = w.from;
    w.openings.clear();
    assert_one(&s, "building \"A\" / floor \"RDC\" / wall 1: zero-length wall at (0, 0)");
}

#[test]
fn rule_non_positive_thickness_or_height() {
    let mut s = base();
    s.buildings[0].floors[0].walls[0].thickness = 0.0;
    assert_one(&s, "building \"A\" / floor \"RDC\" / wall 1: thickness must be a positive length, got 0 m");
    let mut s = base();
    s.buildings[0].floors[0].height = -3.0;
    let p = problems(&s);
    assert!(p.contains(&"building \"A\" / floor \"RDC\": height must be positive, got -3 m".to_string()), "{p:?}");
    let mut s = base();
    s.buildings[0].floors[0].slab = Some(plan::Slab { material: "concrete".into(), thickness: -0.2 });
    assert_one(&s, "building \"A\" / floor \"RDC\" / slab: thickness must be a positive length, got -0.2 m");
    let mut s = base();
    s.buildings[0].floors[0].walls[0].openings[0].thickness = Some(0.0);
    assert_one(&s, "building \"A\" / floor \"RDC\" / wall 1 / opening 1: thickness must be a positive length, got 0 m");
    let mut s = base();
    let w = &mut s.buildings[0].floors[0].walls[0];
    w.openings.clear();
    w.bottom = Some(2.0);
    w.top = Some(1.0);
    assert_one(
        &s,
        "building \"A\" / floor \"RDC\" / wall 1: height range 2 to 1 m above the floor is empty or below it",
    );
    let mut s = base();
    s.buildings[0].floors[0].walls[0].top = Some(3.5);
    assert_one(&s, "building \"A\" / floor \"RDC\" / wall 1: top 3.5 m is above the floor's height 3 m");
}

#[test]
fn rule_unknown_material_names() {
    let mut s = base();
    s.buildings[0].floors[0].walls[0].material = "granite".into();
    assert_one(
        &s,
        "building \"A\" / floor \"RDC\" / wall 1: unknown material \"granite\" (neither ITU-R P.2040 nor defined in `materials`)",
    );
    s.materials.insert("granite".into(), MaterialDef::Itu { a: 7.0, b: 0.0, c: 0.01, d: 1.0, valid_ghz: None });
    assert!(problems(&s).is_empty(), "defining it in `materials` makes it known");
    let mut s = base();
    s.buildings[0].roof = Some(plan::Slab { material: "tin".into(), thickness: 0.001 });
    assert_one(&s, "building \"A\" / roof: unknown material \"tin\" (neither ITU-R P.2040 nor defined in `materials`)");
    let mut s = base();
    s.materials.insert("concrete".into(), MaterialDef::Itu { a: 5.0, b: 0.0, c: 0.1, d: 0.0, valid_ghz: None });
    assert_one(&s, "materials / \"concrete\": redefines an ITU-R P.2040 material; give it another name");
}

#[test]
fn rule_openings_must_fit_in_their_wall() {
    let mut s = base();
    s.buildings[0].floors[0].walls[0].openings[0].offset = 7.5;
    assert_one(
        &s,
        "building \"A\" / floor \"RDC\" / wall 1 / opening 1: does not fit in its wall: spans 7.5 to 8.4 m along a wall 8.000 m long",
    );
    let mut s = base();
    s.buildings[0].floors[0].walls[0].openings[0].offset = -0.5;
    assert_eq!(problems(&s).len(), 1);
    let mut s = base();
    s.buildings[0].floors[0].walls[0].top = Some(2.0);
    assert_one(
        &s,
        "building \"A\" / floor \"RDC\" / wall 1 / opening 1: does not fit in its wall: spans 0 to 2.1 m above the floor, the wall 0 to 2 m",
    );
    let mut s = base();
    let w = &mut s.buildings[0].floors[0].walls[0];
    let mut second = w.openings[0].clone();
    second.offset = 1.5;
    w.openings.push(second);
    assert_one(&s, "building \"A\" / floor \"RDC\" / wall 1: openings 1 and 2 overlap");
    // Side by side is fine, and so is a window above a door.
    let w = &mut s.buildings[0].floors[0].walls[0];
    w.openings[1].offset = 1.9;
    assert!(problems(&s).is_empty(), "{:?}", problems(&s));
    let mut s = base();
    s.buildings[0].floors[0].walls[0].openings[0].material = None;
    assert_one(&s, "building \"A\" / floor \"RDC\" / wall 1 / opening 1: a Door needs a material and a thickness");
}

#[test]
fn rule_rooms_need_three_vertices_and_a_simple_outline() {
    let mut s = base();
    s.buildings[0].floors[0].rooms[0].outline.truncate(2);
    assert_one(&s, "building \"A\" / floor \"RDC\" / room 1 \"A1\": outline has 2 vertices, a room needs at least 3");
    let mut s = base();
    s.buildings[0].floors[0].rooms[0].outline = vec![(0.0, 0.0), (8.0, 7.0), (8.0, 0.0), (0.0, 7.0)];
    assert_one(
        &s,
        "building \"A\" / floor \"RDC\" / room 1 \"A1\": self-intersecting outline: edge 1–2 meets edge 3–4",
    );
    let mut s = base();
    s.buildings[0].floors[0].rooms[0].outline = vec![(0.0, 0.0), (4.0, 0.0), (8.0, 0.0)];
    assert_eq!(problems(&s).len(), 1, "a flat outline is not a room: {:?}", problems(&s));
}

#[test]
fn rule_duplicate_building_and_floor_names() {
    let mut s = base();
    let mut b2 = s.buildings[0].clone();
    b2.origin = (100.0, 0.0);
    s.buildings.push(b2);
    assert_one(&s, "building \"A\": duplicate building name");
    let mut s = base();
    let mut f2 = s.buildings[0].floors[0].clone();
    f2.elevation = 3.0;
    s.buildings[0].floors.push(f2);
    assert_one(&s, "building \"A\" / floor \"RDC\": duplicate floor name in this building");
}

#[test]
fn rule_floors_of_a_building_must_not_overlap_in_elevation() {
    let mut s = base();
    let mut f2 = s.buildings[0].floors[0].clone();
    f2.name = "R+1".into();
    f2.elevation = 2.5;
    s.buildings[0].floors.push(f2);
    assert_one(&s, "building \"A\": floors \"RDC\" (0 to 3 m) and \"R+1\" (2.5 to 5.5 m) overlap in elevation");
    s.buildings[0].floors[1].elevation = 3.0;
    assert!(problems(&s).is_empty(), "stacked floors touch without overlapping");
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let mut s = base();
    let f = &mut s.buildings[0].floors[0];
    f.walls[0].material = "granite".into();
    f.walls[0].thickness = -1.0;
    f.rooms[0].outline.truncate(1);
    let mut f2 = f.clone();
    f2.walls.clear();
    s.buildings[0].floors.push(f2);
    let p = problems(&s);
    assert_eq!(
        p,
        [
            "building \"A\" / floor \"RDC\" / wall 1: unknown material \"granite\" (neither ITU-R P.2040 nor defined in `materials`)",
            "building \"A\" / floor \"RDC\" / wall 1: thickness must be a positive length, got -1 m",
            "building \"A\" / floor \"RDC\" / room 1 \"A1\": outline has 1 vertex, a room needs at least 3",
            "building \"A\" / floor \"RDC\": duplicate floor name in this building",
            "building \"A\" / floor \"RDC\" / room 1 \"A1\": outline has 1 vertex, a room needs at least 3",
            "building \"A\": floors \"RDC\" (0 to 3 m) and \"RDC\" (0 to 3 m) overlap in elevation",
        ]
    );
}

#[test]
fn load_reports_invalid_plans_with_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(&path, BASE.replace("thickness: 0.2", "thickness: 0.0")).unwrap();
    let err = plan::load(&path).unwrap_err();
    assert_eq!(
        err.lines(),
        vec![format!(
            "{}: building \"A\" / floor \"RDC\" / wall 1: thickness must be a positive length, got 0 m",
            path.display()
        )]
    );
    let missing = plan::load(&dir.path().join("missing.ron")).unwrap_err();
    assert!(matches!(missing, PlanError::Input(ReadError::Read { .. })), "{missing:?}");
}
