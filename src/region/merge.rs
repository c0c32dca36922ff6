//! `merge`: shard folders of one batch combined into one folder equal to a single run —
//! the same `sites.csv` and `summary.json`, every site folder — after checking that the
//! shards come from the same site list and costs and that each shard appears once.

use super::batch::{
    BatchError, BatchSummary, ResultRow, Timings, read_sites_csv, site_dir, summarise, write_folder, write_json,
    write_region_bill,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn read_summary(dir: &Path) -> Result<BatchSummary, BatchError> {
    let path = dir.join("summary.json");
    let text = std::fs::read_to_string(&path).map_err(|e| BatchError::io(&path, e))?;
    serde_json::from_str(&text).map_err(|e| BatchError::io(&path, format!("not a batch summary: {e}")))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), BatchError> {
    std::fs::create_dir_all(to).map_err(|e| BatchError::io(to, e))?;
    for entry in std::fs::read_dir(from).map_err(|e| BatchError::io(from, e))? {
        let entry = entry.map_err(|e| BatchError::io(from, e))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(|e| BatchError::io(&src, e))?.is_dir() {
            copy_dir(&src, &dst)?;
        } else if entry.file_name() != "site.json" {
            std::fs::copy(&src, &dst).map_err(|e| BatchError::io(&src, e))?;
        }
    }
    // The record last, as in a batch: a killed merge leaves nothing `--resume` trusts.
    let record = from.join("site.json");
    if record.is_file() {
        let bytes = std::fs::read(&record).map_err(|e| BatchError::io(&record, e))?;
        crate::atomic::write_atomic(&to.join("site.json"), &bytes)
            .map_err(|e| BatchError::io(&to.join("site.json"), e))?;
    }
    Ok(())
}

/// Merges `shards` into `out`; returns the merged summary.
pub fn merge(shards: &[PathBuf], out: &Path) -> Result<BatchSummary, BatchError> {
    if shards.is_empty() {
        return Err(BatchError::Options("merge: no shard folders given".into()));
    }
    let summaries: Vec<BatchSummary> = shards.iter().map(|d| read_summary(d)).collect::<Result<_, _>>()?;
    let first = &summaries[0];
    let mut seen = BTreeSet::new();
    for (dir, s) in shards.iter().zip(&summaries) {
        if s.input_fingerprint != first.input_fingerprint || s.costs != first.costs {
            return Err(BatchError::Options(format!(
                "merge: {} comes from another site list or cost model than {}",
                dir.display(),
                shards[0].display()
            )));
        }
        let Some(shard) = s.shard else {
            return Err(BatchError::Options(format!(
                "merge: {} is not a shard (run batch with --shard K/N)",
                dir.display()
            )));
        };
        if Some(shard.n) != first.shard.map(|f| f.n) {
            return Err(BatchError::Options(format!(
                "merge: {} is shard {shard}, not of {} shards",
                dir.display(),
                first.shard.map_or(0, |f| f.n)
            )));
        }
        if !seen.insert(shard.k) {
            return Err(BatchError::Options(format!("merge: shard {shard} is given twice ({})", dir.display())));
        }
    }
    let n = first.shard.map_or(1, |s| s.n);
    let missing: Vec<String> = (1..=n).filter(|k| !seen.contains(k)).map(|k| format!("{k}/{n}")).collect();
    if !missing.is_empty() {
        return Err(BatchError::Options(format!("merge: shard(s) {} missing", missing.join(", "))));
    }
    let mut header = None;
    let mut rows: Vec<(usize, ResultRow)> = Vec::new();
    let mut timings = Timings::default();
    for (i, dir) in shards.iter().enumerate() {
        let (h, r) = read_sites_csv(&dir.join("sites.csv"))?;
        if header.as_ref().is_some_and(|prev: &Vec<String>| *prev != h) {
            return Err(BatchError::io(&dir.join("sites.csv"), "line 1: columns differ from the other shards"));
        }
        header = Some(h);
        rows.extend(r.into_iter().map(|r| (i, r)));
        if let Ok(text) = std::fs::read_to_string(dir.join("timings.json"))
            && let Ok(t) = serde_json::from_str::<Timings>(&text)
        {
            timings.wall_s = timings.wall_s.max(t.wall_s);
            timings.sites_planned += t.sites_planned;
            timings.sites_resumed += t.sites_resumed;
            timings.sites_repriced += t.sites_repriced;
            timings.building_cache.hits += t.building_cache.hits;
            timings.building_cache.misses += t.building_cache.misses;
            timings.building_cache.from_disk += t.building_cache.from_disk;
            for (k, v) in t.stages_s {
                *timings.stages_s.entry(k).or_insert(0.0) += v;
            }
        }
    }
    rows.sort_by_key(|(_, r)| r.line);
    std::fs::create_dir_all(out.join("sites")).map_err(|e| BatchError::io(out, e))?;
    for (i, r) in &rows {
        let src = site_dir(&shards[*i], &r.uai);
        let dst = site_dir(out, &r.uai);
        if !r.uai.is_empty() && src.is_dir() && src.canonicalize().ok() != dst.canonicalize().ok() {
            copy_dir(&src, &dst)?;
        }
    }
    let rows: Vec<ResultRow> = rows.into_iter().map(|(_, r)| r).collect();
    let summary =
        summarise(&rows, &first.input, &first.input_fingerprint, first.input_rows, None, &first.costs, first.lang);
    write_folder(out, header.as_deref().unwrap_or(&[]), &rows, &summary)?;
    write_region_bill(out, &rows, &summary.costs, summary.lang)?;
    write_json(&out.join("timings.json"), &timings)?;
    Ok(summary)
}
