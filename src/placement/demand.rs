//! Demand: the receiver grid of every building floor, the cells inside rooms that need
//! coverage (the demand cells), and per room its class, capacity need and cells.
//!
//! Grids lie in each building's own frame (axis-aligned with its walls, at heights above
//! its ground): a building's demand cells, and every radio map over them, are the same
//! wherever and however the building stands, so that identical buildings of several
//! sites share their placement ([`super::cache`]).

use crate::geometry::P2;
use crate::plan::{RoomKind, Site};
use crate::radiomap::rooms::polygon_cells;
use crate::requirements::{Class, Requirements, class_of};
use crate::scene::Grid;

/// A room that needs coverage or capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomDemand {
    /// Building index in the site.
    pub building: usize,
    /// Floor index in the building.
    pub floor: usize,
    /// Room name.
    pub name: String,
    /// Room kind.
    pub kind: RoomKind,
    /// Requirement class.
    pub class: Class,
    /// Occupants [1].
    pub occupants: u32,
    /// APs it needs inside it: ⌈occupants / clients per radio⌉.
    pub capacity_need: u32,
    /// Its cells in [`Demand::cells`].
    pub cells: std::ops::Range<usize>,
    /// Outline in the building's frame [m].
    pub outline: Vec<(f64, f64)>,
    /// Index of its grid in [`Demand::grids`].
    pub grid: usize,
}

/// One cell to cover.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemandCell {
    /// Grid index.
    pub grid: u32,
    /// Cell index in the grid (row-major from the south).
    pub index: u32,
    /// Room index.
    pub room: u32,
}

/// Every grid, demand cell and room of a site.
#[derive(Debug, Clone)]
pub struct Demand {
    /// One grid per building floor (building footprint, no margin), in the building's
    /// own frame.
    pub grids: Vec<Grid>,
    /// (building, floor) of each grid.
    pub grid_floors: Vec<(usize, usize)>,
    /// Per grid, which cells are demand cells.
    pub masks: Vec<Vec<bool>>,
    /// Demand cells, grouped by room.
    pub cells: Vec<DemandCell>,
    /// Rooms that need coverage, in site order.
    pub rooms: Vec<RoomDemand>,
}

impl Demand {
    /// Demand cells of building `building` (contiguous, since rooms come building by
    /// building).
    pub fn building_cells(&self, building: usize) -> std::ops::Range<usize> {
        let mut rooms = self.rooms.iter().filter(|r| r.building == building);
        let first = rooms.next().map_or(0, |r| r.cells.start);
        let last = self.rooms.iter().filter(|r| r.building == building).map(|r| r.cells.end).max().unwrap_or(first);
        first..last
    }

    /// Grids (indices) of building `building`.
    pub fn building_grids(&self, building: usize) -> Vec<usize> {
        (0..self.grids.len()).filter(|&k| self.grid_floors[k].0 == building).collect()
    }

    /// The same demand on the cells whose column and row are multiples of `stride`
    /// (a coarser lattice of the same grids: maps over it are the full maps' samples).
    pub fn every(&self, stride: usize) -> Demand {
        let mut masks: Vec<Vec<bool>> = self.masks.iter().map(|m| vec![false; m.len()]).collect();
        let mut cells = Vec::new();
        let mut rooms = self.rooms.clone();
        for room in &mut rooms {
            let start = cells.len();
            for c in &self.cells[room.cells.clone()] {
                let (nx, i) = (self.grids[c.grid as usize].nx, c.index as usize);
                if (i % nx).is_multiple_of(stride) && (i / nx).is_multiple_of(stride) {
                    masks[c.grid as usize][i] = true;
                    cells.push(*c);
                }
            }
            room.cells = start..cells.len();
        }
        Demand { grids: self.grids.clone(), grid_floors: self.grid_floors.clone(), masks, cells, rooms }
    }

    /// Grids and demand cells of a validated site.
    pub fn of(site: &Site, req: &Requirements) -> Demand {
        let mut d = Demand {
            grids: Vec::new(),
            grid_floors: Vec::new(),
            masks: Vec::new(),
            cells: Vec::new(),
            rooms: Vec::new(),
        };
        for (bi, b) in site.buildings.iter().enumerate() {
            let Some([x0, y0, x1, y1]) = b.local_bbox() else { continue };
            for (fi, f) in b.floors.iter().enumerate() {
                let cell = req.cell_m;
                let nx = (((x1 - x0) / cell) - 1e-9).ceil().max(1.0) as usize;
                let ny = (((y1 - y0) / cell) - 1e-9).ceil().max(1.0) as usize;
                let grid = Grid {
                    building: b.name.clone(),
                    floor: f.name.clone(),
                    xmin: x0,
                    ymin: y0,
                    cell,
                    nx,
                    ny,
                    z: f.elevation + req.rx_height_m,
                };
                let gk = d.grids.len();
                let mut mask = vec![false; grid.len()];
                for r in &f.rooms {
                    let Some(class) = class_of(r.kind) else { continue };
                    let poly: Vec<P2> = r.outline.iter().map(|&(x, y)| P2::new(x, y)).collect();
                    let start = d.cells.len();
                    let room = d.rooms.len() as u32;
                    for index in polygon_cells(&poly, (grid.xmin, grid.ymin), cell, (grid.nx, grid.ny)) {
                        // A cell on two rooms' shared edge belongs to the first.
                        if !mask[index] {
                            mask[index] = true;
                            d.cells.push(DemandCell { grid: gk as u32, index: index as u32, room });
                        }
                    }
                    let capacity_need = req.capacity_need(r.kind, r.occupants);
                    d.rooms.push(RoomDemand {
                        building: bi,
                        floor: fi,
                        name: r.name.clone(),
                        kind: r.kind,
                        class,
                        occupants: r.occupants,
                        capacity_need,
                        cells: start..d.cells.len(),
                        outline: r.outline.clone(),
                        grid: gk,
                    });
                }
                d.grids.push(grid);
                d.grid_floors.push((bi, fi));
                d.masks.push(mask);
            }
        }
        d
    }
}
