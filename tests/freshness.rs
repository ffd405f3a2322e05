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

/// A copy of the bundled spec folder, to edit.
fn spec_copy(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("flightapi-stable-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&support::root().join("spec"), &dir);
    dir
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn render(spec: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, String> {
    flightapi_codegen::Generator::new(spec, spec.join("out"))
        .shown_as("spec")
        .render()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Renders the spec, applies `edit` to one file of a copy, renders again, and returns the
/// generated files whose text changed.
fn changed_by(tag: &str, file: &str, edit: impl Fn(&str) -> String) -> Vec<String> {
    let dir = spec_copy(tag);
    let before = render(&dir);
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit changed nothing");
    std::fs::write(&path, edited).unwrap();
    let after = render(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    before.iter().filter(|(p, t)| after[*p] != **t).map(|(p, _)| p.display().to_string()).collect()
}

/// Inserts fields at the top of the operation's request (or response) field list.
fn add_fields(text: &str, side: &str, fields: &str) -> String {
    let at = text.find(&format!("\n{side}:")).expect("the side exists");
    let list = at + text[at..].find("\n  fields:\n").expect("the side has fields") + "\n  fields:\n".len();
    format!("{}{fields}{}", &text[..list], &text[list..])
}

#[test]
fn a_spec_edit_to_one_operation_changes_only_its_file() {
    // New constrained types (a pattern no other operation uses, a bounded integer, an enum, a
    // scalar kind the operation had not used) at the top of the first operation's request, so
    // every entry after them in a positional table would move.
    let changed = changed_by("first", "fr24/operations/ancillary_booking.yaml", |t| {
        add_fields(
            t,
            "request",
            "    - name: probeCode\n      type: string\n      pattern: \"^[A-Z]{5}$\"\n      description: Added.\n\
             \x20   - name: probeCount\n      type: integer\n      minimum: 2\n      description: Added.\n\
             \x20   - name: probeKind\n      type: enum\n      values: [{value: A, description: A.}, {value: B, description: B.}]\n      description: Added.\n\
             \x20   - name: probeFlag\n      type: boolean\n      description: Added.\n",
        )
    });
    assert_eq!(changed, ["fr24/ancillary_booking.rs"]);

    // A response field added in the middle of the table.
    let changed = changed_by("middle", "fr24/operations/pricing.yaml", |t| {
        add_fields(
            t,
            "response",
            "    - name: probeNote\n      type: string\n      max_length: 9\n      description: Added.\n",
        )
    });
    assert_eq!(changed, ["fr24/pricing.rs"]);

    // A nested object (its own inline type) added to a vendor with an action envelope. Read
    // backwards, the same pair is a removal: the files it changes are the same.
    let changed = changed_by("nested", "aerohub/operations/get_booking_detail.yaml", |t| {
        add_fields(
            t,
            "response",
            "    - name: probe\n      type: object\n      type_name: Probe\n      description: Added.\n      fields:\n\
             \x20       - {name: code, type: string, min_length: 3, description: Added.}\n",
        )
    });
    assert_eq!(changed, ["aerohub/get_booking_detail.rs"]);
}

#[test]
fn a_named_type_edit_leaves_the_operations_that_use_it_alone() {
    let changed = changed_by("types", "fr24/types.yaml", |t| {
        let at = t.find("\n  - name: ").expect("a named type") + 1;
        format!(
            "{}  - name: ProbeCode\n    type: string\n    pattern: \"^[0-9]{{7}}$\"\n    description: Added.\n{}",
            &t[..at],
            &t[at..]
        )
    });
    assert_eq!(changed, ["fr24/types.rs"]);
}
