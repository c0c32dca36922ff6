//! The language of what people read — the site report, the heatmaps, the region's
//! charts and the region commands' summaries: the one message table (every text in
//! English and French side by side) and each language's number and date formats
//! (French `1 234,5`, `6,2 M€`, `juil. 2021`; English `1234.5`, `6.2 M€`, `Jul 2021`).
//! File formats (CSV, JSON, RON) and error messages stay English.

use serde::{Deserialize, Serialize};

/// A language of the outputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// French, the Région's language and the default.
    #[default]
    Fr,
    /// English.
    En,
}

/// The narrow no-break space that groups French thousands.
const THIN: char = '\u{202f}';

macro_rules! messages {
    ($($key:ident: $en:literal, $fr:literal;)*) => {
        /// A text of the outputs; `{}` marks where [`Lang::fill`] puts its arguments.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg {
            $(
                #[doc = $en]
                $key,
            )*
        }

        impl Msg {
            /// Every message.
            pub const ALL: &'static [Msg] = &[$(Msg::$key),*];

            /// (English, French).
            fn texts(self) -> (&'static str, &'static str) {
                match self {
                    $(Msg::$key => ($en, $fr),)*
                }
            }
        }
    };
}

messages! {
    // The site report.
    ReportTitle: "WiFi plan — {}", "Plan WiFi — {}";
    AccessPoints: "Access points", "Points d'accès";
    Band: "Band", "Bande";
    WorstCoverage: "Worst RSSI coverage of a room kind", "Plus faible couverture RSSI d'un type de salle";
    RoomsFailingRequirement: "Rooms failing a requirement", "Salles sous une exigence";
    Cable: "Cable", "Câble";
    Cost: "Cost (excl. VAT)", "Coût (HT)";
    Simulation: "Simulation", "Simulation";
    SimulationText: "{} backend, cell {}, {} reflections per path", "moteur {}, maille {}, {} réflexions par trajet";
    LowBandRadios: "2.4 GHz radios", "Radios 2,4 GHz";
    LowBandText: "{} on of {}, {} % of teaching rooms and offices at {} dBm, SINR p5 {} dB", "{} allumées sur {}, {} % des salles d'enseignement et bureaux à {} dBm, SINR p5 {} dB";
    SixGhzRadios: "6 GHz radios", "Radios 6 GHz";
    SixGhzText: "{} at {} MHz on {} channels, {} % of teaching rooms and offices at {} dBm, SINR p5 {} dB", "{} à {} MHz sur {} canaux, {} % des salles d'enseignement et bureaux à {} dBm, SINR p5 {} dB";
    Ap: "AP", "AP";
    Building: "Building", "Bâtiment";
    Floor: "Floor", "Niveau";
    Room: "Room", "Salle";
    Channel: "Channel", "Canal";
    WidthMhz: "Width [MHz]", "Largeur [MHz]";
    PowerDbm: "Power [dBm]", "Puissance [dBm]";
    CableM: "Cable [m]", "Câble [m]";
    RadioState: "State", "État";
    RadioOn: "on", "allumée";
    RadioOff: "off", "éteinte";
    BandsPlanned: "Bands as planned", "Bandes telles que planifiées";
    RadiosOn: "Radios on", "Radios allumées";
    WidthsMhz: "Width [MHz] × radios", "Largeur [MHz] × radios";
    ChannelsUsed: "Channels used", "Canaux utilisés";
    BandRequirement: "≥ {} dBm on {} % of teaching rooms and offices", "≥ {} dBm sur {} % des salles d'enseignement et bureaux";
    SinrP5: "SINR p5 [dB]", "SINR p5 [dB]";
    ChannelOverlap: "Channel overlap [% of teaching area]", "Chevauchement de canaux [% de la surface d'enseignement]";
    CoveragePerKind: "Coverage per room kind", "Couverture par type de salle";
    RoomKind: "Room kind", "Type de salle";
    Rooms: "Rooms", "Salles";
    AreaM2: "Area [m²]", "Surface [m²]";
    Requirement: "Requirement", "Exigence";
    AchievedArea: "Achieved [% of area]", "Atteint [% de la surface]";
    RequiredPerRoom: "Required per room [%]", "Exigé par salle [%]";
    RoomsFailing: "Rooms failing", "Salles en défaut";
    RoomsThatFail: "Rooms that fail a requirement", "Salles qui ne satisfont pas une exigence";
    EveryRoomMeets: "Every room meets every requirement.", "Chaque salle satisfait chaque exigence.";
    Kind: "Kind", "Type";
    AchievedPct: "Achieved [%]", "Atteint [%]";
    RequiredPct: "Required [%]", "Exigé [%]";
    BillOfMaterials: "Bill of materials", "Devis quantitatif";
    Item: "Item", "Poste";
    Quantity: "Quantity", "Quantité";
    Unit: "Unit", "Unité";
    UnitPrice: "Unit price", "Prix unitaire";
    Total: "Total", "Total";
    TotalExclVat: "Total (excl. VAT)", "Total (HT)";
    Heatmaps: "Heatmaps", "Cartes de couverture";
    MadeBy: "Made by wifiplan {}.", "Réalisé avec wifiplan {}.";
    FigureCaption: "Building {}, floor {} — {}", "Bâtiment {}, niveau {} — {}";
    RequirementRssi: "RSSI ≥ {} dBm", "RSSI ≥ {} dBm";
    RequirementSnr: "SNR ≥ {} dB", "SNR ≥ {} dB";
    RequirementSecondary: "second AP ≥ {} dBm", "second AP ≥ {} dBm";
    RequirementCapacity: "capacity", "capacité";
    // The bill of materials.
    ItemAp: "WiFi 6 access point with mounting kit", "Point d'accès WiFi 6 avec kit de fixation";
    ItemLicence: "Management licence and support", "Licence de gestion et support";
    ItemCable: "Cat 6A cable, pulled", "Câble Cat 6A tiré";
    ItemDrop: "Drop: sockets, patch leads, test", "Prise : connecteurs, cordons, recette";
    ItemPoe: "PoE+ switch port", "Port de commutateur PoE+";
    ItemLabour: "Installation labour per AP", "Pose par point d'accès";
    ItemSurvey: "Site survey incl. asbestos survey", "Relevé sur site, repérage amiante compris";
    ItemProject: "Project management and acceptance", "Conduite de projet et réception";
    ItemCloset: "Closet and core works", "Travaux de baie et de cœur de réseau";
    UnitPiece: "pc", "u";
    UnitMetre: "m", "m";
    UnitSite: "site", "site";
    // Heatmaps.
    HeatmapTitle: "{} — building {}, floor {} — {}", "{} — bâtiment {}, niveau {} — {}";
    HeatmapSubtitle: "{} band, {} MHz channels, {} APs in all ({} here); cell {} m, {} reflections per path",
        "bande {}, canaux de {} MHz, {} AP en tout ({} ici) ; maille {} m, {} réflexions par trajet";
    MetricRssi: "Best-server RSSI", "RSSI du meilleur serveur";
    MetricSecondary: "Second-best RSSI", "RSSI du second serveur";
    MetricSnr: "SNR", "SNR";
    MetricSinr: "SINR (co-channel APs)", "SINR (AP sur le même canal)";
    MetricRate: "802.11ax data rate (2×2 client)", "Débit 802.11ax (client 2×2)";
    MetricChannel: "Serving channel", "Canal du serveur";
    MetricApCount: "APs heard ≥ −75 dBm", "AP entendus ≥ −75 dBm";
    MetricCoChannel: "Co-channel APs ≥ −82 dBm", "AP du même canal ≥ −82 dBm";
    ChannelN: "channel {}", "canal {}";
    RateScale: "{}\n{} MHz channels [Mbit/s]", "{}\ncanaux de {} MHz [Mbit/s]";
    NoLink: "{} (0: no link)", "{} (0 : pas de liaison)";
    NoSignal: "none / no signal", "aucun / pas de signal";
    FiveOrMore: "5 or more", "5 ou plus";
    NoneCount: "none", "aucun";
    AllValues: "all", "toutes";
    LabelsLeftOut: "labels left out for want of room", "étiquettes omises faute de place";
    PreviewTitle: "{} — imported plan, building {}, floor {}", "{} — plan importé, bâtiment {}, niveau {}";
    PreviewSubtitle: "{} walls, {} rooms, {} wiring closets; check the scale bar and the walls before simulating",
        "{} murs, {} locaux, {} locaux techniques (baies) ; vérifier l'échelle et les murs avant de simuler";
    RoomsByKind: "Rooms", "Locaux";
    WiringCloset: "Wiring closet", "Local technique (baie)";
    OutsideRooms: "outside the rooms", "hors des salles";
    Walls: "Walls", "Murs";
    WallConcrete: "concrete, stone", "béton, pierre";
    WallBrick: "brick", "brique";
    WallPlaster: "plasterboard, wood", "plaque de plâtre, bois";
    WallGlass: "glass", "verre";
    WallMetal: "metal", "métal";
    WallOther: "other", "autre";
    ApChannel: "AP · channel", "AP · canal";
    // Room kinds (English: the plan format's names).
    KindClassroom: "Classroom", "Salle de classe";
    KindLab: "Lab", "Laboratoire";
    KindWorkshop: "Workshop", "Atelier";
    KindLibrary: "Library", "CDI";
    KindOffice: "Office", "Bureau";
    KindCorridor: "Corridor", "Circulation";
    KindStair: "Stair", "Escalier";
    KindHall: "Hall", "Hall";
    KindCanteen: "Canteen", "Restauration";
    KindGym: "Gym", "Gymnase";
    KindDormitory: "Dormitory", "Internat";
    KindTechnical: "Technical", "Local technique";
    KindOutdoor: "Outdoor", "Extérieur couvert";
    // The region's charts.
    GanttTitle: "Installation windows per département — {} sites, {} APs",
        "Fenêtres d'installation par département — {} sites, {} AP";
    GanttBar: "{} APs", "{} AP";
    MapTitle: "{} lycées by installation wave", "{} lycées par vague d'installation";
    MapNote: "disc area ∝ pupils; hollow: position approximated (département centre); equirectangular projection at {}° N; outlines: IGN Admin Express COG 2018",
        "surface des disques ∝ élèves ; creux : position approchée (centre du département) ; projection équirectangulaire à {}° N ; contours : IGN Admin Express COG 2018";
    Unscheduled: "unscheduled", "non planifié";
    BurndownTitle: "Budget burn-down — {} spent of {}", "Consommation du budget — {} engagés sur {}";
    BudgetLeftMeur: "budget left [M€]", "budget restant [M€]";
    BudgetLeft: "budget left", "budget restant";
    // The region commands' summaries.
    BatchSummary: "planned {} of {} sites: {} APs, {}; coverage of teaching rooms and offices mean {} % (min {} %)",
        "{} sites planifiés sur {} : {} AP, {} ; couverture des salles d'enseignement et bureaux : moyenne {} % (min {} %)";
    BatchTimings: "{} sites planned, {} resumed, {} priced again, in {} s (summed over sites: {}); buildings placed {}, identical to one placed before {} ({} %)",
        "{} sites planifiés, {} repris, {} rechiffrés, en {} s (cumul sur les sites : {}) ; bâtiments placés {}, identiques à un bâtiment déjà placé {} ({} %)";
    Wrote: "wrote {}", "écrit : {}";
    WavesSummary: "scheduled {} of {} sites, {} APs, {} of {} budget; {} pupil-weeks, gap {} % ({}, {} s)",
        "{} sites planifiés sur {}, {} AP, {} sur un budget de {} ; {} semaines-élèves, écart {} % ({}, {} s)";
    WaveLineSites: "sites", "sites";
    WaveLineAps: "APs", "AP";
    WavesWrote: "wrote {}, waves.json, sites.geojson, gantt.png, map.png, burndown.png",
        "écrit : {}, waves.json, sites.geojson, gantt.png, map.png, burndown.png";
    RolloutScheduling: "scheduling the planned sites into the waves…", "ordonnancement des sites planifiés en vagues…";
    RolloutTimes: "rollout in {} s: planning the sites {} s (summed over sites: placement {} s, simulation {} s, heatmaps and reports {} s), scheduling {} s, charts {} s",
        "déploiement en {} s : planification des sites {} s (cumul sur les sites : placement {} s, simulation {} s, cartes et rapports {} s), ordonnancement {} s, graphiques {} s";
}

/// French month abbreviations, January first.
const MOIS: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];

impl Msg {
    /// This message in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (en, fr) = self.texts();
        match lang {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

impl Lang {
    /// The code, as HTML's `lang` attribute wants it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// `msg` in this language.
    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }

    /// `msg` with each `{}` replaced by the next of `args`.
    pub fn fill(self, msg: Msg, args: &[&dyn std::fmt::Display]) -> String {
        let mut parts = msg.text(self).split("{}");
        let mut out = parts.next().unwrap_or_default().to_string();
        let mut args = args.iter();
        for part in parts {
            if let Some(a) = args.next() {
                out.push_str(&a.to_string());
            }
            out.push_str(part);
        }
        out
    }

    /// `v` with `decimals` decimals. French groups thousands with a narrow no-break
    /// space and writes the decimal comma (`1 234,5`); English writes `1234.5`. The
    /// minus sign is the typographic "−" in both.
    pub fn number(self, v: f64, decimals: usize) -> String {
        let s = format!("{:.*}", decimals, v.abs());
        let negative = v < 0.0 && s.bytes().any(|c| c.is_ascii_digit() && c != b'0');
        let body = match self {
            Lang::En => s,
            Lang::Fr => {
                let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
                let mut grouped = String::new();
                for (i, c) in int.chars().enumerate() {
                    if i > 0 && (int.len() - i).is_multiple_of(3) {
                        grouped.push(THIN);
                    }
                    grouped.push(c);
                }
                match frac {
                    Some(f) => format!("{grouped},{f}"),
                    None => grouped,
                }
            }
        };
        if negative { format!("−{body}") } else { body }
    }

    /// A number already written with a decimal point (`1814.8`), with this language's
    /// decimal mark (`1814,8`), digits as they are.
    pub fn decimal_mark(self, plain: String) -> String {
        match self {
            Lang::En => plain,
            Lang::Fr => plain.replace('.', ","),
        }
    }

    /// Millions of euros to two decimals: `6,20 M€` / `6.20 M€`.
    pub fn million_euros(self, eur: f64) -> String {
        format!("{} M€", self.number(eur / 1e6, 2))
    }

    /// The name of a room kind.
    pub fn room_kind(self, kind: crate::plan::RoomKind) -> &'static str {
        use crate::plan::RoomKind as K;
        self.t(match kind {
            K::Classroom => Msg::KindClassroom,
            K::Lab => Msg::KindLab,
            K::Workshop => Msg::KindWorkshop,
            K::Library => Msg::KindLibrary,
            K::Office => Msg::KindOffice,
            K::Corridor => Msg::KindCorridor,
            K::Stair => Msg::KindStair,
            K::Hall => Msg::KindHall,
            K::Canteen => Msg::KindCanteen,
            K::Gym => Msg::KindGym,
            K::Dormitory => Msg::KindDormitory,
            K::Technical => Msg::KindTechnical,
            K::Outdoor => Msg::KindOutdoor,
        })
    }

    /// A month and year, e.g. `juil. 2021` / `Jul 2021`.
    pub fn month(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        match self {
            Lang::En => date.format("%b %Y").to_string(),
            Lang::Fr => format!("{} {}", MOIS[date.month0() as usize], date.year()),
        }
    }

    /// A day, month and year, e.g. `6 juil. 2021` / `6 Jul 2021`.
    pub fn day(self, date: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        format!("{} {}", date.day(), self.month(date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_exists_in_both_languages_with_the_same_blanks() {
        for &m in Msg::ALL {
            let (en, fr) = m.texts();
            assert!(!en.trim().is_empty() && !fr.trim().is_empty(), "{m:?}");
            assert_eq!(en.matches("{}").count(), fr.matches("{}").count(), "{m:?}: {en} / {fr}");
        }
    }

    #[test]
    fn french_numbers_group_thousands_and_write_the_decimal_comma() {
        let table: [(f64, usize, &str, &str); 8] = [
            (1234.5, 1, "1\u{202f}234,5", "1234.5"),
            (6_200_000.0, 0, "6\u{202f}200\u{202f}000", "6200000"),
            (999.0, 0, "999", "999"),
            (1000.0, 0, "1\u{202f}000", "1000"),
            (0.25, 2, "0,25", "0.25"),
            (-67.0, 0, "−67", "−67"),
            (-0.04, 1, "0,0", "0.0"),
            (99.98, 2, "99,98", "99.98"),
        ];
        for (v, d, fr, en) in table {
            assert_eq!(Lang::Fr.number(v, d), fr, "{v}");
            assert_eq!(Lang::En.number(v, d), en, "{v}");
        }
        assert_eq!(Lang::Fr.million_euros(6_197_000.0), "6,20 M€");
        assert_eq!(Lang::En.million_euros(5_897_633.0), "5.90 M€");
        let d = chrono::NaiveDate::from_ymd_opt(2021, 7, 6).unwrap();
        assert_eq!((Lang::Fr.month(d), Lang::Fr.day(d)), ("juil. 2021".to_string(), "6 juil. 2021".to_string()));
        assert_eq!(Lang::En.month(d), "Jul 2021");
    }

    #[test]
    fn fill_puts_the_arguments_in_order() {
        assert_eq!(Lang::Fr.fill(Msg::FigureCaption, &[&"A", &"R+1", &"RSSI"]), "Bâtiment A, niveau R+1 — RSSI");
        assert_eq!(Lang::En.fill(Msg::MadeBy, &[&"0.1.0"]), "Made by wifiplan 0.1.0.");
    }
}
