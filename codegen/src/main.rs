//! `cargo codegen`: the generator's command line (`cargo codegen --help`).
//!
//! The workspace is the first folder, from the current directory upward, that holds both
//! `spec/` and `generated/Cargo.toml`, or the one `--root DIR` names: never a path fixed when
//! the generator was compiled. Exit codes: 0 done (or fresh), 1 stale files or spec problems,
//! 2 usage errors.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use flightapi_codegen::{openapi, workspace_generator, Error, Report};

/// Regenerates `generated/` from `spec/`: the Rust types (`generated/src/gen/`), the vendor
/// features of `generated/Cargo.toml` and the OpenAPI 3.1 documents
/// (`generated/openapi/<vendor>.json`), writing only the files that changed.
#[derive(Debug, Parser)]
#[command(
    name = "cargo codegen",
    bin_name = "cargo codegen",
    args_conflicts_with_subcommands = true,
    after_help = "Exit codes: 0 done (or up to date), 1 stale files, spec problems or (diff --fail-on) \
                  breaking changes, 2 usage errors."
)]
struct Cli {
    /// Write nothing; exit 1 naming every stale file.
    #[arg(long)]
    check: bool,

    /// The workspace (default: the first folder from here upward with spec/ and
    /// generated/Cargo.toml).
    #[arg(long, value_name = "DIR", global = true)]
    root: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the spec only; exit 1 listing every problem.
    Lint,
    /// Write only the OpenAPI 3.1 documents, generated/openapi/<vendor>.json.
    Openapi {
        /// Write nothing; exit 1 naming every stale document.
        #[arg(long)]
        check: bool,
    },
    /// The change report between two versions of the spec.
    ///
    /// `--base REV` (a git revision, default HEAD) against the working tree's spec/, or `--old
    /// DIR --new DIR` (two spec folders); every change classified for the wire
    /// (breaking|compatible) and for the Rust API (major|minor|patch). Exit 0; 1 with
    /// `--fail-on breaking` when a change breaks callers; 2 on usage errors (an unknown
    /// revision, a folder that is not a spec).
    Diff(DiffArgs),
}

/// The arguments of `cargo codegen diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The git revision whose spec/ is the old version (default HEAD; the new one is the
    /// working tree's).
    #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
    base: Option<String>,
    /// The old spec folder (with --new).
    #[arg(long, value_name = "DIR", requires = "new")]
    old: Option<PathBuf>,
    /// The new spec folder (with --old).
    #[arg(long, value_name = "DIR", requires = "old")]
    new: Option<PathBuf>,
    /// How the report is written.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 when a change of this kind is found.
    #[arg(long, value_enum, value_name = "KIND")]
    fail_on: Option<FailOn>,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One line per change.
    Text,
    /// A Markdown table, for a pull request.
    Markdown,
    /// JSON, for tools.
    Json,
}

/// Changes that fail `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// A change that breaks existing callers on the wire.
    Breaking,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to standard output with 0; usage errors to standard error with 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    if let Some(Command::Diff(args)) = &cli.command {
        return diff::run(args, cli.root.clone());
    }
    let root = match cli.root.clone().or_else(find_root) {
        Some(root) => root,
        None => {
            eprintln!("no workspace here: no folder from the current one upward has spec/ and generated/Cargo.toml (use --root DIR)");
            return ExitCode::from(2);
        }
    };
    if !root.join("spec").is_dir() {
        eprintln!("{}: no spec/ folder here", root.display());
        return ExitCode::from(2);
    }
    let generator = workspace_generator(&root);
    let openapi_dir = root.join(openapi::DIR);
    let code_files = |r: Report| (generator.out_dir().to_owned(), r);
    let documents = |r: Report| (openapi_dir.clone(), r);
    let result = match cli.command {
        None if cli.check => generator
            .check()
            .and_then(|r| Ok(vec![code_files(r), documents(generator.openapi(&openapi_dir, true)?)]))
            .map(|reports| checked(&reports, &root, "generated/")),
        None => generator
            .generate()
            .and_then(|r| Ok(vec![code_files(r), documents(generator.openapi(&openapi_dir, false)?)]))
            .map(|reports| written(&reports, &root)),
        Some(Command::Openapi { check: true }) => generator
            .openapi(&openapi_dir, true)
            .map(|r| checked(&[documents(r)], &root, &format!("{}/", openapi::DIR))),
        Some(Command::Openapi { check: false }) => {
            generator.openapi(&openapi_dir, false).map(|r| written(&[documents(r)], &root))
        }
        Some(Command::Lint) => generator
            .lint()
            .map(|ir| {
                let ops: usize = ir.vendors.iter().map(|v| v.operations.len()).sum();
                println!("spec/ is valid: {} vendor(s), {ops} operation(s)", ir.vendors.len());
                ExitCode::SUCCESS
            })
            .map_err(Error::Spec),
        Some(Command::Diff(_)) => unreachable!("handled above"),
    };
    result.unwrap_or_else(|e| {
        eprintln!("{e}");
        ExitCode::FAILURE
    })
}

/// Prints what writing did (each report's paths are relative to its folder).
fn written(reports: &[(PathBuf, Report)], root: &Path) -> ExitCode {
    let (mut changed, mut removed, mut unchanged) = (0, 0, 0);
    for (dir, report) in reports {
        for f in &report.changed {
            println!("wrote {}", display(&dir.join(f), root));
        }
        for f in &report.removed {
            println!("removed {}", display(&dir.join(f), root));
        }
        changed += report.changed.len();
        removed += report.removed.len();
        unchanged += report.unchanged.len();
    }
    println!("{changed} file(s) written, {removed} removed, {unchanged} unchanged");
    ExitCode::SUCCESS
}

/// Prints what a check found: success when nothing is stale.
fn checked(reports: &[(PathBuf, Report)], root: &Path, what: &str) -> ExitCode {
    if reports.iter().all(|(_, r)| r.is_fresh()) {
        let files: usize = reports.iter().map(|(_, r)| r.unchanged.len()).sum();
        println!("{what} is up to date ({files} files)");
        return ExitCode::SUCCESS;
    }
    for (dir, report) in reports {
        for f in &report.changed {
            eprintln!("stale: {}", display(&dir.join(f), root));
        }
        for f in &report.removed {
            eprintln!("stale (no longer generated): {}", display(&dir.join(f), root));
        }
    }
    eprintln!("run `cargo codegen` to regenerate");
    ExitCode::FAILURE
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

    pub fn run(args: &super::DiffArgs, root: Option<PathBuf>) -> ExitCode {
        let base = args.base.clone();
        let (old, new) = (args.old.clone(), args.new.clone());
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
        let text = match args.format {
            super::Format::Markdown => diff::markdown(&changes),
            super::Format::Json => diff::json(&changes),
            super::Format::Text => diff::text(&changes),
        };
        print!("{text}");
        if args.fail_on == Some(super::FailOn::Breaking) && changes.iter().any(|c| c.wire == diff::Wire::Breaking) {
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
