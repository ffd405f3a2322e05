//! `cargo codegen [--check]` and `cargo codegen lint`: the generator's command line.

use std::path::PathBuf;
use std::process::ExitCode;

use flightapi_codegen::{workspace_generator, Error};

const USAGE: &str = "usage: cargo codegen [--check] | cargo codegen lint

  (no argument)  regenerate generated/src/gen/ from spec/, writing only changed files
  --check        write nothing; exit 1 naming every stale file
  lint           check the spec only; exit 1 listing every problem";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let root = root.canonicalize().unwrap_or(root);
    if let Err(e) = std::env::set_current_dir(&root) {
        eprintln!("cannot enter the workspace root: {e}");
        return ExitCode::from(2);
    }
    let generator = workspace_generator(PathBuf::from(".").as_path());
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => match generator.generate() {
            Ok(report) => {
                for f in &report.changed {
                    println!("wrote generated/src/gen/{}", f.display());
                }
                for f in &report.removed {
                    println!("removed generated/src/gen/{}", f.display());
                }
                println!(
                    "{} file(s) written, {} removed, {} unchanged",
                    report.changed.len(),
                    report.removed.len(),
                    report.unchanged.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        ["--check"] => match generator.check() {
            Ok(report) if report.is_fresh() => {
                println!("generated/src/gen/ is up to date ({} files)", report.unchanged.len());
                ExitCode::SUCCESS
            }
            Ok(report) => {
                for f in &report.changed {
                    eprintln!("stale: generated/src/gen/{}", f.display());
                }
                for f in &report.removed {
                    eprintln!("stale (no longer generated): generated/src/gen/{}", f.display());
                }
                eprintln!("run `cargo codegen` to regenerate");
                ExitCode::FAILURE
            }
            Err(e) => fail(e),
        },
        ["lint"] => match generator.lint() {
            Ok(ir) => {
                let ops: usize = ir.vendors.iter().map(|v| v.operations.len()).sum();
                println!("spec/ is valid: {} vendor(s), {ops} operation(s)", ir.vendors.len());
                ExitCode::SUCCESS
            }
            Err(d) => fail(Error::Spec(d)),
        },
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn fail(e: Error) -> ExitCode {
    eprintln!("{e}");
    ExitCode::FAILURE
}
