//! The installer's files of a planned site: `aps.csv` (where each AP hangs, its radio, its
//! closet, cable and switch port) and `bom.csv` (the bill of materials, the report's lines
//! and total).

use crate::costs::{BillLine, bill_total};
use crate::lang::{Lang, Msg};
use crate::placement::Placement;
use crate::plan::Site;
use std::collections::BTreeMap;

/// The columns of `aps.csv`.
pub const AP_COLUMNS: [&str; 24] = [
    "ap",
    "building",
    "floor",
    "room",
    "x_m",
    "y_m",
    "site_x_m",
    "site_y_m",
    "height_m",
    "band",
    "channel",
    "width_mhz",
    "tx_power_dbm",
    "channel_2g4",
    "tx_power_2g4_dbm",
    "radio_2g4",
    "channel_6g",
    "width_6g_mhz",
    "tx_power_6g_dbm",
    "closet",
    "closet_floor",
    "cable_m",
    "cable_flagged",
    "switch_port",
];

/// `aps.csv`: one row per AP — position in its building's frame and in metres from the
/// plan's origin (the site frame), mounting height above its floor, the radio of the
/// planned band, its 2.4 GHz radio (channel, power, on or off; empty without one), its
/// 6 GHz radio (channel, width, power; empty without one), the closet its cable runs to, the run's length, whether it is flagged,
/// and its port on that closet's switch (numbered from 1 per closet, in AP order).
pub fn aps_csv(site: &Site, placement: &Placement) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(AP_COLUMNS)?;
    let mut ports: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for (ap, placed) in placement.aps.0.iter().zip(&placement.report.aps) {
        let building = site.buildings.iter().find(|b| b.name == ap.building);
        let at = building.map(|b| b.to_site(ap.position));
        let radio = ap.radios.first();
        let low = ap.radios.iter().find(|r| r.band == crate::band::Band::G2_4);
        let six = ap.radios.iter().find(|r| r.band == crate::band::Band::G6);
        let cable = &placed.cable;
        let port = cable.to.as_ref().map(|to| {
            let key = (ap.building.clone(), cable.floor.clone().unwrap_or_default(), to.clone());
            let n = ports.entry(key).or_default();
            *n += 1;
            *n
        });
        let number = |v: Option<f64>, decimals: usize| v.map_or(String::new(), |v| format!("{v:.decimals$}"));
        w.write_record([
            ap.name.clone(),
            ap.building.clone(),
            ap.floor.clone(),
            placed.room.clone(),
            format!("{:.2}", ap.position.0),
            format!("{:.2}", ap.position.1),
            number(at.map(|p| p.x), 2),
            number(at.map(|p| p.y), 2),
            format!("{:.2}", ap.height),
            radio.map_or(String::new(), |r| r.band.to_string()),
            radio.and_then(|r| r.channel).map_or(String::new(), |c| c.to_string()),
            radio.map_or(String::new(), |r| r.width_mhz.to_string()),
            number(radio.map(|r| r.tx_power_dbm), 1),
            low.and_then(|r| r.channel).map_or(String::new(), |c| c.to_string()),
            number(low.map(|r| r.tx_power_dbm), 1),
            low.map_or("", |r| if r.off { "off" } else { "on" }).to_string(),
            six.and_then(|r| r.channel).map_or(String::new(), |c| c.to_string()),
            six.map_or(String::new(), |r| r.width_mhz.to_string()),
            number(six.map(|r| r.tx_power_dbm), 1),
            cable.to.clone().unwrap_or_default(),
            cable.floor.clone().unwrap_or_default(),
            number(cable.length_m, 1),
            cable.flagged.to_string(),
            port.map_or(String::new(), |p| p.to_string()),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// The columns of `bom.csv`.
pub const BILL_COLUMNS: [&str; 5] = ["item", "quantity", "unit", "unit_eur", "total_eur"];

/// `bom.csv`: the bill's lines, then a total line (excluding VAT, labelled in `lang`)
/// [€]. Numbers stay in the file format's (decimal point), whatever the language.
pub fn bom_csv(bill: &[BillLine], lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(BILL_COLUMNS)?;
    for b in bill {
        w.write_record([
            b.item.clone(),
            b.quantity_text(),
            b.unit.clone(),
            format!("{:.2}", b.unit_eur),
            format!("{:.2}", b.total_eur),
        ])?;
    }
    let total = bill_total(bill);
    w.write_record([
        lang.t(Msg::TotalExclVat).to_string(),
        String::new(),
        String::new(),
        String::new(),
        format!("{total:.2}"),
    ])?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// Sums bills line by line (lines of the same item and unit add their quantities and
/// totals; the unit price is the first bill's), in the order items first appear.
pub fn sum_bills<'a>(bills: impl IntoIterator<Item = &'a [BillLine]>) -> Vec<BillLine> {
    let mut out: Vec<BillLine> = Vec::new();
    for bill in bills {
        for line in bill {
            match out.iter_mut().find(|o| o.item == line.item && o.unit == line.unit) {
                Some(o) => {
                    o.quantity += line.quantity;
                    o.total_eur += line.total_eur;
                }
                None => out.push(line.clone()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::Costs;

    #[test]
    fn bills_sum_line_by_line_to_the_sites_totals() {
        let c = Costs::default();
        let (a, b) = (c.bill(10, 123.4, Lang::En), c.bill(3, 40.0, Lang::En));
        let sum = sum_bills([a.as_slice(), b.as_slice()]);
        assert_eq!(sum.len(), a.len());
        assert!((bill_total(&sum) - bill_total(&a) - bill_total(&b)).abs() < 1e-6);
        assert_eq!(sum[0].quantity, 13.0);
        let text = String::from_utf8(bom_csv(&sum, Lang::En).unwrap()).unwrap();
        assert!(text.starts_with("item,quantity,unit,unit_eur,total_eur\n"), "{text}");
        assert!(text.trim_end().ends_with(&format!("Total (excl. VAT),,,,{:.2}", bill_total(&sum))), "{text}");
    }
}
