//! Stage 1, load: reads `spec/` into the spec model, keeping where every YAML node is.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::rt::violation::JsonPath;
use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::model::{OperationFile, TypesFile, VendorFile};

/// A problem in a spec file, printed as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as shown to the user (`spec/<vendor>/vendor.yaml`).
    pub file: String,
    /// 1-based line and column, when known.
    pub pos: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(f, "{} problem{} found", self.0.len(), if self.0.len() == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// One loaded YAML file: its model and the position of every node.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// The file as shown in messages.
    pub file: String,
    /// The parsed model.
    pub model: T,
    /// Node positions keyed by path (`request.fields[2].pattern`).
    pub locations: Locations,
}

impl<T> Loaded<T> {
    /// A diagnostic at `path` in this file (at the nearest enclosing node that has a position).
    pub fn diag(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic { file: self.file.clone(), pos: self.locations.find(path), message: message.into() }
    }
}

/// Node positions of one YAML file.
#[derive(Debug, Clone, Default)]
pub struct Locations(HashMap<String, (usize, usize)>);

impl Locations {
    /// The position of `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path;
        loop {
            if let Some(pos) = self.0.get(p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    fn parse(text: &str) -> Locations {
        let mut walker = Walker::default();
        let _ = Parser::new_from_str(text).load(&mut walker, false);
        Locations(walker.positions)
    }
}

#[derive(Default)]
struct Walker {
    path: JsonPath,
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
}

enum Frame {
    Map { key: Option<String> },
    Seq { next: usize },
}

impl Walker {
    fn key_path(&self) -> String {
        self.path.to_string().trim_start_matches('$').trim_start_matches('.').to_owned()
    }

    /// A node starts: returns whether it was a mapping key.
    fn node(&mut self, mark: Marker, key_text: Option<&str>, is_map: bool) -> bool {
        let pos = (mark.line(), mark.col() + 1);
        let here = self.key_path();
        match self.stack.last_mut() {
            Some(Frame::Map { key }) if key.is_none() => {
                let k = key_text.unwrap_or_default().to_owned();
                // A block mapping's own start mark is unreliable: its first key places it.
                self.positions.entry(here).or_insert(pos);
                self.path.push_key(&k);
                *key = Some(k);
                let p = self.key_path();
                self.positions.entry(p).or_insert(pos);
                true
            }
            Some(Frame::Seq { next }) => {
                self.path.push_index(*next);
                *next += 1;
                if !is_map {
                    let p = self.key_path();
                    self.positions.entry(p).or_insert(pos);
                }
                false
            }
            _ => false,
        }
    }

    /// A value node ended: leave its path.
    fn done(&mut self) {
        let leaves_a_level = match self.stack.last_mut() {
            Some(Frame::Map { key }) => key.take().is_some(),
            Some(Frame::Seq { .. }) => true,
            None => false,
        };
        if leaves_a_level {
            self.path.pop();
        }
    }

    /// A scalar or alias: a mapping key, or a value that ends at once.
    fn leaf(&mut self, mark: Marker, text: Option<&str>) {
        let was_key = self.node(mark, text, false);
        if !was_key {
            self.done();
        }
    }
}

impl MarkedEventReceiver for Walker {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(text, ..) => self.leaf(mark, Some(&text)),
            Event::Alias(_) => self.leaf(mark, None),
            Event::MappingStart(..) => {
                self.node(mark, None, true);
                self.stack.push(Frame::Map { key: None });
            }
            Event::SequenceStart(..) => {
                self.node(mark, None, false);
                self.stack.push(Frame::Seq { next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.done();
            }
            _ => {}
        }
    }
}

/// One vendor folder, loaded.
#[derive(Debug, Clone)]
pub struct VendorSpec {
    /// `vendor.yaml`.
    pub vendor: Loaded<VendorFile>,
    /// `types.yaml`, if present.
    pub types: Option<Loaded<TypesFile>>,
    /// `operations/*.yaml`, sorted by file name.
    pub operations: Vec<Loaded<OperationFile>>,
}

/// Reads every vendor folder under `spec_dir`. `shown_as` is how `spec_dir` appears in messages.
pub fn load(spec_dir: &Path, shown_as: &str) -> Result<Vec<VendorSpec>, Diagnostics> {
    let mut diags = Vec::new();
    let mut vendors = Vec::new();
    let dirs = match sorted_entries(spec_dir) {
        Ok(d) => d,
        Err(e) => {
            return Err(Diagnostics(vec![Diagnostic {
                file: shown_as.to_owned(),
                pos: None,
                message: format!("cannot read the spec folder: {e}"),
            }]))
        }
    };
    for dir in dirs.into_iter().filter(|p| p.is_dir()) {
        let rel = |p: &Path| {
            let r = p.strip_prefix(spec_dir).unwrap_or(p);
            format!("{}/{}", shown_as.trim_end_matches('/'), r.display()).replace('\\', "/")
        };
        let vendor_path = dir.join("vendor.yaml");
        if !vendor_path.exists() {
            diags.push(Diagnostic {
                file: rel(&dir),
                pos: None,
                message: "a vendor folder needs a vendor.yaml".into(),
            });
            continue;
        }
        let vendor = read_file::<VendorFile>(&vendor_path, rel(&vendor_path), &mut diags);
        let types_path = dir.join("types.yaml");
        let types =
            types_path.exists().then(|| read_file::<TypesFile>(&types_path, rel(&types_path), &mut diags)).flatten();
        let mut operations = Vec::new();
        let ops_dir = dir.join("operations");
        if ops_dir.is_dir() {
            match sorted_entries(&ops_dir) {
                Ok(files) => {
                    let files: Vec<PathBuf> = files
                        .into_iter()
                        .filter(|f| f.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                        .collect();
                    let read = crate::par::map(&files, |f| {
                        let mut found = Vec::new();
                        let op = read_file::<OperationFile>(f, rel(f), &mut found);
                        (op, found)
                    });
                    for (op, found) in read {
                        diags.extend(found);
                        operations.extend(op);
                    }
                }
                Err(e) => diags.push(Diagnostic { file: rel(&ops_dir), pos: None, message: e.to_string() }),
            }
        }
        if let Some(vendor) = vendor {
            vendors.push(VendorSpec { vendor, types, operations });
        }
    }
    if diags.is_empty() {
        Ok(vendors)
    } else {
        Err(Diagnostics(diags))
    }
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    entries.sort();
    Ok(entries)
}

fn read_file<T: DeserializeOwned>(path: &Path, shown: String, diags: &mut Vec<Diagnostic>) -> Option<Loaded<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            diags.push(Diagnostic { file: shown, pos: None, message: format!("cannot read: {e}") });
            return None;
        }
    };
    parse_str(&text, shown).map_err(|d| diags.push(d)).ok()
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into
/// "unknown key `x` (did you mean `a`?)", or lists the keys when nothing is close.
fn hint_unknown_key(message: &mut String) {
    let Some(start) = message.find("unknown field `") else { return };
    let rest = &message[start + "unknown field `".len()..];
    let Some(end) = rest.find('`') else { return };
    let key = rest[..end].to_owned();
    let expected: Vec<&str> = rest[end..].split('`').skip(2).step_by(2).collect();
    let hint = match crate::names::closest(&key, &expected) {
        Some(k) => format!(" (did you mean `{k}`?)"),
        None if expected.is_empty() => String::new(),
        None => format!(" (expected one of {})", expected.join(", ")),
    };
    *message = format!("{}unknown key `{key}`{hint}", &message[..start]);
}

/// Parses one spec file's text.
pub fn parse_str<T: DeserializeOwned>(text: &str, shown: String) -> Result<Loaded<T>, Diagnostic> {
    match serde_yaml::from_str::<T>(text) {
        Ok(model) => Ok(Loaded { file: shown, model, locations: Locations::parse(text) }),
        Err(e) => {
            let pos = e.location().map(|l| (l.line(), l.column()));
            let mut message = e.to_string();
            // serde_yaml appends " at line L column C"; the position is already in front.
            if let Some(cut) = message.find(" at line ") {
                message.truncate(cut);
            }
            hint_unknown_key(&mut message);
            Err(Diagnostic { file: shown, pos, message })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_keys_and_items() {
        let text = "a: 1\nb:\n  - x: 2\n    y: [3, 4]\n  - z\n";
        let l = Locations::parse(text);
        assert_eq!(l.find("a"), Some((1, 1)));
        assert_eq!(l.find("b"), Some((2, 1)));
        assert_eq!(l.find("b[0]"), Some((3, 5)));
        assert_eq!(l.find("b[0].y"), Some((4, 5)));
        assert_eq!(l.find("b[0].y[1]"), Some((4, 12)));
        assert_eq!(l.find("b[1]"), Some((5, 5)));
        assert_eq!(l.find("b[0].y[1].nothing"), Some((4, 12)));
    }
}
