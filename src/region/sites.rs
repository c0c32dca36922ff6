//! The site list (DESIGN.md §3): one CSV row per school — `uai, name, type, commune,
//! departement, pupils, latitude, longitude, plan` and any extra columns, which pass
//! through. Rows are checked one by one so that a bad row is reported with its line and
//! the others go on.

use crate::plan::generate::SchoolType;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The columns a site list must have.
pub const REQUIRED: [&str; 9] =
    ["uai", "name", "type", "commune", "departement", "pupils", "latitude", "longitude", "plan"];

/// The bundled region: Normandy's 129 public lycées (`data/lycees-normandie.csv`).
pub const BUNDLED_REGION: &str = include_str!("../../data/lycees-normandie.csv");

/// One valid site row.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRow {
    /// Line in the CSV file (the header is line 1).
    pub line: usize,
    /// Index among the data rows, from 0 (what `--shard` selects on).
    pub index: usize,
    /// Every field, in the file's column order.
    pub fields: Vec<String>,
    /// Establishment code (UAI).
    pub uai: String,
    /// Name.
    pub name: String,
    /// Lycée type.
    pub kind: SchoolType,
    /// Département.
    pub departement: String,
    /// Pupils [1].
    pub pupils: u32,
    /// Latitude [°].
    pub latitude: f64,
    /// Longitude [°].
    pub longitude: f64,
    /// Floor plan to use, resolved against the list's folder; `None` to generate one.
    pub plan: Option<PathBuf>,
}

/// A row that cannot be planned.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    /// Line in the CSV file.
    pub line: usize,
    /// Index among the data rows.
    pub index: usize,
    /// Its fields as read (padded to the header's width).
    pub fields: Vec<String>,
    /// What is wrong.
    pub error: String,
}

/// A parsed site list.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteList {
    /// The header.
    pub header: Vec<String>,
    /// Valid rows.
    pub rows: Vec<SiteRow>,
    /// Rows that cannot be planned.
    pub bad: Vec<BadRow>,
    /// Where the list came from (a path, or the bundled file's), for messages.
    pub origin: String,
    /// Fingerprint of its text as given, for `--resume` and `summary.json`.
    pub fingerprint: String,
}

/// Why a site list cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SiteListError {
    /// The file cannot be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The header is unusable.
    #[error("{path}: line 1: {message}")]
    Header {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl crate::error::JobError for SiteListError {
    fn is_bad_input(&self) -> bool {
        true
    }
}

impl SiteList {
    /// Parses site-list text; `origin` names it in errors and plan paths are resolved
    /// against `base`.
    pub fn parse(text: &str, origin: &str, base: &Path) -> Result<SiteList, SiteListError> {
        let fingerprint = crate::seed::fingerprint(text);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Spreadsheets write CRLF; the reader's line count wants LF.
        let text = text.replace("\r\n", "\n");
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| SiteListError::Header { path: origin.into(), message: e.to_string() })?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let missing: Vec<&str> = REQUIRED.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
        if !missing.is_empty() {
            return Err(SiteListError::Header {
                path: origin.into(),
                message: format!("missing column(s) {}", missing.join(", ")),
            });
        }
        let mut seen = BTreeMap::new();
        for (i, h) in header.iter().enumerate() {
            if seen.insert(h.clone(), i).is_some() {
                return Err(SiteListError::Header {
                    path: origin.into(),
                    message: format!("column {h:?} appears twice"),
                });
            }
        }
        let col = |name: &str| seen[name];
        let mut list =
            SiteList { header: header.clone(), rows: Vec::new(), bad: Vec::new(), origin: origin.into(), fingerprint };
        let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
        let mut record = csv::StringRecord::new();
        for index in 0.. {
            // The reader's position before a record is the record's first line.
            let line = reader.position().line() as usize;
            let (fields, problem) = match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let mut fields: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
                    let problem = (fields.len() != header.len())
                        .then(|| format!("{} fields where the header has {}", fields.len(), header.len()));
                    fields.resize(header.len(), String::new());
                    (fields, problem)
                }
                Err(e) => (vec![String::new(); header.len()], Some(e.to_string())),
            };
            let bad = |error: String, fields: Vec<String>| BadRow {
                line,
                index,
                fields,
                error: format!("{origin}: line {line}: {error}"),
            };
            if let Some(p) = problem {
                list.bad.push(bad(p, fields));
                continue;
            }
            match row(&fields, &col, base) {
                Err(e) => list.bad.push(bad(e, fields)),
                Ok(mut site) => {
                    if let Some(first) = first_line.get(&site.uai) {
                        let e = format!("duplicate UAI {} (first on line {first})", site.uai);
                        list.bad.push(bad(e, fields));
                        continue;
                    }
                    first_line.insert(site.uai.clone(), line);
                    site.line = line;
                    site.index = index;
                    site.fields = fields;
                    list.rows.push(site);
                }
            }
        }
        Ok(list)
    }

    /// Reads and parses a site list file.
    pub fn read(path: &Path) -> Result<SiteList, SiteListError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| SiteListError::Read { path: path.display().to_string(), source })?;
        let base = path.parent().unwrap_or(Path::new("."));
        SiteList::parse(&text, &path.display().to_string(), base)
    }

    /// The bundled region.
    pub fn bundled() -> SiteList {
        SiteList::parse(BUNDLED_REGION, "data/lycees-normandie.csv", Path::new(".")).expect("the bundled region parses")
    }
}

/// Reads the named fields of one row.
fn row(fields: &[String], col: &dyn Fn(&str) -> usize, base: &Path) -> Result<SiteRow, String> {
    let get = |name: &str| fields[col(name)].as_str();
    let uai = get("uai");
    if uai.is_empty() {
        return Err("missing UAI".into());
    }
    if !uai.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!("UAI {uai:?} must be letters and digits"));
    }
    let kind: SchoolType = get("type").parse().map_err(|e| format!("UAI {uai}: {e}"))?;
    let pupils_text = get("pupils");
    let pupils: i64 =
        pupils_text.parse().map_err(|_| format!("UAI {uai}: pupils {pupils_text:?} is not a whole number"))?;
    if pupils < 0 {
        return Err(format!("UAI {uai}: negative pupils ({pupils})"));
    }
    let pupils = u32::try_from(pupils).map_err(|_| format!("UAI {uai}: {pupils} pupils is too many"))?;
    let coordinate = |name: &str, limit: f64| -> Result<f64, String> {
        let t = get(name);
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= limit => Ok(v),
            _ => Err(format!("UAI {uai}: {name} {t:?} is not a number in [−{limit}, {limit}]")),
        }
    };
    let latitude = coordinate("latitude", 90.0)?;
    let longitude = coordinate("longitude", 180.0)?;
    let departement = get("departement");
    if departement.is_empty() {
        return Err(format!("UAI {uai}: missing département"));
    }
    let plan = get("plan");
    Ok(SiteRow {
        line: 0,
        index: 0,
        fields: Vec::new(),
        uai: uai.to_string(),
        name: get("name").to_string(),
        kind,
        departement: departement.to_string(),
        pupils,
        latitude,
        longitude,
        plan: (!plan.is_empty()).then(|| base.join(plan)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_region_has_129_lycees_in_five_departements() {
        let list = SiteList::bundled();
        assert_eq!((list.rows.len(), list.bad.len()), (129, 0));
        let pupils: u32 = list.rows.iter().map(|r| r.pupils).sum();
        assert_eq!(pupils, 85_498);
        let depts: std::collections::BTreeSet<_> = list.rows.iter().map(|r| r.departement.as_str()).collect();
        assert_eq!(depts.len(), 5);
    }

    #[test]
    fn bad_rows_are_listed_with_their_lines_and_the_others_go_on() {
        let text = "uai,name,type,commune,departement,pupils,latitude,longitude,plan,extra\n\
                    0140004D,A,LEGT,Bayeux,Calvados,662,49.27,-0.71,,x\n\
                    ,B,LEGT,Caen,Calvados,100,49.1,-0.3,,y\n\
                    0140013N,C,LP,Caen,Calvados,-5,49.1,-0.3,,z\n\
                    0140004D,D,LEGT,Caen,Calvados,10,49.1,-0.3,,w\n\
                    0500001A,E,LPO,Saint-Lô,Manche,300,49.1,-1.1,plans/e.ron,v\n";
        let list = SiteList::parse(text, "sites.csv", Path::new("/data")).unwrap();
        assert_eq!(list.rows.len(), 2);
        assert_eq!(list.rows[1].plan.as_deref(), Some(Path::new("/data/plans/e.ron")));
        assert_eq!(list.rows[1].fields[9], "v");
        let errors: Vec<_> = list.bad.iter().map(|b| b.error.as_str()).collect();
        assert_eq!(
            errors,
            [
                "sites.csv: line 3: missing UAI",
                "sites.csv: line 4: UAI 0140013N: negative pupils (-5)",
                "sites.csv: line 5: duplicate UAI 0140004D (first on line 2)",
            ]
        );
        let crlf = SiteList::parse(&text.replace('\n', "\r\n"), "sites.csv", Path::new("/data")).unwrap();
        assert_eq!(crlf.bad, list.bad, "CRLF files give the same lines");
        let e = SiteList::parse("uai,name\n", "s.csv", Path::new(".")).unwrap_err().to_string();
        assert!(e.starts_with("s.csv: line 1: missing column(s) type, commune"), "{e}");
    }
}
