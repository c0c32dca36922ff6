//! The commands on one site: `check`, `simulate`, `heatmap`, `place`, `generate`,
//! `import`.

use super::args::{CheckArgs, GenerateArgs, HeatmapArgs, ImportArgs, PlaceArgs, SimulateArgs};
use super::{Failure, open_backend, out, read_costs, read_requirements, with_aps_file, with_progress};
use wifiplan::band::Band;
use wifiplan::placement;
use wifiplan::plan::{self, Summary};
use wifiplan::radio::AccessPoints;
use wifiplan::radiomap::Metric;
use wifiplan::render::heatmap::plan_preview;
use wifiplan::requirements::Overrides;
use wifiplan::scene::GridSpec;
use wifiplan::site::assess::AssessOptions;
use wifiplan::site::pipeline;
use wifiplan::site::simulate::{self, Scope, SimulateOptions};

pub fn check(args: &CheckArgs) -> Result<(), Failure> {
    if let Some(f) = args.frequency
        && !(f.is_finite() && f > 0.0)
    {
        return Err(Failure::bad_input(vec![format!("--frequency {f}: must be a positive frequency in GHz")]));
    }
    let site = plan::load(&args.plan)?;
    let summary = Summary::of(&site, args.frequency.unwrap_or(Band::G5.centre_ghz()));
    if args.frequency.is_some() {
        let unusable = summary.unusable_materials();
        if !unusable.is_empty() {
            return Err(Failure::bad_input(unusable.iter().map(|e| format!("{}: {e}", args.plan.display())).collect()));
        }
    }
    if args.json {
        let text =
            serde_json::to_string_pretty(&summary).map_err(|e| Failure::failed(format!("cannot write JSON: {e}")))?;
        out!("{text}");
    } else {
        out!("{summary}");
    }
    Ok(())
}

pub fn simulate(args: &SimulateArgs) -> Result<(), Failure> {
    let site = plan::load(&args.plan)?;
    let aps = AccessPoints::load(&args.aps)?;
    let band = simulate::resolve_band(args.band, args.frequency).map_err(|e| with_aps_file(e, &args.aps))?;
    let options = SimulateOptions {
        band,
        frequency_ghz: args.frequency,
        grid: GridSpec { cell: args.cell, rx_height: args.rx_height, margin: args.margin, bounds: args.bounds },
        settings: args.engine.settings(),
        per_ap: args.per_ap,
        scope: Scope::Campus,
    };
    let backend = open_backend(args.backend)?;
    let result = with_progress("access points", |progress| {
        simulate::simulate(&site, &aps, &options, backend.as_ref(), progress)
    });
    let sim = result.map_err(|e| with_aps_file(e, &args.aps))?;
    for s in &sim.skipped {
        eprintln!("notice: {s}");
    }
    simulate::write(&args.out, &sim)?;
    let cells: usize = sim.maps.planes.iter().map(|p| p.nx * p.ny).sum();
    out!(
        "simulated {} APs on {} planes ({} cells) with the {} backend in {:.2} s; wrote {}",
        sim.ap_names.len(),
        sim.maps.planes.len(),
        cells,
        sim.maps.backend,
        sim.maps.timings_s.get("solve").copied().unwrap_or(0.0),
        args.out.join("radiomap.json").display()
    );
    Ok(())
}

pub fn heatmap(args: &HeatmapArgs) -> Result<(), Failure> {
    let metrics = Metric::parse_list(&args.metric).map_err(|e| Failure::bad_input(vec![e]))?;
    let site = plan::load(&args.plan)?;
    let aps = AccessPoints::load(&args.aps)?;
    let band = Overrides { band: Some(args.band), ..Overrides::default() };
    let base = read_requirements(args.requirements.as_deref())?;
    // The 2.4 GHz radios of dual-band APs answer to the low band's own requirement, the
    // 6 GHz radios of tri-band ones to the 6 GHz requirement at their width.
    let six_width = aps.0.iter().flat_map(|a| &a.radios).find(|r| r.band == Band::G6).map(|r| r.width_mhz);
    let requirements = match (args.band, six_width) {
        (Band::G2_4, _) if base.band != Band::G2_4 && base.low_band.plan => base.low_band_requirements(),
        (Band::G6, Some(width)) if base.band != Band::G6 => base.six_ghz_requirements(width),
        _ => base.with_overrides(&band),
    };
    let costs = read_costs(args.costs.as_deref())?;
    let options = AssessOptions {
        simulate: pipeline::simulate_options(&requirements, args.cell, args.engine.settings(), Scope::Campus),
        metrics,
        px_per_m: args.scale,
        requirements,
        lang: args.lang.lang,
    };
    let backend = open_backend(args.backend)?;
    options.check()?;
    let result = with_progress("access points", |progress| {
        simulate::simulate(&site, &aps, &options.simulation(), backend.as_ref(), progress)
    });
    let sim = result.map_err(|e| with_aps_file(e, &args.aps))?;
    for s in &sim.skipped {
        eprintln!("notice: {s}");
    }
    let assessed = pipeline::assess(&site, &aps, sim, &options, &costs)?;
    let maps = &assessed.assessment;
    assessed.write(&site, &args.out, &args.out.join("report.html"))?;
    out!(
        "drew {} heatmaps of {} floors ({} APs); {} rooms fail a requirement; wrote {}",
        maps.images.len(),
        maps.simulation.maps.planes.len(),
        maps.aps.len(),
        assessed.report.failing.len(),
        args.out.join("report.html").display()
    );
    Ok(())
}

pub fn place(args: &PlaceArgs) -> Result<(), Failure> {
    let site = plan::load(&args.plan)?;
    let req = read_requirements(args.requirements.as_deref())?.with_overrides(&args.overrides());
    let backend = open_backend(args.backend)?;
    let result =
        with_progress("candidate positions", |progress| placement::place(&site, &req, backend.as_ref(), progress));
    let placed = result.map_err(|e| Failure { lines: vec![format!("{}: {e}", args.plan.display())], ..e.into() })?;
    pipeline::write_placement(&args.out, &site, &placed)?;
    let r = &placed.report;
    out!(
        "placed {} APs ({} candidates, {} full maps); bounds: capacity {}, LP {}; gap {:.1} %",
        r.ap_count,
        r.candidates,
        r.full_maps,
        r.bounds.capacity,
        r.bounds.lp.map_or("failed".to_string(), |v| format!("{v:.2}")),
        r.bounds.gap_pct
    );
    out!(
        "SINR p5 {:.1} dB, {} co-channel pairs (random channels: p5 {:.1} dB, {} pairs); cable {:.0} m, {} runs flagged",
        r.sinr.plan_db[0],
        r.sinr.plan_co_channel_pairs,
        r.sinr.baseline_db[0],
        r.sinr.baseline_co_channel_pairs,
        r.cable_total_m,
        r.cable_flagged
    );
    if r.requirements.plan_widths().len() > 1 {
        let widths: Vec<String> = r.sinr.aps_per_width.iter().map(|(w, n)| format!("{w} MHz × {n}")).collect();
        let ([p5, mean], [p5_0, mean_0]) = (r.sinr.throughput_mbps, r.sinr.planned_width_throughput_mbps);
        out!(
            "widths per AP: {}; shared rate over teaching cells mean {mean_0:.0} → {mean:.0} Mbit/s, p5 {p5_0:.0} → {p5:.0}",
            widths.join(", ")
        );
    }
    out!(
        "airtime at 5 GHz ({:.0} % ceiling), at the planned SINR: {} of {} teaching rooms short, needing {} more APs; {} APs beyond the airtime need elsewhere",
        r.airtime.ceiling_pct,
        r.airtime.rooms_over,
        r.airtime.rooms.len(),
        r.airtime.extra_aps,
        r.airtime.spare_aps
    );
    if let Some(low) = &r.low_band {
        out!(
            "2.4 GHz: {} radios on, {} off; coverage {:.1} % at {:.0} dBm; SINR p5 {:.1} dB, channel overlap {:.1} % of teaching cells (every radio on: p5 {:.1} dB, {:.1} %)",
            low.radios_on,
            low.radios_off,
            low.coverage.covered_pct,
            low.coverage.threshold_dbm,
            low.plan_db[0],
            low.overlap_pct,
            low.all_on_db[0],
            low.all_on_overlap_pct
        );
    }
    if let Some(six) = &r.six_ghz {
        out!(
            "6 GHz ({} MHz of {}, by p5 shared rate {:.0} Mbit/s): {} radios on {} of {} channels; coverage {:.1} % at {:.0} dBm ({} rooms below {:.0} %); SINR p5 {:.1} dB, channel overlap {:.1} % of teaching cells",
            six.width_mhz,
            six.widths_tried.iter().map(|w| w.width_mhz.to_string()).collect::<Vec<_>>().join("/"),
            six.p5_throughput_mbps,
            r.ap_count,
            six.channels_used,
            six.channels.len(),
            six.coverage.covered_pct,
            six.coverage.threshold_dbm,
            six.rooms_failing,
            six.coverage.required_pct,
            six.plan_db[0],
            six.overlap_pct
        );
    }
    out!("wrote {}, placement.json and aps.csv", args.out.join("aps.ron").display());
    if !r.failing_rooms.is_empty() {
        for f in &r.failing_rooms {
            eprintln!(
                "warning: building \"{}\" / floor \"{}\" / room \"{}\": {} requirement not met ({:.1} of {:.1}; best RSSI {:.1} dBm)",
                f.building, f.floor, f.room, f.requirement, f.achieved, f.needed, f.best_rssi_dbm
            );
        }
        if args.strict {
            return Err(Failure::failed(format!("{} rooms miss a requirement (--strict)", r.failing_rooms.len())));
        }
    }
    Ok(())
}

pub fn generate(args: &GenerateArgs) -> Result<(), Failure> {
    let seed = args.seed.clone().unwrap_or_else(|| format!("{}-{}", args.kind, args.pupils));
    let site = wifiplan::plan::generate::generate(args.pupils, args.kind, &seed)?;
    plan::save(&site, &args.output)?;
    let summary = Summary::of(&site, Band::G5.centre_ghz());
    let rooms: usize = summary.rooms_by_kind.iter().map(|k| k.count).sum();
    out!(
        "generated {}: {} buildings, {} rooms, {} teaching seats; wrote {}",
        site.name,
        site.buildings.len(),
        rooms,
        wifiplan::plan::generate::teaching_seats(&site),
        args.output.display()
    );
    Ok(())
}

pub fn import(args: &ImportArgs) -> Result<(), Failure> {
    let config: wifiplan::plan::import::ImportConfig = wifiplan::ronfile::read(&args.config)?;
    let (site, report) = wifiplan::plan::import::import_file(&args.file, &config)?;
    // Drawn before anything is written: a preview that cannot be drawn writes nothing.
    // One image per floor: PNG itself for a one-floor plan, PNG's stem with the floor's
    // name otherwise (IFC models).
    let mut previews = Vec::new();
    if let Some(path) = &args.preview {
        let floors = &site.buildings[0].floors;
        for (k, f) in floors.iter().enumerate() {
            let file = if floors.len() == 1 {
                path.clone()
            } else {
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("preview");
                path.with_file_name(format!("{stem}-{}.png", wifiplan::radiomap::file_safe(&f.name)))
            };
            let (png, _) = plan_preview(&site, 0, k, args.preview_scale, args.lang.lang)
                .map_err(|e| Failure::bad_input(vec![format!("{}: {e}", file.display())]))?;
            previews.push((file, png));
        }
    }
    let remove = |previews: &[(std::path::PathBuf, Vec<u8>)]| {
        for (file, _) in previews {
            let _ = std::fs::remove_file(file);
        }
    };
    for (k, (file, png)) in previews.iter().enumerate() {
        if let Err(e) = wifiplan::atomic::write_atomic(file, png) {
            remove(&previews[..k]);
            return Err(Failure::bad_input(vec![format!("{}: cannot write: {e}", file.display())]));
        }
    }
    if let Err(e) = plan::save(&site, &args.output) {
        remove(&previews);
        return Err(e.into());
    }
    for line in report.lines() {
        out!("{line}");
    }
    let floors = &site.buildings[0].floors;
    let (walls, rooms) = floors.iter().fold((0, 0), |(w, r), f| (w + f.walls.len(), r + f.rooms.len()));
    let storeys = if floors.len() > 1 { format!(" on {} floors", floors.len()) } else { String::new() };
    out!("imported {walls} walls and {rooms} rooms{storeys}; wrote {}", args.output.display());
    for (file, _) in &previews {
        out!("preview: {}", file.display());
    }
    Ok(())
}
