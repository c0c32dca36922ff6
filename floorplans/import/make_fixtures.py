#!/usr/bin/env python3
"""Writes the import fixtures with independent writers: DXF files with ezdxf, the plan
image with Pillow (neither is a dependency of wifiplan; install them only to rebuild):

    python3 -m venv /tmp/fx && /tmp/fx/bin/pip install ezdxf pillow
    /tmp/fx/bin/python floorplans/import/make_fixtures.py

- aile-sud.dxf: a teaching wing as an architect draws it (millimetres, $INSUNITS = 4):
  concrete façades and brick corridor walls as pairs of faces (LWPOLYLINE, LINE),
  plasterboard partitions as single lines (LINE, one old-style POLYLINE), a curved wall
  (LWPOLYLINE with a bulge, and an ARC), columns (CIRCLE), doors and windows as blocks
  (INSERT, rotated and scaled; the double door nests two door blocks), room outlines and
  labels (TEXT, MTEXT), and a dimension layer the config leaves out.
- aile-sud-binary.dxf: the same drawing as binary DXF.
- fm-export.dxf: a facility-management export (metres): room outlines and labels only.
- space-plan.dxf: an estates department's space plan (centimetres, $INSUNITS = 5): each
  room zone is the room's inner outline (LWPOLYLINE, and a block inserted twice), zones
  facing each other across walls 0.1-0.4 m thick, a corridor no zone covers, the façade's
  outer contour on its own layer, MTEXT labels with paragraph breaks, no wall layer.
  space-plan.ron is the same floor written by hand.
- plan-scan.png: a coloured plan image, 40 px per metre.
- fuzz-seed.png: a small plan image, the seed of the PNG fuzz runs.
"""
import os

import ezdxf
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
MM = 1000.0


def aile_sud():
    doc = ezdxf.new("R2013", setup=False)
    doc.header["$INSUNITS"] = 4  # millimetres
    msp = doc.modelspace()
    for name in ["A-MUR-BETON", "A-MUR-BRIQUE", "A-CLOISON", "A-PORTE", "A-FENETRE", "A-LOCAUX", "A-NOMS", "A-POTEAU", "A-COTATION"]:
        doc.layers.add(name)
    # Door: a 900 mm leaf and its swing, drawn on layer 0 so that it takes the insert's layer.
    door = doc.blocks.new(name="PORTE90", base_point=(0, 0))
    door.add_line((0, 0), (900, 0), dxfattribs={"layer": "0"})
    door.add_arc((0, 0), 900, 0, 90, dxfattribs={"layer": "0"})
    double = doc.blocks.new(name="PORTE-DOUBLE", base_point=(0, 0))
    double.add_blockref("PORTE90", (0, 0), dxfattribs={"layer": "0"})
    double.add_blockref("PORTE90", (1800, 0), dxfattribs={"layer": "0", "xscale": -1})
    window = doc.blocks.new(name="FEN", base_point=(0, 0))
    window.add_lwpolyline([(0, -50), (1000, -50), (1000, 50), (0, 50)], close=True, dxfattribs={"layer": "0"})

    L, D, C = 40 * MM, 7 * MM, 2 * MM  # wing length, room depth, corridor width
    W = 2 * D + C
    # Façades: outer and inner faces 300 mm apart.
    msp.add_lwpolyline([(0, 0), (L, 0), (L, W), (0, W)], close=True, dxfattribs={"layer": "A-MUR-BETON"})
    msp.add_lwpolyline([(300, 300), (L - 300, 300), (L - 300, W - 300), (300, W - 300)], close=True, dxfattribs={"layer": "A-MUR-BETON"})
    # Corridor walls: brick, two faces 200 mm apart, broken at the doors.
    doors_south = [2000, 10000, 18000, 26000]
    doors_north = [4000, 12000, 20000, 28000]
    for y, doors in ((D, doors_south), (D + C, doors_north)):
        x0 = 300
        for dx in doors + [L - 300]:
            for face in (y - 100, y + 100):
                msp.add_line((x0, face), (dx, face), dxfattribs={"layer": "A-MUR-BRIQUE"})
            x0 = dx + 1000 if dx < L - 300 else dx
        for dx in doors:
            msp.add_blockref("PORTE90", (dx + 50, y), dxfattribs={"layer": "A-PORTE", "xscale": 1.0, "yscale": 1.0})
    # The CDI takes a double door on the south corridor wall (two nested door blocks).
    msp.add_blockref("PORTE-DOUBLE", (33000, D), dxfattribs={"layer": "A-PORTE"})
    for face in (D - 100, D + 100):
        msp.add_line((31000, face), (33000, face), dxfattribs={"layer": "A-MUR-BRIQUE"})
    # Partitions: plasterboard centre lines every 8 m (one as an old-style POLYLINE).
    for x in (8000, 16000, 24000):
        msp.add_line((x, 300), (x, D - 100), dxfattribs={"layer": "A-CLOISON"})
        msp.add_line((x, D + C + 100), (x, W - 300), dxfattribs={"layer": "A-CLOISON"})
    msp.add_polyline2d([(32000, D + C + 100), (32000, W - 300)], dxfattribs={"layer": "A-CLOISON"})
    # A curved brick wall closing the CDI reading corner: a bulge and an arc.
    msp.add_lwpolyline([(36000, 300, 0, 0, 0.4142), (39700, 4000)], format="xyseb", dxfattribs={"layer": "A-MUR-BRIQUE"})
    msp.add_arc((36000, 4000), 3000, 270, 360, dxfattribs={"layer": "A-CLOISON"})
    # Columns in the CDI.
    for x in (28000, 34000):
        msp.add_circle((x, 3500), 200, dxfattribs={"layer": "A-POTEAU"})
    # Windows on the façade centre lines, rotated for the north side.
    for x in range(1500, 37000, 4000):
        msp.add_blockref("FEN", (x, 150), dxfattribs={"layer": "A-FENETRE", "xscale": 2.4})
        msp.add_blockref("FEN", (x + 2400, W - 150), dxfattribs={"layer": "A-FENETRE", "xscale": 2.4, "rotation": 180})
    # Rooms (outlines on the wall centre lines) and their labels.
    rooms = [
        ((150, 150, 8000, D), "TEXT", "Salle 101"),
        ((8000, 150, 16000, D), "MTEXT", "{\\fArial|b1;Salle 102}\\P35 places"),
        ((16000, 150, 24000, D), "TEXT", "TP Physique 24 places"),
        ((24000, 150, L - 150, D), "MTEXT", "CDI\\P40 places"),
        ((150, D + C, 8000, W - 150), "TEXT", "Salle 111"),
        ((8000, D + C, 16000, W - 150), "TEXT", "Salle 112 - 30 places"),
        ((16000, D + C, 24000, W - 150), "TEXT", "Salle des professeurs"),
        ((24000, D + C, 32000, W - 150), "TEXT", "Sanitaires"),
        ((32000, D + C, L - 150, W - 150), "TEXT", "Local VDI"),
        ((150, D, L - 150, D + C), "TEXT", "Circulation"),
    ]
    for (x0, y0, x1, y1), kind, text in rooms:
        msp.add_lwpolyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], close=True, dxfattribs={"layer": "A-LOCAUX"})
        at = ((x0 + x1) / 2, (y0 + y1) / 2)
        if kind == "TEXT":
            msp.add_text(text, dxfattribs={"layer": "A-NOMS", "height": 250, "insert": at})
        else:
            msp.add_mtext(text, dxfattribs={"layer": "A-NOMS", "char_height": 250, "insert": at})
    # Dimensions the config does not map.
    msp.add_line((0, -1500), (L, -1500), dxfattribs={"layer": "A-COTATION"})
    msp.add_text("40000", dxfattribs={"layer": "A-COTATION", "height": 250, "insert": (L / 2, -1300)})
    doc.saveas(os.path.join(HERE, "aile-sud.dxf"))
    doc.saveas(os.path.join(HERE, "aile-sud-binary.dxf"), fmt="bin")


def fm_export():
    doc = ezdxf.new("R2010", setup=False)
    doc.header["$INSUNITS"] = 6  # metres
    msp = doc.modelspace()
    doc.layers.add("LOCAUX")
    doc.layers.add("ETIQUETTES")
    rooms = [
        ((0, 0, 8, 7), "Salle 201"),
        ((8, 0, 16, 7), "Salle 202"),
        ((16, 0, 24, 7), "Labo SVT 24 places"),
        ((0, 7, 24, 9), "Circulation"),
        ((0, 9, 12, 16), "CDI 30 places"),
        ((12, 9, 20, 16), "Bureau"),
        ((20, 9, 24, 16), "Local VDI"),
    ]
    for (x0, y0, x1, y1), text in rooms:
        msp.add_lwpolyline([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], close=True, dxfattribs={"layer": "LOCAUX"})
        msp.add_mtext(text, dxfattribs={"layer": "ETIQUETTES", "char_height": 0.25, "insert": ((x0 + x1) / 2, (y0 + y1) / 2)})
    doc.saveas(os.path.join(HERE, "fm-export.dxf"))


def space_plan():
    doc = ezdxf.new("R2013", setup=False)
    doc.header["$INSUNITS"] = 5  # centimetres
    msp = doc.modelspace()
    for name in ["ZONES", "TEXTES", "CONTOUR"]:
        doc.layers.add(name)
    cm = 100.0

    def rect(x0, y0, x1, y1):
        return [(x0 * cm, y0 * cm), (x1 * cm, y0 * cm), (x1 * cm, y1 * cm), (x0 * cm, y1 * cm)]

    # The façade's outer face: 0.3 m of concrete around a 40 x 16 m floor.
    msp.add_lwpolyline(rect(0, 0, 40.6, 16.6), close=True, dxfattribs={"layer": "CONTOUR"})
    # Two offices drawn once as a block (on layer 0: they take the insert's layer).
    office = doc.blocks.new(name="BUREAU-TYPE", base_point=(0, 0))
    office.add_lwpolyline(rect(0, 0, 4, 7), close=True, dxfattribs={"layer": "0"})
    south = [  # y 0.3-7.3; gaps 0.1, 0.2, 0.4, 0.1, 0.1, 0.1 m
        ((0.3, 8.3), "A001\\PSalle TD\\P30/35 Places\\P56 m²"),
        ((8.4, 16.4), "A002 Salle TD 50/60 Places 56 m²"),
        ((16.6, 24.6), "A003\\PLabo physique\\P24 places"),
        ((25.0, 27.0), "A004\\PLocal courants faibles"),
        ((27.1, 31.1), "A005 Bureau"),
        ((31.2, 35.2), "A006 Bureau"),
        ((35.3, 40.3), "A007 Secrétariat"),
    ]
    north = [  # y 9.7-16.3, beyond a 2 m corridor between two 0.2 m walls
        ((0.3, 12.3), "B001 CDI\\P40 places"),
        ((12.5, 18.5), "B002 Salle de réunion"),
        ((18.6, 26.6), "B003 Salle TD 35 places"),
        ((26.7, 29.7), "B004 Salle serveurs"),
        ((29.9, 40.3), "B005 Amphi\\P90 places"),
    ]
    for (y0, y1), row in ((0.3, 7.3), south), ((9.7, 16.3), north):
        for (x0, x1), text in row:
            if text.endswith("Bureau"):
                msp.add_blockref("BUREAU-TYPE", (x0 * cm, y0 * cm), dxfattribs={"layer": "ZONES"})
            else:
                msp.add_lwpolyline(rect(x0, y0, x1, y1), close=True, dxfattribs={"layer": "ZONES"})
            at = ((x0 + x1) / 2 * cm, (y0 + y1) / 2 * cm)
            msp.add_mtext(text, dxfattribs={"layer": "TEXTES", "char_height": 20, "insert": at})
    doc.saveas(os.path.join(HERE, "space-plan.dxf"))


def plan_scan():
    ppm = 40
    img = Image.new("RGB", (25 * ppm, 12 * ppm + 40), "white")
    d = ImageDraw.Draw(img)
    black, grey, red, blue = (0, 0, 0), (96, 96, 96), (220, 30, 30), (40, 80, 220)
    x0, y0, x1, y1 = 20, 20, 20 + 24 * ppm, 20 + 12 * ppm
    for a, b in (((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))):
        d.line([a, b], fill=black, width=12)
    # Two partitions, each with a door.
    for x in (x0 + 8 * ppm, x0 + 16 * ppm):
        d.line([(x, y0), (x, y1)], fill=grey, width=5)
        d.rectangle([x - 2, y0 + 5 * ppm, x + 2, y0 + 5 * ppm + 36], fill=red)
    # Windows on the south façade.
    for k in range(3):
        xs = x0 + (k * 8 + 3) * ppm
        d.rectangle([xs, y1 - 7, xs + 2 * ppm, y1 + 7], fill=blue)
    # A scanned annotation in green, which the legend does not know.
    d.rectangle([30, y1 + 10, 130, y1 + 16], fill=(30, 160, 40))
    img.save(os.path.join(HERE, "plan-scan.png"))


def fuzz_seed():
    """A small plan image (12 × 8 m at 8 px per metre) for the fuzz runs."""
    img = Image.new("RGB", (100, 70), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([2, 2, 97, 67], outline=(0, 0, 0), width=3)
    d.line([(50, 2), (50, 67)], fill=(96, 96, 96), width=2)
    d.rectangle([49, 30, 51, 37], fill=(220, 30, 30))
    d.rectangle([20, 66, 36, 68], fill=(40, 80, 220))
    img.save(os.path.join(HERE, "fuzz-seed.png"))


if __name__ == "__main__":
    aile_sud()
    fm_export()
    space_plan()
    plan_scan()
    fuzz_seed()
