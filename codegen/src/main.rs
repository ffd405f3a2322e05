//! `cargo codegen [--check] [--root DIR]` and `cargo codegen lint`: the generator's command line.
//!
//! The workspace is the first folder, from the current directory upward, that holds both
//! `spec/` and `generated/Cargo.toml`, or the one `--root DIR` names: never a path fixed when
//! the generator was compiled.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use flightapi_codegen::{workspace_generator, Error};

const USAGE: &str = "usage: cargo codegen [--check] [--root DIR] | cargo codegen lint [--root DIR]
       cargo codegen diff [--base REV | --old DIR --new DIR] [--format text|markdown|json] [--fail-on breaking]

  (no argument)  regenerate generated/src/gen/ (and the vendor features of generated/Cargo.toml)
                 from spec/, writing only changed files
  --check        write nothing; exit 1 naming every stale file
  lint           check the spec only; exit 1 listing every problem
  diff           the change report between two versions of the spec: `--base REV` (a git
                 revision, default HEAD) against the working tree's spec/, or `--old DIR --new DIR`
                 (two spec folders); every change classified for the wire (breaking|compatible)
                 and for the Rust API (major|minor|patch). Exit 0; 1 with `--fail-on breaking`
                 when a change breaks callers; 2 on usage errors (an unknown revision, a folder
                 that is not a spec)
  --root DIR     the workspace (default: the first folder from here upward with spec/ and
                 generated/Cargo.toml)";

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("diff") {
        return diff::run(&args[1..]);
    }
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

mod diff {
    //! `cargo codegen diff`.

    use std::path::{Path, PathBuf};
    use std::process::{Command, ExitCode};

    use flightapi_codegen::{diff, Generator};

    fn usage(problem: &str) -> ExitCode {
        eprintln!("error: {problem} (see `cargo codegen --help`)");
        ExitCode::from(2)
    }

    pub fn run(args: &[String]) -> ExitCode {
        let mut base: Option<String> = None;
        let (mut old, mut new, mut root) = (None, None, None);
        let mut format = "text".to_owned();
        let mut fail_on_breaking = false;
        let mut i = 0;
        while i < args.len() {
            let value = args.get(i + 1).cloned();
            match (args[i].as_str(), value) {
                ("--base", Some(v)) => base = Some(v),
                ("--old", Some(v)) => old = Some(PathBuf::from(v)),
                ("--new", Some(v)) => new = Some(PathBuf::from(v)),
                ("--root", Some(v)) => root = Some(PathBuf::from(v)),
                ("--format", Some(v)) if ["text", "markdown", "json"].contains(&v.as_str()) => format = v,
                ("--format", Some(v)) => return usage(&format!("unknown format `{v}` (text, markdown or json)")),
                ("--fail-on", Some(v)) if v == "breaking" => fail_on_breaking = true,
                ("--fail-on", Some(v)) => return usage(&format!("`--fail-on {v}`: only `breaking` is known")),
                (flag, None) if flag.starts_with("--") => return usage(&format!("{flag} takes a value")),
                (other, _) => return usage(&format!("unknown argument `{other}`")),
            }
            i += 2;
        }
        let _cleanup;
        let (old_dir, new_dir) = match (old, new) {
            (Some(o), Some(n)) if base.is_none() => (o, n),
            (None, None) => {
                let Some(root) = root.or_else(super::find_root) else {
                    return usage("no workspace here: no folder from the current one upward has spec/ (use --root or --old/--new)");
                };
                let rev = base.unwrap_or_else(|| "HEAD".to_owned());
                match checkout_spec(&root, &rev) {
                    Ok(dir) => {
                        _cleanup = Cleanup(dir.clone());
                        (dir.join("spec"), root.join("spec"))
                    }
                    Err(problem) => return usage(&problem),
                }
            }
            _ => return usage("give `--base REV`, or both `--old DIR` and `--new DIR`"),
        };
        for dir in [&old_dir, &new_dir] {
            let is_spec = std::fs::read_dir(dir)
                .map(|entries| entries.flatten().any(|e| e.path().join("vendor.yaml").is_file()))
                .unwrap_or(false);
            if !is_spec {
                return usage(&format!("{} is not a spec folder (no <vendor>/vendor.yaml in it)", dir.display()));
            }
        }
        let lint = |dir: &Path, shown: &str| Generator::new(dir, "unused").shown_as(shown).lint();
        let (old_ir, new_ir) = match (lint(&old_dir, "old"), lint(&new_dir, "new")) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(d), _) | (_, Err(d)) => {
                eprintln!("{d}");
                return ExitCode::from(2);
            }
        };
        let changes = diff::compare(&old_ir, &new_ir);
        let text = match format.as_str() {
            "markdown" => diff::markdown(&changes),
            "json" => diff::json(&changes),
            _ => diff::text(&changes),
        };
        print!("{text}");
        if fail_on_breaking && changes.iter().any(|c| c.wire == diff::Wire::Breaking) {
            return ExitCode::FAILURE;
        }
        ExitCode::SUCCESS
    }

    struct Cleanup(PathBuf);

    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// `spec/` as it was at `rev`, in a fresh temporary folder.
    fn checkout_spec(root: &Path, rev: &str) -> Result<PathBuf, String> {
        let verify = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["rev-parse", "--verify", "--quiet"])
            .arg(format!("{rev}^{{commit}}"))
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !verify.status.success() {
            return Err(format!("`{rev}` is not a git revision of {}", root.display()));
        }
        let dir = std::env::temp_dir().join(format!(
            "flightapi-diff-{}-{}",
            std::process::id(),
            rev.replace(['/', '~', '^'], "_")
        ));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let tar = dir.join("spec.tar");
        let archive = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["archive", "--format=tar", "-o"])
            .arg(&tar)
            .arg(rev)
            .arg("spec")
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !archive.status.success() {
            return Err(format!("`{rev}` has no spec/ folder: {}", String::from_utf8_lossy(&archive.stderr).trim()));
        }
        let untar = Command::new("tar")
            .arg("-xf")
            .arg(&tar)
            .arg("-C")
            .arg(&dir)
            .output()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        if !untar.status.success() {
            return Err(format!("cannot unpack spec/ of `{rev}`"));
        }
        Ok(dir)
    }
}

/// The first folder from the current directory upward with `spec/` and `generated/Cargo.toml`.
fn find_root() -> Option<PathBuf> {
    let here = std::env::current_dir().ok()?;
    here.ancestors()
        .find(|d| d.join("spec").is_dir() && d.join("generated/Cargo.toml").is_file())
        .map(Path::to_path_buf)
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
