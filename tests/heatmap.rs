//! `wifiplan heatmap` end to end: pixels checked against closed forms (Friis in a room
//! without walls in the way, SINR between two co-channel APs), walls and AP markers where
//! the plan puts them, the scale, bad input, and the report in headless Chromium in
//! French and in English.

mod common;

use common::{stderr, wifiplan};
use image::RgbImage;
use std::path::{Path, PathBuf};
use wifiplan::lang::Lang;
use wifiplan::radiomap::Metric;
use wifiplan::render::heatmap::Layout;
use wifiplan::requirements::Requirements;
use wifiplan::site::assess::scale_for;

/// A 40 × 10 m hall with one concrete wall across it at x = 38 m; no slab, so with no
/// reflection every cell before the wall sees its APs in free space.
const HALL: &str = r#"Site(
    name: "hall",
    buildings: [
        Building(
            name: "H", origin: (0.0, 0.0), rotation: 0.0,
            floors: [
                Floor(
                    name: "0", elevation: 0.0, height: 3.0,
                    walls: [
                        Wall(from: (38.0, 0.0), to: (38.0, 10.0), material: "concrete", thickness: 0.2),
                    ],
                    rooms: [
                        Room(name: "hall", kind: Classroom, outline: [(0.0, 0.0), (40.0, 0.0), (40.0, 10.0), (0.0, 10.0)]),
                    ],
                ),
            ],
        ),
    ],
)"#;

fn ap(name: &str, building: &str, floor: &str, x: f64, y: f64) -> String {
    format!(
        r#"AccessPoint(name: "{name}", building: "{building}", floor: "{floor}", position: ({x:.2}, {y:.2}), height: 2.5,
           radios: [Radio(band: G5, channel: 36, width_mhz: 20, tx_power_dbm: 0.0)])"#
    )
}

struct Case {
    _dir: tempfile::TempDir,
    plan: PathBuf,
    aps: PathBuf,
    out: PathBuf,
}

fn case(aps: &[String]) -> Case {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("hall.ron");
    std::fs::write(&plan, HALL).unwrap();
    let path = dir.path().join("aps.ron");
    std::fs::write(&path, format!("AccessPoints([{}])", aps.join(",\n"))).unwrap();
    let out = dir.path().join("out");
    Case { plan, aps: path, out, _dir: dir }
}

/// Runs `heatmap` on the case with `extra` options; it must succeed.
fn draw(c: &Case, extra: &[&str]) {
    let mut args =
        vec!["heatmap", c.plan.to_str().unwrap(), "--aps", c.aps.to_str().unwrap(), "--out", c.out.to_str().unwrap()];
    args.extend_from_slice(&["--max-reflections", "0", "--cell", "0.25"]);
    args.extend_from_slice(extra);
    let o = wifiplan(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// An image and its layout from `heatmaps.json`.
fn image(out: &Path, file: &str) -> (RgbImage, Layout) {
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("heatmaps.json")).unwrap()).unwrap();
    let entry =
        index["images"].as_array().unwrap().iter().find(|i| i["file"] == file).unwrap_or_else(|| panic!("{file}"));
    let layout: Layout = serde_json::from_value(entry["layout"].clone()).unwrap();
    (image::open(out.join(file)).unwrap().to_rgb8(), layout)
}

fn pixel(img: &RgbImage, lay: &Layout, x: f64, y: f64) -> [u8; 3] {
    let (px, py) = lay.pixel(x, y);
    img.get_pixel(px.floor() as u32, py.floor() as u32).0
}

/// Whether the legend (right of the map) shows this colour.
fn legend_has(img: &RgbImage, lay: &Layout, colour: [u8; 3]) -> bool {
    (lay.map_left + lay.map_width + 1..img.width()).any(|x| (0..img.height()).any(|y| img.get_pixel(x, y).0 == colour))
}

/// Friis at 5.18 GHz for 0 dBm EIRP, AP 1.5 m above the receivers [dBm].
fn friis_dbm(horizontal_m: f64) -> f64 {
    let d = horizontal_m.hypot(1.5);
    let k = 4.0 * std::f64::consts::PI * 5.18e9 / 299_792_458.0;
    -20.0 * (k * d).log10()
}

#[test]
fn cells_of_known_rssi_take_their_bands_legend_colour() {
    let c = case(&[ap("A", "H", "0", 2.0, 5.0)]);
    draw(&c, &["--metric", "rssi"]);
    let (img, lay) = image(&c.out, "H-0.rssi.png");
    let scale = scale_for(Metric::Rssi, &Requirements::default(), &[], Lang::En);
    // Distances chosen mid-band: −60, −67, −75 and −82 dBm fall at 4.3, 10.2, 25.8 and 64.8 m.
    for (dx, band) in [(2.0, 0), (7.0, 1), (15.0, 2), (34.0, 3)] {
        let rssi = friis_dbm(dx);
        let expected = scale.colour(rssi as f32);
        assert_eq!(expected, scale.entries[band].colour, "{dx} m: {rssi:.1} dBm is in band {band}");
        // Sample a cell centre a little off the AP's row, away from its label.
        let got = pixel(&img, &lay, 2.0 + dx + 0.125, 2.125);
        let rssi_there = friis_dbm((dx + 0.125).hypot(2.875));
        assert_eq!(scale.colour(rssi_there as f32), expected, "{dx} m stays in its band off the row");
        assert_eq!(got, expected, "{dx} m from the AP ({rssi:.1} dBm): pixel {got:?}, band colour {expected:?}");
        assert!(legend_has(&img, &lay, expected), "the legend shows band {band}");
    }
}

#[test]
fn walls_are_drawn_where_the_plan_has_them() {
    let c = case(&[ap("A", "H", "0", 2.0, 5.0)]);
    draw(&c, &["--metric", "rssi"]);
    let (img, lay) = image(&c.out, "H-0.rssi.png");
    let concrete = [40, 40, 40];
    for y in [1.0, 3.3, 6.1, 9.0] {
        assert_eq!(pixel(&img, &lay, 38.0, y), concrete, "wall at x = 38 m, y = {y} m");
        assert_ne!(pixel(&img, &lay, 36.5, y), concrete, "no wall at x = 36.5 m, y = {y} m");
    }
    assert!(legend_has(&img, &lay, concrete), "the legend names the wall class");
}

#[test]
fn the_image_size_follows_the_scale() {
    let c = case(&[ap("A", "H", "0", 2.0, 5.0)]);
    let mut sizes = Vec::new();
    for scale in ["10", "20", "40"] {
        draw(&c, &["--metric", "rssi", "--scale", scale]);
        let (img, lay) = image(&c.out, "H-0.rssi.png");
        // The plane spans the hall + 2 m of margin on each side: 44 × 14 m.
        let px: f64 = scale.parse().unwrap();
        assert_eq!(lay.map_width, (44.0 * px) as u32, "scale {scale}");
        assert_eq!(lay.map_height, (14.0 * px) as u32, "scale {scale}");
        assert!(img.width() > lay.map_width && img.height() > lay.map_height);
        sizes.push(img.width() - lay.map_width);
    }
    assert!(sizes.windows(2).all(|w| w[0] == w[1]), "only the map grows: {sizes:?}");
}

#[test]
fn an_ap_marker_sits_at_its_position() {
    let c = case(&[ap("A", "H", "0", 12.0, 4.0)]);
    draw(&c, &["--metric", "rssi", "--scale", "20"]);
    let (img, lay) = image(&c.out, "H-0.rssi.png");
    let (x, y) = lay.pixel(12.0, 4.0);
    let at = |dx: f64, dy: f64| img.get_pixel((x + dx).round() as u32, (y + dy).round() as u32).0;
    assert_eq!(at(0.0, 0.0), [0, 0, 0], "black centre");
    for (dx, dy) in [(4.0, 0.0), (-4.0, 0.0), (0.0, -4.0)] {
        assert_eq!(at(dx, dy), [255, 255, 255], "white disc at ({dx}, {dy}) px");
    }
    assert_eq!(at(-6.0, 0.0), [0, 0, 0], "black ring");
}

#[test]
fn sinr_between_two_equal_co_channel_aps_is_zero_at_the_midpoint() {
    let c = case(&[ap("A", "H", "0", 10.0, 5.0), ap("B", "H", "0", 30.0, 5.0)]);
    draw(&c, &["--metric", "all"]);
    for m in Metric::ALL {
        assert!(c.out.join(format!("H-0.{}.png", m.key())).is_file(), "{}", m.key());
    }
    let (img, lay) = image(&c.out, "H-0.sinr.png");
    let scale = scale_for(Metric::Sinr, &Requirements::default(), &[], Lang::En);
    // At x = 20 m both APs are equally strong: SINR 0 dB, the "< 5" band.
    assert_eq!(pixel(&img, &lay, 20.125, 2.125), scale.entries.last().unwrap().colour);
    // Near A: S = Friis(1.8 m), I = Friis(19 m) → ≈ 20 dB, the 15 … 25 band.
    let sinr = friis_dbm(1.0_f64.hypot(1.0)) - friis_dbm(19.0_f64.hypot(1.0));
    assert_eq!(scale.colour(sinr as f32), scale.entries[3].colour, "{sinr:.1} dB");
    assert_eq!(pixel(&img, &lay, 11.0, 6.0), scale.entries[3].colour);
    let report = std::fs::read_to_string(c.out.join("report.html")).unwrap();
    assert!(report.contains("<td>A</td><td>H</td><td>0</td><td>hall</td>"), "AP table");
    // French by default.
    assert!(report.contains("<html lang=\"fr\">") && report.contains("Devis quantitatif"), "French report");
    assert!(report.contains("data:image/png;base64,"));
}

fn refused(aps: &[String], needle: &str) {
    let c = case(aps);
    let o = wifiplan(&[
        "heatmap",
        c.plan.to_str().unwrap(),
        "--aps",
        c.aps.to_str().unwrap(),
        "--out",
        c.out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(needle), "{}", stderr(&o));
    assert!(!c.out.exists(), "nothing may be written");
}

#[test]
fn aps_on_a_missing_building_or_floor_or_outside_theirs_are_refused_by_name() {
    refused(&[ap("ghost", "X", "0", 2.0, 5.0)], "AP \"ghost\": no building \"X\" in the plan");
    refused(&[ap("attic", "H", "R+1", 2.0, 5.0)], "AP \"attic\": building \"H\" has no floor \"R+1\"");
    refused(
        &[ap("car park", "H", "0", 60.0, 5.0)],
        "AP \"car park\": position (60.00, 5.00) lies outside its building \"H\"",
    );
}

#[test]
fn unknown_metrics_and_scales_are_refused() {
    let c = case(&[ap("A", "H", "0", 2.0, 5.0)]);
    let run = |extra: &[&str]| {
        let mut args = vec!["heatmap", c.plan.to_str().unwrap(), "--aps", c.aps.to_str().unwrap()];
        args.extend_from_slice(&["--out", c.out.to_str().unwrap()]);
        args.extend_from_slice(extra);
        wifiplan(&args)
    };
    let o = run(&["--metric", "rssi,loudness"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--metric loudness"), "{}", stderr(&o));
    let o = run(&["--scale", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--scale 0"), "{}", stderr(&o));
    assert!(!c.out.exists());
}

/// Chromium's binary, if installed.
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
    })
}

#[test]
fn the_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no chromium on PATH (Debian: apt-get install chromium); .ci/run installs it");
        return;
    };
    for (lang, code, heading) in
        [(Lang::Fr, "fr", "Couverture par type de salle"), (Lang::En, "en", "Coverage per room kind")]
    {
        let c = case(&[ap("A", "H", "0", 2.0, 5.0)]);
        draw(&c, &["--metric", "rssi", "--lang", code]);
        let page = std::fs::read_to_string(c.out.join("report.html")).unwrap();
        assert!(page.contains(&format!("<html lang=\"{code}\">")) && page.contains(heading), "{code}");
        let shot = c.out.parent().unwrap().join("shot.png");
        let url = format!("file://{}", c.out.join("report.html").display());
        let profile = c.out.parent().unwrap().join("profile");
        let o = std::process::Command::new(&browser)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--screenshot={}", shot.display()))
            .args(["--window-size=1400,2000", &url])
            .output()
            .expect("chromium runs");
        assert!(shot.is_file(), "{code}: no screenshot: {}", String::from_utf8_lossy(&o.stderr));
        let img = image::open(&shot).unwrap().to_rgb8();
        let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
        colours.sort_unstable();
        colours.dedup();
        assert!(colours.len() > 50, "{code}: the page is blank: {} colours", colours.len());
        let scale = scale_for(Metric::Rssi, &Requirements::default(), &[], lang);
        for band in [0, 1, 2, 3] {
            let colour = scale.entries[band].colour;
            let n = img.pixels().filter(|p| p.0 == colour).count();
            assert!(n > 100, "{code}: the heatmap's band {band} colour {colour:?} shows on {n} pixels");
        }
    }
}

#[test]
fn the_6_ghz_radios_of_a_tri_band_plan_are_drawn_against_the_6_ghz_requirement() {
    let dir = tempfile::tempdir().unwrap();
    let plan_dir = dir.path().join("plan");
    let o = wifiplan(&[
        "place",
        "tests/data/corridor_12_classrooms.ron",
        "--out",
        plan_dir.to_str().unwrap(),
        "--ap-model",
        "generic-wifi6e-tri",
        "--backend",
        "cpu",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = dir.path().join("heatmaps");
    let o = wifiplan(&[
        "heatmap",
        "tests/data/corridor_12_classrooms.ron",
        "--aps",
        plan_dir.join("aps.ron").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--band",
        "6",
        "--metric",
        "rssi",
        "--max-reflections",
        "1",
        "--backend",
        "cpu",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let rows = report["report"]["coverage"].as_array().unwrap();
    // The 6 GHz requirement: 90 % of the teaching rooms, nothing asked of the corridor.
    assert!(!rows.is_empty() && rows.iter().all(|r| r["required_pct"] == 90.0), "{rows:#?}");
    let placement: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(plan_dir.join("placement.json")).unwrap()).unwrap();
    let width = placement["six_ghz"]["width_mhz"].as_u64().unwrap();
    let snr = rows.iter().find(|r| r["requirement"].as_str().unwrap().starts_with("SNR")).unwrap();
    println!("6 GHz at {width} MHz: {snr}");
    assert!(snr["requirement"].as_str().unwrap().contains("25 dB"), "{snr}");
}
