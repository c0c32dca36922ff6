//! Speed of the host-side slab coefficients, which the solver tables sample over
//! materials × frequencies × angles.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wifiplan::materials::Material;

fn slab_table(c: &mut Criterion) {
    let concrete = Material::itu("concrete").unwrap();
    c.bench_function("slab_power concrete 0.25 m, 1024 angles", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for i in 0..1024 {
                let cos = (i as f64 + 0.5) / 1024.0;
                let p = concrete.slab_power(black_box(5.5), 0.25, cos).unwrap();
                acc += p.t_te + p.t_tm;
            }
            acc
        })
    });
}

criterion_group!(benches, slab_table);
criterion_main!(benches);
