//! The region jobs through the real binary: `batch` (bad rows, determinism, shards and
//! `merge`, `--resume` after a kill and after a new price list), `waves` (every constraint of `schedule.csv` checked
//! here independently of the solver, a binding budget, bad configuration) and, ignored
//! by default, the whole bundled region.

mod common;

use chrono::{Datelike, NaiveDate, Weekday};
use common::{stderr, stdout, wifiplan};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use wifiplan::region::Costs;

const SMALL: &str = "tests/data/sites-small.csv";

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect()).collect()
}

fn dir_arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_batch_lists_bad_rows_by_line_and_plans_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("b");
    let o = wifiplan(&["batch", SMALL, "--lang", "en", "--out", dir_arg(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for expected in [
        "tests/data/sites-small.csv: line 3: missing UAI",
        "tests/data/sites-small.csv: line 5: UAI 0140099Z: negative pupils (-12)",
        "tests/data/sites-small.csv: line 6: duplicate UAI 0271870L (first on line 2)",
        "tests/data/sites-small.csv: line 7: UAI 0500099Y: tests/data/plans/perdu.ron",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    let rows = csv_rows(&out.join("sites.csv"));
    let status: Vec<(&str, &str)> = rows.iter().map(|r| (r["line"].as_str(), r["status"].as_str())).collect();
    assert_eq!(
        status,
        [
            ("2", "ok"),
            ("3", "invalid"),
            ("4", "ok"),
            ("5", "invalid"),
            ("6", "invalid"),
            ("7", "invalid"),
            ("8", "ok"),
            ("9", "ok")
        ]
    );
    // Extra columns pass through; the plan column is honoured.
    assert_eq!(rows[1]["coordinates"], "exact");
    let given = &rows[7];
    assert_eq!((given["uai"].as_str(), given["aps"].as_str()), ("0500100A", "3"), "three classrooms, three APs");
    for r in rows.iter().filter(|r| r["status"] == "ok") {
        let cov: f64 = r["coverage_pct"].parse().unwrap();
        assert!(cov >= 95.0, "{}: coverage {cov} %", r["uai"]);
        let aps: usize = r["aps"].parse().unwrap();
        let cost: f64 = r["cost_eur"].parse().unwrap();
        let c = Costs::default();
        assert!(cost >= c.unit_per_site() + aps as f64 * c.unit_per_ap(), "{}: {cost} €", r["uai"]);
    }
    let summary: serde_json::Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    assert_eq!((summary["ok"].as_u64(), summary["invalid"].as_u64()), (Some(4), Some(4)));
    // Each report lists the 2.4 GHz radios its plan keeps on, after the planned band.
    let three = out.join("sites/0500100A");
    let report: serde_json::Value = serde_json::from_str(&read(&three.join("report.json"))).unwrap();
    let facts: Vec<(String, String)> = serde_json::from_value(report["report"]["facts"].clone()).unwrap();
    let at = facts.iter().position(|(k, _)| k == "2.4 GHz radios").unwrap_or_else(|| panic!("{facts:?}"));
    assert_eq!(facts[at - 1].0, "Band");
    assert!(facts[at].1.contains(" on of 3, ") && facts[at].1.contains("dBm, SINR p5"), "{facts:?}");
    // The report's bands as planned: 5 GHz (all three radios on), then 2.4 GHz, each as
    // `placement.json` has it; the radio table lists both radios of every AP.
    let placed: serde_json::Value = serde_json::from_str(&read(&three.join("placement.json"))).unwrap();
    let bands = report["report"]["bands"].as_array().unwrap();
    assert_eq!(bands.len(), 2, "{bands:?}");
    assert_eq!((bands[0]["band"].as_str(), bands[0]["radios_on"].as_u64()), (Some("G5"), Some(3)));
    assert_eq!(bands[0]["p5_sinr_db"], placed["sinr"]["plan_db"][0]);
    assert_eq!(bands[0]["covered_pct"], placed["coverage"]["primary"]["covered_pct"]);
    assert_eq!(bands[1]["band"].as_str(), Some("G2_4"));
    assert_eq!(bands[1]["radios_on"], placed["low_band"]["radios_on"]);
    assert_eq!(bands[1]["overlap_pct"], placed["low_band"]["overlap_pct"]);
    let html = read(&three.join("report.html"));
    assert!(html.contains("<h2>Bands as planned</h2>"), "report.html lacks the bands' table");
    assert_eq!(html.matches("<td>2.4 GHz</td>").count(), 4, "three radios and the bands' row");
    assert_eq!(html.matches("<td>5 GHz</td>").count(), 4);
    assert_eq!(html.matches(" rowspan=2>").count(), 3 * 5, "each AP's own cells and cable span its two radios");
}

/// The files of a batch folder that must be equal between runs (timings aside).
fn comparable(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in ["sites.csv", "summary.json", "bom.csv"] {
        out.insert(f.to_string(), read(&dir.join(f)));
    }
    for site in std::fs::read_dir(dir.join("sites")).unwrap() {
        let site = site.unwrap().path();
        for f in ["site.json", "aps.ron", "plan.ron", "aps.csv", "bom.csv"] {
            out.insert(format!("{}/{f}", site.file_name().unwrap().to_string_lossy()), read(&site.join(f)));
        }
    }
    out
}

#[test]
fn shards_merged_equal_a_single_run_and_resume_after_a_kill_finishes_it() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    assert_eq!(wifiplan(&["batch", SMALL, "--lang", "en", "--out", dir_arg(&single)]).status.code(), Some(1));

    let (s1, s2, merged) = (tmp.path().join("s1"), tmp.path().join("s2"), tmp.path().join("merged"));
    for (k, dir) in [("1/2", &s1), ("2/2", &s2)] {
        let o = wifiplan(&["batch", SMALL, "--lang", "en", "--out", dir_arg(dir), "--shard", k]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    }
    let shard_rows = csv_rows(&s1.join("sites.csv")).len() + csv_rows(&s2.join("sites.csv")).len();
    assert_eq!(shard_rows, 8, "every row in exactly one shard");
    let o = wifiplan(&["merge", dir_arg(&s1), dir_arg(&s2), "--out", dir_arg(&merged)]);
    assert_eq!(o.status.code(), Some(1), "the merged batch still has invalid rows: {}", stderr(&o));
    assert_eq!(comparable(&merged), comparable(&single), "merge equals a single run (and runs are deterministic)");

    let o = wifiplan(&["merge", dir_arg(&s1), "--out", dir_arg(&tmp.path().join("m1"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shard(s) 2/2 missing"), "{}", stderr(&o));

    // Kill a batch as soon as its first site is complete.
    let killed = tmp.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wifiplan"))
        .args(["batch", SMALL, "--lang", "en", "--out", dir_arg(&killed)])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let records = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir.join("sites"))
            .map(|d| d.filter_map(|e| Some(e.ok()?.path().join("site.json"))).filter(|p| p.is_file()).collect())
            .unwrap_or_default()
    };
    let start = std::time::Instant::now();
    while records(&killed).is_empty() && start.elapsed().as_secs() < 300 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done = records(&killed);
    assert!(!done.is_empty());
    for r in &done {
        let v: serde_json::Value = serde_json::from_str(&read(r)).unwrap_or_else(|e| panic!("{}: {e}", r.display()));
        assert_eq!(v["status"], "ok");
    }
    let o = wifiplan(&["batch", SMALL, "--lang", "en", "--out", dir_arg(&killed), "--resume"]);
    assert_eq!(o.status.code(), Some(1));
    let resumed = count_before(&stdout(&o), "resumed,");
    assert!(resumed >= done.len(), "{}", stdout(&o));
    assert_eq!(comparable(&killed), comparable(&single), "the resumed batch equals an uninterrupted one");
}

#[test]
fn a_cache_folder_gives_the_same_batch_and_ignores_damaged_entries_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let batch = |out: &Path| {
        let o = wifiplan(&["batch", SMALL, "--lang", "en", "--out", dir_arg(out), "--cache", dir_arg(&cache)]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        o
    };
    let placed = |o: &std::process::Output| -> usize {
        let out = stdout(o);
        let tail = out.split("buildings placed ").nth(1).unwrap_or_else(|| panic!("{out}"));
        tail.split(',').next().unwrap().parse().unwrap()
    };
    let (first, second, third) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    let o = batch(&first);
    assert!(placed(&o) > 0);
    let files: Vec<PathBuf> = std::fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    // One file per different building (two sites may place the same one at once).
    assert!(files.len() >= 3 && files.len() <= placed(&o), "{} files, {}", files.len(), stdout(&o));
    // Every building found in the folder: nothing placed, the same outputs.
    let o = batch(&second);
    assert_eq!(placed(&o), 0, "{}", stdout(&o));
    assert_eq!(comparable(&second), comparable(&first));
    // A damaged entry and a foreign one are placed again, with a warning each (or more,
    // when two sites that share the building look at once).
    let mut bytes = std::fs::read(&files[0]).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x5a;
    std::fs::write(&files[0], bytes).unwrap();
    std::fs::write(&files[1], "not a plan").unwrap();
    let o = batch(&third);
    let err = stderr(&o);
    assert!(placed(&o) >= 2 && err.matches("cache entry ignored").count() == placed(&o), "{err}");
    assert!(err.contains(&format!("warning: {}: cache entry ignored: damaged", files[0].display())), "{err}");
    assert!(err.contains(&format!("warning: {}: cache entry ignored", files[1].display())), "{err}");
    assert_eq!(comparable(&third), comparable(&first));
    // A cache path that cannot be a folder is refused before anything is written.
    let out = tmp.path().join("d");
    let o = wifiplan(&["batch", SMALL, "--out", dir_arg(&out), "--cache", dir_arg(&files[2])]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot use as the cache folder"), "{}", stderr(&o));
    assert!(!out.exists());
}

/// The number before `word` in a batch's summary line.
fn count_before(out: &str, word: &str) -> usize {
    out.split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .find(|w| w[1] == word)
        .and_then(|w| w[0].parse().ok())
        .unwrap_or_else(|| panic!("no count before {word:?} in {out}"))
}

#[test]
fn a_new_price_list_with_resume_prices_the_plans_again_as_a_fresh_run_would() {
    let tmp = tempfile::tempdir().unwrap();
    let costs = tmp.path().join("costs.ron");
    std::fs::write(&costs, "Costs(ap_eur: 410.0, survey_eur: 3900.0)").unwrap();
    let (old, fresh) = (tmp.path().join("old"), tmp.path().join("fresh"));
    assert_eq!(wifiplan(&["batch", SMALL, "--lang", "en", "--out", dir_arg(&old)]).status.code(), Some(1));
    let o = wifiplan(&["batch", SMALL, "--lang", "en", "--out", dir_arg(&fresh), "--costs", dir_arg(&costs)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));

    let before = read(&old.join("sites.csv"));
    // One site's report.json unreadable: that site is planned again, the others priced.
    let sites: Vec<PathBuf> = std::fs::read_dir(old.join("sites")).unwrap().map(|e| e.unwrap().path()).collect();
    let broken = sites.iter().find(|s| s.join("report.json").is_file()).unwrap();
    std::fs::write(broken.join("report.json"), "{ not json").unwrap();
    let o = wifiplan(&["batch", SMALL, "--lang", "en", "--out", dir_arg(&old), "--costs", dir_arg(&costs), "--resume"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let planned = csv_rows(&fresh.join("sites.csv")).iter().filter(|r| r["status"] == "ok").count();
    assert_eq!(count_before(&stdout(&o), "sites"), 1, "{}", stdout(&o));
    assert_eq!(count_before(&stdout(&o), "priced"), planned - 1, "{}", stdout(&o));

    let mut priced = comparable(&old);
    let mut expected = comparable(&fresh);
    for (dir, files) in [(&old, &mut priced), (&fresh, &mut expected)] {
        for site in std::fs::read_dir(dir.join("sites")).unwrap() {
            let site = site.unwrap().path();
            for f in ["report.html", "report.json"] {
                if site.join(f).is_file() {
                    files.insert(format!("{}/{f}", site.file_name().unwrap().to_string_lossy()), read(&site.join(f)));
                }
            }
        }
    }
    assert_ne!(before, priced["sites.csv"], "the new prices show in sites.csv");
    assert_eq!(priced, expected, "priced again = planned under the new price list");
}

#[test]
fn a_users_ap_model_and_widths_reach_the_batch_and_an_edited_model_is_planned_again_on_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let models = tmp.path().join("models.ron");
    let model = |max_dbm: f64| {
        format!(
            r#"ApModels([ApModel(name: "acme-ap-1", description: "a vendor's dual-band AP", price_eur: 400.0, radios: [
                ModelRadio(band: G2_4, max_tx_power_dbm: 18.0, widths_mhz: [20], pattern: "generic-ceiling-omni-2g4"),
                ModelRadio(band: G5, max_tx_power_dbm: {max_dbm:.1}, widths_mhz: [20, 40, 80], pattern: "generic-ceiling-omni-5g"),
            ])])"#
        )
    };
    std::fs::write(&models, model(12.0)).unwrap();
    let out = tmp.path().join("batch");
    let run = |resume: bool| {
        let mut args = vec!["batch", SMALL, "--lang", "en", "--out", dir_arg(&out), "--ap-models", dir_arg(&models)];
        args.extend_from_slice(&["--ap-model", "acme-ap-1", "--max-width", "80"]);
        if resume {
            args.push("--resume");
        }
        let o = wifiplan(&args);
        assert_eq!(o.status.code(), Some(1), "the fixture has invalid rows: {}", stderr(&o));
        o
    };
    // Every site's 5 GHz radios within the model's 12 dBm, under the design power of 14
    // (regression: APs the power plan left alone kept 14 dBm); some APs widened.
    let radios = || {
        let mut all = Vec::new();
        for site in std::fs::read_dir(out.join("sites")).unwrap() {
            let aps = site.unwrap().path().join("aps.ron");
            if aps.is_file() {
                let aps = wifiplan::radio::AccessPoints::load(&aps).unwrap();
                all.extend(
                    aps.0.iter().filter_map(|a| wifiplan::radio::Radio::of(a, wifiplan::band::Band::G5)).cloned(),
                );
            }
        }
        all
    };
    run(false);
    let first = radios();
    assert!(!first.is_empty() && first.iter().all(|r| r.tx_power_dbm <= 12.0), "{first:?}");
    assert!(first.iter().any(|r| r.width_mhz > 20), "no AP widened: {first:?}");
    // Unchanged inputs: every site resumed. The model edited under the same name: every
    // site planned again, under its new limit.
    let o = run(true);
    let ok = csv_rows(&out.join("sites.csv")).iter().filter(|r| r["status"] == "ok").count();
    assert_eq!((count_before(&stdout(&o), "sites"), count_before(&stdout(&o), "resumed,")), (0, ok), "{}", stdout(&o));
    std::fs::write(&models, model(10.0)).unwrap();
    let o = run(true);
    assert_eq!((count_before(&stdout(&o), "sites"), count_before(&stdout(&o), "resumed,")), (ok, 0), "{}", stdout(&o));
    assert!(radios().iter().all(|r| r.tx_power_dbm <= 10.0));
}

/// A batch folder as `batch` would leave it, with AP counts and costs drawn like the
/// region's, so that `waves` can be tested without planning every site.
fn fake_batch(dir: &Path, sites: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let costs = Costs::default();
    let mut r = csv::Reader::from_reader(sites.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let mut w = csv::Writer::from_path(dir.join("sites.csv")).unwrap();
    let mut head = header.clone();
    head.extend(["aps", "cost_eur", "coverage_pct", "status", "error", "line"].map(String::from));
    w.write_record(&head).unwrap();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let pupils: f64 = rec[5].parse().unwrap();
        let aps = (8.0 + 0.058 * pupils).round() as usize;
        let cost = costs.site(aps, aps as f64 * 32.0).total_eur;
        let mut row: Vec<String> = rec.iter().map(String::from).collect();
        row.extend([
            aps.to_string(),
            format!("{cost:.0}"),
            "100.00".into(),
            "ok".into(),
            String::new(),
            (i + 2).to_string(),
        ]);
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
}

/// The default waves: (wave, school year, holiday), and per summer the go-live buffer.
const WINDOWS: [(&str, &str, &str); 11] = [
    ("W1", "2020-2021", "Vacances d'Été"),
    ("W2", "2021-2022", "Vacances de la Toussaint"),
    ("W2", "2021-2022", "Vacances de Noël"),
    ("W2", "2021-2022", "Vacances d'Hiver"),
    ("W2", "2021-2022", "Vacances de Printemps"),
    ("W3", "2021-2022", "Vacances d'Été"),
    ("W4", "2022-2023", "Vacances de la Toussaint"),
    ("W4", "2022-2023", "Vacances de Noël"),
    ("W4", "2022-2023", "Vacances d'Hiver"),
    ("W4", "2022-2023", "Vacances de Printemps"),
    ("W5", "2022-2023", "Vacances d'Été"),
];
const CREWS: [(&str, u32); 5] = [("Calvados", 2), ("Eure", 2), ("Manche", 1), ("Orne", 1), ("Seine-Maritime", 3)];

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// Working days of every window of a wave, from the bundled calendar files alone.
fn working_days() -> BTreeMap<&'static str, Vec<Vec<NaiveDate>>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let holidays = csv_rows(&root.join("data/vacances-zone-b.csv"));
    let public: BTreeSet<NaiveDate> =
        csv_rows(&root.join("data/jours-feries.csv")).iter().map(|r| date(&r["date"])).collect();
    let mut out: BTreeMap<&str, Vec<Vec<NaiveDate>>> = BTreeMap::new();
    for (wave, year, name) in WINDOWS {
        let h = holidays.iter().find(|h| h["school_year"] == year && h["description"] == name).unwrap();
        let mut days: Vec<NaiveDate> = date(&h["start"])
            .iter_days()
            .take_while(|d| *d < date(&h["end"]))
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .filter(|d| !public.contains(d))
            .filter(|d| !(d.month() == 8 && d.day() <= 20))
            .collect();
        let buffer = if name.contains("Été") { 5 } else { 1 };
        days.truncate(days.len() - buffer);
        out.entry(wave).or_default().push(days);
    }
    out
}

/// Checks every constraint of `schedule.csv` against the batch's sites; returns the
/// scheduled cost.
fn check_schedule(batch: &Path, out: &Path, budget: f64) -> f64 {
    let sites = csv_rows(&batch.join("sites.csv"));
    let schedule = csv_rows(&out.join("schedule.csv"));
    let windows = working_days();
    let crews: BTreeMap<&str, u32> = CREWS.into_iter().collect();
    let mut seen = BTreeSet::new();
    for r in &schedule {
        assert!(seen.insert(r["uai"].clone()), "{} scheduled twice", r["uai"]);
    }
    let planned: BTreeSet<String> = sites.iter().filter(|s| s["status"] == "ok").map(|s| s["uai"].clone()).collect();
    assert_eq!(seen, planned, "every planned site once");
    let by_uai: BTreeMap<&str, &BTreeMap<String, String>> = sites.iter().map(|s| (s["uai"].as_str(), s)).collect();
    let mut spent = 0.0;
    let mut last_cumulative = 0.0;
    let mut use_of: BTreeMap<(String, usize, String), u32> = BTreeMap::new();
    for r in &schedule {
        let site = by_uai[r["uai"].as_str()];
        assert_eq!(r["aps"], site["aps"]);
        assert_eq!(r["cost_eur"], site["cost_eur"]);
        if r["wave"] == "unscheduled" {
            assert!(!r["reason"].is_empty() && r["start"].is_empty());
            continue;
        }
        let aps: u32 = r["aps"].parse().unwrap();
        let crew_days: u32 = r["crew_days"].parse().unwrap();
        assert_eq!(crew_days, aps.div_ceil(8), "{}", r["uai"]);
        let (start, end) = (date(&r["start"]), date(&r["end"]));
        let wave_windows = &windows[r["wave"].as_str()];
        let k = wave_windows
            .iter()
            .position(|days| days.contains(&start))
            .unwrap_or_else(|| panic!("{}: start {start} is no working day of {}", r["uai"], r["wave"]));
        let days = &wave_windows[k];
        assert!(days.contains(&end) && start <= end, "{}: end {end} outside its window", r["uai"]);
        let dept = r["departement"].clone();
        let n_days = days.iter().filter(|d| **d >= start && **d <= end).count() as u32;
        assert!(n_days * crews[dept.as_str()] >= crew_days, "{}: {crew_days} crew-days in {n_days} days", r["uai"]);
        *use_of.entry((r["wave"].clone(), k, dept)).or_default() += crew_days;
        let cost: f64 = r["cost_eur"].parse().unwrap();
        spent += cost;
        let cumulative: f64 = r["cumulative_eur"].parse().unwrap();
        assert!((cumulative - spent).abs() < 1.0 && cumulative >= last_cumulative);
        last_cumulative = cumulative;
    }
    for ((wave, k, dept), used) in &use_of {
        let capacity = windows[wave.as_str()][*k].len() as u32 * crews[dept.as_str()];
        assert!(used <= &capacity, "{wave} window {k} in {dept}: {used} of {capacity} crew-days");
    }
    assert!(spent <= budget + 0.5, "spent {spent} of {budget}");
    spent
}

#[test]
fn the_schedule_meets_every_constraint_and_a_4_meur_budget_binds_with_its_shortfall() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = tmp.path().join("batch");
    fake_batch(&batch, wifiplan::region::sites::BUNDLED_REGION);
    let full = tmp.path().join("full");
    let o = wifiplan(&["waves", dir_arg(&batch), "--out", dir_arg(&full)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let spent = check_schedule(&batch, &full, 6_200_000.0);
    let report: serde_json::Value = serde_json::from_str(&read(&full.join("waves.json"))).unwrap();
    assert_eq!(report["gap_pct"].as_f64(), Some(0.0), "{}", report["method"]);
    assert_eq!(report["scheduled"].as_u64(), Some(129));
    let waves_used = report["waves"].as_array().unwrap().iter().filter(|w| w["sites"].as_u64() > Some(0)).count();
    assert!(waves_used >= 3, "capacity spreads the programme over the waves");
    for png in ["gantt.png", "map.png", "burndown.png"] {
        let img = image::open(full.join(png)).unwrap_or_else(|e| panic!("{png}: {e}"));
        assert!(img.width() >= 900, "{png}");
    }

    let tight = tmp.path().join("tight");
    let o = wifiplan(&["waves", dir_arg(&batch), "--out", dir_arg(&tight), "--budget", "4000000"]);
    assert_eq!(o.status.code(), Some(1), "sites left out: {}", stderr(&o));
    let short = spent - 4_000_000.0;
    let expected = format!("budget short by {}", wifiplan::region::waves::thousands(short));
    assert!(stderr(&o).contains(&expected), "{expected:?} in:\n{}", stderr(&o));
    let tight_spent = check_schedule(&batch, &tight, 4_000_000.0);
    assert!(tight_spent > 3_900_000.0, "the budget is used: {tight_spent}");
    let left_out: Vec<_> =
        csv_rows(&tight.join("schedule.csv")).into_iter().filter(|r| r["wave"] == "unscheduled").collect();
    assert!(!left_out.is_empty() && left_out.iter().all(|r| r["reason"].starts_with("budget")), "{left_out:?}");
}

#[test]
fn the_fixture_region_is_planned_and_scheduled_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("fixture");
    let o = wifiplan(&["batch", "data/fixture-region.csv", "--out", dir_arg(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows = csv_rows(&out.join("sites.csv"));
    assert_eq!(rows.len(), 8);
    // Without a terminal (a Slurm job's log), a progress line per site.
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(lines.len(), 8, "{err}");
    assert!(lines.iter().any(|l| l.starts_with("[8/8] ")), "{lines:?}");
    assert!(rows.iter().all(|r| lines.iter().any(|l| l.contains(&r["uai"]))), "{lines:?}");
    for r in &rows {
        let (aps, cov): (usize, f64) = (r["aps"].parse().unwrap(), r["coverage_pct"].parse().unwrap());
        // 150–350 pupils: one AP per classroom of 35 and then some.
        assert!((15..=45).contains(&aps), "{}: {aps} APs", r["uai"]);
        assert!(cov >= 99.0, "{}: coverage {cov} % in the simulation", r["uai"]);
    }
    let o = wifiplan(&["waves", dir_arg(&out), "--out", dir_arg(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_schedule(&out, &out, 6_200_000.0);
    assert!(stdout(&o).contains("proven optimal"), "{}", stdout(&o));

    // sites.geojson: what QGIS opens — RFC 7946 points in Normandy, one per lycée, with
    // the batch's and the schedule's figures.
    let gis: serde_json::Value = serde_json::from_str(&read(&out.join("sites.geojson"))).unwrap();
    assert_eq!(gis["type"], "FeatureCollection");
    assert!(gis.get("crs").is_none(), "RFC 7946 has no crs member");
    let features = gis["features"].as_array().unwrap();
    assert_eq!(features.len(), rows.len());
    let mut aps = 0;
    for (f, r) in features.iter().zip(&rows) {
        let [lon, lat] = [0, 1].map(|k| f["geometry"]["coordinates"][k].as_f64().unwrap());
        assert_eq!(f["geometry"]["type"], "Point");
        assert!((-2.0..=2.0).contains(&lon) && (48.0..=50.5).contains(&lat), "{f}");
        let p = &f["properties"];
        assert_eq!(p["uai"], r["uai"].as_str());
        for key in ["name", "commune", "departement", "pupils", "wave", "window", "golive", "coverage_pct", "cost_eur"]
        {
            assert!(!p[key].is_null(), "{key} missing in {f}");
        }
        assert_eq!(p["status"], "ok");
        assert_eq!(p["position_approximate"], r["coordinates"] == "approximated");
        aps += p["aps"].as_u64().unwrap();
    }
    let total: u64 = rows.iter().map(|r| r["aps"].parse::<u64>().unwrap()).sum();
    assert_eq!(aps, total, "the map's APs are the batch's");

    // The installer's files re-read: one aps.csv row per AP, a port per AP on its closet's
    // switch; bom.csv totals the site's cost (to the euro it is rounded to), and the
    // region's bom.csv the batch's.
    let bill_total = |path: &Path| -> f64 {
        let lines = csv_rows(path);
        let total = &lines.last().unwrap()["total_eur"];
        let sum: f64 = lines[..lines.len() - 1].iter().map(|l| l["total_eur"].parse::<f64>().unwrap()).sum();
        assert!((sum - total.parse::<f64>().unwrap()).abs() < 0.01, "{}", path.display());
        sum
    };
    for r in &rows {
        let dir = out.join("sites").join(&r["uai"]);
        let aps = csv_rows(&dir.join("aps.csv"));
        assert_eq!(aps.len().to_string(), r["aps"], "{}", r["uai"]);
        let mut ports = std::collections::BTreeMap::new();
        for a in &aps {
            if !a["closet"].is_empty() {
                let n =
                    ports.entry((a["building"].clone(), a["closet_floor"].clone(), a["closet"].clone())).or_insert(0);
                *n += 1;
                assert_eq!(a["switch_port"], n.to_string(), "{a:?}");
            }
        }
        let cost: f64 = r["cost_eur"].parse().unwrap();
        assert!((bill_total(&dir.join("bom.csv")) - cost).abs() <= 1.0, "{}: bill and cost", r["uai"]);
    }
    let cost: f64 = rows.iter().map(|r| r["cost_eur"].parse::<f64>().unwrap()).sum();
    assert!((bill_total(&out.join("bom.csv")) - cost).abs() <= rows.len() as f64, "region bill and cost");
}

#[test]
fn bad_wave_configurations_are_refused_with_one_line_and_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = tmp.path().join("batch");
    fake_batch(&batch, wifiplan::region::sites::BUNDLED_REGION);
    let config = tmp.path().join("waves.ron");
    std::fs::write(&config, r#"WavesConfig(waves: [WaveDef(name: "W9", windows: [WindowDef(school_year: "2031-2032", holiday: "Vacances d'Été")])])"#).unwrap();
    let out = tmp.path().join("out");
    let o = wifiplan(&["waves", dir_arg(&batch), "--out", dir_arg(&out), "--config", dir_arg(&config)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        format!(
            "error: {}: wave W9: the calendar has no holiday \"Vacances d'Été\" in school year 2031-2032",
            config.display()
        )
    );
    assert!(!out.exists());
    std::fs::write(&config, "WavesConfig(budget_eur: -5.0, aps_per_crew_day: 0)").unwrap();
    let o = wifiplan(&["waves", dir_arg(&batch), "--out", dir_arg(&out), "--config", dir_arg(&config)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).lines().count(), 2, "{}", stderr(&o));
    let o = wifiplan(&["waves", dir_arg(&tmp.path().join("nowhere")), "--out", dir_arg(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nowhere/sites.csv"), "{}", stderr(&o));
    let o = wifiplan(&["waves", dir_arg(&batch), "--out", dir_arg(&out), "--budget", "-1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
}

/// The whole bundled region, as `cargo run --release -- rollout` runs it (~15 minutes
/// on 2 cores): `cargo test --release --test region -- --ignored --nocapture`.
#[test]
#[ignore]
fn the_bundled_region_comes_to_about_6300_aps_under_the_programme_budget() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rollout");
    let o = wifiplan(&["rollout", "--out", dir_arg(&out)]);
    println!("{}", stdout(&o));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_str(&read(&out.join("summary.json"))).unwrap();
    let aps = summary["aps"].as_f64().unwrap();
    let cost = summary["cost_eur"].as_f64().unwrap();
    println!(
        "{aps} APs, {:.2} M€ for the 129 lycées (the programme: ≈ 6,300 APs scaled to this list, 6.2 M€)",
        cost / 1e6
    );
    assert!((aps - 6300.0).abs() <= 0.15 * 6300.0, "{aps} APs");
    let spent = check_schedule(&out, &out, 6_200_000.0);
    println!("scheduled {:.2} M€", spent / 1e6);
}
