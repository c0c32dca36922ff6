#!/usr/bin/env python3
"""Builds the bundled region data from the shared open data (run from the repository root):

    python3 data/make_data.py ../shared/data

Writes data/lycees-normandie.csv, data/fixture-region.csv, data/vacances-zone-b.csv and
data/jours-feries.csv. Sources and licences: data/SOURCE.md.
"""
import csv
import datetime as dt
import os
import sys

SHARED = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
HERE = os.path.dirname(os.path.abspath(__file__))

# Approximate geographic centres of the five départements (used for the 28 lycées the
# open data gives no coordinates for; those rows say "approximated").
CENTROIDS = {"14": (49.09, -0.36), "27": (49.11, 1.00), "50": (49.08, -1.33), "61": (48.62, 0.13), "76": (49.66, 1.00)}
DEPARTEMENTS = {"14": "Calvados", "27": "Eure", "50": "Manche", "61": "Orne", "76": "Seine-Maritime"}
COLUMNS = ["uai", "name", "type", "commune", "departement", "pupils", "latitude", "longitude", "plan",
           "code_departement", "pupils_year", "coordinates"]


def lycees():
    path = os.path.join(SHARED, "normandie-lycees", "lycees_publics_normandie_merged.csv")
    out = []
    for r in csv.DictReader(open(path, encoding="utf-8")):
        kind = r["type"] if r["type"] in ("LEGT", "LPO", "LP", "EREA") else "LEGT"  # "experimental" → LEGT
        pupils, year = (r["eleves_prebac_2021"], "2021") if r["eleves_prebac_2021"] else (r["eleves_prebac_2022"], "2022")
        code = r["code_departement"].lstrip("0")
        if r["latitude"] and r["longitude"]:
            lat, lon, coords = float(r["latitude"]), float(r["longitude"]), "exact"
        else:
            (lat, lon), coords = CENTROIDS[code], "approximated"
        out.append({
            "uai": r["uai"], "name": r["nom"].title(), "type": kind, "commune": r["commune"].title(),
            "departement": DEPARTEMENTS[code], "pupils": int(float(pupils)), "latitude": f"{lat:.6f}",
            "longitude": f"{lon:.6f}", "plan": "", "code_departement": code, "pupils_year": year, "coordinates": coords,
        })
    out.sort(key=lambda r: r["uai"])
    return out


def write(name, rows):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def holidays():
    path = os.path.join(SHARED, "calendrier-scolaire-zone-b", "fr-en-calendrier-scolaire_zone-b_caen-rouen-normandie.csv")
    out = []
    for r in csv.DictReader(open(path, encoding="utf-8"), delimiter=";"):
        if r["annee_scolaire"] not in ("2020-2021", "2021-2022", "2022-2023", "2023-2024") or r["Population"] == "Enseignants":
            continue
        out.append((r["annee_scolaire"], r["Description"], r["Date de début"][:10], r["Date de fin"][:10]))
    out.sort(key=lambda x: x[2])
    with open(os.path.join(HERE, "vacances-zone-b.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["school_year", "description", "start", "end"])
        w.writerows(out)


def easter(year):
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def public_holidays():
    rows = []
    for y in range(2021, 2025):
        e = easter(y)
        rows += [(dt.date(y, 1, 1), "Jour de l'an"), (e + dt.timedelta(days=1), "Lundi de Pâques"), (dt.date(y, 5, 1), "Fête du Travail"),
                 (dt.date(y, 5, 8), "Victoire 1945"), (e + dt.timedelta(days=39), "Ascension"), (e + dt.timedelta(days=50), "Lundi de Pentecôte"),
                 (dt.date(y, 7, 14), "Fête nationale"), (dt.date(y, 8, 15), "Assomption"), (dt.date(y, 11, 1), "Toussaint"),
                 (dt.date(y, 11, 11), "Armistice 1918"), (dt.date(y, 12, 25), "Noël")]
    rows.sort()
    with open(os.path.join(HERE, "jours-feries.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["date", "name"])
        w.writerows((d.isoformat(), n) for d, n in rows)


if __name__ == "__main__":
    rows = lycees()
    write("lycees-normandie.csv", rows)
    # The test fixture: the smallest lycée of each type in each of four départements, 8 in all.
    picked = []
    for code in ("14", "50", "61", "76"):
        for kind in ("LEGT", "LP"):
            cands = sorted((r for r in rows if r["code_departement"] == code and r["type"] == kind and r["pupils"] >= 150), key=lambda r: (r["pupils"], r["uai"]))
            if cands:
                picked.append(cands[0])
    write("fixture-region.csv", sorted(picked, key=lambda r: r["uai"]))
    holidays()
    public_holidays()
