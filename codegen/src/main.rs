//! `cargo codegen [--check] [--root DIR]` and `cargo codegen lint`: the generator's command line.
//!
//! The workspace is the first folder, from the current directory upward, that holds both
//! `spec/` and `generated/Cargo.toml`, or the one `--root DIR` names: never a path fixed when
//! the generator was compiled.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use flightapi_codegen::{workspace_generator, Error};

const USAGE: &str = "usage: cargo codegen [--check] [--root DIR] | cargo codegen lint [--root DIR]

  (no argument)  regenerate generated/src/gen/ (and the vendor features of generated/Cargo.toml)
                 from spec/, writing only changed files
  --check        write nothing; exit 1 naming every stale file
  lint           check the spec only; exit 1 listing every problem
  --root DIR     the workspace (default: the first folder from here upward with spec/ and
                 generated/Cargo.toml)";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let root = match args.iter().position(|a| a == "--root") {
        Some(i) => {
            let Some(dir) = args.get(i + 1).cloned() else {
                eprintln!("--root takes a folder\n\n{USAGE}");
                return ExitCode::from(2);
            };
            args.drain(i..=i + 1);
            PathBuf::from(dir)
        }
        None => match find_root() {
            Some(root) => root,
            None => {
                eprintln!("no workspace here: no folder from the current one upward has spec/ and generated/Cargo.toml (use --root DIR)");
                return ExitCode::from(2);
            }
        },
    };
    if !root.join("spec").is_dir() {
        eprintln!("{}: no spec/ folder here", root.display());
        return ExitCode::from(2);
    }
    let generator = workspace_generator(&root);
    let shown = |f: &Path| display(&generator.out_dir().join(f), &root);
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => match generator.generate() {
            Ok(report) => {
                for f in &report.changed {
                    println!("wrote {}", shown(f));
                }
                for f in &report.removed {
                    println!("removed {}", shown(f));
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
                println!("generated/ is up to date ({} files)", report.unchanged.len());
                ExitCode::SUCCESS
            }
            Ok(report) => {
                for f in &report.changed {
                    eprintln!("stale: {}", shown(f));
                }
                for f in &report.removed {
                    eprintln!("stale (no longer generated): {}", shown(f));
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

/// The first folder from the current directory upward with `spec/` and `generated/Cargo.toml`.
fn find_root() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    here.ancestors().find(|d| d.join("spec").is_dir() && d.join("generated/Cargo.toml").is_file()).map(Path::to_path_buf)
}

/// A path relative to the workspace, `..` resolved (`generated/Cargo.toml`).
fn display(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts: Vec<Component> = Vec::new();
    for c in rel.components() {
        match c {
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            Component::CurDir => {}
            other => parts.push(other),
        }
    }
    parts.iter().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn fail(e: Error) -> ExitCode {
    eprintln!("{e}");
    ExitCode::FAILURE
}
