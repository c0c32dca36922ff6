//! The cost model (`costs.ron`): what one site costs from its AP count and cable length,
//! split into per-AP costs (hardware, licence, drop, PoE port, labour, cable) and
//! per-site costs (survey with the asbestos survey, project management, closet works).

use crate::lang::{Lang, Msg};
use serde::{Deserialize, Serialize};

/// Unit costs [€, excluding VAT]; every field has the bundled default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Costs {
    /// One WiFi 6 AP with its mounting kit [€].
    pub ap_eur: f64,
    /// Its management licence and support for the programme's life [€].
    pub licence_eur: f64,
    /// Cat 6A cable, pulled, per metre of run [€/m].
    pub cable_eur_per_m: f64,
    /// Each drop: sockets, patch leads, test certificate [€].
    pub drop_eur: f64,
    /// One PoE+ switch port, pro rata of a 48-port switch [€].
    pub poe_port_eur: f64,
    /// Installation labour per AP: mounting, cable tray, commissioning [€].
    pub labour_per_ap_eur: f64,
    /// Site survey, including the asbestos survey required before works [€].
    pub survey_eur: f64,
    /// Project management and acceptance per site [€].
    pub project_management_eur: f64,
    /// Closet and core works per site (rack, power, fibre patching) [€].
    pub closet_eur: f64,
}

impl Default for Costs {
    fn default() -> Costs {
        Costs {
            ap_eur: 330.0,
            licence_eur: 80.0,
            cable_eur_per_m: 2.2,
            drop_eur: 55.0,
            poe_port_eur: 55.0,
            labour_per_ap_eur: 100.0,
            survey_eur: 3_400.0,
            project_management_eur: 4_200.0,
            closet_eur: 2_200.0,
        }
    }
}

/// One line of a bill of materials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BillLine {
    /// What.
    pub item: String,
    /// How many.
    pub quantity: f64,
    /// Unit of the quantity ("pc", "m", "site").
    pub unit: String,
    /// Unit price [€].
    pub unit_eur: f64,
    /// Quantity × unit price [€].
    pub total_eur: f64,
}

/// What a bill comes to: its lines' totals summed, excluding VAT [€].
pub fn bill_total(bill: &[BillLine]) -> f64 {
    bill.iter().map(|b| b.total_eur).sum()
}

impl BillLine {
    /// The quantity as printed: whole pieces as integers, lengths to the decimetre.
    pub fn quantity_text(&self) -> String {
        if self.quantity.fract() == 0.0 { format!("{}", self.quantity as i64) } else { format!("{:.1}", self.quantity) }
    }
}

/// One site's cost, itemised [€].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SiteCost {
    /// Hardware, licences, drops, ports and labour: proportional to the AP count.
    pub per_ap_eur: f64,
    /// Cable: proportional to the run lengths.
    pub cable_eur: f64,
    /// Survey, project management, closet works.
    pub per_site_eur: f64,
    /// The sum, rounded to the euro.
    pub total_eur: f64,
}

impl Costs {
    /// The per-AP unit cost without cable [€].
    pub fn unit_per_ap(&self) -> f64 {
        self.ap_eur + self.licence_eur + self.drop_eur + self.poe_port_eur + self.labour_per_ap_eur
    }

    /// The fixed cost of a site [€].
    pub fn unit_per_site(&self) -> f64 {
        self.survey_eur + self.project_management_eur + self.closet_eur
    }

    /// The cost of a site with `aps` APs and `cable_m` metres of cable; no APs, no cost.
    pub fn site(&self, aps: usize, cable_m: f64) -> SiteCost {
        if aps == 0 {
            return SiteCost { per_ap_eur: 0.0, cable_eur: 0.0, per_site_eur: 0.0, total_eur: 0.0 };
        }
        let per_ap = self.unit_per_ap() * aps as f64;
        let cable = self.cable_eur_per_m * cable_m;
        let per_site = self.unit_per_site();
        SiteCost {
            per_ap_eur: per_ap,
            cable_eur: cable,
            per_site_eur: per_site,
            total_eur: (per_ap + cable + per_site).round(),
        }
    }

    /// The bill of materials of a site with `aps` APs and `cable_m` metres of cable; its
    /// lines add up to [`Costs::site`]'s total before rounding.
    pub fn bill(&self, aps: usize, cable_m: f64, lang: Lang) -> Vec<BillLine> {
        if aps == 0 {
            return Vec::new();
        }
        let n = aps as f64;
        let line = |item: Msg, quantity: f64, unit: Msg, unit_eur: f64| BillLine {
            item: lang.t(item).to_string(),
            quantity,
            unit: lang.t(unit).to_string(),
            unit_eur,
            total_eur: quantity * unit_eur,
        };
        vec![
            line(Msg::ItemAp, n, Msg::UnitPiece, self.ap_eur),
            line(Msg::ItemLicence, n, Msg::UnitPiece, self.licence_eur),
            line(Msg::ItemCable, (cable_m * 10.0).round() / 10.0, Msg::UnitMetre, self.cable_eur_per_m),
            line(Msg::ItemDrop, n, Msg::UnitPiece, self.drop_eur),
            line(Msg::ItemPoe, n, Msg::UnitPiece, self.poe_port_eur),
            line(Msg::ItemLabour, n, Msg::UnitPiece, self.labour_per_ap_eur),
            line(Msg::ItemSurvey, 1.0, Msg::UnitSite, self.survey_eur),
            line(Msg::ItemProject, 1.0, Msg::UnitSite, self.project_management_eur),
            line(Msg::ItemCloset, 1.0, Msg::UnitSite, self.closet_eur),
        ]
    }

    /// Everything wrong with these costs, one message each.
    pub fn problems(&self) -> Vec<String> {
        [
            ("ap_eur", self.ap_eur),
            ("licence_eur", self.licence_eur),
            ("cable_eur_per_m", self.cable_eur_per_m),
            ("drop_eur", self.drop_eur),
            ("poe_port_eur", self.poe_port_eur),
            ("labour_per_ap_eur", self.labour_per_ap_eur),
            ("survey_eur", self.survey_eur),
            ("project_management_eur", self.project_management_eur),
            ("closet_eur", self.closet_eur),
        ]
        .iter()
        .filter(|(_, v)| !(v.is_finite() && *v >= 0.0))
        .map(|(k, v)| format!("{k} {v} must be a finite amount ≥ 0"))
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typical_fifty_ap_lycee_costs_about_886_eur_per_ap() {
        // 50 APs at ~32 m of cable each, the generator's average run.
        let c = Costs::default().site(50, 50.0 * 32.0);
        let per_ap = c.total_eur / 50.0;
        assert!((per_ap - 886.0).abs() < 5.0, "{per_ap} €/AP");
        assert!((c.per_site_eur / c.total_eur - 0.22).abs() < 0.02, "per-site share {}", c.per_site_eur / c.total_eur);
        assert_eq!(Costs::default().site(0, 0.0).total_eur, 0.0);
    }
}
