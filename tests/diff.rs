//! `cargo codegen diff`: one spec edit per change kind against `diff/base`, each classified
//! for the wire and the Rust API; the report of all of them at once is pinned in the three
//! formats (`diff/expected.{txt,md,json}`, `FLIGHTAPI_BLESS=1` rewrites them).

mod support;

use std::path::{Path, PathBuf};

use flightapi_codegen::{diff, Generator};

/// One edit: a file under `spec/v/`, the text replaced, its replacement, and the report line
/// it must produce.
struct Edit {
    file: &'static str,
    from: &'static str,
    to: &'static str,
    line: &'static str,
}

const EDITS: &[Edit] = &[
    Edit { file: "operations/book.yaml", from: "    - {name: remark, type: string, description: A remark.}\n", to: "    - {name: remark, type: string, description: A remark.}\n    - {name: agent, type: string, required: true, description: Agent.}\n", line: "v book request $.agent: required field added (string) [wire: breaking] [rust: major]" },
    Edit { file: "operations/book.yaml", from: "    - {name: cardNumber, type: string, description: The card.}\n", to: "    - {name: cardNumber, type: string, description: The card.}\n    - {name: note, type: string, description: A note.}\n", line: "v book request $.note: optional field added (string) [wire: compatible] [rust: minor]" },
    Edit { file: "operations/book.yaml", from: "{name: remark, type: string, description: A remark.}", to: "{name: remark, type: string, required: true, description: A remark.}", line: "v book request $.remark: now required (required false → true) [wire: breaking] [rust: major]" },
    Edit { file: "operations/book.yaml", from: "minimum: 1, maximum: 9, description: Adults.", to: "minimum: 1, maximum: 6, description: Adults.", line: "v book request $.adults: range tightened (1..9 → 1..6) [wire: breaking] [rust: patch]" },
    Edit { file: "operations/book.yaml", from: "max_items: 9, items:", to: "max_items: 12, items:", line: "v book request $.passengers: items loosened (..9 → ..12) [wire: compatible] [rust: patch]" },
    Edit { file: "operations/book.yaml", from: "pattern: '^[a-f0-9]+$'", to: "pattern: '^[a-f0-9]{32}$'", line: "v book request $.offerId: pattern changed (^[a-f0-9]+$ → ^[a-f0-9]{32}$) [wire: breaking] [rust: patch]" },
    Edit { file: "operations/book.yaml", from: "{name: cardNumber, type: string, description: The card.}", to: "{name: cardNumber, type: string, sensitive: true, description: The card.}", line: "v book request $.cardNumber: now sensitive [wire: compatible] [rust: major]" },
    Edit { file: "operations/book.yaml", from: "{name: total, type: decimal, description: The price.}", to: "{name: total, type: number, description: The price.}", line: "v book response $.total: type changed (decimal → number) [wire: breaking] [rust: major]" },
    Edit { file: "operations/book.yaml", from: "{value: PENDING, description: Pending.}", to: "{value: PENDING, description: Pending.}, {value: HELD, description: Held.}", line: "v book response $.status: enum value added (\"HELD\") [wire: compatible] [rust: minor]" },
    Edit { file: "operations/book.yaml", from: "    - {name: orderNo, type: string, required: true, description: The order.}\n", to: "", line: "v book response $.orderNo: field removed (string) [wire: breaking] [rust: major]" },
    Edit { file: "operations/book.yaml", from: "modified: \"2025-01-01 10:00:00\"", to: "modified: \"2025-03-01 09:00:00\"", line: "v book operation $: doc.modified changed (2025-01-01 10:00:00 → 2025-03-01 09:00:00) [wire: compatible] [rust: patch]" },
    Edit { file: "operations/book.yaml", from: "  description: The booking.\n  fields:", to: "  description: The booking.\n  rules:\n    - at_least_one: [remark, cardNumber]\n  fields:", line: "v book request $: cross-field rule added (at least one of remark, cardNumber) [wire: breaking] [rust: patch]" },
    Edit { file: "types.yaml", from: "{value: F, description: Female.}", to: "{value: F, description: Female.}, {value: X, description: Unspecified.}", line: "v book request $.passengers[].gender: enum value added (\"X\") [wire: compatible] [rust: minor]" },
    Edit { file: "types.yaml", from: "max_length: 30", to: "max_length: 20", line: "v book request $.passengers[].name: length tightened (..30 → ..20) [wire: breaking] [rust: patch]" },
    Edit { file: "operations/find.yaml", from: "{name: offers, type: array", to: "{name: offerIds, type: array", line: "v find response $.offerIds: field renamed (offers → offerIds) [wire: breaking] [rust: major]" },
    Edit { file: "operations/find.yaml", from: "path: /find", to: "path: /search", line: "v find operation $: path changed (/find → /search) [wire: breaking] [rust: patch]" },
    Edit { file: "vendor.yaml", from: "        - {code: E1, meaning: Bad request., advice: fix_request}\n", to: "        - {code: E1, meaning: Bad request., advice: fix_request}\n        - {code: E2, meaning: Busy., advice: retry_now}\n", line: "v * operation $: error code added (E2: Busy.) [wire: compatible] [rust: patch]" },
    Edit { file: "vendor.yaml", from: "  - {name: key, env: V_KEY, description: The key., mock: k}\n", to: "  - {name: key, env: V_KEY, description: The key., mock: k}\n  - {name: secret, env: V_SECRET, description: A secret., mock: s}\n", line: "v * operation $: credential added (secret) [wire: breaking] [rust: major]" },
];

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// `diff/base/spec` with `edits` applied, in a fresh folder.
fn edited(tag: &str, edits: &[&Edit]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flightapi-diff-test-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&support::here().join("diff/base/spec"), &dir);
    for e in edits {
        let path = dir.join("v").join(e.file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(e.from), "edit for `{}` does not apply to {}", e.line, e.file);
        std::fs::write(&path, text.replacen(e.from, e.to, 1)).unwrap();
    }
    dir
}

fn report(edits: &[&Edit], tag: &str) -> Vec<diff::Change> {
    let old = Generator::new(support::here().join("diff/base/spec"), "unused").lint().unwrap_or_else(|d| panic!("{d}"));
    let dir = edited(tag, edits);
    let new = Generator::new(&dir, "unused").lint().unwrap_or_else(|d| panic!("{tag}: {d}"));
    let _ = std::fs::remove_dir_all(&dir);
    diff::compare(&old, &new)
}

#[test]
fn each_change_kind_is_reported_and_classified() {
    assert!(report(&[], "none").is_empty(), "the same spec has no changes");
    let mut failures = Vec::new();
    for (i, edit) in EDITS.iter().enumerate() {
        let text = diff::text(&report(&[edit], &i.to_string()));
        if !text.lines().any(|l| l == edit.line) {
            failures.push(format!("expected `{}`, got:\n{text}", edit.line));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_report_of_every_change_is_pinned_in_three_formats() {
    let all: Vec<&Edit> = EDITS.iter().collect();
    let changes = report(&all, "all");
    let mut failures = Vec::new();
    for (ext, text) in [("txt", diff::text(&changes)), ("md", diff::markdown(&changes)), ("json", diff::json(&changes))]
    {
        if let Some(d) = support::compare(&support::here().join(format!("diff/expected.{ext}")), &text) {
            failures.push(d);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Breaking changes come first within each operation.
    let book: Vec<&diff::Change> = changes.iter().filter(|c| c.operation == "book").collect();
    let first_compatible = book.iter().position(|c| c.wire == diff::Wire::Compatible).unwrap();
    assert!(book[first_compatible..].iter().all(|c| c.wire == diff::Wire::Compatible));
    let json: serde_json::Value = serde_json::from_str(&diff::json(&changes)).unwrap();
    let keys: Vec<&str> = json[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["change", "detail", "direction", "operation", "path", "rust", "vendor", "wire"]);
}
