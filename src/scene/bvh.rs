//! A bounding-volume hierarchy over the wall lines (2D boxes, median split), so that a
//! beam visits only the walls its wedge can reach.

use super::WallLine;
use bytemuck::{Pod, Zeroable};

/// Lines per leaf at most.
const LEAF_SIZE: usize = 4;

/// One node: a box and either two children (`count == 0`, children at `first` and
/// `first + 1`) or `count` lines listed from `first` in [`Bvh::items`].
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct BvhNode {
    /// Lower corner [m].
    pub min: [f32; 2],
    /// Upper corner [m].
    pub max: [f32; 2],
    /// First child or first item.
    pub first: u32,
    /// Number of items of a leaf; 0 for an inner node.
    pub count: u32,
}

/// The hierarchy: nodes (root first) and the line indices its leaves list.
#[derive(Debug, Clone, Default)]
pub struct Bvh {
    /// Nodes, root at 0.
    pub nodes: Vec<BvhNode>,
    /// Line indices, grouped by leaf.
    pub items: Vec<u32>,
}

fn line_box(l: &WallLine) -> ([f32; 2], [f32; 2]) {
    ([l.a[0].min(l.b[0]), l.a[1].min(l.b[1])], [l.a[0].max(l.b[0]), l.a[1].max(l.b[1])])
}

impl Bvh {
    /// Builds the hierarchy over `lines`.
    pub fn build(lines: &[WallLine]) -> Bvh {
        let mut bvh = Bvh { nodes: Vec::new(), items: (0..lines.len() as u32).collect() };
        if lines.is_empty() {
            return bvh;
        }
        bvh.nodes.push(BvhNode { min: [0.0; 2], max: [0.0; 2], first: 0, count: 0 });
        bvh.split(lines, 0, 0, lines.len());
        bvh
    }

    fn split(&mut self, lines: &[WallLine], node: usize, start: usize, end: usize) {
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for &i in &self.items[start..end] {
            let (a, b) = line_box(&lines[i as usize]);
            lo = [lo[0].min(a[0]), lo[1].min(a[1])];
            hi = [hi[0].max(b[0]), hi[1].max(b[1])];
        }
        self.nodes[node].min = lo;
        self.nodes[node].max = hi;
        if end - start <= LEAF_SIZE {
            self.nodes[node].first = start as u32;
            self.nodes[node].count = (end - start) as u32;
            return;
        }
        let axis = usize::from(hi[1] - lo[1] > hi[0] - lo[0]);
        let centre = |i: u32| {
            let l = &lines[i as usize];
            l.a[axis] + l.b[axis]
        };
        let mid = (start + end) / 2;
        self.items[start..end]
            .select_nth_unstable_by(mid - start, |&p, &q| centre(p).total_cmp(&centre(q)).then(p.cmp(&q)));
        let left = self.nodes.len();
        self.nodes.push(BvhNode { min: [0.0; 2], max: [0.0; 2], first: 0, count: 0 });
        self.nodes.push(BvhNode { min: [0.0; 2], max: [0.0; 2], first: 0, count: 0 });
        self.nodes[node].first = left as u32;
        self.nodes[node].count = 0;
        self.split(lines, left, start, mid);
        self.split(lines, left + 1, mid, end);
    }

    /// Calls `visit` with every line whose box `reject` does not rule out; `reject`
    /// receives a box (min, max) and says whether nothing in it can matter.
    pub fn query(&self, reject: impl Fn([f64; 2], [f64; 2]) -> bool, mut visit: impl FnMut(usize)) {
        if self.nodes.is_empty() {
            return;
        }
        let mut stack = vec![0usize];
        while let Some(n) = stack.pop() {
            let node = &self.nodes[n];
            if reject(node.min.map(f64::from), node.max.map(f64::from)) {
                continue;
            }
            if node.count == 0 {
                stack.push(node.first as usize + 1);
                stack.push(node.first as usize);
            } else {
                for &i in &self.items[node.first as usize..(node.first + node.count) as usize] {
                    visit(i as usize);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_keeps_every_line_whose_box_survives_and_prunes_far_ones() {
        let lines: Vec<WallLine> = (0..37)
            .map(|i| {
                let x = i as f32 * 2.0;
                WallLine { a: [x, 0.0], b: [x + 1.0, 3.0], span_start: 0, span_count: 0 }
            })
            .collect();
        let bvh = Bvh::build(&lines);
        let mut found = Vec::new();
        bvh.query(|lo, hi| hi[0] < 10.0 || lo[0] > 20.0, |i| found.push(i));
        found.sort_unstable();
        for i in 5..=10 {
            assert!(found.contains(&i), "line {i} overlaps the kept range: {found:?}");
        }
        assert!(!found.contains(&0) && !found.contains(&36), "far lines are pruned: {found:?}");
        let mut all = 0;
        bvh.query(|_, _| false, |_| all += 1);
        assert_eq!(all, 37);
    }
}
