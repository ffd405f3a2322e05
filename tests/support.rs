//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// This package's folder.
pub fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether expected files should be rewritten instead of compared.
pub fn bless() -> bool {
    std::env::var_os("FLIGHTAPI_BLESS").is_some_and(|v| v != "0")
}

/// Compares `actual` with the file at `expected`, or rewrites it when blessing.
/// Returns a description of the mismatch.
pub fn compare(expected: &Path, actual: &str) -> Option<String> {
    if bless() {
        std::fs::write(expected, actual).unwrap();
        return None;
    }
    let want = std::fs::read_to_string(expected).unwrap_or_default();
    if want == actual {
        return None;
    }
    let first = want.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(want.lines().count().min(actual.lines().count()));
    Some(format!(
        "{} differs (first at line {}):\n  expected: {:?}\n  actual:   {:?}\nrerun with FLIGHTAPI_BLESS=1 to accept",
        expected.display(),
        first + 1,
        want.lines().nth(first).unwrap_or("<end>"),
        actual.lines().nth(first).unwrap_or("<end>"),
    ))
}

/// Sub-folders of `dir`, sorted.
pub fn dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    out.sort();
    out
}
