//! Labels on maps that never overprint: each label takes the first of its positions (and,
//! failing those, of its shorter forms) where its box meets no box already placed and no
//! marker; a label with no free place is left out and counted, so that the image can say
//! how many it lacks. APs are labelled before rooms (an AP's name is what an engineer
//! looks for on a heatmap).

/// An axis-aligned box in pixels: left, top, right, bottom (right and bottom excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PixelBox {
    /// Left [px].
    pub x0: i32,
    /// Top [px].
    pub y0: i32,
    /// Right [px].
    pub x1: i32,
    /// Bottom [px].
    pub y1: i32,
}

impl PixelBox {
    /// The box of a `w` × `h` label whose top left corner is at (x, y), with a margin of
    /// `pad` pixels all round.
    pub fn at(x: i32, y: i32, (w, h): (u32, u32), pad: i32) -> PixelBox {
        PixelBox { x0: x - pad, y0: y - pad, x1: x + w as i32 + pad, y1: y + h as i32 + pad }
    }

    /// Whether the boxes share any pixel.
    pub fn meets(&self, other: &PixelBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// The box's four corners.
    pub fn corners(&self) -> [(f64, f64); 4] {
        let (x0, y0, x1, y1) = (f64::from(self.x0), f64::from(self.y0), f64::from(self.x1), f64::from(self.y1));
        [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    }
}

/// A label placed: its text and the top left corner of its text [px].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The form of the text that fitted.
    pub text: String,
    /// Top left corner [px].
    pub at: (i32, i32),
    /// Text size [px].
    pub size: (u32, u32),
}

/// The boxes taken so far and how many labels found no place.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    taken: Vec<PixelBox>,
    /// Labels left out for want of room.
    pub left_out: usize,
}

/// Margin kept around each label [px].
pub const PAD: i32 = 2;

impl Labels {
    /// Starts with `markers` taken (labels never cover them).
    pub fn new(markers: Vec<PixelBox>) -> Labels {
        Labels { taken: markers, left_out: 0 }
    }

    /// Places the first of `forms` (the full text first, shorter ones after) whose size
    /// (`measure`) fits at the first free one of `positions(size)` (top left corners)
    /// where `fits` accepts its box; records and returns it, or counts it left out.
    pub fn place(
        &mut self,
        forms: &[String],
        measure: impl Fn(&str) -> (u32, u32),
        positions: impl Fn((u32, u32)) -> Vec<(i32, i32)>,
        fits: impl Fn(&PixelBox) -> bool,
    ) -> Option<Placed> {
        for text in forms.iter().filter(|t| !t.is_empty()) {
            let size = measure(text);
            for at in positions(size) {
                let b = PixelBox::at(at.0, at.1, size, PAD);
                if fits(&b) && !self.taken.iter().any(|t| t.meets(&b)) {
                    self.taken.push(b);
                    return Some(Placed { text: text.clone(), at, size });
                }
            }
        }
        self.left_out += 1;
        None
    }
}

/// Shorter forms of a room name: its first word (a room number such as "A002"), then
/// nothing.
pub fn room_forms(name: &str) -> Vec<String> {
    let mut forms = vec![name.to_string()];
    if let Some(first) = name.split_whitespace().next()
        && first != name
    {
        forms.push(first.to_string());
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed-width font: 6 px per character, 11 px high.
    fn measure(t: &str) -> (u32, u32) {
        (6 * t.chars().count() as u32, 11)
    }

    #[test]
    fn labels_on_a_crowded_floor_never_overprint_and_say_how_many_they_leave_out() {
        // 60 rooms of 3 × 2.5 m at 12 px/m and an AP at the centre of every other one,
        // seeded positions jittered: every placed box is apart from every other and from
        // every AP marker; what does not fit is counted.
        let mut r = crate::seed::rng("crowded floor");
        let (px, mut aps, mut rooms) = (12.0, Vec::new(), Vec::new());
        for k in 0..60 {
            let (x0, y0) = (f64::from(k % 10) * 3.0 * px, f64::from(k / 10) * 2.5 * px);
            rooms.push((format!("B{k:03} Salle de cours {k}"), (x0, y0, x0 + 3.0 * px, y0 + 2.5 * px)));
            if k % 2 == 0 {
                let j = crate::seed::uniform(&mut r, -4.0, 4.0);
                aps.push((format!("A-R+1-{k:02} · ch 36"), ((x0 + 1.5 * px + j) as i32, (y0 + 1.25 * px + j) as i32)));
            }
        }
        let marker = |&(x, y): &(i32, i32)| PixelBox { x0: x - 7, y0: y - 7, x1: x + 8, y1: y + 8 };
        let mut labels = Labels::new(aps.iter().map(|a| marker(&a.1)).collect());
        let mut placed = Vec::new();
        for (name, (x, y)) in &aps {
            let forms = [name.clone(), name.split(" · ").next().unwrap().to_string()];
            let p = labels.place(
                &forms,
                measure,
                |(w, h)| {
                    vec![(x - w as i32 / 2, y + 10), (x - w as i32 / 2, y - 9 - h as i32), (x + 10, y - h as i32 / 2)]
                },
                |_| true,
            );
            placed.extend(p);
        }
        for (name, (x0, y0, x1, y1)) in &rooms {
            let inside = |b: &PixelBox| b.corners().iter().all(|&(x, y)| x >= *x0 && x <= *x1 && y >= *y0 && y <= *y1);
            let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            let p = labels.place(
                &room_forms(name),
                measure,
                |(w, h)| vec![(cx as i32 - w as i32 / 2, cy as i32 - h as i32 / 2), (*x0 as i32 + 3, *y0 as i32 + 3)],
                inside,
            );
            placed.extend(p);
        }
        let boxes: Vec<PixelBox> = placed.iter().map(|p| PixelBox::at(p.at.0, p.at.1, p.size, 0)).collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.meets(b), "{a:?} overprints {b:?}");
            }
            for ap in &aps {
                assert!(!a.meets(&marker(&ap.1)), "{a:?} covers the AP at {:?}", ap.1);
            }
        }
        assert_eq!(placed.len() + labels.left_out, aps.len() + rooms.len());
        assert!(labels.left_out > 0 && placed.len() > 30, "{} placed, {} left out", placed.len(), labels.left_out);
        assert!(placed.iter().any(|p| p.text.len() == 4), "room numbers stand in for names that do not fit");
    }
}
