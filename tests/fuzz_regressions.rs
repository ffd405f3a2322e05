//! Every input a fuzzer found a crash with (`tests/fuzz/<target>/`) and every seed of the fuzz
//! corpora (`fuzz/seeds/<target>/`) runs through the same code as the `cargo fuzz` target, on
//! the stable toolchain, and must not panic. See `docs/fuzzing.md`.

mod fuzz_support;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// The files in `dir`, sorted (none when it does not exist).
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    out.sort();
    out
}

/// Runs every saved input of `target` (crash inputs first, then the seeds). Panics listing
/// every input that panicked; returns how many seeds ran and how often they got all the way
/// through (see `fuzz_support::TARGETS`).
fn replay(target: &str) -> (usize, usize) {
    let run = fuzz_support::TARGETS.iter().find(|(name, _)| *name == target).expect("a fuzz target").1;
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crashes = inputs(&here.join("fuzz").join(target));
    let seeds = inputs(&here.join("../fuzz/seeds").join(target));
    let mut failed = Vec::new();
    let mut reached = 0;
    for (i, file) in crashes.iter().chain(&seeds).enumerate() {
        let data = std::fs::read(file).expect("read a saved input");
        match catch_unwind(AssertUnwindSafe(|| run(&data))) {
            Ok(n) if i >= crashes.len() => reached += n,
            Ok(_) => {}
            Err(_) => failed.push(file.display().to_string()),
        }
    }
    assert!(failed.is_empty(), "{target}: {} input(s) panicked:\n  {}", failed.len(), failed.join("\n  "));
    eprintln!("{target}: {} crash input(s), {} seed(s), {reached} complete runs", crashes.len(), seeds.len());
    (seeds.len(), reached)
}

#[test]
fn spec_load_inputs_do_not_panic() {
    let (seeds, rendered) = replay("spec_load");
    fuzz_support::remove_scratch();
    assert!(seeds >= 10, "only {seeds} spec_load seeds");
    assert!(rendered >= 5, "only {rendered} spec_load seeds went through the whole pipeline");
}

#[test]
fn validate_json_inputs_do_not_panic() {
    let (seeds, valid) = replay("validate_json");
    assert!(seeds >= 10, "only {seeds} validate_json seeds");
    assert!(valid >= seeds / 2, "only {valid} wire checks of the validate_json seeds found nothing wrong");
}

#[test]
fn deserialize_inputs_do_not_panic() {
    let (seeds, decoded) = replay("deserialize");
    assert!(seeds >= 10, "only {seeds} deserialize seeds");
    assert!(decoded >= seeds, "the deserialize seeds decoded only {decoded} times");
}

/// The deserialize target covers every operation's request and response type of every vendor
/// compiled in, so a new operation is not left out of the fuzzing unnoticed.
#[test]
fn deserialize_covers_every_operation() {
    let listed: Vec<&str> = fuzz_support::TYPES.iter().map(|(name, _)| *name).collect();
    for vendor in flightapi::vendors() {
        let ops = vendor.operations.len();
        let ours = listed.iter().filter(|n| n.starts_with(&format!("{}::", vendor.name))).count();
        assert_eq!(ours, 2 * ops, "{}: {ops} operations, {ours} types listed in tests/fuzz_support.rs", vendor.name);
    }
}
