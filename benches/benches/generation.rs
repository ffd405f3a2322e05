//! Generation: the whole pipeline (load → lower → emit → format, output in memory) on the
//! bundled spec and on synthetic specs of 10, 100 and 1,000 operations, and each stage apart.
//!
//! `cargo bench -p flightapi-benches --bench generation`
//!
//! Criterion reports time per iteration; `docs/performance.md` turns them into ratios (time
//! per operation across sizes, and each stage's share of the pipeline).

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use flightapi_codegen::{emit, load, lower, write, Generator, Layout};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    let bundled = Generator::new(root().join("spec"), root().join("generated/src/gen"));
    group.bench_function("bundled", |b| b.iter(|| bundled.render().expect("bundled spec")));
    let tmp = std::env::temp_dir().join(format!("flightapi-bench-{}", std::process::id()));
    for n in [10usize, 100, 1000] {
        let spec = flightapi_benches::synthetic::write_spec(&tmp.join(n.to_string()), n).expect("write spec");
        let generator = Generator::new(&spec, tmp.join("out"));
        generator.render().expect("the synthetic spec generates");
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("synthetic_ops", n), &generator, |b, g| {
            b.iter(|| g.render().expect("synthetic spec"))
        });
    }
    group.finish();

    // Where the time goes, on 1,000 operations.
    let spec = tmp.join("1000").join("spec");
    let mut stages = c.benchmark_group("stage_1000_ops");
    stages.sample_size(10);
    stages.bench_function("load (read + YAML parse)", |b| b.iter(|| load::load(&spec, "spec").expect("load")));
    let specs = load::load(&spec, "spec").expect("load");
    stages.bench_function("lower", |b| b.iter(|| lower::lower(&specs).expect("lower")));
    let ir = lower::lower(&specs).expect("lower");
    let options = || emit::Options { feature_gates: true };
    stages
        .bench_function("emit (quote!, the parts built on the main thread)", |b| b.iter(|| emit::emit(&ir, options())));
    let module = emit::emit(&ir, options());
    stages.bench_function("emit per file + format (syn + prettyplease), on every core", |b| {
        b.iter(|| write::render(&module, Layout::Files, "// @generated").expect("render"))
    });
    stages.finish();
    let _ = std::fs::remove_dir_all(&tmp);
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
