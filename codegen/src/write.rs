//! Stage 4, write: tokens → `syn` → `prettyplease` → header → file, written only if the bytes
//! differ. The single choke point for output.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{Body, Module};
use crate::Error;

/// How modules map to files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `mod.rs` plus one file per module (`<vendor>/mod.rs`, `<vendor>/types.rs`, ...).
    Files,
    /// Everything in one file, modules inline (for `include!` from a build script).
    SingleFile,
}

/// Renders a module tree into formatted files, keyed by path relative to the output folder.
pub fn render(root: &Module, layout: Layout, header: &str) -> Result<BTreeMap<PathBuf, String>, Error> {
    let mut jobs = Vec::new();
    match layout {
        Layout::Files => collect_files(root, Path::new(""), true, &mut jobs),
        Layout::SingleFile => jobs.push(Job {
            path: PathBuf::from("mod.rs"),
            mods: String::new(),
            body: Src::Text(inline(root).to_string()),
        }),
    }
    format_all(jobs, header)
}

/// One output file: its path, the `mod` lines of its children, and its body.
struct Job<'m> {
    path: PathBuf,
    mods: String,
    body: Src<'m>,
}

/// A file's body: text already, or a module body its worker builds.
enum Src<'m> {
    Text(String),
    Make(&'m (dyn Fn() -> TokenStream + Send + Sync)),
}

/// Emits (where deferred) and formats every file, spread over the machine's cores: token
/// streams cannot cross threads, so each worker builds the tokens of the files it formats.
fn format_all(jobs: Vec<Job>, header: &str) -> Result<BTreeMap<PathBuf, String>, Error> {
    let formatted = crate::par::map(&jobs, |job| {
        let text = match &job.body {
            Src::Text(text) => text.clone(),
            Src::Make(make) => {
                let (inner, rest) = split_inner(&make());
                format!("{inner} {} {rest}", job.mods)
            }
        };
        format(&text, header, &job.path.display().to_string())
    });
    jobs.into_iter().zip(formatted).map(|(job, f)| f.map(|f| (job.path, f))).collect()
}

fn collect_files<'m>(m: &'m Module, dir: &Path, is_root: bool, out: &mut Vec<Job<'m>>) {
    let mut mods = TokenStream::new();
    for child in &m.children {
        let attrs = &child.attrs;
        let name = format_ident!("{}", child.name);
        mods.extend(quote!(#attrs pub mod #name;));
    }
    let path = if is_root || !m.children.is_empty() { dir.join("mod.rs") } else { dir.with_extension("rs") };
    let body = match &m.body {
        Body::Ready(tokens) => {
            // Inner attributes (`//!` docs) must come first.
            let (inner, rest) = split_inner(tokens);
            Src::Text(quote!(#inner #mods #rest).to_string())
        }
        Body::Deferred(make) => Src::Make(make.as_ref()),
    };
    out.push(Job { path, mods: mods.to_string(), body });
    for child in &m.children {
        let child_dir = dir.join(&child.name);
        collect_files(child, &child_dir, false, out);
    }
}

fn inline(m: &Module) -> TokenStream {
    let (inner, rest) = split_inner(&m.body.tokens());
    let children = m.children.iter().map(|c| {
        let attrs = &c.attrs;
        let name = format_ident!("{}", c.name);
        let body = inline(c);
        quote!(#attrs pub mod #name { #body })
    });
    quote!(#inner #(#children)* #rest)
}

/// Splits leading `#![...]` attributes from the rest.
fn split_inner(tokens: &TokenStream) -> (TokenStream, TokenStream) {
    let mut inner = TokenStream::new();
    let mut iter = tokens.clone().into_iter().peekable();
    loop {
        let mut probe = iter.clone();
        match (probe.next(), probe.next(), probe.next()) {
            (Some(proc_macro2::TokenTree::Punct(p)), Some(proc_macro2::TokenTree::Punct(bang)), Some(group))
                if p.as_char() == '#' && bang.as_char() == '!' =>
            {
                inner.extend([iter.next().unwrap(), iter.next().unwrap(), iter.next().unwrap()]);
                let _ = group;
            }
            _ => break,
        }
    }
    (inner, iter.collect())
}

fn format(source: &str, header: &str, shown: &str) -> Result<String, Error> {
    let file = syn::parse_file(source).map_err(|e| Error::Format { file: shown.to_owned(), message: e.to_string() })?;
    // prettyplease puts items back to back; a blank line between them keeps the output (and
    // its diffs) readable. Runs of `mod x;` and `use` lines stay together.
    let unparse = |attrs: Vec<syn::Attribute>, items: Vec<syn::Item>| {
        prettyplease::unparse(&syn::File { shebang: None, attrs, items })
    };
    let mut out = format!("{header}\n\n");
    if !file.attrs.is_empty() {
        out.push_str(&unparse(file.attrs, Vec::new()));
        out.push('\n');
    }
    let short =
        |item: &syn::Item| matches!(item, syn::Item::Use(_) | syn::Item::Mod(syn::ItemMod { content: None, .. }));
    let mut previous: Option<bool> = None;
    for item in file.items {
        let is_short = short(&item);
        if previous.is_some_and(|p| !(p && is_short)) {
            out.push('\n');
        }
        previous = Some(is_short);
        out.push_str(&unparse(Vec::new(), vec![item]));
    }
    Ok(out)
}

/// What writing did, or would do in check mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Files whose contents changed (or would).
    pub changed: Vec<PathBuf>,
    /// Files that were already up to date.
    pub unchanged: Vec<PathBuf>,
    /// Files in the output folder that no spec produces any more (removed unless checking).
    pub removed: Vec<PathBuf>,
}

impl Report {
    /// Whether the output folder already matched.
    pub fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Writes `files` under `out_dir`, touching only files whose bytes differ; with `check`,
/// writes nothing and reports what differs.
pub fn write(out_dir: &Path, files: &BTreeMap<PathBuf, String>, check: bool) -> Result<Report, Error> {
    write_with_extension(out_dir, files, check, "rs")
}

/// [`write()`] for files of another kind: the files in `out_dir` with this extension that
/// `files` does not name are the stale ones.
pub fn write_with_extension(
    out_dir: &Path,
    files: &BTreeMap<PathBuf, String>,
    check: bool,
    extension: &str,
) -> Result<Report, Error> {
    let mut report = Report::default();
    for (rel, text) in files {
        let path = out_dir.join(rel);
        let current = std::fs::read(&path).ok();
        if current.as_deref() == Some(text.as_bytes()) {
            report.unchanged.push(rel.clone());
            continue;
        }
        report.changed.push(rel.clone());
        if !check {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::Io { path: parent.to_owned(), source: e })?;
            }
            std::fs::write(&path, text).map_err(|e| Error::Io { path: path.clone(), source: e })?;
        }
    }
    for existing in existing_files(out_dir, extension) {
        let rel = existing.strip_prefix(out_dir).unwrap_or(&existing).to_owned();
        if !files.contains_key(&rel) {
            if !check {
                std::fs::remove_file(&existing).map_err(|e| Error::Io { path: existing.clone(), source: e })?;
            }
            report.removed.push(rel);
        }
    }
    Ok(report)
}

fn existing_files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == extension) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The first line of the block of cargo features the generator keeps in the crate's manifest.
pub const FEATURES_BEGIN: &str = "# @generated vendor features: begin (`cargo codegen` writes this block from spec/)";
/// Its last line.
pub const FEATURES_END: &str = "# @generated vendor features: end";

/// The manifest `text` with its vendor-features block rewritten: one feature per vendor and
/// `vendors`, all of them. Fails naming the exact lines to add when the block is missing.
pub fn manifest_features(text: &str, shown: &str, vendors: &[String]) -> Result<String, Error> {
    let missing = || Error::Format {
        file: shown.to_owned(),
        message: format!(
            "the [features] table needs the generator's block: add the two lines\n{FEATURES_BEGIN}\n{FEATURES_END}"
        ),
    };
    let start = text.find(FEATURES_BEGIN).ok_or_else(missing)?;
    let end = text[start..].find(FEATURES_END).map(|e| start + e).ok_or_else(missing)?;
    let mut block = format!("{FEATURES_BEGIN}\n");
    let quoted: Vec<String> = vendors.iter().map(|v| format!("\"{v}\"")).collect();
    block.push_str(&format!("vendors = [{}]\n", quoted.join(", ")));
    for v in vendors {
        block.push_str(&format!("{v} = []\n"));
    }
    Ok(format!("{}{block}{}", &text[..start], &text[end..]))
}
