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
use crate::model::{self, DecimalWire, Shape};
use crate::names;

mod protocol;

/// The lowered spec: everything `emit` needs, with every name decided.
#[derive(Debug, Clone)]
pub struct Ir {
    /// Vendors, sorted by name.
    pub vendors: Vec<VendorIr>,
}

/// One vendor.
#[derive(Debug, Clone)]
pub struct VendorIr {
    /// Spec name and cargo feature.
    pub name: String,
    /// Rust module name.
    pub module: String,
    /// `vendor.yaml` as written.
    pub spec: model::VendorFile,
    /// Named types (module `types`).
    pub types: Vec<Item>,
    /// Inline types of the envelopes (vendor root).
    pub root_items: Vec<Item>,
    /// The request envelope.
    pub request_envelope: EnvelopeIr,
    /// The response envelope.
    pub response_envelope: EnvelopeIr,
    /// Operations, sorted by wire name.
    pub operations: Vec<OperationIr>,
    /// The wire schema.
    pub schema: Schema,
    /// Which module holds each schema entry, so generated tables are addressed per module.
    pub layout: SchemaLayout,
    /// Date formats that need a marker type in the vendor root: format → type name.
    pub formats: BTreeMap<String, String>,
}

/// Where the schema's entries live in the generated code: each spec file (the vendor file, the
/// named types, each operation) owns the entries written in it, and its module holds them as one
/// part of the vendor's tables. A spec edit to one operation then renumbers only its own part.
#[derive(Debug, Clone, Default)]
pub struct SchemaLayout {
    /// The module of each entry of [`Schema::types`].
    pub types: Vec<Loc>,
    /// The module of each entry of [`Schema::patterns`].
    pub patterns: Vec<Loc>,
    /// Named types by schema entry (so other modules refer to them by name).
    pub named: BTreeMap<TypeId, String>,
}

/// An envelope around bodies.
#[derive(Debug, Clone)]
pub struct EnvelopeIr {
    /// Doc text.
    pub doc: Vec<String>,
    /// The envelope's fields.
    pub fields: Vec<FieldIr>,
    /// `None`: the body is flattened; `Some((wire, rust, required))`: the body is this field.
    pub body_field: Option<(String, String, bool)>,
    /// Lenient (a response envelope).
    pub inbound: bool,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// Wire name (`refundRequest`).
    pub wire: String,
    /// Module name (`refund_request`).
    pub module: String,
    /// The marker type implementing `rt::Operation` (`RefundRequest`).
    pub marker: String,
    /// The spec as written.
    pub spec: model::OperationFile,
    /// The request body.
    pub request: BodyIr,
    /// The response body.
    pub response: BodyIr,
    /// The `PathParams` struct, when the path has parameters.
    pub path_params: Option<StructIr>,
    /// Inline types of this operation.
    pub items: Vec<Item>,
    /// Examples as JSON.
    pub examples: Vec<ExampleIr>,
}

/// One example, as JSON.
#[derive(Debug, Clone)]
pub struct ExampleIr {
    /// Name.
    pub name: String,
    /// Request wire body.
    pub request: Option<Value>,
    /// Response wire body.
    pub response: Option<Value>,
    /// The response is an error answer.
    pub error: bool,
    /// The response's HTTP status.
    pub status: u16,
}

/// A request or response body.
#[derive(Debug, Clone)]
pub enum BodyIr {
    /// Its own struct (`Request`, `Response`).
    Struct(StructIr),
    /// Not described by the docs: a raw JSON object (`pub type Request = rt::RawObject;`).
    Raw {
        /// Its schema type (`any`).
        schema_id: TypeId,
    },
    /// A named type (`pub type Request = super::types::FormOfPayment;`).
    Named {
        /// The alias's doc lines.
        doc: Vec<String>,
        /// The named type.
        ty: RustTy,
        /// Its schema type.
        schema_id: TypeId,
    },
}

impl BodyIr {
    /// The body's schema type.
    pub fn schema_id(&self) -> TypeId {
        match self {
            BodyIr::Struct(s) => s.schema_id,
            BodyIr::Named { schema_id, .. } | BodyIr::Raw { schema_id } => *schema_id,
        }
    }
}

/// A generated Rust item.
#[derive(Debug, Clone)]
pub enum Item {
    /// A struct.
    Struct(StructIr),
    /// An enum.
    Enum(EnumIr),
    /// A validated string newtype.
    Newtype(NewtypeIr),
    /// A one-of enum.
    OneOf(OneOfIr),
}

/// A one-of enum: one alternative of several, each wrapped under its name.
#[derive(Debug, Clone)]
pub struct OneOfIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: keeps values naming no known alternative.
    pub inbound: bool,
    /// The key that names the alternative in the flat form.
    pub tag_field: Option<String>,
    /// `(wrapping key, Rust variant, payload type, doc)`.
    pub variants: Vec<(String, String, RustTy, String)>,
    /// Schema type.
    pub schema_id: TypeId,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: lenient, keeps unknown fields.
    pub inbound: bool,
    /// Fields in wire order.
    pub fields: Vec<FieldIr>,
    /// Schema type.
    pub schema_id: TypeId,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct FieldIr {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Other wire spellings accepted on input.
    pub aliases: Vec<String>,
    /// Rust type without the `Option`.
    pub ty: RustTy,
    /// Must be present.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// How a decimal is written, when the field is a decimal.
    pub decimal: Option<DecimalWire>,
    /// Doc lines.
    pub doc: Vec<String>,
}

impl FieldIr {
    /// Whether the Rust type is `Option<_>`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// An enum.
#[derive(Debug, Clone)]
pub struct EnumIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: keeps unknown values.
    pub inbound: bool,
    /// Wire values are integers.
    pub integer: bool,
    /// Integer values are also read from strings.
    pub integer_as_string: bool,
    /// Variants.
    pub variants: Vec<VariantIr>,
}

/// An enum variant.
#[derive(Debug, Clone)]
pub struct VariantIr {
    /// Wire value.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Doc line.
    pub doc: String,
}

/// A validated string newtype.
#[derive(Debug, Clone)]
pub struct NewtypeIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Schema type holding its rule.
    pub schema_id: TypeId,
}

/// Where an item is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loc {
    /// The vendor module.
    Root,
    /// The vendor's `types` module.
    Types,
    /// An operation module (index into `operations`).
    Op(usize),
}

/// A Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum RustTy {
    /// `String`.
    String,
    /// `i64`.
    I64,
    /// `rt::LooseInt`: an `i64` also read from a string holding the number.
    LooseI64,
    /// `serde_json::Number`.
    Number,
    /// `bool`.
    Bool,
    /// `rust_decimal::Decimal`.
    Decimal,
    /// `LocalDate<F>`; the format's marker.
    Date(FormatRef),
    /// `LocalDateTime<F>`.
    DateTime(FormatRef),
    /// `serde_json::Value`.
    Any,
    /// `Vec<T>`.
    Vec(Box<RustTy>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustTy>),
    /// `Secret<T>`.
    Secret(Box<RustTy>),
    /// `Box<T>`, for a type that contains itself.
    Boxed(Box<RustTy>),
    /// `Encrypted<T>`: sent as ciphertext, handled as `T`.
    Encrypted(Box<RustTy>),
    /// `serde_json::Map<String, Value>`: an undocumented body.
    RawObject,
    /// A generated item.
    Named(Loc, String),
}

/// A date format marker type.
#[derive(Debug, Clone, PartialEq)]
pub enum FormatRef {
    /// One of the runtime's (`IsoDate`).
    Runtime(&'static str),
    /// Generated in the vendor root.
    Vendor(String),
}

const BUILTIN: &[&str] = &[
    "string",
    "integer",
    "number",
    "boolean",
    "decimal",
    "date",
    "datetime",
    "enum",
    "object",
    "one_of",
    "array",
    "map",
    "any",
    "encrypted",
];

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
                    Some(name) if BUILTIN.contains(&name.as_str()) => {
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
        self.check_profiles(vf);
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
        VendorIr {
            name: vf.vendor.clone(),
            module: names::module(&vf.vendor),
            spec: vf.clone(),
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

    /// Which named types are reachable from requests, from responses, or from both.
    fn find_directions(&mut self) {
        let vf = &self.spec.vendor.model;
        let mut out = BTreeSet::new();
        let mut inb = BTreeSet::new();
        for f in &vf.request_envelope.fields {
            self.reach(f, &mut out);
        }
        for f in &vf.response_envelope.fields {
            self.reach(f, &mut inb);
        }
        for (op, [request, response, params]) in self.spec.operations.iter().zip(self.bodies) {
            let (sent, received) = if op.model.inbound { (response, request) } else { (request, response) };
            self.reach(sent, &mut out);
            self.reach(params, &mut out);
            self.reach(received, &mut inb);
        }
        self.both_ways = out.intersection(&inb).cloned().collect();
    }

    fn reach(&self, shape: &Shape, seen: &mut BTreeSet<String>) {
        if let Some((named, _)) = self.named.get(&shape.ty) {
            if seen.insert(shape.ty.clone()) {
                self.reach(named, seen);
            }
        }
        for f in &shape.fields {
            self.reach(f, seen);
        }
        if let Some(items) = &shape.items {
            self.reach(items, seen);
        }
        if let Some(values) = &shape.values_type {
            self.reach(values, seen);
        }
        if let Some(plain) = &shape.plaintext {
            self.reach(plain, seen);
        }
        for v in &shape.variants {
            self.reach(v, seen);
        }
    }

    fn envelope(&mut self, env: &'a model::Envelope, key: &str, inbound: bool) -> (EnvelopeIr, rs::Envelope) {
        let at = At { file: 0, path: key.to_owned() };
        let mut fields = Vec::new();
        let mut schema_fields = Vec::new();
        for (i, f) in env.fields.iter().enumerate() {
            let fat = at.join(&format!("fields[{i}]"));
            if let Some((sf, fi)) = self.field(f, &fat, Loc::Root, inbound) {
                schema_fields.push(sf);
                fields.push(fi);
            }
        }
        if let Some(body) = &env.body_field {
            if env.fields.iter().any(|f| f.name.as_deref() == Some(body)) {
                self.error(&at.join("body_field"), format!("`{body}` is both the body field and an envelope field"));
            }
        } else if env.body_required {
            self.error(&at.join("body_required"), "`body_required` needs a `body_field`");
        }
        if let Some(op_field) = &env.operation_field {
            let is_string = env.fields.iter().any(|f| f.name.as_deref() == Some(op_field.as_str()) && f.ty == "string");
            if !is_string {
                self.error(&at.join("operation_field"), format!("`{op_field}` is not a string field of this envelope"));
            }
        }
        let body = match &env.body_field {
            Some(name) => rs::BodyPlacement::Field { name: Cow::Owned(name.clone()), required: env.body_required },
            None => rs::BodyPlacement::Flatten,
        };
        let ir = EnvelopeIr {
            doc: vec![crate::emit::prose(&env.description)],
            fields,
            body_field: env.body_field.as_ref().map(|b| (b.clone(), names::field(b), env.body_required)),
            inbound,
        };
        let operation_field = env.operation_field.clone().map(Cow::Owned);
        (ir, rs::Envelope { fields: Cow::Owned(schema_fields), body, operation_field })
    }

    fn check_profiles(&mut self, vf: &model::VendorFile) {
        let Some(p) = &vf.profiles else { return };
        let at = At { file: 0, path: "profiles".to_owned() };
        if let Err(e) = names::check_spec_name(&p.type_name, false) {
            self.error(&at.join("type_name"), e);
        }
        if p.values.is_empty() {
            self.error(&at.join("values"), "list at least one profile");
        }
        let mut seen = BTreeSet::new();
        for (i, v) in p.values.iter().enumerate() {
            let vat = at.join(&format!("values[{i}]"));
            let rust = v.name.clone().unwrap_or_else(|| names::variant(&v.value.text()));
            if let Err(e) = names::check_spec_name(&rust, false) {
                self.error(&vat.join("name"), e);
            }
            if !seen.insert(rust.clone()) {
                self.error(&vat.join("value"), format!("two profiles become `{rust}` in Rust"));
            }
        }
    }

    fn operation(
        &mut self,
        loaded: &'a Loaded<model::OperationFile>,
        at: &At,
        index: usize,
    ) -> (OperationIr, rs::OperationSchema) {
        let spec = &loaded.model;
        if !spec.path.starts_with('/') {
            self.error(&at.join("path"), format!("path `{}` must start with `/`", spec.path));
        }
        let loc = Loc::Op(index);
        let vf = &self.spec.vendor.model;
        for (key, body) in [("request", &spec.request), ("response", &spec.response)] {
            match (body, spec.undocumented) {
                (None, false) => {
                    self.error(at, format!("`{key}` is missing (or mark the operation `undocumented: true`)"))
                }
                (Some(_), true) => self.error(
                    &at.join(key),
                    format!("an `undocumented` operation has no `{key}`: its bodies are raw JSON"),
                ),
                _ => {}
            }
        }
        if spec.undocumented && spec.inbound {
            self.error(&at.join("inbound"), "an inbound (push) operation must describe its body");
        }
        for (key, body) in [("request", &spec.request), ("response", &spec.response)] {
            if let Some(body) = body.as_ref().filter(|b| b.empty) {
                if !body.fields.is_empty() || body.ty.is_some() {
                    self.error(&at.join(key).join("empty"), "an `empty` body has no `fields` or `type`");
                }
                let env = if key == "request" { &vf.request_envelope } else { &vf.response_envelope };
                if !env.fields.is_empty() || env.body_field.is_some() {
                    self.error(
                        &at.join(key).join("empty"),
                        format!("the vendor's {key} envelope has fields: the body cannot be `empty`"),
                    );
                }
            }
        }
        for (key, body, env) in
            [("request", &spec.request, &vf.request_envelope), ("response", &spec.response, &vf.response_envelope)]
        {
            let Some(body) = body else { continue };
            if env.body_field.is_some() {
                continue;
            }
            for (i, f) in body.fields.iter().enumerate() {
                let name = f.name.as_deref().unwrap_or_default();
                if env.fields.iter().any(|e| e.name.as_deref() == Some(name)) {
                    self.error(
                        &at.join(&format!("{key}.fields[{i}].name")),
                        format!(
                            "`{name}` is also a {key} envelope field, and the body sits beside the envelope's fields"
                        ),
                    );
                }
            }
        }
        let [request, response, params] = &self.bodies[at.file - 2];
        // A body that is absent (undocumented, or already reported missing) is raw JSON.
        let request = match &spec.request {
            Some(_) if !spec.undocumented => self.body(request, &at.join("request"), loc, spec.inbound, "Request"),
            _ => self.raw_body(request, &at.join("request")),
        };
        let response = match &spec.response {
            Some(_) if !spec.undocumented => self.body(response, &at.join("response"), loc, !spec.inbound, "Response"),
            _ => self.raw_body(response, &at.join("response")),
        };
        let path_params = self.path_params(spec, params, at, loc);
        let examples = spec
            .examples
            .iter()
            .enumerate()
            .map(|(i, e)| ExampleIr {
                name: e.name.clone(),
                error: e.error,
                status: e.status.unwrap_or(200),
                request: e
                    .request
                    .as_ref()
                    .and_then(|v| self.yaml_to_json(v, &at.join(&format!("examples[{i}].request")))),
                response: e
                    .response
                    .as_ref()
                    .and_then(|v| self.yaml_to_json(v, &at.join(&format!("examples[{i}].response")))),
            })
            .collect();
        let schema_op = rs::OperationSchema {
            name: Cow::Owned(spec.operation.clone()),
            request: request.schema_id(),
            response: response.schema_id(),
            path_params: path_params.as_ref().map(|p| p.schema_id),
        };
        let ir = OperationIr {
            wire: spec.operation.clone(),
            module: names::module(&spec.operation),
            marker: names::type_name(&spec.operation),
            spec: spec.clone(),
            request,
            response,
            path_params,
            items: Vec::new(),
            examples,
        };
        (ir, schema_op)
    }

    /// The `PathParams` struct of an operation whose path has `{name}` placeholders.
    fn path_params(&mut self, spec: &model::OperationFile, shape: &'a Shape, at: &At, loc: Loc) -> Option<StructIr> {
        let placeholders: Vec<&str> = spec
            .path
            .split('{')
            .skip(1)
            .map(|part| part.split_once('}').map(|(name, _)| name).unwrap_or(part))
            .collect();
        for name in &placeholders {
            if !shape.fields.iter().any(|f| f.name.as_deref() == Some(*name)) {
                self.error(&at.join("path"), format!("path parameter `{{{name}}}` is not declared in `path_params`"));
            }
        }
        for (i, f) in shape.fields.iter().enumerate() {
            let fat = at.join(&format!("path_params[{i}]"));
            let name = f.name.as_deref().unwrap_or_default();
            if !placeholders.contains(&name) {
                self.error(&fat, format!("path parameter `{name}` does not appear in the path `{}`", spec.path));
            }
            let scalar = match self.named.get(&f.ty) {
                Some((named, _)) => matches!(named.ty.as_str(), "string" | "integer" | "enum"),
                None => matches!(f.ty.as_str(), "string" | "integer" | "enum"),
            };
            if !scalar {
                self.error(&fat.join("type"), format!("path parameter `{name}` must be a string, integer or enum"));
            }
        }
        if shape.fields.is_empty() {
            return None;
        }
        Some(self.body_struct(shape, &at.join("path_params"), loc, false, "PathParams"))
    }

    fn yaml_to_json(&mut self, v: &serde_yaml::Value, at: &At) -> Option<Value> {
        match serde_json::to_value(v) {
            Ok(j) => Some(j),
            Err(e) => {
                self.error(at, format!("example is not JSON: {e}"));
                None
            }
        }
    }

    fn body(&mut self, shape: &'a Shape, at: &At, loc: Loc, inbound: bool, name: &str) -> BodyIr {
        if shape.ty != "object" {
            // `type: <named type>` instead of fields.
            if !shape.fields.is_empty() {
                self.error(&at.join("type"), "a body has either `fields` or a `type`, not both");
            }
            // A list body needs an envelope field to hold it (`data: [...]`).
            let vf = &self.spec.vendor.model;
            let envelope = if name == "Response" { &vf.response_envelope } else { &vf.request_envelope };
            let list_ok = envelope.body_field.is_some();
            let kind_ok = matches!(self.named.get(&shape.ty), Some((n, _))
                if matches!(n.ty.as_str(), "object" | "one_of") || (list_ok && n.ty == "array"));
            if !kind_ok {
                self.error(
                    &at.join("type"),
                    format!(
                        "a body's `type` must be a named object or one_of type{}, not `{}`",
                        if list_ok { ", or an array" } else { "" },
                        shape.ty
                    ),
                );
            }
            let schema_id = self.schema_of(shape, at);
            let ty = self.rust_of(shape, at, loc, inbound, name);
            return BodyIr::Named { doc: doc_lines(shape), ty, schema_id };
        }
        BodyIr::Struct(self.body_struct(shape, at, loc, inbound, name))
    }

    /// The body of an undocumented operation: any JSON object.
    fn raw_body(&mut self, shape: &'a Shape, at: &At) -> BodyIr {
        let schema_id = self.schema_of(shape, at);
        BodyIr::Raw { schema_id }
    }

    fn body_struct(&mut self, shape: &'a Shape, at: &At, loc: Loc, inbound: bool, name: &str) -> StructIr {
        let schema_id = self.schema_of(shape, at);
        let fields = self.fields(shape, at, loc, inbound);
        StructIr { name: name.to_owned(), doc: doc_lines(shape), inbound, fields, schema_id }
    }

    fn check_examples(&mut self, schema: &Schema, op: &OperationIr, file: usize) {
        for (i, ex) in op.examples.iter().enumerate() {
            for (key, value, dir) in
                [("request", &ex.request, Direction::Request), ("response", &ex.response, Direction::StrictResponse)]
            {
                let Some(value) = value else { continue };
                let at = At { file, path: format!("examples[{i}].{key}") };
                // An error answer carries the envelope without the operation's body.
                let checked = if ex.error && key == "response" {
                    Ok(schema.check_error_wire(value))
                } else {
                    schema.check_wire(&op.wire, value, dir)
                };
                match checked {
                    Ok(violations) => {
                        for v in violations {
                            let sub = v.path.trim_start_matches('$');
                            let vat = At { file, path: format!("{}{sub}", at.path) };
                            self.error(
                                &vat,
                                format!("example `{}` {key} does not validate: {}: {}", ex.name, v.path, v.message),
                            );
                        }
                    }
                    Err(e) => self.error(&at, e.to_string()),
                }
            }
        }
    }

    // ---- schema ----

    fn push_type(&mut self, file: usize, name: String, kind: Kind) -> TypeId {
        self.types.push(TypeDef { name: Cow::Owned(name), kind });
        self.type_files.push(file);
        self.types.len() - 1
    }

    /// The schema type of a shape (memoized per place in the spec, so each shape is checked once).
    fn schema_of(&mut self, shape: &'a Shape, at: &At) -> TypeId {
        if let Some(id) = self.schema_memo.get(at) {
            return *id;
        }
        // A reference shares the named type's one entry.
        if !BUILTIN.contains(&shape.ty.as_str()) {
            if let Some((named, nat)) = self.named.get(&shape.ty).cloned() {
                self.check_ref_keys(shape, at);
                if !self.resolving.insert(at.clone()) {
                    // `A: {type: B}`, `B: {type: A}`: a chain of references that never ends.
                    self.error(
                        &at.join("type"),
                        format!("type `{}` is defined only by references that lead back to it", shape.ty),
                    );
                    let id = self.push_type(at.file, shape.ty.clone(), Kind::Any);
                    self.schema_memo.insert(at.clone(), id);
                    return id;
                }
                let id = self.schema_of(named, &nat);
                self.resolving.remove(at);
                self.schema_memo.insert(at.clone(), id);
                return id;
            }
        }
        // Unconstrained scalars share one entry per kind and spec file, so the table stays small
        // and each file's part of it depends on that file alone.
        if let Some(key) = plain_scalar(shape) {
            let id = match self.scalars.get(&(at.file, key)).copied() {
                Some(id) => {
                    self.check_keys(shape, at);
                    id
                }
                None => {
                    let kind = self.kind_of(shape, at);
                    let id = self.push_type(at.file, key.to_owned(), kind);
                    self.scalars.insert((at.file, key), id);
                    id
                }
            };
            self.schema_memo.insert(at.clone(), id);
            return id;
        }
        // Reserve the slot first: a named type may refer to itself.
        let id = self.push_type(at.file, shape.name.clone().unwrap_or_else(|| at.path.clone()), Kind::Any);
        self.schema_memo.insert(at.clone(), id);
        self.building.push(id);
        self.types[id].kind = self.kind_of(shape, at);
        self.building.pop();
        id
    }

    /// Checks and records an object's `rules` for the type being built.
    fn cross_rules_of(&mut self, shape: &Shape, fields: &[rs::Field], at: &At) {
        let Some(&ty) = self.building.last() else { return };
        for (i, rule) in shape.rules.iter().enumerate() {
            let rat = at.join(&format!("rules[{i}]"));
            let forms = [!rule.at_least_one.is_empty(), !rule.exactly_one.is_empty(), rule.when_present.is_some()];
            if forms.iter().filter(|f| **f).count() != 1 {
                self.error(
                    &rat,
                    "a rule is exactly one of `at_least_one`, `exactly_one` or `when_present` (with `required`)",
                );
                continue;
            }
            if rule.when_present.is_some() == rule.required.is_empty()
                || (rule.when_absent.is_some() && rule.when_present.is_none())
            {
                self.error(&rat, "`when_present` (and `when_absent`) go with `required`");
                continue;
            }
            let named: Vec<&String> = rule
                .at_least_one
                .iter()
                .chain(&rule.exactly_one)
                .chain(&rule.required)
                .chain(&rule.when_present)
                .chain(&rule.when_absent)
                .collect();
            let mut ok = true;
            for name in named {
                if !fields.iter().any(|f| f.wire == name.as_str()) {
                    self.error(&rat, format!("`{name}` is not a field of this object"));
                    ok = false;
                }
            }
            for list in [&rule.at_least_one, &rule.exactly_one] {
                if list.len() == 1 {
                    self.error(&rat, "a rule over one field: make the field `required` instead");
                    ok = false;
                }
            }
            if !ok {
                continue;
            }
            let own = |l: &[String]| Cow::Owned(l.iter().map(|s| Cow::Owned(s.clone())).collect());
            let (kind, list) = if !rule.at_least_one.is_empty() {
                (rs::CrossKind::AtLeastOne, own(&rule.at_least_one))
            } else if !rule.exactly_one.is_empty() {
                (rs::CrossKind::ExactlyOne, own(&rule.exactly_one))
            } else {
                let present = Cow::Owned(rule.when_present.clone().unwrap_or_default());
                let absent = rule.when_absent.clone().map(Cow::Owned);
                (rs::CrossKind::Requires { present, absent }, own(&rule.required))
            };
            self.cross_rules.push(rs::CrossRule { ty, kind, fields: list });
        }
    }

    /// Records a field's or variant's `required_in` / `only_in` rules for the type being built.
    fn profile_rule(&mut self, f: &Shape, wire: &str, at: &At) {
        if f.required_in.is_empty() && f.only_in.is_empty() {
            return;
        }
        let known: Vec<String> = match &self.spec.vendor.model.profiles {
            Some(p) => p.values.iter().map(|v| v.value.text()).collect(),
            None => Vec::new(),
        };
        for (key, list) in [("required_in", &f.required_in), ("only_in", &f.only_in)] {
            for name in list {
                if !known.contains(name) {
                    let hint = if known.is_empty() {
                        "the vendor declares no `profiles`".to_owned()
                    } else {
                        format!("profiles are {}", known.join(", "))
                    };
                    self.error(&at.join(key), format!("unknown profile `{name}`: {hint}"));
                }
            }
        }
        let Some(&ty) = self.building.last() else { return };
        let list = |l: &Vec<String>| Cow::Owned(l.iter().map(|s| Cow::Owned(s.clone())).collect());
        self.profile_rules.push(rs::ProfileRule {
            ty,
            field: Cow::Owned(wire.to_owned()),
            required_in: list(&f.required_in),
            only_in: list(&f.only_in),
        });
    }

    fn check_keys(&mut self, shape: &Shape, at: &At) {
        for (key, name, snake) in [("rust_name", &shape.rust_name, true), ("type_name", &shape.type_name, false)] {
            if let Some(Err(e)) = name.as_deref().map(|n| names::check_spec_name(n, snake)) {
                self.error(&at.join(key), e);
            }
        }
        for (i, v) in shape.values.iter().enumerate() {
            if let Some(Err(e)) = v.name.as_deref().map(|n| names::check_spec_name(n, false)) {
                self.error(&at.join(&format!("values[{i}].name")), e);
            }
        }
        let ty = shape.ty.as_str();
        let string_like = ty == "string";
        let mut bad: Vec<&str> = Vec::new();
        if !string_like && shape.pattern.is_some() {
            bad.push("pattern");
        }
        if !string_like && (shape.min_length.is_some() || shape.max_length.is_some()) {
            bad.push("min_length/max_length");
        }
        if !matches!(ty, "integer" | "number") && (shape.minimum.is_some() || shape.maximum.is_some()) {
            bad.push("minimum/maximum");
        }
        if ty != "array" && (shape.min_items.is_some() || shape.max_items.is_some()) {
            bad.push("min_items/max_items");
        }
        if !matches!(ty, "date" | "datetime") && shape.format.is_some() {
            bad.push("format");
        }
        if ty != "decimal" && shape.wire.is_some() {
            bad.push("wire");
        }
        if ty != "enum" && (!shape.values.is_empty() || shape.integer) {
            bad.push("values/integer");
        }
        if ty != "array" && shape.items.is_some() {
            bad.push("items");
        }
        if ty != "object" && !shape.rules.is_empty() {
            bad.push("rules");
        }
        if ty != "object" && !shape.fields.is_empty() {
            bad.push("fields");
        }
        if ty != "map" && shape.values_type.is_some() {
            bad.push("values_type");
        }
        if !matches!(ty, "object" | "enum" | "string" | "one_of") && shape.type_name.is_some() {
            bad.push("type_name");
        }
        if ty != "one_of" && (!shape.variants.is_empty() || shape.tag_field.is_some()) {
            bad.push("variants/tag_field");
        }
        if ty != "encrypted" && (shape.plaintext.is_some() || shape.cipher.is_some()) {
            bad.push("plaintext/cipher");
        }
        if shape.integer_as_string && !(ty == "integer" || ty == "enum" && shape.integer) {
            self.error(
                &at.join("integer_as_string"),
                "`integer_as_string` applies to integers and `integer: true` enums only",
            );
        }
        if ty == "encrypted" && shape.cipher.is_none() {
            self.error(&at.join("type"), "an encrypted value needs a `cipher`");
        }
        for key in bad {
            self.error(&at.join("type"), format!("`{key}` does not apply to type `{ty}`"));
        }
        if let (Some(a), Some(b)) = (shape.min_length, shape.max_length) {
            if a > b {
                self.error(&at.join("min_length"), format!("min_length {a} is greater than max_length {b}"));
            }
        }
        if let (Some(a), Some(b)) = (shape.minimum, shape.maximum) {
            if a > b {
                self.error(&at.join("minimum"), format!("minimum {a} is greater than maximum {b}"));
            }
        }
        if let (Some(a), Some(b)) = (shape.min_items, shape.max_items) {
            if a > b {
                self.error(&at.join("min_items"), format!("min_items {a} is greater than max_items {b}"));
            }
        }
        if ty == "integer" {
            for (key, v) in [("minimum", shape.minimum), ("maximum", shape.maximum)] {
                if v.is_some_and(|v| v.fract() != 0.0) {
                    self.error(&at.join(key), format!("{key} of an integer must be a whole number"));
                }
            }
        }
    }

    /// The kind of a shape written here (references are resolved by `schema_of`).
    fn kind_of(&mut self, shape: &'a Shape, at: &At) -> Kind {
        self.check_keys(shape, at);
        match shape.ty.as_str() {
            "any" => Kind::Any,
            "boolean" => Kind::Bool,
            "string" => {
                let pattern = shape.pattern.as_ref().map(|p| {
                    let pat = Pattern::owned(p.clone());
                    if let Err(e) = pat.compile() {
                        let first = e.lines().last().unwrap_or_default().trim().to_owned();
                        self.error(&at.join("pattern"), format!("invalid pattern `{p}`: {first}"));
                    }
                    let file = at.file;
                    let same = |(q, f): (&Pattern, &usize)| *f == file && q.source() == p;
                    match self.patterns.iter().zip(&self.pattern_files).position(same) {
                        Some(i) => i,
                        None => {
                            self.patterns.push(pat);
                            self.pattern_files.push(file);
                            self.patterns.len() - 1
                        }
                    }
                });
                Kind::Str { min_len: shape.min_length, max_len: shape.max_length, pattern, secret: shape.sensitive }
            }
            "integer" => Kind::Int {
                min: shape.minimum.map(|v| v as i64),
                max: shape.maximum.map(|v| v as i64),
                as_string: shape.integer_as_string,
            },
            "number" => Kind::Number { min: shape.minimum, max: shape.maximum },
            "decimal" => Kind::Decimal,
            "date" | "datetime" => {
                let default = if shape.ty == "date" { "%Y-%m-%d" } else { "%Y-%m-%dT%H:%M:%S" };
                let format = shape.format.clone().unwrap_or_else(|| default.to_owned());
                self.check_format(&format, shape.ty == "date", at);
                if shape.ty == "date" {
                    Kind::Date { format: Cow::Owned(format) }
                } else {
                    Kind::DateTime { format: Cow::Owned(format) }
                }
            }
            "enum" => {
                if shape.values.is_empty() {
                    self.error(&at.join("type"), "an enum needs `values`");
                }
                let mut seen: HashMap<String, usize> = HashMap::new();
                let mut rust_seen: HashMap<String, String> = HashMap::new();
                for (i, v) in shape.values.iter().enumerate() {
                    let text = v.value.text();
                    let vat = at.join(&format!("values[{i}].value"));
                    if seen.insert(text.clone(), i).is_some() {
                        self.error(&vat, format!("duplicate enum value `{text}`"));
                        continue;
                    }
                    if shape.integer && text.parse::<i64>().is_err() {
                        self.error(&vat, format!("`{text}` is not an integer, but the enum is `integer: true`"));
                    }
                    let rust = v.name.clone().unwrap_or_else(|| names::variant(&text));
                    if let Some(other) = rust_seen.insert(rust.clone(), text.clone()) {
                        self.error(
                            &vat,
                            format!("enum values `{other}` and `{text}` both become the variant `{rust}`"),
                        );
                    }
                    if rust == "Unknown" {
                        self.error(&vat, "`Unknown` is reserved for values a response enum does not know");
                    }
                }
                Kind::Enum {
                    values: Cow::Owned(shape.values.iter().map(|v| Cow::Owned(v.value.text())).collect()),
                    integer: shape.integer,
                    integer_as_string: shape.integer_as_string,
                }
            }
            "encrypted" => match &shape.plaintext {
                _ if !self.encryption_key_declared => {
                    self.error(
                        &at.join("type"),
                        "an encrypted value needs a credential with `encryption: true` under the vendor's `credentials`",
                    );
                    Kind::Any
                }
                None => {
                    self.error(&at.join("type"), "an encrypted value needs `plaintext` (its type once decrypted)");
                    Kind::Any
                }
                Some(plain) => Kind::Encrypted { plaintext: self.schema_of(plain, &at.join("plaintext")) },
            },
            "object" => {
                let mut fields = Vec::new();
                let mut wire_seen: HashMap<String, usize> = HashMap::new();
                let mut rust_seen: HashMap<String, String> = HashMap::new();
                for (i, f) in shape.fields.iter().enumerate() {
                    let fat = at.join(&format!("fields[{i}]"));
                    let Some(wire) = &f.name else {
                        self.error(&fat, "a field needs a `name`");
                        continue;
                    };
                    let mut duplicate = false;
                    for spelling in std::iter::once(wire).chain(f.aliases.iter()) {
                        if wire_seen.insert(spelling.clone(), i).is_some() {
                            self.error(&fat.join("name"), format!("duplicate field `{spelling}`"));
                            duplicate = true;
                        }
                    }
                    let rust = f.rust_name.clone().unwrap_or_else(|| names::field(wire));
                    if duplicate {
                        // Already reported; the Rust name clash follows from it.
                    } else if let Some(other) = rust_seen.insert(rust.clone(), wire.clone()) {
                        self.error(
                            &fat.join("name"),
                            format!("fields `{other}` and `{wire}` both become `{rust}` in Rust"),
                        );
                    }
                    if rust == "extra" {
                        self.error(
                            &fat.join("name"),
                            "`extra` is reserved for unknown response fields: set `rust_name`",
                        );
                    }
                    let ty = self.schema_of(f, &fat);
                    self.profile_rule(f, wire, &fat);
                    fields.push(rs::Field {
                        wire: Cow::Owned(wire.clone()),
                        aliases: Cow::Owned(f.aliases.iter().map(|a| Cow::Owned(a.clone())).collect()),
                        ty,
                        required: f.required,
                        nullable: f.nullable,
                    });
                }
                self.cross_rules_of(shape, &fields, at);
                Kind::Object { fields: Cow::Owned(fields) }
            }
            "one_of" => {
                if shape.variants.is_empty() {
                    self.error(&at.join("type"), "a one_of needs `variants`");
                }
                let mut seen = BTreeSet::new();
                let mut variants = Vec::new();
                for (i, v) in shape.variants.iter().enumerate() {
                    let vat = at.join(&format!("variants[{i}]"));
                    let Some(name) = &v.name else {
                        self.error(&vat, "a one_of variant needs a `name` (its wrapping key)");
                        continue;
                    };
                    if !seen.insert(name.clone()) {
                        self.error(&vat.join("name"), format!("duplicate variant `{name}`"));
                    }
                    let ty = self.schema_of(v, &vat);
                    self.profile_rule(v, name, &vat);
                    if shape.tag_field.is_some() {
                        let is_object =
                            v.ty == "object" || self.named.get(&v.ty).is_some_and(|(n, _)| n.ty == "object");
                        if !is_object {
                            self.error(
                                &vat.join("type"),
                                format!("variant `{name}` must be an object to be read in the flat `tag_field` form"),
                            );
                        }
                    }
                    variants.push(rs::Field {
                        wire: Cow::Owned(name.clone()),
                        aliases: Cow::Borrowed(&[]),
                        ty,
                        required: true,
                        nullable: false,
                    });
                }
                Kind::OneOf { variants: Cow::Owned(variants), tag_field: shape.tag_field.clone().map(Cow::Owned) }
            }
            "array" => match &shape.items {
                None => {
                    self.error(&at.join("type"), "an array needs `items`");
                    Kind::Any
                }
                Some(items) => {
                    let items = self.schema_of(items, &at.join("items"));
                    Kind::Array { items, min_items: shape.min_items, max_items: shape.max_items }
                }
            },
            "map" => match &shape.values_type {
                None => {
                    self.error(&at.join("type"), "a map needs `values_type`");
                    Kind::Any
                }
                Some(values) => Kind::Map { values: self.schema_of(values, &at.join("values_type")) },
            },
            other => {
                let known: Vec<&str> = BUILTIN.iter().copied().chain(self.named.keys().map(|k| k.as_str())).collect();
                let hint = names::closest(other, &known).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
                self.error(&at.join("type"), format!("unknown type `{other}`{hint}"));
                Kind::Any
            }
        }
    }

    fn check_ref_keys(&mut self, shape: &Shape, at: &At) {
        if shape.pattern.is_some()
            || shape.min_length.is_some()
            || shape.max_length.is_some()
            || shape.minimum.is_some()
            || shape.maximum.is_some()
            || shape.format.is_some()
            || !shape.values.is_empty()
            || !shape.fields.is_empty()
            || shape.items.is_some()
        {
            self.error(
                &at.join("type"),
                format!("constraints go on the named type `{}`, not on a reference to it", shape.ty),
            );
        }
    }

    fn check_format(&mut self, format: &str, date_only: bool, at: &At) {
        use chrono::format::{Item as FItem, StrftimeItems};
        if StrftimeItems::new(format).any(|i| matches!(i, FItem::Error)) {
            self.error(&at.join("format"), format!("invalid date format `{format}`"));
            return;
        }
        let sample = chrono::NaiveDate::from_ymd_opt(2024, 10, 21).and_then(|d| d.and_hms_opt(21, 23, 5));
        if let Some(sample) = sample {
            use std::fmt::Write;
            // chrono reports fields a value does not hold (a time in a date, an offset in a
            // local time) as a formatting error; `to_string` would panic on it.
            let mut text = String::new();
            let mut date_text = String::new();
            let written = write!(text, "{}", sample.format(format)).is_ok()
                && (!date_only || write!(date_text, "{}", sample.date().format(format)).is_ok());
            if !written {
                let what = if date_only { "a date" } else { "a local date-time" };
                self.error(&at.join("format"), format!("date format `{format}` asks for fields {what} does not have"));
                return;
            }
            let ok = if date_only {
                chrono::NaiveDate::parse_from_str(&text, format).is_ok()
            } else {
                chrono::NaiveDateTime::parse_from_str(&text, format).is_ok()
            };
            if !ok {
                self.error(
                    &at.join("format"),
                    format!("date format `{format}` cannot be read back (is a part missing?)"),
                );
            }
        }
    }

    // ---- Rust ----

    fn fields(&mut self, shape: &'a Shape, at: &At, loc: Loc, inbound: bool) -> Vec<FieldIr> {
        shape
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| self.field(f, &at.join(&format!("fields[{i}]")), loc, inbound).map(|x| x.1))
            .collect()
    }

    fn field(&mut self, f: &'a Shape, at: &At, loc: Loc, inbound: bool) -> Option<(rs::Field, FieldIr)> {
        let wire = f.name.clone()?;
        let rust = f.rust_name.clone().unwrap_or_else(|| names::field(&wire));
        let schema_id = self.schema_of(f, at);
        let mut ty = self.rust_of(f, at, loc, inbound, &names::type_name(&wire));
        // `Secret<Decimal>` keeps Decimal's own serde (a string out, number or string in).
        // A reference to a named decimal takes the named type's `wire`.
        let named_wire = self.named.get(&f.ty).and_then(|(n, _)| n.wire);
        let decimal =
            (ty == RustTy::Decimal && !f.sensitive).then(|| f.wire.or(named_wire).unwrap_or(DecimalWire::String));
        if f.sensitive {
            ty = RustTy::Secret(Box::new(ty));
        }
        let schema_field = rs::Field {
            wire: Cow::Owned(wire.clone()),
            aliases: Cow::Owned(f.aliases.iter().map(|a| Cow::Owned(a.clone())).collect()),
            ty: schema_id,
            required: f.required,
            nullable: f.nullable,
        };
        let ir = FieldIr {
            wire,
            rust,
            aliases: f.aliases.clone(),
            ty,
            required: f.required,
            nullable: f.nullable,
            decimal,
            doc: field_doc(f),
        };
        Some((schema_field, ir))
    }

    fn rust_of(&mut self, shape: &'a Shape, at: &At, loc: Loc, inbound: bool, hint: &str) -> RustTy {
        self.rust_named(shape, at, loc, inbound, hint, None)
    }

    /// `rust_of`, with the item's Rust name decided by the caller (`Some`) or derived (`None`).
    fn rust_named(
        &mut self,
        shape: &'a Shape,
        at: &At,
        loc: Loc,
        inbound: bool,
        hint: &str,
        decided: Option<&str>,
    ) -> RustTy {
        let name = || match decided {
            Some(n) => n.to_owned(),
            None => shape.type_name.clone().unwrap_or_else(|| hint.to_owned()),
        };
        match shape.ty.as_str() {
            "any" => RustTy::Any,
            "boolean" => RustTy::Bool,
            "integer" if shape.integer_as_string => RustTy::LooseI64,
            "integer" => RustTy::I64,
            "number" => RustTy::Number,
            "decimal" => RustTy::Decimal,
            "date" | "datetime" => {
                let date = shape.ty == "date";
                let format =
                    shape.format.clone().unwrap_or_else(|| if date { "%Y-%m-%d" } else { "%Y-%m-%dT%H:%M:%S" }.into());
                let fref = self.format_ref(&format);
                if date {
                    RustTy::Date(fref)
                } else {
                    RustTy::DateTime(fref)
                }
            }
            "string" => {
                let constrained = shape.pattern.is_some() || shape.min_length.is_some() || shape.max_length.is_some();
                if constrained && !inbound {
                    let schema_id = self.schema_of(shape, at);
                    let n = name();
                    self.add_item(
                        loc,
                        at,
                        Item::Newtype(NewtypeIr { name: n.clone(), doc: doc_lines(shape), schema_id }),
                    );
                    RustTy::Named(loc, n)
                } else {
                    RustTy::String
                }
            }
            "enum" => {
                let n = name();
                let variants = shape
                    .values
                    .iter()
                    .map(|v| VariantIr {
                        wire: v.value.text(),
                        rust: v.name.clone().unwrap_or_else(|| names::variant(&v.value.text())),
                        doc: v.description.clone(),
                    })
                    .collect();
                let item = EnumIr {
                    name: n.clone(),
                    doc: doc_lines(shape),
                    inbound,
                    integer: shape.integer,
                    integer_as_string: shape.integer_as_string,
                    variants,
                };
                self.add_item(loc, at, Item::Enum(item));
                RustTy::Named(loc, n)
            }
            "object" => {
                let n = name();
                let schema_id = self.schema_of(shape, at);
                let fields = self.fields(shape, at, loc, inbound);
                self.add_item(
                    loc,
                    at,
                    Item::Struct(StructIr { name: n.clone(), doc: doc_lines(shape), inbound, fields, schema_id }),
                );
                RustTy::Named(loc, n)
            }
            "one_of" => {
                let n = name();
                let schema_id = self.schema_of(shape, at);
                let mut variants = Vec::new();
                for (i, v) in shape.variants.iter().enumerate() {
                    let Some(wire) = v.name.clone() else { continue };
                    let rust = names::variant(&wire);
                    let ty = self.rust_of(v, &at.join(&format!("variants[{i}]")), loc, inbound, &rust);
                    let doc = v.description.as_deref().map(crate::emit::prose).unwrap_or_else(|| format!("`{wire}`."));
                    variants.push((wire, rust, ty, doc));
                }
                let item = OneOfIr {
                    name: n.clone(),
                    doc: doc_lines(shape),
                    inbound,
                    tag_field: shape.tag_field.clone(),
                    variants,
                    schema_id,
                };
                self.add_item(loc, at, Item::OneOf(item));
                RustTy::Named(loc, n)
            }
            "encrypted" => match &shape.plaintext {
                Some(plain) => {
                    RustTy::Encrypted(Box::new(self.rust_of(plain, &at.join("plaintext"), loc, inbound, hint)))
                }
                None => RustTy::Any,
            },
            "array" => match &shape.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    RustTy::Vec(Box::new(self.rust_of(items, &at.join("items"), loc, inbound, &item_hint)))
                }
                None => RustTy::Any,
            },
            "map" => match &shape.values_type {
                Some(values) => {
                    let value_hint = format!("{hint}Value");
                    RustTy::Map(Box::new(self.rust_of(values, &at.join("values_type"), loc, inbound, &value_hint)))
                }
                None => RustTy::Any,
            },
            other => match self.named.get(other).cloned() {
                Some((named, nat)) => self.rust_of_named(other, named, &nat, inbound),
                None => RustTy::Any,
            },
        }
    }

    fn rust_of_named(&mut self, name: &str, shape: &'a Shape, at: &At, inbound: bool) -> RustTy {
        let key = (name.to_owned(), inbound);
        if let Some(ty) = self.rust_memo.get(&key) {
            // A type that contains itself needs a box to have a size.
            return if self.in_progress.contains(&key) { RustTy::Boxed(Box::new(ty.clone())) } else { ty.clone() };
        }
        if !self.in_progress.insert(key.clone()) {
            return RustTy::Any; // a reference cycle without an item; `schema_of` reports it
        }
        let mut rust_name = shape.type_name.clone().unwrap_or_else(|| names::type_name(name));
        if inbound && self.both_ways.contains(name) {
            rust_name = names::suffixed(&rust_name, "Inbound");
        }
        // Record the name before descending, so self-references terminate.
        let makes_item = matches!(shape.ty.as_str(), "object" | "enum" | "one_of")
            || (shape.ty == "string"
                && !inbound
                && (shape.pattern.is_some() || shape.min_length.is_some() || shape.max_length.is_some()));
        if makes_item {
            self.rust_memo.insert(key.clone(), RustTy::Named(Loc::Types, rust_name.clone()));
        }
        // Same place in the spec, so the named type's one schema entry is found.
        let ty = self.rust_named(shape, at, Loc::Types, inbound, &rust_name, Some(&rust_name));
        self.in_progress.remove(&key);
        self.rust_memo.insert(key, ty.clone());
        ty
    }

    fn format_ref(&mut self, format: &str) -> FormatRef {
        match format {
            "%Y-%m-%d" => FormatRef::Runtime("IsoDate"),
            "%Y-%m-%dT%H:%M" => FormatRef::Runtime("IsoMinutes"),
            "%Y-%m-%dT%H:%M:%S" => FormatRef::Runtime("IsoSeconds"),
            other => {
                let name = self.formats.entry(other.to_owned()).or_insert_with(|| format_type_name(other)).clone();
                FormatRef::Vendor(name)
            }
        }
    }

    fn add_item(&mut self, loc: Loc, at: &At, item: Item) {
        let name = match &item {
            Item::Struct(s) => s.name.clone(),
            Item::Enum(e) => e.name.clone(),
            Item::Newtype(n) => n.name.clone(),
            Item::OneOf(o) => o.name.clone(),
        };
        let reserved: &[&str] = match loc {
            Loc::Op(_) => &["Request", "Response", "PathParams"],
            Loc::Root => &["RequestEnvelope", "ResponseEnvelope", "RequestEnvelopeFields", "VENDOR"],
            Loc::Types => &[],
        };
        if reserved.contains(&name.as_str()) {
            self.error(at, format!("the type name `{name}` is reserved here: set `type_name`"));
            return;
        }
        let key = (loc, name.clone());
        if let Some(first) = self.item_names.get(&key) {
            if first == at {
                return;
            }
            let first = self.describe(&first.clone());
            self.error(
                at,
                format!("two types are named `{name}` in one module (the other is at {first}): set `type_name`"),
            );
            return;
        }
        self.item_names.insert(key, at.clone());
        self.items.entry(loc).or_default().push(item);
    }
}

/// The shared schema entry an unconstrained scalar uses, if the shape is one.
fn plain_scalar(shape: &Shape) -> Option<&'static str> {
    let unconstrained = shape.pattern.is_none()
        && shape.min_length.is_none()
        && shape.max_length.is_none()
        && shape.minimum.is_none()
        && shape.maximum.is_none()
        && !shape.integer_as_string;
    if !unconstrained {
        return None;
    }
    Some(match (shape.ty.as_str(), shape.sensitive) {
        ("string", false) => "string",
        ("string", true) => "secret string",
        ("integer", _) => "integer",
        ("number", _) => "number",
        ("boolean", _) => "boolean",
        ("decimal", _) => "decimal",
        ("any", _) => "any",
        _ => return None,
    })
}

/// A request or response body as the object shape it is (`any` when the docs do not describe it).
fn body_shape(body: Option<&model::Body>) -> Shape {
    match body {
        Some(body) => Shape {
            ty: body.ty.clone().unwrap_or_else(|| "object".to_owned()),
            description: Some(body.description.clone()),
            fields: body.fields.clone(),
            rules: body.rules.clone(),
            ..Shape::default()
        },
        None => Shape {
            ty: "any".to_owned(),
            description: Some("Not described by the docs: any JSON object.".to_owned()),
            ..Shape::default()
        },
    }
}

/// An operation's path parameters as an object shape (every parameter is required).
fn params_shape(op: &model::OperationFile) -> Shape {
    let fields = op.path_params.iter().cloned().map(|f| Shape { required: true, ..f }).collect();
    Shape {
        ty: "object".to_owned(),
        description: Some(format!("The parameters of the path `{}`.", op.path)),
        fields,
        ..Shape::default()
    }
}

/// The name of a generated date-format marker: `%d/%m/%Y` → `FormatDMY`.
fn format_type_name(format: &str) -> String {
    let mut out = String::from("Format");
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            if let Some(spec) = chars.next() {
                out.push_str(match spec {
                    'Y' => "Y",
                    'y' => "Yy",
                    'm' => "M",
                    'd' => "D",
                    'H' => "H",
                    'M' => "Mi",
                    'S' => "S",
                    'f' => "F",
                    'b' => "Mon",
                    _ => "X",
                });
            }
        } else if c.is_ascii_alphabetic() {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

fn doc_lines(shape: &Shape) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(d) = &shape.description {
        doc.push(crate::emit::prose(d));
    }
    if let Some(note) = &shape.note {
        doc.push(format!("Doc quirk: {}", crate::emit::prose(note)));
    }
    if doc.is_empty() {
        doc.push(format!("`{}` (no description in the docs).", shape.name.as_deref().unwrap_or(&shape.ty)));
    }
    doc
}

fn field_doc(f: &Shape) -> Vec<String> {
    let mut doc = doc_lines(f);
    let mut rules = Vec::new();
    rules.push(format!("Wire name `{}`", f.name.as_deref().unwrap_or_default()));
    rules.push(if f.required { "required".to_owned() } else { "optional".to_owned() });
    if f.nullable {
        rules.push("may be null".to_owned());
    }
    if let Some(p) = &f.pattern {
        rules.push(format!("pattern `{}`", p.replace('`', "'")));
    }
    match (f.min_length, f.max_length) {
        (Some(a), Some(b)) if a == b => rules.push(format!("exactly {a} characters")),
        (a, b) => {
            if let Some(a) = a {
                rules.push(format!("at least {a} characters"));
            }
            if let Some(b) = b {
                rules.push(format!("at most {b} characters"));
            }
        }
    }
    if let Some(v) = f.minimum {
        rules.push(format!(">= {v}"));
    }
    if let Some(v) = f.maximum {
        rules.push(format!("<= {v}"));
    }
    if let Some(v) = f.min_items {
        rules.push(format!("at least {v} items"));
    }
    if let Some(v) = f.max_items {
        rules.push(format!("at most {v} items"));
    }
    if let Some(fmt) = &f.format {
        rules.push(format!("format `{fmt}`"));
    }
    if let Some(d) = &f.default {
        let text = serde_json::to_string(d).unwrap_or_default();
        rules.push(format!("the vendor assumes `{text}` when absent"));
    }
    if !f.aliases.is_empty() {
        let list: Vec<String> = f.aliases.iter().map(|a| format!("`{a}`")).collect();
        rules.push(format!("also read from {}", list.join(", ")));
    }
    if f.sensitive {
        rules.push("sensitive: never printed".to_owned());
    }
    doc.push(format!("{}.", rules.join("; ")));
    if let Some(d) = &f.deprecated {
        doc.push(format!("Deprecated: {}", crate::emit::prose(d)));
    }
    doc
}
