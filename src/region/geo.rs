//! The départements' outlines (`data/geo/departements-normandie.geojson`, IGN Admin
//! Express COG 2018 via `gregoiredavid/france-geojson`: see `data/SOURCE.md`), read from
//! the bundled GeoJSON: WGS 84 polygons with their holes, for the region map and for
//! checking that a lycée lies in its own département.

use crate::geometry::{KM_PER_DEGREE, P2, point_in_outline, segment_distance};
use serde::Deserialize;

/// The bundled outlines (GeoJSON, RFC 7946).
pub const BUNDLED_DEPARTEMENTS: &str = include_str!("../../data/geo/departements-normandie.geojson");

/// A polygon: its outer ring, then its holes; each ring (longitude, latitude) [°].
pub type Polygon = Vec<Vec<(f64, f64)>>;

/// One département.
#[derive(Debug, Clone, PartialEq)]
pub struct Departement {
    /// INSEE code, e.g. "14".
    pub code: String,
    /// Name, e.g. "Calvados" (as the site lists spell it).
    pub name: String,
    /// Its polygons (islands included).
    pub polygons: Vec<Polygon>,
}

#[derive(Deserialize)]
struct Collection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    properties: Properties,
    geometry: Geometry,
}

#[derive(Deserialize)]
struct Properties {
    code: String,
    nom: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
}

fn rings(polygon: Vec<Vec<[f64; 2]>>) -> Polygon {
    polygon.into_iter().map(|ring| ring.into_iter().map(|[x, y]| (x, y)).collect()).collect()
}

/// Parses a GeoJSON FeatureCollection of Polygon/MultiPolygon features with `code` and
/// `nom` properties.
pub fn parse(text: &str) -> Result<Vec<Departement>, serde_json::Error> {
    let c: Collection = serde_json::from_str(text)?;
    Ok(c.features
        .into_iter()
        .map(|f| Departement {
            code: f.properties.code,
            name: f.properties.nom,
            polygons: match f.geometry {
                Geometry::Polygon(p) => vec![rings(p)],
                Geometry::MultiPolygon(ps) => ps.into_iter().map(rings).collect(),
            },
        })
        .collect())
}

/// Normandy's five départements.
pub fn bundled() -> Vec<Departement> {
    parse(BUNDLED_DEPARTEMENTS).expect("the bundled outlines parse")
}

impl Departement {
    /// Whether (longitude, latitude) [°] lies inside: in an outer ring and in none of its
    /// holes.
    pub fn contains(&self, longitude: f64, latitude: f64) -> bool {
        let inside = |ring: &Vec<(f64, f64)>| point_in_outline(ring.len(), |i| ring[i], longitude, latitude);
        self.polygons.iter().any(|p| p.first().is_some_and(inside) && !p[1..].iter().any(inside))
    }

    /// Distance from (longitude, latitude) [°] to the nearest edge of the outline [km]
    /// (equirectangular at the point's latitude: ample for the few hundred metres it is
    /// used for).
    pub fn distance_to_edge_km(&self, longitude: f64, latitude: f64) -> f64 {
        let k = latitude.to_radians().cos();
        let km = |(x, y): (f64, f64)| P2::new(x * k * KM_PER_DEGREE, y * KM_PER_DEGREE);
        let p = km((longitude, latitude));
        self.polygons
            .iter()
            .flatten()
            .flat_map(|ring| ring.windows(2).map(|w| segment_distance(&km(w[0]), &km(w[1]), p.x, p.y)))
            .fold(f64::INFINITY, f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::SiteList;

    #[test]
    fn every_lycee_with_coordinates_lies_in_its_own_departement() {
        let deps = bundled();
        assert_eq!(deps.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["14", "27", "50", "61", "76"]);
        let list = SiteList::bundled();
        let coords = list.header.iter().position(|h| h == "coordinates").unwrap();
        let (mut checked, mut outside) = (0, 0);
        for r in list.rows.iter().filter(|r| r.fields[coords] == "exact") {
            let own = deps.iter().find(|d| d.name == r.departement).unwrap_or_else(|| panic!("{}", r.departement));
            // The outlines are simplified (Visvalingam, 25 %): a lycée on the border may
            // fall a little outside (Alençon's Navarre-Leclerc, 0.1 km from the Sarthe).
            let near = own.distance_to_edge_km(r.longitude, r.latitude);
            assert!(
                own.contains(r.longitude, r.latitude) || near < 0.25,
                "{} {} at {}, {}: {near:.2} km outside",
                r.uai,
                r.name,
                r.latitude,
                r.longitude
            );
            outside += usize::from(!own.contains(r.longitude, r.latitude));
            for other in deps.iter().filter(|d| d.name != r.departement) {
                assert!(!other.contains(r.longitude, r.latitude), "{} also in {}", r.uai, other.name);
            }
            checked += 1;
        }
        assert_eq!((checked, outside), (101, 1));
    }
}
