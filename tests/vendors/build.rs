//! Generates the fixture vendors from `spec/` into OUT_DIR: no Rust is written by hand for them.

use std::path::PathBuf;

fn main() {
    let spec = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("spec");
    println!("cargo:rerun-if-changed={}", spec.display());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("api");
    if let Err(e) = flightapi_codegen::Generator::new(&spec, &out).single_file().generate() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
