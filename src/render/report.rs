//! The site report: one self-contained HTML page (styles inline, images as base64 data
//! URIs, no script, no network) with the radio table (every radio of every AP), the bands
//! as planned, coverage against each requirement per room kind, the rooms that fail, the
//! bill of materials and the heatmaps.

use crate::band::Band;
use crate::costs::{BillLine, bill_total};
use crate::coverage::{FailingRoom, Requirement};
use crate::lang::{Lang, Msg};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// One AP of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApRow {
    /// Name.
    pub name: String,
    /// Building.
    pub building: String,
    /// Floor.
    pub floor: String,
    /// Room it hangs in ("—" when in none).
    pub room: String,
    /// Its radios, as `aps.ron` lists them.
    pub radios: Vec<RadioRow>,
    /// Cable run to its closet [m].
    pub cable_m: Option<f64>,
}

/// One radio of an AP in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RadioRow {
    /// Band.
    pub band: Band,
    /// Channel (none: not set).
    pub channel: Option<u32>,
    /// Channel width [MHz].
    pub width_mhz: u32,
    /// Transmit power [dBm].
    pub tx_power_dbm: f64,
    /// Whether it transmits.
    pub on: bool,
}

/// One band of the plan, as placement planned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandRow {
    /// Band.
    pub band: Band,
    /// Radios in the band.
    pub radios: usize,
    /// Of those, how many are on.
    pub radios_on: usize,
    /// Radios on per channel width [MHz → radios].
    pub widths: std::collections::BTreeMap<u32, usize>,
    /// Distinct channels used by the radios on.
    pub channels_used: usize,
    /// The band's requirement in teaching rooms and offices [dBm].
    pub threshold_dbm: f64,
    /// Share of their area it must reach [%].
    pub required_pct: f64,
    /// Share reached [%].
    pub covered_pct: f64,
    /// Of those rooms, how many miss it.
    pub rooms_failing: usize,
    /// 5th-percentile SINR over the teaching cells [dB].
    pub p5_sinr_db: f64,
    /// Share of teaching cells hearing two radios on overlapping channels above
    /// −82 dBm [%].
    pub overlap_pct: f64,
}

/// Coverage of one requirement over the rooms of one kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageRow {
    /// Room kind.
    pub kind: String,
    /// Rooms of that kind with at least one cell.
    pub rooms: usize,
    /// Their area [m²].
    pub area_m2: f64,
    /// The requirement, e.g. "RSSI ≥ −67 dBm".
    pub requirement: String,
    /// Share of their cells that meet it [%].
    pub achieved_pct: f64,
    /// Share each room needs [%].
    pub required_pct: f64,
    /// Rooms below the required share.
    pub failing_rooms: usize,
}

/// How the report names a check in `lang`, e.g. "RSSI ≥ −67 dBm".
pub fn requirement_text(requirement: Requirement, threshold: f64, lang: Lang) -> String {
    let t = super::heatmap::number_in(threshold, lang);
    match requirement {
        Requirement::Primary | Requirement::Rssi | Requirement::Circulation => lang.fill(Msg::RequirementRssi, &[&t]),
        Requirement::Snr => lang.fill(Msg::RequirementSnr, &[&t]),
        Requirement::Secondary => lang.fill(Msg::RequirementSecondary, &[&t]),
        Requirement::Capacity => lang.t(Msg::RequirementCapacity).to_string(),
    }
}

/// A heatmap of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Caption.
    pub caption: String,
    /// Its image file, in the folder of the site's images.
    pub file: String,
    /// PNG bytes.
    #[serde(skip)]
    pub png: Vec<u8>,
}

/// Everything the report shows; serialised without the images' bytes, which
/// [`Figure::file`] names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportData {
    /// Language of the page.
    #[serde(default)]
    pub lang: Lang,
    /// Site name.
    pub site: String,
    /// UAI, when known.
    pub uai: Option<String>,
    /// Key figures, label and value, shown first.
    pub facts: Vec<(String, String)>,
    /// The APs.
    pub aps: Vec<ApRow>,
    /// Coverage per requirement per room kind.
    pub coverage: Vec<CoverageRow>,
    /// Rooms below a requirement.
    pub failing: Vec<FailingRoom>,
    /// Bill of materials (empty: left out).
    pub bill: Vec<BillLine>,
    /// The heatmaps.
    pub figures: Vec<Figure>,
    /// The bands as planned (empty when the report has no placement behind it).
    #[serde(default)]
    pub bands: Vec<BandRow>,
}

impl ReportData {
    /// Sets the bill of materials and the key figure of its total, which follows the
    /// cable's figure (none for an empty bill).
    pub fn set_bill(&mut self, bill: Vec<BillLine>) {
        let (cost, cable) = (self.lang.t(Msg::Cost), self.lang.t(Msg::Cable));
        self.facts.retain(|(label, _)| label != cost);
        if !bill.is_empty() {
            let at = self.facts.iter().position(|(label, _)| label == cable).map_or(self.facts.len(), |i| i + 1);
            self.facts.insert(at, (cost.to_string(), euros(bill_total(&bill))));
        }
        self.bill = bill;
    }
}

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An amount in euros with thin-space thousands, e.g. "12 345 €".
pub fn euros(v: f64) -> String {
    format!("{} €", super::thousands(v, '\u{202f}').replace('-', "−"))
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;max-width:1400px}\
h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}\
th{background:#f0f0f0}td.n{text-align:right}tr.fail td{background:#fde8e8}.ok{color:#176b2c}.bad{color:#b00020}\
figure{margin:16px 0}figcaption{font-size:13px;color:#555}img{max-width:100%;border:1px solid #ddd}\
dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px;font-size:14px}dt{color:#555}dd{margin:0}";

/// The report as one HTML document.
pub fn html(data: &ReportData) -> String {
    let lang = data.lang;
    let t = |m: Msg| lang.t(m);
    let mut h = String::new();
    let title = match &data.uai {
        Some(u) => format!("{} ({u})", data.site),
        None => data.site.clone(),
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        lang.code(),
        esc(&lang.fill(Msg::ReportTitle, &[&title]))
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(&lang.fill(Msg::ReportTitle, &[&title])));
    h.push_str("<dl>");
    for (k, v) in &data.facts {
        let _ = write!(h, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(v));
    }
    h.push_str("</dl>\n");

    let _ = writeln!(h, "<h2>{}</h2>", t(Msg::AccessPoints));
    let heads = [
        Msg::Ap,
        Msg::Building,
        Msg::Floor,
        Msg::Room,
        Msg::Band,
        Msg::Channel,
        Msg::WidthMhz,
        Msg::PowerDbm,
        Msg::RadioState,
        Msg::CableM,
    ]
    .map(t);
    table_head(&mut h, &heads);
    for ap in &data.aps {
        // The AP's own cells span its radios' rows.
        let span = ap.radios.len().max(1);
        let cable = ap.cable_m.map_or("—".to_string(), |m| lang.number(m, 0));
        let own = [Cell::Text(&ap.name), Cell::Text(&ap.building), Cell::Text(&ap.floor), Cell::Text(&ap.room)];
        h.push_str("<tr>");
        for c in &own {
            push_cell(&mut h, c, span);
        }
        if ap.radios.is_empty() {
            h.push_str("<td colspan=5>—</td>");
        }
        for (i, r) in ap.radios.iter().enumerate() {
            if i > 0 {
                h.push_str("</tr>\n<tr>");
            }
            let cells = [
                Cell::Text(&band_name(r.band, lang)),
                Cell::Number(r.channel.map_or("—".to_string(), |c| c.to_string())),
                Cell::Number(r.width_mhz.to_string()),
                Cell::Number(lang.number(r.tx_power_dbm, 1)),
                Cell::Text(t(if r.on { Msg::RadioOn } else { Msg::RadioOff })),
            ];
            for c in &cells {
                push_cell(&mut h, c, 1);
            }
            if i == 0 {
                push_cell(&mut h, &Cell::Number(cable.clone()), span);
            }
        }
        if ap.radios.is_empty() {
            push_cell(&mut h, &Cell::Number(cable), 1);
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");

    if !data.bands.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", t(Msg::BandsPlanned));
        let heads = [
            Msg::Band,
            Msg::RadiosOn,
            Msg::WidthsMhz,
            Msg::ChannelsUsed,
            Msg::Requirement,
            Msg::AchievedArea,
            Msg::RoomsFailing,
            Msg::SinrP5,
            Msg::ChannelOverlap,
        ]
        .map(t);
        table_head(&mut h, &heads);
        for b in &data.bands {
            let widths: Vec<String> = b.widths.iter().map(|(w, n)| format!("{w} × {n}")).collect();
            let requirement =
                lang.fill(Msg::BandRequirement, &[&lang.number(b.threshold_dbm, 0), &lang.number(b.required_pct, 0)]);
            let cells = [
                Cell::Text(&band_name(b.band, lang)),
                Cell::Number(format!("{} / {}", b.radios_on, b.radios)),
                Cell::Text(&widths.join(", ")),
                Cell::Number(b.channels_used.to_string()),
                Cell::Text(&requirement),
                Cell::Number(lang.number(b.covered_pct, 1)),
                Cell::Number(b.rooms_failing.to_string()),
                Cell::Number(if b.p5_sinr_db.is_finite() { lang.number(b.p5_sinr_db, 1) } else { "—".into() }),
                Cell::Number(lang.number(b.overlap_pct, 1)),
            ];
            table_row(&mut h, b.rooms_failing > 0, &cells);
        }
        h.push_str("</table>\n");
    }

    let _ = writeln!(h, "<h2>{}</h2>", t(Msg::CoveragePerKind));
    let heads = [
        Msg::RoomKind,
        Msg::Rooms,
        Msg::AreaM2,
        Msg::Requirement,
        Msg::AchievedArea,
        Msg::RequiredPerRoom,
        Msg::RoomsFailing,
    ]
    .map(t);
    table_head(&mut h, &heads);
    for c in &data.coverage {
        let cells = [
            Cell::Text(&c.kind),
            Cell::Number(c.rooms.to_string()),
            Cell::Number(lang.number(c.area_m2, 0)),
            Cell::Text(&c.requirement),
            Cell::Number(lang.number(c.achieved_pct, 1)),
            Cell::Number(lang.number(c.required_pct, 0)),
            Cell::Number(c.failing_rooms.to_string()),
        ];
        table_row(&mut h, c.failing_rooms > 0, &cells);
    }
    h.push_str("</table>\n");

    let _ = writeln!(h, "<h2>{}</h2>", t(Msg::RoomsThatFail));
    if data.failing.is_empty() {
        let _ = writeln!(h, "<p class=ok>{}</p>", t(Msg::EveryRoomMeets));
    } else {
        let heads =
            [Msg::Building, Msg::Floor, Msg::Room, Msg::Kind, Msg::Requirement, Msg::AchievedPct, Msg::RequiredPct]
                .map(t);
        table_head(&mut h, &heads);
        for f in &data.failing {
            let cells = [
                Cell::Text(&f.building),
                Cell::Text(&f.floor),
                Cell::Text(&f.room),
                Cell::Text(lang.room_kind(f.kind)),
                Cell::Text(&requirement_text(f.requirement, f.threshold, lang)),
                Cell::Number(lang.number(f.achieved, 1)),
                Cell::Number(lang.number(f.needed, 0)),
            ];
            table_row(&mut h, true, &cells);
        }
        h.push_str("</table>\n");
    }

    if !data.bill.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", t(Msg::BillOfMaterials));
        table_head(&mut h, &[Msg::Item, Msg::Quantity, Msg::Unit, Msg::UnitPrice, Msg::Total].map(t));
        for b in &data.bill {
            let quantity = lang.decimal_mark(b.quantity_text());
            let cells = [
                Cell::Text(&b.item),
                Cell::Number(quantity),
                Cell::Text(&b.unit),
                Cell::Number(euros_precise(b.unit_eur, lang)),
                Cell::Number(euros(b.total_eur)),
            ];
            table_row(&mut h, false, &cells);
        }
        let total = bill_total(&data.bill);
        let _ =
            writeln!(h, "<tr><th colspan=4>{}</th><th class=n>{}</th></tr>", t(Msg::TotalExclVat), esc(&euros(total)));
        h.push_str("</table>\n");
    }

    if !data.figures.is_empty() {
        let _ = writeln!(h, "<h2>{}</h2>", t(Msg::Heatmaps));
        let engine = base64::engine::general_purpose::STANDARD;
        for f in &data.figures {
            let _ = writeln!(
                h,
                "<figure><img alt=\"{}\" src=\"data:image/png;base64,{}\"><figcaption>{}</figcaption></figure>",
                esc(&f.caption),
                engine.encode(&f.png),
                esc(&f.caption)
            );
        }
    }
    let _ = writeln!(
        h,
        "<p style=\"font-size:12px;color:#777\">{}</p>\n</body></html>",
        esc(&lang.fill(Msg::MadeBy, &[&env!("CARGO_PKG_VERSION")]))
    );
    h
}

/// A table cell: text, or a number aligned right.
enum Cell<'a> {
    Text(&'a str),
    Number(String),
}

/// One cell, spanning `rows` rows.
fn push_cell(h: &mut String, c: &Cell, rows: usize) {
    let span = if rows > 1 { format!(" rowspan={rows}") } else { String::new() };
    let _ = match c {
        Cell::Text(t) => write!(h, "<td{span}>{}</td>", esc(t)),
        Cell::Number(n) => write!(h, "<td class=n{span}>{}</td>", esc(n)),
    };
}

/// A band's name as people read it: "2.4 GHz", "2,4 GHz".
fn band_name(band: Band, lang: Lang) -> String {
    format!("{} GHz", lang.decimal_mark(band.key().to_string()))
}

/// Opens a table with its header row.
fn table_head(h: &mut String, heads: &[&str]) {
    h.push_str("<table><tr>");
    for head in heads {
        let _ = write!(h, "<th>{head}</th>");
    }
    h.push_str("</tr>\n");
}

/// One row; `fail` marks it red.
fn table_row(h: &mut String, fail: bool, cells: &[Cell]) {
    h.push_str(if fail { "<tr class=fail>" } else { "<tr>" });
    for c in cells {
        push_cell(h, c, 1);
    }
    h.push_str("</tr>\n");
}

/// Unit prices keep their cents.
fn euros_precise(v: f64, lang: Lang) -> String {
    if (v - v.round()).abs() < 0.005 { euros(v) } else { format!("{} €", lang.number(v, 2)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_amounts_grouped() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(euros(1_234_567.4), "1\u{202f}234\u{202f}567 €");
        assert_eq!(euros(886.0), "886 €");
        let data = ReportData {
            lang: Lang::En,
            site: "Lycée <test>".into(),
            uai: None,
            facts: vec![],
            aps: vec![],
            coverage: vec![],
            failing: vec![],
            bill: vec![],
            figures: vec![Figure { caption: "x".into(), file: "x.png".into(), png: vec![1, 2, 3] }],
            bands: vec![],
        };
        let page = html(&data);
        assert!(page.contains("Lycée &lt;test&gt;"));
        assert!(page.contains("data:image/png;base64,AQID"));
        assert!(!page.contains("http"), "the page must not reach the network");
        assert!(!page.contains("Bands as planned"), "no placement, no bands' table");
    }

    #[test]
    fn the_radio_table_lists_every_radio_under_its_ap_and_the_bands_table_each_band() {
        let radio =
            |band, channel, width_mhz, on| RadioRow { band, channel: Some(channel), width_mhz, tx_power_dbm: 14.0, on };
        let data = ReportData {
            lang: Lang::Fr,
            site: "L".into(),
            uai: None,
            facts: vec![],
            aps: vec![ApRow {
                name: "A101".into(),
                building: "A".into(),
                floor: "R+1".into(),
                room: "A101".into(),
                radios: vec![radio(Band::G5, 38, 40, true), radio(Band::G2_4, 6, 20, false)],
                cable_m: Some(42.0),
            }],
            coverage: vec![],
            failing: vec![],
            bill: vec![],
            figures: vec![],
            bands: vec![BandRow {
                band: Band::G2_4,
                radios: 1,
                radios_on: 0,
                widths: Default::default(),
                channels_used: 0,
                threshold_dbm: -72.0,
                required_pct: 90.0,
                covered_pct: 0.0,
                rooms_failing: 1,
                p5_sinr_db: f64::NAN,
                overlap_pct: 0.0,
            }],
        };
        let page = html(&data);
        let row = "<tr><td rowspan=2>A101</td><td rowspan=2>A</td><td rowspan=2>R+1</td><td rowspan=2>A101</td>\
                   <td>5 GHz</td><td class=n>38</td><td class=n>40</td><td class=n>14,0</td><td>allumée</td>\
                   <td class=n rowspan=2>42</td></tr>\n<tr><td>2,4 GHz</td><td class=n>6</td><td class=n>20</td>\
                   <td class=n>14,0</td><td>éteinte</td></tr>";
        assert!(page.contains(row), "{page}");
        assert!(page.contains("<h2>Bandes telles que planifiées</h2>"));
        assert!(page.contains("<tr class=fail><td>2,4 GHz</td><td class=n>0 / 1</td>"), "{page}");
        assert!(page.contains("≥ −72 dBm sur 90 % des salles d&#39;enseignement et bureaux"), "{page}");
        assert!(page.contains("<td class=n>1</td><td class=n>—</td>"), "no radio on, no SINR: {page}");
    }
}
