//! The checked-in `generated/src/gen/` is exactly what `cargo codegen` writes from `spec/`.

mod support;

#[test]
fn generated_code_is_fresh() {
    let report = flightapi_codegen::workspace_generator(&support::root()).check().unwrap_or_else(|e| panic!("{e}"));
    let stale: Vec<String> =
        report.changed.iter().chain(&report.removed).map(|p| format!("generated/src/gen/{}", p.display())).collect();
    assert!(stale.is_empty(), "stale generated files (run `cargo codegen`):\n{}", stale.join("\n"));
    assert!(!report.unchanged.is_empty());
}

#[test]
fn writing_touches_only_changed_files() {
    let out = std::env::temp_dir().join(format!("flightapi-write-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let generator = flightapi_codegen::Generator::new(support::root().join("spec"), &out).shown_as("spec");
    let first = generator.generate().unwrap();
    assert!(!first.changed.is_empty() && first.unchanged.is_empty());
    let stamp = |p: &std::path::Path| std::fs::metadata(out.join(p)).unwrap().modified().unwrap();
    let before: Vec<_> = first.changed.iter().map(|p| stamp(p)).collect();
    std::fs::write(out.join("stray.rs"), "// no spec makes this").unwrap();
    let victim = first.changed[0].clone();
    std::fs::write(out.join(&victim), "// edited by hand").unwrap();
    let check = generator.check().unwrap();
    assert_eq!(check.changed, vec![victim.clone()]);
    assert_eq!(check.removed, vec![std::path::PathBuf::from("stray.rs")]);
    let second = generator.generate().unwrap();
    assert_eq!(second.changed, vec![victim.clone()]);
    assert!(!out.join("stray.rs").exists());
    for (p, t) in first.changed.iter().zip(before) {
        if *p != victim {
            assert_eq!(stamp(p), t, "{} was rewritten though unchanged", p.display());
        }
    }
    std::fs::remove_dir_all(&out).unwrap();
}
