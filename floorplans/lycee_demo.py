#!/usr/bin/env python3
"""Writes floorplans/lycee-demo.ron, the reference lycée site, and with --aps its 50
access points, floorplans/lycee-demo.aps.ron (pure Python, no packages).

    python3 floorplans/lycee_demo.py > floorplans/lycee-demo.ron
    python3 floorplans/lycee_demo.py --aps > floorplans/lycee-demo.aps.ron

Building A (60 x 16 m, 3 storeys of 3.5 m): a central corridor (y 7-9 m) between two rows
of six 8 x 7 m bays; concrete stair cores at both ends of the south row, toilets and a
concrete lift core on the north row, a wiring closet per floor. Concrete facades (0.30 m)
with double-glazed windows, brick corridor walls (0.20 m) with wooden doors, plasterboard
partitions (two 12.5 mm boards: 0.025 m of board), 0.25 m concrete slabs and roof.
RDC: entrance hall, offices, staff room and CDI; R+1: classrooms; R+2: three science labs.
Building B: a 32 x 20 m gym, rotated 25 degrees and offset on the same site, with a
metal-deck roof, high windows and a single-storey annex of partial-height walls.
"""

GLASS = 'material: "glass", thickness: 0.008'
WOOD = 'material: "wood", thickness: 0.04'


def f(x):
    return repr(float(x))


def wall(x0, y0, x1, y1, material, t, openings=(), extra=""):
    ops = ""
    if len(openings) == 1:
        ops = ",\n                             openings: [" + openings[0] + "]"
    elif openings:
        pad = "\n" + " " * 33
        ops = ",\n                             openings: [" + "".join(pad + o + "," for o in openings) + "\n" + " " * 29 + "]"
    return (f"Wall(from: ({f(x0)}, {f(y0)}), to: ({f(x1)}, {f(y1)}), material: \"{material}\", "
            f"thickness: {t}{extra}{ops})")


def door(offset, width=0.9, material=WOOD):
    return f"Opening(kind: Door, offset: {f(offset)}, width: {f(width)}, {material})"


def window(offset, width, bottom=0.9, top=2.5):
    return f"Opening(kind: Window, offset: {f(offset)}, width: {f(width)}, {GLASS}, bottom: {bottom}, top: {top})"


def room(name, kind, x0, y0, x1, y1, occupants=0, closet=False):
    extra = ", closet: true" if closet else ""
    return (f"Room(name: \"{name}\", kind: {kind}, occupants: {occupants}, "
            f"outline: [({f(x0)}, {f(y0)}), ({f(x1)}, {f(y0)}), ({f(x1)}, {f(y1)}), ({f(x0)}, {f(y1)})]{extra})")


BAYS = [4 + 8 * i for i in range(6)]  # west edge of each 8 m bay, x 4..52


def teaching_floor(level):
    """Rooms and walls of building A's storey `level` (0 = RDC)."""
    n = level * 100
    south = []  # (name, kind, x0, x1, occupants)
    north = []
    if level == 0:
        south = [("CDI", "Library", 4, 20, 40)] + [(f"A{n + i}", "Classroom", BAYS[i], BAYS[i] + 8, 35) for i in range(2, 6)]
        north = [("Hall", "Hall", 4, 12, 30), ("Vie scolaire", "Office", 12, 16, 3), ("Direction", "Office", 16, 20, 3),
                 ("Salle des professeurs", "Office", 20, 28, 25)] + \
                [(f"A{n + 10 + i}", "Classroom", BAYS[i], BAYS[i] + 8, 35) for i in range(3, 6)]
    elif level == 1:
        south = [(f"A{n + i}", "Classroom", BAYS[i], BAYS[i] + 8, 35) for i in range(6)]
        north = [(f"A{n + 10 + i}", "Classroom", BAYS[i], BAYS[i] + 8, 35) for i in range(6)]
    else:
        south = [(f"Labo {i + 1}", "Lab", BAYS[i], BAYS[i] + 8, 30) for i in range(3)] + \
                [("Préparation", "Office", 28, 36, 4)] + \
                [(f"A{n + i}", "Classroom", BAYS[i], BAYS[i] + 8, 35) for i in range(4, 6)]
        north = [(f"A{n + 10 + i}", "Classroom", BAYS[i], BAYS[i] + 8, 35) for i in range(6)]

    rooms = []
    walls = []
    # Facades: windows in every bay (two per 8 m), one per stair and at the corridor ends.
    south_windows = [window(1.4, 1.2), window(53.4, 1.2)] + [w for x in BAYS for w in (window(x + 1.0, 2.4), window(x + 4.6, 2.4))]
    north_windows = [window(1.4, 1.2)] + [w for x in BAYS for w in (window(x + 1.0, 2.4), window(x + 4.6, 2.4))] + [window(57.4, 1.2)]
    walls.append(wall(0, 0, 60, 0, "concrete", 0.3, sorted(south_windows, key=lambda s: float(s.split("offset: ")[1].split(",")[0]))))
    walls.append(wall(0, 16, 60, 16, "concrete", 0.3, sorted(north_windows, key=lambda s: float(s.split("offset: ")[1].split(",")[0]))))
    walls.append(wall(0, 0, 0, 16, "concrete", 0.3, [window(7.2, 1.6)]))
    walls.append(wall(60, 0, 60, 16, "concrete", 0.3, [window(7.2, 1.6)]))

    # Corridor walls: brick with a door per room; the stair and lift cores are concrete.
    s_doors = [door(x0 - 4 + 1.0) for (_, _, x0, _, _) in south]
    if level == 0:
        s_doors.append(door(13.0 - 4))  # second CDI door
    walls.append(wall(0, 7, 4, 7, "concrete", 0.2, [door(1.3, 1.4)]))
    walls.append(wall(4, 7, 52, 7, "brick", 0.2, sorted(s_doors, key=lambda s: float(s.split("offset: ")[1].split(",")[0]))))
    walls.append(wall(52, 7, 56, 7, "concrete", 0.2, [door(1.3, 1.4)]))
    walls.append(wall(56, 7, 60, 7, "brick", 0.2, [door(1.5)]))
    n_openings = []
    for (name, kind, x0, _, _) in north:
        if kind == "Hall":
            n_openings.append(f"Opening(kind: Opening, offset: {f(x0 - 4 + 3.0)}, width: 2.0, top: 2.5)")
        else:
            n_openings.append(door(x0 - 4 + 1.0))
    walls.append(wall(0, 9, 4, 9, "brick", 0.2, [door(1.5)]))
    walls.append(wall(4, 9, 52, 9, "brick", 0.2, n_openings))
    walls.append(wall(52, 9, 56, 9, "concrete", 0.2, [door(0.6, 1.1, 'material: "steel_door", thickness: 0.05')]))
    walls.append(wall(56, 9, 60, 9, "brick", 0.2, [door(1.5)]))

    # Cross walls: stair and lift cores in concrete, toilets in brick, partitions in plasterboard.
    walls += [wall(4, 0, 4, 7, "concrete", 0.2), wall(52, 0, 52, 7, "concrete", 0.2), wall(56, 0, 56, 7, "concrete", 0.2),
              wall(56, 3.5, 60, 3.5, "brick", 0.2, [door(1.5)]),
              wall(4, 9, 4, 16, "brick", 0.2), wall(52, 9, 52, 16, "concrete", 0.2), wall(56, 9, 56, 16, "concrete", 0.2)]
    for row, y0, y1 in ((south, 0, 7), (north, 9, 16)):
        for (_, _, x0, _, _) in row[1:]:
            walls.append(wall(x0, y0, x0, y1, "plasterboard", 0.025))

    for row, y0, y1 in ((south, 0, 7), (north, 9, 16)):
        for (name, kind, x0, x1, occ) in row:
            rooms.append(room(name, kind, x0, y0, x1, y1, occ))
    tag = ["0", "1", "2"][level]
    rooms += [room(f"Escalier Ouest {tag}", "Stair", 0, 0, 4, 7), room(f"Escalier Est {tag}", "Stair", 52, 0, 56, 7),
              room(f"Local VDI {tag}", "Technical", 56, 3.5, 60, 7, closet=True), room(f"Réserve {tag}", "Technical", 56, 0, 60, 3.5),
              room(f"Sanitaires Ouest {tag}", "Technical", 0, 9, 4, 16), room(f"Ascenseur {tag}", "Technical", 52, 9, 56, 16),
              room(f"Sanitaires Est {tag}", "Technical", 56, 9, 60, 16), room(f"Circulation {tag}", "Corridor", 0, 7, 60, 9)]
    return walls, rooms


def floor(name, elevation, height, slab, walls, rooms, indent):
    pad = " " * indent
    out = [f"{pad}Floor(",
           f"{pad}    name: \"{name}\", elevation: {elevation}, height: {height},",
           f"{pad}    slab: {slab},",
           f"{pad}    walls: ["]
    out += [f"{pad}        {w}," for w in walls]
    out += [f"{pad}    ],", f"{pad}    rooms: ["]
    out += [f"{pad}        {r}," for r in rooms]
    out += [f"{pad}    ],", f"{pad}),"]
    return out


def gym():
    walls = [
        wall(0, 0, 32, 0, "concrete", 0.25, [window(2.0 + 5.0 * i, 3.0, 4.5, 6.5) for i in range(4)] + [door(25.0, 1.4, WOOD)]),
        wall(32, 0, 32, 20, "concrete", 0.25, [door(9.0, 1.4, WOOD)]),
        wall(32, 20, 0, 20, "concrete", 0.25, [window(10.0 + 5.0 * i, 3.0, 4.5, 6.5) for i in range(4)]),
        wall(0, 20, 0, 0, "concrete", 0.25, [door(9.0, 2.0, 'material: "steel_door", thickness: 0.05', )]),
        wall(24, 0, 24, 20, "brick", 0.2, [door(3.0), door(9.5), door(15.0)]),
        wall(24, 8, 32, 8, "brick", 0.2, [door(1.0)], extra=", top: 3.0"),
        wall(24, 12, 32, 12, "brick", 0.2, [door(1.0)], extra=", top: 3.0"),
        wall(29, 8, 29, 12, "plasterboard", 0.025, [door(1.5)], extra=", top: 3.0"),
    ]
    rooms = [room("Salle de sport", "Gym", 0, 0, 24, 20, 35), room("Vestiaire 1", "Technical", 24, 0, 32, 8),
             room("Bureau EPS", "Office", 24, 8, 29, 12, 2), room("Local VDI G", "Technical", 29, 8, 32, 12, closet=True),
             room("Vestiaire 2", "Technical", 24, 12, 32, 20)]
    return walls, rooms


def access_points():
    """A hand-made 50-AP layout: one AP per classroom and lab, two in the CDI, one per staff
    room, office pair and hall, three per corridor, four in the gym; 14 dBm on channels
    36-48 in turn, 0.5 m below the ceiling."""
    aps = []
    for level, fname in enumerate(["RDC", "R+1", "R+2"]):
        _, rooms = teaching_floor(level)
        for r in rooms:
            name = r.split('name: "')[1].split('"')[0]
            kind = r.split("kind: ")[1].split(",")[0]
            pts = r.split("outline: [")[1].split("]")[0]
            xs = [float(p.split(",")[0].strip(" (")) for p in pts.split("), ")]
            ys = [float(p.split(",")[1].strip(" )")) for p in pts.split("), ")]
            cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
            if kind in ("Classroom", "Lab", "Hall") or name in ("Salle des professeurs", "Préparation", "Direction"):
                aps.append((name, "A", fname, cx, cy, 3.0))
            elif kind == "Library":
                aps += [(f"{name} 1", "A", fname, cx - 4, cy, 3.0), (f"{name} 2", "A", fname, cx + 4, cy, 3.0)]
            elif kind == "Corridor":
                aps += [(f"Circulation {level} {k + 1}", "A", fname, x, cy, 3.0) for k, x in enumerate((10.0, 30.0, 50.0))]
    aps += [(f"Gymnase {k + 1}", "B", "RDC", x, y, 6.5) for k, (x, y) in enumerate(((6, 5), (18, 5), (6, 15), (18, 15)))]
    aps.append(("Bureau EPS", "B", "RDC", 26.5, 10.0, 2.5))
    print("// 50 access points for floorplans/lycee-demo.ron, written by floorplans/lycee_demo.py --aps.")
    print("AccessPoints([")
    for i, (name, b, fl, x, y, h) in enumerate(aps):
        ch = (36, 40, 44, 48)[i % 4]
        print(f'    AccessPoint(name: "{name}", building: "{b}", floor: "{fl}", position: ({f(x)}, {f(y)}), height: {h},')
        print(f"                radios: [Radio(band: G5, channel: {ch}, width_mhz: 20, tx_power_dbm: 14.0)],")
        print("                antenna: Isotropic(gain_dbi: 0.0)),")
    print("])")
    assert len(aps) == 50, len(aps)


def main():
    print("// Reference lycée site for wifiplan, written by floorplans/lycee_demo.py (edit that, not this).")
    print("// Building A: 3-storey teaching block, 60 x 16 m; building B: gym, 32 x 20 m, rotated 25 degrees.")
    print("Site(")
    print('    name: "Lycée de démonstration", uai: Some("0149999X"),')
    print("    buildings: [")
    print("        Building(")
    print('            name: "A", origin: (0.0, 0.0), rotation: 0.0, ground: 0.0,')
    print('            roof: Some(Slab(material: "concrete", thickness: 0.25)),')
    print("            floors: [")
    for level, name in enumerate(["RDC", "R+1", "R+2"]):
        walls, rooms = teaching_floor(level)
        print("\n".join(floor(name, 3.5 * level, 3.5, 'Some(Slab(material: "concrete", thickness: 0.25))', walls, rooms, 16)))
    print("            ],")
    print("        ),")
    print("        Building(")
    print('            name: "B", origin: (72.0, -14.0), rotation: 25.0, ground: -0.5,')
    print('            roof: Some(Slab(material: "metal", thickness: 0.00075)),')
    print("            floors: [")
    walls, rooms = gym()
    print("\n".join(floor("RDC", 0.0, 7.5, 'Some(Slab(material: "concrete", thickness: 0.2))', walls, rooms, 16)))
    print("            ],")
    print("        ),")
    print("    ],")
    print("    materials: {")
    print('        // Steel fire doors of the lift lobby and the gym: catalogue losses, not P.2040.')
    print('        "steel_door": FixedLoss(db: { "2.4": 20.0, "5": 25.0, "6": 26.0 }, reflection_db: -1.0),')
    print("    },")
    print(")")


if __name__ == "__main__":
    import sys
    access_points() if "--aps" in sys.argv else main()
