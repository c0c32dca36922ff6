#!/usr/bin/env python3
"""Writes the IFC import fixture with IfcOpenShell, an independent IFC writer (not a
dependency of wifiplan; install it only to rebuild):

    python3 -m venv /tmp/fx && /tmp/fx/bin/pip install ifcopenshell
    /tmp/fx/bin/python floorplans/import/make_ifc_fixture.py

- two-storeys.ifc (IFC4, millimetres): a 20 x 10 m building of two storeys (RDC at
  0 m, R+1 at 3.5 m), each with 0.3 m reinforced-concrete façade walls ("Béton armé"),
  a 0.2 m hollow-brick partition ("Brique creuse") on x = 10 m with a 0.9 m door 4 m
  from its south end, two 1.5 x 1.2 m windows (sill 1 m) in the south façade, a 0.25 m
  concrete slab under each storey, a 0.25 m concrete roof, and two spaces per storey.
- two-storeys-ifc2x3.ifc: the same building as IFC2X3 (polylines where IFC4 has
  indexed poly-curves).
"""
import os

import numpy as np
import ifcopenshell
import ifcopenshell.api as api

HERE = os.path.dirname(os.path.abspath(__file__))


def write(version, file):
    m = api.run("project.create_file", version=version)
    if version == "IFC2X3":
        # IFC2X3 requires an owner history on every rooted entity.
        import ifcopenshell.api.owner.settings as owner
        person = api.run("owner.add_person", m)
        organisation = api.run("owner.add_organisation", m)
        user = api.run("owner.add_person_and_organisation", m, person=person, organisation=organisation)
        application = api.run("owner.add_application", m)
        owner.get_user = lambda f: user
        owner.get_application = lambda f: application
    project = api.run("root.create_entity", m, ifc_class="IfcProject", name="Lycée test")
    api.run("unit.assign_unit", m)  # millimetres
    ctx = api.run("context.add_context", m, context_type="Model")
    body = api.run("context.add_context", m, context_type="Model", context_identifier="Body",
                   target_view="MODEL_VIEW", parent=ctx)
    site = api.run("root.create_entity", m, ifc_class="IfcSite", name="Site")
    building = api.run("root.create_entity", m, ifc_class="IfcBuilding", name="B")
    api.run("aggregate.assign_object", m, relating_object=project, products=[site])
    api.run("aggregate.assign_object", m, relating_object=site, products=[building])

    def material_set(name, material, thickness_m):
        mat = api.run("material.add_material", m, name=material)
        lset = api.run("material.add_material_set", m, name=name, set_type="IfcMaterialLayerSet")
        layer = api.run("material.add_layer", m, layer_set=lset, material=mat)
        api.run("material.edit_layer", m, layer=layer, attributes={"LayerThickness": thickness_m * 1000.0})
        return lset

    facade_set = material_set("Voile BA 30", "Béton armé", 0.3)
    brick_set = material_set("Cloison brique 20", "Brique creuse", 0.2)
    slab_set = material_set("Dalle BA 25", "Béton armé", 0.25)

    def place(product, x, y, z, angle):
        matrix = np.eye(4)
        c, s = np.cos(angle), np.sin(angle)
        matrix[0, 0], matrix[0, 1], matrix[1, 0], matrix[1, 1] = c, -s, s, c
        matrix[0, 3], matrix[1, 3], matrix[2, 3] = x, y, z
        api.run("geometry.edit_object_placement", m, product=product, matrix=matrix)

    def box(product, length, height, thickness):
        rep = api.run("geometry.add_wall_representation", m, context=body, length=length, height=height,
                      thickness=thickness)
        api.run("geometry.assign_representation", m, product=product, representation=rep)

    def extrusion(product, polyline, depth):
        rep = api.run("geometry.add_slab_representation", m, context=body, depth=depth, polyline=polyline)
        api.run("geometry.assign_representation", m, product=product, representation=rep)

    half_pi = np.pi / 2
    for level, (name, z) in enumerate([("RDC", 0.0), ("R+1", 3.5)]):
        storey = api.run("root.create_entity", m, ifc_class="IfcBuildingStorey", name=name)
        storey.Elevation = z * 1000.0
        api.run("aggregate.assign_object", m, relating_object=building, products=[storey])
        place(storey, 0.0, 0.0, z, 0.0)
        walls = []
        # Façades: centre lines on the 20 x 10 m rectangle, counter-clockwise; the body
        # spans local y from 0 to the thickness, so each wall stands half its thickness out.
        for k, (x, y, angle, length) in enumerate([
            (0.0, -0.15, 0.0, 20.0),
            (20.15, 0.0, half_pi, 10.0),
            (20.0, 10.15, 2 * half_pi, 20.0),
            (-0.15, 10.0, 3 * half_pi, 10.0),
        ]):
            wall = api.run("root.create_entity", m, ifc_class="IfcWall", name=f"{name} façade {k + 1}")
            place(wall, x, y, z, angle)
            box(wall, length, 3.25, 0.3)
            api.run("material.assign_material", m, products=[wall], type="IfcMaterialLayerSetUsage",
                    material=facade_set)
            walls.append(wall)
            if k == 0:
                # Two windows, 1.5 m wide, sill 1 m, head 2.2 m, at x = 3 and 13 m.
                for wx in (3.0, 13.0):
                    opening = api.run("root.create_entity", m, ifc_class="IfcOpeningElement")
                    place(opening, wx, -0.25, z + 1.0, 0.0)
                    box(opening, 1.5, 1.2, 0.5)
                    api.run("feature.add_feature", m, feature=opening, element=wall)
                    window = api.run("root.create_entity", m, ifc_class="IfcWindow", name="Fenêtre")
                    window.OverallWidth, window.OverallHeight = 1500.0, 1200.0
                    api.run("feature.add_filling", m, opening=opening, element=window)
        partition = api.run("root.create_entity", m, ifc_class="IfcWall", name=f"{name} cloison")
        place(partition, 10.1, 0.0, z, half_pi)
        box(partition, 10.0, 3.25, 0.2)
        api.run("material.assign_material", m, products=[partition], type="IfcMaterialLayerSetUsage",
                material=brick_set)
        walls.append(partition)
        opening = api.run("root.create_entity", m, ifc_class="IfcOpeningElement")
        place(opening, 10.2, 4.0, z, half_pi)
        box(opening, 0.9, 2.1, 0.4)
        api.run("feature.add_feature", m, feature=opening, element=partition)
        door = api.run("root.create_entity", m, ifc_class="IfcDoor", name="Porte")
        door.OverallWidth, door.OverallHeight = 900.0, 2100.0
        api.run("feature.add_filling", m, opening=opening, element=door)
        api.run("spatial.assign_container", m, relating_structure=storey, products=walls)

        slab = api.run("root.create_entity", m, ifc_class="IfcSlab", name=f"Dalle {name}")
        place(slab, 0.0, 0.0, z - 0.25, 0.0)
        extrusion(slab, [(-0.3, -0.3), (20.3, -0.3), (20.3, 10.3), (-0.3, 10.3)], 0.25)
        api.run("material.assign_material", m, products=[slab], type="IfcMaterialLayerSetUsage", material=slab_set)
        api.run("spatial.assign_container", m, relating_structure=storey, products=[slab])

        names = [("Salle 101 35 places", "CDI 40 places"), ("Labo 201 24 places", "Local VDI")][level]
        for (x0, x1), long_name in zip([(0.15, 9.9), (10.1, 19.85)], names):
            space = api.run("root.create_entity", m, ifc_class="IfcSpace", name=long_name.split()[0])
            space.LongName = long_name
            place(space, 0.0, 0.0, z, 0.0)
            extrusion(space, [(x0, 0.15), (x1, 0.15), (x1, 9.85), (x0, 9.85)], 3.25)
            api.run("aggregate.assign_object", m, relating_object=storey, products=[space])
    # A flat concrete roof on the R+1's walls (3.25 m high).
    roof = api.run("root.create_entity", m, ifc_class="IfcSlab", name="Toiture terrasse", predefined_type="ROOF")
    place(roof, 0.0, 0.0, 6.75, 0.0)
    extrusion(roof, [(-0.3, -0.3), (20.3, -0.3), (20.3, 10.3), (-0.3, 10.3)], 0.25)
    api.run("material.assign_material", m, products=[roof], type="IfcMaterialLayerSetUsage", material=slab_set)
    api.run("spatial.assign_container", m, relating_structure=storey, products=[roof])
    m.write(os.path.join(HERE, file))


if __name__ == "__main__":
    write("IFC4", "two-storeys.ifc")
    write("IFC2X3", "two-storeys-ifc2x3.ifc")
