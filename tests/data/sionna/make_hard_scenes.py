#!/usr/bin/env python3
"""Writes the hard scenes of the energy-termination validation (issue 12) as Sionna scene
JSON (the format of ../shared/peers/sionna/make_scenes.py), plain python:

- metal_room:   a 10 x 8 m classroom beside a 6 x 8 m metal-clad room (2 mm steel) with a
                wooden door between them; concrete façade, floor and ceiling; AP in the
                classroom, 2 m from the metal wall.
- tall_hall:    a 30 x 20 m sports hall 9 m high: concrete walls with a glazed band from
                6 to 8 m on the long sides, concrete floor and roof slab; AP at 4 m.
- two_storeys:  three classrooms along a corridor on two storeys (walls 0-6 m, a 0.25 m
                concrete slab at 3 m); AP on the ground floor, receivers on the upper one.

Run: python3 make_hard_scenes.py   (writes scenes/<name>.json beside this file)
Convert: python3 ../shared/peers/sionna/to_wifiplan.py scenes/<name>.json --out .

metal_room.reference.csv: Sionna RT 2.2 at depth 12 and 1e9 rays, seeds 1 and 2 averaged in
linear power (2,025 s each on 2 cores; the seeds differ by 0.92 dB mean |Δ| per cell),
through extract.py, less the cells in the 0.2 m gap between the cladding and the façade:
    radiomap.py scenes/metal_room.json --out S1 --samples-per-tx 1e9 --max-depth 12 --seed 1

tall_hall.reference.csv: Sionna RT 2.2 at depth 12, seeds 1 and 2 of 5e8 rays each, run side
by side (2,644 s each on the 2 cores), averaged in linear power (the seeds differ by 0.37 dB
mean |Δ| per cell), through extract.py:
    radiomap.py scenes/tall_hall.json --out S1 --samples-per-tx 5e8 --max-depth 12 --seed 1

two_storeys.reference.csv: Sionna RT 2.2 at depth 12, seeds 1 and 2 of 5e8 rays each, one
after the other (542 s each on the 2 cores), averaged in linear power (the seeds differ by
3.97 dB mean |Δ| per cell: the side rooms and the corridor upstairs are reached through the
slab at grazing incidence), and a third run with --no-reflection (seed 3, 57 s); extract.py
leaves out the 799 cells where the run without reflections is above the deep map and the
1,150 whose standard error exceeds 1 dB:
    radiomap.py scenes/two_storeys.json --out S1 --samples-per-tx 5e8 --max-depth 12 --seed 1
    radiomap.py scenes/two_storeys.json --out NOREF --samples-per-tx 5e8 --max-depth 12 --seed 3 --no-reflection
    extract.py AVG --exclude-above NOREF --seeds S1 S2 --max-standard-error 1
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
F = 5.5e9


def w(x1, y1, x2, y2, mat, t, z0=None, z1=None):
    d = {"x1": x1, "y1": y1, "x2": x2, "y2": y2, "material": mat, "thickness": t}
    if z0 is not None:
        d["z0"], d["z1"] = z0, z1
    return d


def metal_room():
    walls = [
        w(0, 0, 16, 0, "concrete", 0.3), w(16, 0, 16, 8, "concrete", 0.3),
        w(16, 8, 0, 8, "concrete", 0.3), w(0, 8, 0, 0, "concrete", 0.3),
        # metal cladding between classroom (x < 10) and the metal room, door 1 m wide
        w(10, 0, 10, 3.5, "metal", 0.002), w(10, 3.5, 10, 4.5, "wood", 0.04),
        w(10, 4.5, 10, 8, "metal", 0.002),
        # the metal room's own cladding inside its concrete façade
        w(10, 0.2, 16, 0.2, "metal", 0.002), w(16, 0.2, 16, 7.8, "metal", 0.002) | {"x1": 15.8, "x2": 15.8},
        w(10, 7.8, 16, 7.8, "metal", 0.002),
    ]
    return {
        "description": "classroom beside a metal-clad room with a wooden door; concrete shell",
        "frequency_hz": F, "wall_height": 3.0, "wall_thickness": 0.3, "walls": walls,
        "transmitters": [{"name": "ap1", "x": 8.0, "y": 5.0, "z": 2.6, "power_dbm": 20.0}],
        "grid": {"xmin": -1.0, "ymin": -1.0, "xmax": 17.0, "ymax": 9.0, "cell_size": 0.25, "rx_height": 1.2},
        "floor": {"material": "concrete", "thickness": 0.2, "z": 0.0},
        "ceiling": {"material": "concrete", "thickness": 0.2, "z": 3.0},
    }


def tall_hall():
    H = 9.0
    walls = []
    for (x1, y1, x2, y2) in ((0, 0, 30, 0), (30, 20, 0, 20)):
        walls += [w(x1, y1, x2, y2, "concrete", 0.25, 0.0, 6.0), w(x1, y1, x2, y2, "glass", 0.012, 6.0, 8.0),
                  w(x1, y1, x2, y2, "concrete", 0.25, 8.0, H)]
    walls += [w(30, 0, 30, 20, "concrete", 0.25, 0.0, H), w(0, 20, 0, 0, "concrete", 0.25, 0.0, H)]
    return {
        "description": "sports hall 30 x 20 x 9 m, glazed band 6-8 m on the long sides",
        "frequency_hz": F, "wall_height": H, "wall_thickness": 0.25, "walls": walls,
        "transmitters": [{"name": "ap1", "x": 1.0, "y": 10.0, "z": 4.0, "power_dbm": 20.0},
                         {"name": "ap2", "x": 22.0, "y": 19.0, "z": 4.0, "power_dbm": 20.0}],
        "grid": {"xmin": -1.0, "ymin": -1.0, "xmax": 31.0, "ymax": 21.0, "cell_size": 0.25, "rx_height": 1.2},
        "floor": {"material": "concrete", "thickness": 0.2, "z": 0.0},
        "ceiling": {"material": "concrete", "thickness": 0.2, "z": H},
    }


def two_storeys():
    H = 6.0
    walls = [w(0, 0, 24, 0, "concrete", 0.3, 0, H), w(24, 0, 24, 10, "concrete", 0.3, 0, H),
             w(24, 10, 0, 10, "concrete", 0.3, 0, H), w(0, 10, 0, 0, "concrete", 0.3, 0, H)]
    for x in (8.0, 16.0):
        walls.append(w(x, 0, x, 7, "brick", 0.2, 0, H))
    walls += [w(0, 7, 3, 7, "brick", 0.2, 0, H), w(3, 7, 4, 7, "wood", 0.04, 0, H), w(4, 7, 11, 7, "brick", 0.2, 0, H),
              w(11, 7, 12, 7, "wood", 0.04, 0, H), w(12, 7, 19, 7, "brick", 0.2, 0, H),
              w(19, 7, 20, 7, "wood", 0.04, 0, H), w(20, 7, 24, 7, "brick", 0.2, 0, H)]
    return {
        "description": "three classrooms and a corridor on two storeys, AP downstairs, receivers upstairs",
        "frequency_hz": F, "wall_height": H, "wall_thickness": 0.3, "walls": walls,
        "transmitters": [{"name": "ap1", "x": 12.0, "y": 3.5, "z": 2.6, "power_dbm": 20.0}],
        "grid": {"xmin": -1.0, "ymin": -1.0, "xmax": 25.0, "ymax": 11.0, "cell_size": 0.25, "rx_height": 4.2},
        "floor": {"material": "concrete", "thickness": 0.25, "z": 0.0},
        "ceiling": {"material": "concrete", "thickness": 0.25, "z": 3.0},
    }


if __name__ == "__main__":
    os.makedirs(os.path.join(HERE, "scenes"), exist_ok=True)
    for name, sc in (("metal_room", metal_room()), ("tall_hall", tall_hall()), ("two_storeys", two_storeys())):
        with open(os.path.join(HERE, "scenes", name + ".json"), "w") as fh:
            json.dump(sc, fh, indent=1)
        print(name, len(sc["walls"]), "walls")
