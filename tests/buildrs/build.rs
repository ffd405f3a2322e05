//! Generates types from a spec folder into OUT_DIR at build time.

use std::path::PathBuf;

fn main() {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/basic/spec");
    println!("cargo:rerun-if-changed={}", spec.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("api");
    if let Err(e) = flightapi_codegen::Generator::new(&spec, &out).single_file().generate() {
        // Spec problems print as `file:line:col: message`, one per line.
        eprintln!("{e}");
        std::process::exit(1);
    }
}
