//! Stage 2, lower: resolves names and references, checks the spec, and builds the IR that
//! `emit` turns into Rust. Every problem is collected before failing.
//!
//! Two things come out per vendor: the Rust items (structs, enums, validated newtypes, placed in
//! the `types` module, an operation module or the vendor root) and the wire [`Schema`] that
//! the runtime validator interprets. Rust items depend on direction (requests are strict and
//! use validated newtypes; responses are lenient), the schema does not.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::rt::schema::{self as rs, Direction, Kind, Pattern, Schema, TypeDef, TypeId};
use serde_json::Value;

use crate::load::{Diagnostic, Diagnostics, Loaded, Locations, VendorSpec};
use crate::model::{self, Shape, TypeName};
use crate::names;

mod check;
mod ir;
mod operation;
mod protocol;
mod resolve;
mod schema;
mod types;

pub use ir::*;
use operation::{body_shape, params_shape};
use types::doc_lines;

/// Lowers every loaded vendor.
pub fn lower(specs: &[VendorSpec]) -> Result<Ir, Diagnostics> {
    let mut diags = Vec::new();
    let mut vendors = Vec::new();
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for spec in specs {
        let v = &spec.vendor;
        let module = names::module(&v.model.vendor);
        let valid = v.model.vendor.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && v.model.vendor.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            diags.push(v.diag("vendor", format!("vendor name `{}` must be lowercase letters, digits and `_` (it names a module and a cargo feature)", v.model.vendor)));
            continue;
        }
        if let Some(first) = seen.insert(module.clone(), &v.file) {
            diags.push(v.diag("vendor", format!("vendor `{}` is also defined in {first}", v.model.vendor)));
        }
        let bodies: Vec<[Shape; 3]> = spec
            .operations
            .iter()
            .map(|o| {
                [body_shape(o.model.request.as_ref()), body_shape(o.model.response.as_ref()), params_shape(&o.model)]
            })
            .collect();
        let mut lowerer = Lowerer::new(spec, &bodies);
        let vendor = lowerer.vendor();
        diags.append(&mut lowerer.diags);
        vendors.push(vendor);
    }
    diags.sort_by(|a, b| (&a.file, a.pos).cmp(&(&b.file, b.pos)));
    diags.dedup();
    if diags.is_empty() {
        vendors.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Ir { vendors })
    } else {
        Err(Diagnostics(diags))
    }
}

/// Where a shape is written: which file (0 = vendor.yaml, 1 = types.yaml, 2.. = operations) and path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct At {
    file: usize,
    path: String,
}

impl At {
    fn join(&self, suffix: &str) -> At {
        let sep = if self.path.is_empty() || suffix.starts_with('[') { "" } else { "." };
        At { file: self.file, path: format!("{}{sep}{suffix}", self.path) }
    }
}

struct Lowerer<'a> {
    spec: &'a VendorSpec,
    /// Each operation's request body, response body and path parameters as object shapes.
    bodies: &'a [[Shape; 3]],
    files: Vec<(String, Option<&'a Locations>)>,
    diags: Vec<Diagnostic>,
    named: BTreeMap<String, (&'a Shape, At)>,
    types: Vec<TypeDef>,
    /// The spec file (index into `files`) each type was written in.
    type_files: Vec<usize>,
    patterns: Vec<Pattern>,
    /// The spec file each pattern was written in.
    pattern_files: Vec<usize>,
    schema_memo: HashMap<At, TypeId>,
    rust_memo: HashMap<(String, bool), RustTy>,
    /// Named types whose Rust type is being built (to box self-containing types).
    in_progress: BTreeSet<(String, bool)>,
    /// References being resolved (to stop reference cycles).
    resolving: BTreeSet<At>,
    /// The shared entries of unconstrained scalars, by spec file and kind.
    scalars: HashMap<(usize, &'static str), TypeId>,
    both_ways: BTreeSet<String>,
    items: BTreeMap<Loc, Vec<Item>>,
    item_names: HashMap<(Loc, String), At>,
    formats: BTreeMap<String, String>,
    /// The vendor lists an `encryption_key` credential (needed by `encrypted` values).
    encryption_key_declared: bool,
    /// The types whose kinds are being built, innermost last.
    building: Vec<TypeId>,
    /// `required_in` / `only_in` rules, by type and field.
    profile_rules: Vec<rs::ProfileRule>,
    /// Rules across fields, by type.
    cross_rules: Vec<rs::CrossRule>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a VendorSpec, bodies: &'a [[Shape; 3]]) -> Self {
        let mut files: Vec<(String, Option<&Locations>)> =
            vec![(spec.vendor.file.clone(), Some(&spec.vendor.locations))];
        match &spec.types {
            Some(t) => files.push((t.file.clone(), Some(&t.locations))),
            None => files.push((String::new(), None)),
        }
        files.extend(spec.operations.iter().map(|o| (o.file.clone(), Some(&o.locations))));
        Lowerer {
            spec,
            bodies,
            files,
            diags: Vec::new(),
            named: BTreeMap::new(),
            types: Vec::new(),
            type_files: Vec::new(),
            patterns: Vec::new(),
            pattern_files: Vec::new(),
            schema_memo: HashMap::new(),
            rust_memo: HashMap::new(),
            in_progress: BTreeSet::new(),
            resolving: BTreeSet::new(),
            scalars: HashMap::new(),
            both_ways: BTreeSet::new(),
            items: BTreeMap::new(),
            item_names: HashMap::new(),
            formats: BTreeMap::new(),
            encryption_key_declared: false,
            building: Vec::new(),
            profile_rules: Vec::new(),
            cross_rules: Vec::new(),
        }
    }

    fn error(&mut self, at: &At, message: impl Into<String>) {
        let (file, locs) = &self.files[at.file];
        self.diags.push(Diagnostic {
            file: file.clone(),
            pos: locs.and_then(|l| l.find(&at.path)),
            message: message.into(),
        });
    }

    fn vendor(&mut self) -> VendorIr {
        let spec = self.spec;
        let vf = &spec.vendor.model;
        // Named types first, so references resolve in any order.
        if let Some(types) = &spec.types {
            for (i, shape) in types.model.types.iter().enumerate() {
                let at = At { file: 1, path: format!("types[{i}]") };
                match &shape.name {
                    None => self.error(&at, "a named type needs a `name`"),
                    Some(name) if TypeName::is_builtin(name) => {
                        self.error(&at.join("name"), format!("`{name}` is a built-in type name"))
                    }
                    Some(name) => {
                        if let Some((_, first)) = self.named.get(name) {
                            let first = self.describe(first);
                            self.error(&at.join("name"), format!("duplicate type `{name}` (first defined at {first})"));
                        } else {
                            self.named.insert(name.clone(), (shape, at));
                        }
                    }
                }
            }
        }
        self.check_credentials(vf);
        let profiles = self.profiles(vf);
        self.find_directions();
        for (shape, at) in self.named.values().cloned().collect::<Vec<_>>() {
            self.schema_of(shape, &at);
        }

        let request_envelope = self.envelope(&vf.request_envelope, "request_envelope", false);
        let response_envelope = self.envelope(&vf.response_envelope, "response_envelope", true);

        let mut operations = Vec::new();
        let mut op_names: HashMap<String, At> = HashMap::new();
        for (i, loaded) in spec.operations.iter().enumerate() {
            let at = At { file: i + 2, path: String::new() };
            let module = names::module(&loaded.model.operation);
            if let Some(first) = op_names.get(&module) {
                let first = self.describe(first);
                self.error(
                    &at.join("operation"),
                    format!("operation `{}` is also defined at {first}", loaded.model.operation),
                );
                continue;
            }
            op_names.insert(module, at.clone());
            operations.push((loaded, at));
        }
        operations.sort_by(|a, b| a.0.model.operation.cmp(&b.0.model.operation));
        let mut op_irs = Vec::new();
        let mut op_schemas = Vec::new();
        for (index, (loaded, at)) in operations.into_iter().enumerate() {
            let (ir, schema_op) = self.operation(loaded, &at, index);
            op_irs.push(ir);
            op_schemas.push(schema_op);
        }
        // Named types no operation uses are still generated, request-side.
        for (name, (shape, at)) in self.named.clone() {
            if !self.rust_memo.contains_key(&(name.clone(), false))
                && !self.rust_memo.contains_key(&(name.clone(), true))
            {
                self.rust_of_named(&name, shape, &at, false);
            }
        }

        let schema = Schema {
            vendor: Cow::Owned(vf.vendor.clone()),
            types: std::mem::take(&mut self.types).into(),
            patterns: std::mem::take(&mut self.patterns).into(),
            operations: Cow::Owned(op_schemas),
            profile_rules: std::mem::take(&mut self.profile_rules).into(),
            cross_rules: std::mem::take(&mut self.cross_rules).into(),
            request_envelope: request_envelope.1,
            response_envelope: response_envelope.1,
        };
        // Examples and the protocol's JSON paths are checked against the finished schema.
        for (op, loaded) in op_irs.iter().zip(self.op_files(&op_irs)) {
            self.check_examples(&schema, op, loaded);
        }
        self.check_protocol(vf, &schema, &op_irs);
        let layout = self.layout(&op_irs);
        let mut items = std::mem::take(&mut self.items);
        let types = items.remove(&Loc::Types).unwrap_or_default();
        let root_items = items.remove(&Loc::Root).unwrap_or_default();
        for (i, op) in op_irs.iter_mut().enumerate() {
            op.items = items.remove(&Loc::Op(i)).unwrap_or_default();
        }
        let (headers, response_headers) = protocol::headers(vf);
        VendorIr {
            name: vf.vendor.clone(),
            module: names::module(&vf.vendor),
            title: vf.title.clone(),
            description: vf.description.clone(),
            docs: vf.docs.clone(),
            notes: vf.notes.clone(),
            base_urls: BaseUrlsIr {
                test: vf.base_urls.test.clone(),
                production: vf.base_urls.production.clone(),
                env: vf.base_url_env.clone(),
            },
            auth: protocol::auth(&vf.auth),
            headers,
            response_headers,
            credentials: protocol::credentials(vf),
            errors: protocol::errors(vf),
            mock: protocol::mock(vf),
            profiles,
            types,
            root_items,
            request_envelope: request_envelope.0,
            response_envelope: response_envelope.0,
            operations: op_irs,
            schema,
            layout,
            formats: std::mem::take(&mut self.formats),
        }
    }

    /// The module of every schema entry: a spec file's entries go to the module it generates.
    fn layout(&self, ops: &[OperationIr]) -> SchemaLayout {
        let op_files = self.op_files(ops);
        let loc = |file: usize| match file {
            0 => Loc::Root,
            1 => Loc::Types,
            f => op_files.iter().position(|o| *o == f).map(Loc::Op).unwrap_or(Loc::Root),
        };
        let mut named = BTreeMap::new();
        for (name, (_, at)) in &self.named {
            if let Some(id) = self.schema_memo.get(at) {
                named.insert(*id, name.clone());
            }
        }
        SchemaLayout {
            types: self.type_files.iter().map(|f| loc(*f)).collect(),
            patterns: self.pattern_files.iter().map(|f| loc(*f)).collect(),
            named,
        }
    }

    fn op_files(&self, ops: &[OperationIr]) -> Vec<usize> {
        ops.iter()
            .map(|op| {
                self.spec.operations.iter().position(|o| o.model.operation == op.wire).map(|p| p + 2).unwrap_or(0)
            })
            .collect()
    }

    fn describe(&self, at: &At) -> String {
        let (file, locs) = &self.files[at.file];
        match locs.and_then(|l| l.find(&at.path)) {
            Some((l, c)) => format!("{file}:{l}:{c}"),
            None => file.clone(),
        }
    }
}

/// Lowering the fixture spec of `tests/fixtures/basic`, edited, for the unit tests of each part.
#[cfg(test)]
mod testing {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// Lowers the fixture with `edit` applied to `file` (relative to its spec folder): the IR,
    /// or every message.
    pub(super) fn lower_edited(file: &str, edit: impl Fn(&str) -> String) -> Result<Ir, Vec<String>> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/basic/spec");
        let dir: PathBuf = std::env::temp_dir().join(format!(
            "flightapi-lower-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        copy(&fixture, &dir);
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edit(&text)).unwrap();
        let lowered = crate::load::load(&dir, "spec")
            .and_then(|specs| lower(&specs))
            .map_err(|d| d.0.iter().map(|d| d.to_string()).collect());
        std::fs::remove_dir_all(&dir).unwrap();
        lowered
    }

    /// The fixture as it is.
    pub(super) fn fixture() -> Ir {
        lower_edited("aero/vendor.yaml", str::to_owned).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// A named type appended to the `aero` vendor's types.
    pub(super) fn with_type(yaml: &str) -> Result<Ir, Vec<String>> {
        lower_edited("aero/types.yaml", |t| format!("{t}\n{yaml}"))
    }
}
