//! OpenAPI 3.1 export: one document per vendor, built from the lowered spec (`cargo codegen`
//! writes them to `generated/openapi/<vendor>.json`).
//!
//! The document describes the wire as the runtime checks it: every operation's whole request
//! and response bodies, envelope included, with the spec's rules as JSON Schema 2020-12
//! keywords (patterns, lengths, ranges, item counts, enums, formats, required fields, rules
//! across fields); request objects are closed (`additionalProperties: false`), response
//! objects are open (a vendor may add fields). Named types are components (`Name`, and
//! `NameInbound` for the response side when the two sides differ); anonymous types are
//! inline. Each operation carries `x-doc-url`, `x-doc-modified` and `x-safe-to-retry`; the
//! vendor's error answer is the `Error` component, listed beside every success it may replace.
//!
//! What OpenAPI cannot say goes into `x-flightapi-*` extensions: a signature recipe (how the
//! string to sign is built, the algorithm, where each value goes), a session login, the wire
//! form of encrypted values, operations dispatched by a body field on a shared path
//! (`x-flightapi-actions`). See `docs/openapi.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{json, Map, Value};

use crate::lower::{
    AlgorithmIr, AuthIr, BodyIr, EnumIr, ExpiryIr, GeneratedValue, Grant, HeaderValueIr, Ir, Item, MockRefusalIr,
    OAuth2Ir, OperationIr, PlaceIr, RustTy, SessionIr, SignatureIr, StructIr, SuccessIr, VendorIr,
};
use crate::rt::schema::{BodyPlacement, CrossKind, Envelope, Field, Kind, Schema, TypeId};

/// The folder, below the workspace, that holds the documents.
pub const DIR: &str = "generated/openapi";

/// Every vendor's document: file name (`<vendor>.json`) → its text (pretty JSON, keys in a fixed
/// order, a final newline).
pub fn render(ir: &Ir) -> BTreeMap<PathBuf, String> {
    ir.vendors.iter().map(|v| (PathBuf::from(format!("{}.json", v.name)), to_text(&document(v)))).collect()
}

/// The OpenAPI 3.1 document of one vendor.
pub fn document(vendor: &VendorIr) -> Value {
    Doc::new(vendor).build()
}

/// Which side of the wire a value is on, from the caller's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    /// Sent by the caller (or, for a push, the partner's answer): checked strictly, closed objects.
    Sent,
    /// Received by the caller: open objects (unknown fields are kept).
    Received,
}

/// The documentation of one field, from the lowered spec.
#[derive(Debug, Clone, Default)]
struct FieldDoc {
    description: Option<String>,
    deprecated: bool,
}

struct Doc<'a> {
    v: &'a VendorIr,
    s: &'a Schema,
    /// Named types: schema entry → spec name.
    named: &'a BTreeMap<TypeId, String>,
    /// Field documentation by (object type, wire name).
    field_docs: BTreeMap<(TypeId, String), FieldDoc>,
    /// Envelope field documentation by (request side?, wire name).
    envelope_docs: BTreeMap<(bool, String), FieldDoc>,
    /// Type documentation by schema entry.
    type_docs: BTreeMap<TypeId, String>,
    /// Enum value descriptions by schema entry.
    enum_docs: BTreeMap<TypeId, BTreeMap<String, String>>,
    /// Named types that hold an object (their two sides differ).
    differs: BTreeSet<TypeId>,
    /// Named types used by each side.
    used: BTreeMap<Side, BTreeSet<TypeId>>,
    /// Components referenced while rendering, still to be written.
    wanted: std::cell::RefCell<BTreeSet<(TypeId, Side)>>,
    /// The name of the error component.
    error_name: String,
}

impl<'a> Doc<'a> {
    fn new(v: &'a VendorIr) -> Self {
        let mut doc = Doc {
            v,
            s: &v.schema,
            named: &v.layout.named,
            field_docs: BTreeMap::new(),
            envelope_docs: BTreeMap::new(),
            type_docs: BTreeMap::new(),
            enum_docs: BTreeMap::new(),
            differs: BTreeSet::new(),
            used: BTreeMap::new(),
            wanted: Default::default(),
            error_name: String::new(),
        };
        doc.collect_docs();
        doc.find_sides();
        let names: BTreeSet<String> = v.layout.named.values().map(|n| component_key(n)).collect();
        doc.error_name = ["Error", "ErrorAnswer", "FlightapiError"]
            .into_iter()
            .find(|n| !names.contains(*n))
            .unwrap_or("FlightapiError")
            .to_owned();
        doc
    }

    // ----- documentation from the lowered items -------------------------------------------

    fn collect_docs(&mut self) {
        let v = self.v;
        let mut enums: BTreeMap<String, &EnumIr> = BTreeMap::new();
        let mut structs: Vec<&StructIr> = Vec::new();
        let mut visit = |items: &'a [Item], structs: &mut Vec<&'a StructIr>, docs: &mut BTreeMap<TypeId, String>| {
            for item in items {
                match item {
                    Item::Struct(s) => structs.push(s),
                    Item::Enum(e) => {
                        enums.entry(e.name.clone()).or_insert(e);
                    }
                    Item::Newtype(n) => {
                        docs.entry(n.schema_id).or_insert_with(|| doc_text(&n.doc).description.unwrap_or_default());
                    }
                    Item::OneOf(o) => {
                        docs.entry(o.schema_id).or_insert_with(|| doc_text(&o.doc).description.unwrap_or_default());
                    }
                }
            }
        };
        let mut type_docs = BTreeMap::new();
        visit(&v.types, &mut structs, &mut type_docs);
        visit(&v.root_items, &mut structs, &mut type_docs);
        for op in &v.operations {
            visit(&op.items, &mut structs, &mut type_docs);
            for body in [&op.request, &op.response] {
                if let BodyIr::Struct(s) = body {
                    structs.push(s);
                }
            }
            if let Some(p) = &op.path_params {
                structs.push(p);
            }
        }
        for s in &structs {
            if let Some(d) = doc_text(&s.doc).description {
                type_docs.entry(s.schema_id).or_insert(d);
            }
            let Some(Kind::Object { fields }) = self.s.types.get(s.schema_id).map(|t| &t.kind) else { continue };
            for f in &s.fields {
                self.field_docs.entry((s.schema_id, f.wire.clone())).or_insert_with(|| doc_text(&f.doc));
                if let Some(sf) = fields.iter().find(|sf| sf.wire == f.wire) {
                    self.pair_enum(sf.ty, &f.ty, &enums);
                }
            }
        }
        for (request, env) in [(true, &v.request_envelope), (false, &v.response_envelope)] {
            let schema_env = if request { &self.s.request_envelope } else { &self.s.response_envelope };
            for f in &env.fields {
                self.envelope_docs.insert((request, f.wire.clone()), doc_text(&f.doc));
                if let Some(sf) = schema_env.fields.iter().find(|sf| sf.wire == f.wire) {
                    self.pair_enum(sf.ty, &f.ty, &enums);
                }
            }
        }
        // Named enums: the item of the same name.
        for (id, name) in self.named {
            if let Some(e) = enums.get(name) {
                self.record_enum(*id, e);
            }
        }
        self.type_docs = type_docs;
    }

    /// Walks a field's schema type and its Rust type together to find the enum items of
    /// anonymous enums (their value descriptions).
    fn pair_enum(&mut self, ty: TypeId, rust: &RustTy, enums: &BTreeMap<String, &EnumIr>) {
        let kind = match self.s.types.get(ty) {
            Some(t) => &t.kind,
            None => return,
        };
        match (kind, rust) {
            (_, RustTy::Secret(inner) | RustTy::Boxed(inner)) => self.pair_enum(ty, inner, enums),
            (Kind::Array { items, .. }, RustTy::Vec(inner)) => self.pair_enum(*items, inner, enums),
            (Kind::Map { values }, RustTy::Map(inner)) => self.pair_enum(*values, inner, enums),
            (Kind::Encrypted { plaintext }, RustTy::Encrypted(inner)) => self.pair_enum(*plaintext, inner, enums),
            (Kind::Enum { .. }, RustTy::Named(_, name)) => {
                if let Some(e) = enums.get(name) {
                    self.record_enum(ty, e);
                }
            }
            _ => {}
        }
    }

    fn record_enum(&mut self, ty: TypeId, e: &EnumIr) {
        let values: BTreeMap<String, String> =
            e.variants.iter().map(|var| (var.wire.clone(), var.doc.clone())).collect();
        self.enum_docs.entry(ty).or_insert(values);
        if let Some(d) = doc_text(&e.doc).description {
            self.type_docs.entry(ty).or_insert(d);
        }
    }

    // ----- which named types each side uses ------------------------------------------------

    fn find_sides(&mut self) {
        let s = self.s;
        for id in self.named.keys() {
            if self
                .reach(*id)
                .iter()
                .any(|t| matches!(s.types[*t].kind, Kind::Object { .. } | Kind::OneOf { tag_field: Some(_), .. }))
            {
                self.differs.insert(*id);
            }
        }
        let request_env: Vec<TypeId> = s.request_envelope.fields.iter().map(|f| f.ty).collect();
        let response_env: Vec<TypeId> = s.response_envelope.fields.iter().map(|f| f.ty).collect();
        let mut sent = request_env.clone();
        let mut received = response_env.clone();
        if self.v.operations.iter().any(|op| op.inbound) {
            // A push: the request envelope is received, the response envelope sent back.
            sent.extend(&response_env);
            received.extend(&request_env);
        }
        for op in &self.v.operations {
            let Some(schema) = s.operation(&op.wire) else { continue };
            let (out, back) = if op.inbound { (&mut received, &mut sent) } else { (&mut sent, &mut received) };
            out.push(schema.request);
            back.push(schema.response);
            sent.extend(schema.path_params);
        }
        for (side, roots) in [(Side::Sent, sent), (Side::Received, received)] {
            let mut used = BTreeSet::new();
            for root in roots {
                used.extend(self.reach(root).into_iter().filter(|t| self.named.contains_key(t)));
            }
            self.used.insert(side, used);
        }
    }

    /// Every type reachable from `ty`, itself included.
    fn reach(&self, ty: TypeId) -> BTreeSet<TypeId> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![ty];
        while let Some(t) = stack.pop() {
            if !seen.insert(t) {
                continue;
            }
            match &self.s.types[t].kind {
                Kind::Object { fields } => stack.extend(fields.iter().map(|f| f.ty)),
                Kind::OneOf { variants, .. } => stack.extend(variants.iter().map(|f| f.ty)),
                Kind::Array { items, .. } => stack.push(*items),
                Kind::Map { values } => stack.push(*values),
                Kind::Encrypted { plaintext } => stack.push(*plaintext),
                _ => {}
            }
        }
        seen
    }

    /// The component name of a named type on one side.
    fn component(&self, ty: TypeId, side: Side) -> String {
        let base = component_key(&self.named[&ty]);
        let both = self.used.values().all(|u| u.contains(&ty));
        if side == Side::Received && self.differs.contains(&ty) && both {
            format!("{base}Inbound")
        } else {
            base
        }
    }

    // ----- schemas ---------------------------------------------------------------------------

    /// A reference to a named type, or the type inline.
    fn ty(&self, ty: TypeId, side: Side) -> Value {
        if self.named.contains_key(&ty) {
            let side = if self.differs.contains(&ty) { side } else { Side::Sent };
            self.wanted.borrow_mut().insert((ty, side));
            return json!({ "$ref": format!("#/components/schemas/{}", self.component(ty, side)) });
        }
        self.kind(ty, side)
    }

    /// The schema of a type's kind, inline.
    fn kind(&self, ty: TypeId, side: Side) -> Value {
        let s = self.s;
        let mut out = match &s.types[ty].kind {
            Kind::Any => json!({}),
            Kind::Bool => json!({"type": "boolean"}),
            Kind::Str { min_len, max_len, pattern, secret } => {
                let mut o = obj(json!({"type": "string"}));
                put(&mut o, "minLength", min_len.map(Value::from));
                put(&mut o, "maxLength", max_len.map(Value::from));
                put(
                    &mut o,
                    "pattern",
                    pattern.and_then(|p| s.patterns.get(p)).map(|p| Value::from(ascii_digits(p.source()))),
                );
                if *secret {
                    o.insert("format".into(), "password".into());
                    o.insert("x-sensitive".into(), true.into());
                }
                Value::Object(o)
            }
            Kind::Int { min, max, as_string } => {
                let mut o = obj(json!({"type": "integer", "format": "int64"}));
                put(&mut o, "minimum", min.map(Value::from));
                put(&mut o, "maximum", max.map(Value::from));
                if *as_string {
                    json!({
                        "anyOf": [Value::Object(o), {
                            "type": "string",
                            "pattern": int_string_pattern(*min, *max),
                            "description": "The same integer as a string of digits (read, never written).",
                        }],
                    })
                } else {
                    Value::Object(o)
                }
            }
            Kind::Number { min, max } => {
                let mut o = obj(json!({"type": "number"}));
                put(&mut o, "minimum", min.map(number));
                put(&mut o, "maximum", max.map(number));
                Value::Object(o)
            }
            Kind::Decimal => json!({
                "type": ["number", "string"],
                "pattern": DECIMAL_STRING,
                "minimum": -DECIMAL_LIMIT,
                "maximum": DECIMAL_LIMIT,
                "x-flightapi-decimal": "An exact decimal (at most 28 significant digits), read from a JSON number or a \
                    numeric string.",
            }),
            Kind::Date { format } => date(format, false),
            Kind::DateTime { format } => date(format, true),
            Kind::Enum { values, integer, integer_as_string } => {
                let strings: Vec<Value> = values.iter().map(|v| Value::from(v.as_ref())).collect();
                if *integer {
                    let ints: Vec<Value> = values
                        .iter()
                        .map(|v| v.parse::<i64>().map(Value::from).unwrap_or(Value::from(v.as_ref())))
                        .collect();
                    if *integer_as_string {
                        json!({"anyOf": [
                            {"type": "integer", "enum": ints},
                            {"type": "string", "enum": strings, "description": "The same value as a string (read, never written)."},
                        ]})
                    } else {
                        json!({"type": "integer", "enum": ints})
                    }
                } else {
                    json!({"type": "string", "enum": strings})
                }
            }
            Kind::Object { fields } => {
                let props: Vec<Prop> = fields.iter().map(|f| self.prop(f, ty)).collect();
                self.object(&props, &[ty], side, false)
            }
            Kind::Array { items, min_items, max_items } => {
                let mut o = obj(json!({"type": "array", "items": self.ty(*items, side)}));
                put(&mut o, "minItems", min_items.map(Value::from));
                put(&mut o, "maxItems", max_items.map(Value::from));
                Value::Object(o)
            }
            Kind::Map { values } => json!({"type": "object", "additionalProperties": self.ty(*values, side)}),
            Kind::OneOf { variants, tag_field } => self.one_of(variants, tag_field.as_deref(), side),
            Kind::Encrypted { plaintext } => {
                let key = self.v.credentials.iter().find(|c| c.encryption).map(|c| c.name.clone());
                json!({
                    "type": "string",
                    "contentEncoding": "base64",
                    "pattern": BASE64,
                    "description": "Ciphertext: standard base64 of AES-CBC (16 zero bytes of IV, PKCS#7 padding) \
                        over the JSON text of the plaintext value; the key's length (16, 24 or 32 bytes) picks \
                        AES-128, -192 or -256.",
                    "x-flightapi-encrypted": {
                        "cipher": "aes_cbc_zero_iv",
                        "key_credential": key,
                        "plaintext": self.ty(*plaintext, side),
                    },
                })
            }
        };
        if let Value::Object(o) = &mut out {
            if let Some(d) = self.type_docs.get(&ty).filter(|d| !d.is_empty()) {
                o.entry("description").or_insert_with(|| Value::from(d.as_str()));
            }
            if let Some(values) = self.enum_docs.get(&ty) {
                let map: Map<String, Value> =
                    values.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
                o.insert("x-enumDescriptions".into(), Value::Object(map));
            }
        }
        out
    }

    fn prop<'f>(&self, f: &'f Field, owner: TypeId) -> Prop<'f> {
        Prop {
            field: f,
            doc: self.field_docs.get(&(owner, f.wire.to_string())).cloned().unwrap_or_default(),
            fixed: None,
        }
    }

    /// An object of these properties, with the rules across fields of `rule_owners`.
    fn object(&self, props: &[Prop], rule_owners: &[TypeId], side: Side, open: bool) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut all_of = Vec::new();
        for p in props {
            let f = p.field;
            let mut schema = match &p.fixed {
                Some(v) => json!({"type": "string", "const": v}),
                None => self.ty(f.ty, side),
            };
            let any = matches!(self.s.types[f.ty].kind, Kind::Any) && p.fixed.is_none();
            if f.nullable {
                schema = json!({"anyOf": [schema, {"type": "null"}]});
            }
            let mut schema = obj(schema);
            if any && !f.nullable {
                // Any value but `null`: a field that is not nullable may not be `null`.
                schema.insert("not".into(), json!({"type": "null"}));
            }
            if let Some(d) = &p.doc.description {
                schema.insert("description".into(), Value::from(d.as_str()));
            }
            if p.doc.deprecated {
                schema.insert("deprecated".into(), true.into());
            }
            for owner in rule_owners {
                for rule in self.s.profile_rules.iter().filter(|r| r.ty == *owner && r.field == f.wire) {
                    if !rule.required_in.is_empty() {
                        schema.insert("x-required-in".into(), json!(rule.required_in.iter().collect::<Vec<_>>()));
                    }
                    if !rule.only_in.is_empty() {
                        schema.insert("x-only-in".into(), json!(rule.only_in.iter().collect::<Vec<_>>()));
                    }
                }
            }
            for alias in f.aliases.iter() {
                let mut a = schema.clone();
                a.insert(
                    "description".into(),
                    Value::from(format!("Another spelling of `{}`, read on input.", f.wire)),
                );
                properties.insert(alias.to_string(), Value::Object(a));
            }
            properties.insert(f.wire.to_string(), Value::Object(schema));
            if f.required {
                if f.aliases.is_empty() {
                    required.push(Value::from(f.wire.as_ref()));
                } else {
                    let any: Vec<Value> = std::iter::once(&f.wire)
                        .chain(f.aliases.iter())
                        .map(|k| json!({"required": [k.as_ref()]}))
                        .collect();
                    all_of.push(json!({"anyOf": any}));
                }
            }
        }
        for owner in rule_owners {
            for rule in self.s.cross_rules.iter().filter(|r| r.ty == *owner) {
                let present = |f: &str| json!({"required": [f], "properties": {f: {"not": {"type": "null"}}}});
                let list: Vec<Value> = rule.fields.iter().map(|f| present(f)).collect();
                let names: Vec<String> = rule.fields.iter().map(|f| format!("`{f}`")).collect();
                all_of.push(match &rule.kind {
                    CrossKind::AtLeastOne => {
                        json!({"anyOf": list, "description": format!("At least one of {} is present.", names.join(", "))})
                    }
                    CrossKind::ExactlyOne => {
                        json!({"oneOf": list, "description": format!("Exactly one of {} is present.", names.join(", "))})
                    }
                    CrossKind::Requires { present: when, absent } => {
                        let mut condition = vec![present(when)];
                        if let Some(a) = absent {
                            condition.push(json!({"not": present(a)}));
                        }
                        let said = match absent {
                            Some(a) => format!("`{when}` is present and `{a}` is not"),
                            None => format!("`{when}` is present"),
                        };
                        json!({
                            "if": {"allOf": condition},
                            "then": {"allOf": list},
                            "description": format!("When {said}, {} are required.", names.join(", ")),
                        })
                    }
                });
            }
        }
        let mut o = obj(json!({"type": "object"}));
        if !properties.is_empty() {
            o.insert("properties".into(), Value::Object(properties));
        }
        if !required.is_empty() {
            o.insert("required".into(), Value::Array(required));
        }
        if !all_of.is_empty() {
            o.insert("allOf".into(), Value::Array(all_of));
        }
        if side == Side::Sent && !open {
            o.insert("additionalProperties".into(), false.into());
        }
        Value::Object(o)
    }

    /// A one-of: each alternative wrapped under its name (`{"Name": {...}}`) or, with a tag
    /// field, flat (`{"@type": "Name", ...}`).
    fn one_of(&self, variants: &[Field], tag: Option<&str>, side: Side) -> Value {
        let mut forms = Vec::new();
        for v in variants {
            forms.push(json!({
                "type": "object",
                "properties": {v.wire.to_string(): self.ty(v.ty, side)},
                "required": [v.wire.as_ref() as &str],
                "additionalProperties": false,
                "title": v.wire.as_ref() as &str,
            }));
        }
        if let Some(tag) = tag {
            for v in variants {
                let Kind::Object { fields } = &self.s.types[v.ty].kind else { continue };
                let tag_field = Field {
                    wire: std::borrow::Cow::Owned(tag.to_owned()),
                    aliases: std::borrow::Cow::Borrowed(&[]),
                    ty: v.ty,
                    required: true,
                    nullable: false,
                };
                let mut props: Vec<Prop> = fields.iter().map(|f| self.prop(f, v.ty)).collect();
                props.push(Prop {
                    field: &tag_field,
                    doc: FieldDoc { description: Some("Names the alternative.".into()), deprecated: false },
                    fixed: Some(v.wire.to_string()),
                });
                let mut flat = obj(self.object(&props, &[v.ty], side, false));
                flat.insert("title".into(), Value::from(format!("{} ({tag} form)", v.wire)));
                forms.push(Value::Object(flat));
            }
        }
        json!({ "oneOf": forms })
    }

    // ----- whole bodies ----------------------------------------------------------------------

    /// The whole wire body of an operation's request or response: the envelope around the body.
    fn wire(&self, op: &OperationIr, body: TypeId, env: &Envelope, request_env: bool, side: Side) -> Value {
        let env_props: Vec<Prop> = env
            .fields
            .iter()
            .map(|f| Prop {
                field: f,
                doc: self.envelope_docs.get(&(request_env, f.wire.to_string())).cloned().unwrap_or_default(),
                fixed: env.operation_field.as_deref().filter(|o| *o == f.wire).map(|_| op.wire.clone()),
            })
            .collect();
        match &env.body {
            BodyPlacement::Flatten if env_props.is_empty() => self.ty(body, side),
            BodyPlacement::Flatten => match &self.s.types[body].kind {
                Kind::Object { fields } => {
                    let mut props = env_props;
                    props.extend(fields.iter().map(|f| self.prop(f, body)));
                    self.object(&props, &[body], side, false)
                }
                // An undocumented body: the envelope's fields, and anything beside them.
                _ => self.object(&env_props, &[], side, true),
            },
            BodyPlacement::Field { name, required } => {
                let field = Field {
                    wire: name.clone(),
                    aliases: std::borrow::Cow::Borrowed(&[]),
                    ty: body,
                    required: *required,
                    nullable: !*required,
                };
                // The body field's doc is the body's description.
                let body_doc = if request_env { &op.request_description } else { &op.response_description };
                let description = body_doc.as_ref().map(|d| d.trim().to_owned());
                let mut props = env_props;
                props.push(Prop { field: &field, doc: FieldDoc { description, deprecated: false }, fixed: None });
                self.object(&props, &[], side, false)
            }
        }
    }

    /// The vendor's error answer: the response envelope's fields (others let through) and the
    /// failure written where `errors` reads it.
    fn error_schema(&self) -> Value {
        let env = &self.s.response_envelope;
        let props: Vec<Prop> = env
            .fields
            .iter()
            .map(|f| Prop {
                field: f,
                doc: self.envelope_docs.get(&(false, f.wire.to_string())).cloned().unwrap_or_default(),
                fixed: None,
            })
            .collect();
        let mut base = obj(self.object(&props, &[], Side::Received, true));
        let mut rules = Vec::new();
        if let Some(errors) = &self.v.errors {
            if let Some(list) = &errors.list {
                let mut item = json!({"type": "object"});
                for (path, what) in [(&errors.code, "The error code."), (&errors.message, "The message.")] {
                    if let Some(p) = path {
                        merge(&mut item, at_path(p, json!({"description": what}), false));
                    }
                }
                rules.push(at_path(list, json!({"type": "array", "minItems": 1, "items": item}), true));
            } else if let (Some(code), SuccessIr::Codes(codes)) = (&errors.code, &errors.success) {
                if !codes.is_empty() {
                    rules.push(at_path(code, json!({"not": {"enum": scalars(codes)}}), true));
                }
            }
            if let SuccessIr::Field { path, equals } = &errors.success {
                rules.push(at_path(path, json!({"not": {"const": equals}}), true));
            }
        }
        if !rules.is_empty() {
            let mut all = base.remove("allOf").and_then(|v| v.as_array().cloned()).unwrap_or_default();
            all.extend(rules);
            base.insert("allOf".into(), Value::Array(all));
        }
        base.insert(
            "description".into(),
            Value::from(
                "An error answer: the response envelope with the vendor's code and message where the spec's \
                 `errors` rule reads them (the operation's own fields may be missing).",
            ),
        );
        Value::Object(base)
    }

    /// The success rule, as a schema a successful answer meets.
    fn success_rule(&self) -> Option<Value> {
        let errors = self.v.errors.as_ref()?;
        if errors.list.is_some() {
            return None;
        }
        match (&errors.code, &errors.success) {
            (Some(code), SuccessIr::Codes(codes)) if !codes.is_empty() => {
                Some(at_path(code, json!({"enum": scalars(codes)}), true))
            }
            (_, SuccessIr::Field { path, equals }) => Some(at_path(path, json!({"const": equals}), true)),
            _ => None,
        }
    }

    /// HTTP statuses an error answer may come with, besides 200.
    fn error_statuses(&self) -> BTreeMap<u16, Vec<String>> {
        let v = self.v;
        let mut out: BTreeMap<u16, Vec<String>> = BTreeMap::new();
        if let Some(m) = &v.mock {
            let mut add = |e: &MockRefusalIr, what: &str| {
                out.entry(e.status).or_default().push(what.to_owned());
            };
            add(&m.unauthorized, "refused credentials or signature");
            add(&m.stale_timestamp, "a stale timestamp");
            add(&m.invalid_request, "an invalid request");
            add(&m.unknown_operation, "an unknown operation");
            if let Some(e) = &m.expired_token {
                add(e, "an expired token");
            }
        }
        if let Some(errors) = &v.errors {
            for t in &errors.tables {
                for e in &t.entries {
                    if let Some(status) = e.status {
                        out.entry(status).or_default().push(e.meaning.trim_end_matches('.').to_owned());
                    }
                }
            }
        }
        let expiry =
            v.auth.session.as_ref().map(|s| &s.expired).into_iter().chain(v.auth.oauth2.as_ref().map(|o| &o.expired));
        for e in expiry {
            for status in &e.statuses {
                out.entry(*status).or_default().push("an expired token".to_owned());
            }
        }
        for reasons in out.values_mut() {
            reasons.sort();
            reasons.dedup();
        }
        out
    }

    // ----- the document ----------------------------------------------------------------------

    fn build(&self) -> Value {
        let v = self.v;
        let mut schemas = Map::new();
        let mut paths: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
        let mut webhooks = Map::new();
        for (i, op) in v.operations.iter().enumerate() {
            let (req, resp) = self.op_components(op);
            schemas.insert(format!("{}.Request", component_key(&op.wire)), req);
            schemas.insert(format!("{}.Response", component_key(&op.wire)), resp);
            if op.inbound {
                let item = self.operation(op);
                webhooks.insert(op.wire.clone(), json!({ method_key(op): item }));
            } else {
                paths.entry((op.path.clone(), method_key(op))).or_default().push(i);
            }
        }
        let mut path_items: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        for ((path, method), ops) in &paths {
            let item = match ops.as_slice() {
                [one] => self.operation(&v.operations[*one]),
                many => self.dispatched(path, many),
            };
            path_items.entry(path.clone()).or_default().insert(method.clone(), item);
        }
        schemas.insert(self.error_name.clone(), self.error_schema());
        // Named types: those referenced (on the side they are used), and every other one
        // request-side, as the generated crate has them all.
        for id in self.named.keys() {
            if !self.used.values().any(|u| u.contains(id)) {
                self.wanted.borrow_mut().insert((*id, Side::Sent));
            }
        }
        let mut done = BTreeSet::new();
        loop {
            let next = self.wanted.borrow().iter().find(|w| !done.contains(*w)).copied();
            let Some((id, side)) = next else { break };
            done.insert((id, side));
            let rendered = self.kind(id, side);
            let previous = schemas.insert(self.component(id, side), rendered.clone());
            debug_assert!(
                previous.map_or(true, |p| p == rendered),
                "two sides of `{}` share a component name",
                self.named[&id]
            );
        }

        let mut doc = Map::new();
        doc.insert("openapi".into(), "3.1.0".into());
        doc.insert("info".into(), self.info());
        doc.insert("servers".into(), self.servers());
        let (schemes, requirement) = self.security();
        if !requirement.is_empty() {
            doc.insert("security".into(), json!([Value::Object(requirement)]));
        }
        doc.insert("paths".into(), Value::Object(path_items.into_iter().map(|(k, v)| (k, Value::Object(v))).collect()));
        if !webhooks.is_empty() {
            doc.insert("webhooks".into(), Value::Object(webhooks));
        }
        let mut components = Map::new();
        components.insert("schemas".into(), Value::Object(schemas));
        if !schemes.is_empty() {
            components.insert("securitySchemes".into(), Value::Object(schemes));
        }
        doc.insert("components".into(), Value::Object(components));
        if let Some(url) = &v.docs {
            doc.insert("externalDocs".into(), json!({"url": url, "description": "The vendor's documentation."}));
        }
        doc.insert("x-flightapi-auth".into(), auth_recipe(&v.auth));
        doc.insert(
            "x-flightapi-error-schema".into(),
            json!({"$ref": format!("#/components/schemas/{}", self.error_name)}),
        );
        if let Some(sig) = &v.auth.signature {
            doc.insert("x-flightapi-signature".into(), signature_recipe(sig));
        }
        let credentials: Vec<Value> = v
            .credentials
            .iter()
            .map(|c| {
                let mut o = obj(json!({"name": c.name, "env": c.env, "description": c.description.trim()}));
                if c.optional {
                    o.insert("optional".into(), true.into());
                }
                if c.encryption {
                    o.insert("encryption".into(), true.into());
                }
                Value::Object(o)
            })
            .collect();
        doc.insert("x-flightapi-credentials".into(), Value::Array(credentials));
        if let Some(env) = &v.base_urls.env {
            doc.insert("x-flightapi-base-url-env".into(), env.as_str().into());
        }
        Value::Object(doc)
    }

    fn info(&self) -> Value {
        let v = self.v;
        let mut description = v.description.trim().to_owned();
        description.push_str("\n\nAuthentication: ");
        description.push_str(v.auth.description.trim());
        if v.auth.signature.as_ref().is_some_and(|s| s.send.iter().any(|p| matches!(p.place, PlaceIr::Body(_)))) {
            description.push_str(
                "\n\nOpenAPI cannot place a credential in a body: the signature recipe is the \
                 `x-flightapi-signature` extension of this document.",
            );
        }
        for note in &v.notes {
            description.push_str("\n\n- ");
            description.push_str(note.trim());
        }
        let version = self
            .v
            .operations
            .iter()
            .filter_map(|o| o.doc.retrieved.clone())
            .max()
            .map(|d| format!("spec checked {d}"))
            .unwrap_or_else(|| "unversioned".to_owned());
        json!({
            "title": v.title,
            "version": version,
            "description": description,
            "x-flightapi-vendor": v.name,
        })
    }

    fn servers(&self) -> Value {
        let b = &self.v.base_urls;
        let mut out = vec![json!({"url": b.test, "description": "The test (sandbox) host: the default."})];
        if let Some(p) = &b.production {
            out.push(json!({"url": p, "description": "The production host."}));
        }
        Value::Array(out)
    }

    /// The security schemes and the one requirement that names them all (every recipe applies
    /// to every call).
    fn security(&self) -> (Map<String, Value>, Map<String, Value>) {
        let v = self.v;
        let auth = &v.auth;
        let mut schemes = Map::new();
        let credential = |name: &str| v.credentials.iter().find(|c| c.name == name);
        for h in &v.headers {
            if let HeaderValueIr::Credential(c) = &h.value {
                let what = credential(c).map(|c| c.description.trim().to_owned()).unwrap_or_default();
                schemes.insert(
                    component_key(&h.name),
                    json!({"type": "apiKey", "in": "header", "name": h.name, "description": format!("The `{c}` credential. {what}").trim_end(), "x-flightapi-credential": c}),
                );
            }
        }
        for k in &auth.api_keys {
            let (place, name) = match &k.place {
                PlaceIr::Header(h) => ("header", h),
                PlaceIr::Query(q) => ("query", q),
                _ => continue,
            };
            schemes.insert(
                component_key(name),
                json!({"type": "apiKey", "in": place, "name": name, "description": format!("The `{}` credential.", k.credential), "x-flightapi-credential": k.credential}),
            );
        }
        if let Some(o) = &auth.oauth2 {
            let scopes: Map<String, Value> = o
                .scope
                .iter()
                .flat_map(|s| s.split_whitespace())
                .map(|s| (s.to_owned(), Value::from("Requested with every token.")))
                .collect();
            let (flow, grant) = match o.grant {
                Grant::Password => ("password", "password"),
                Grant::ClientCredentials => ("clientCredentials", "client_credentials"),
            };
            schemes.insert(
                "oauth2".into(),
                json!({
                    "type": "oauth2",
                    "description": format!("OAuth 2.0 `{grant}` grant; the token is sent as `Authorization: Bearer`. {}", auth.description.trim()),
                    "flows": {flow: {"tokenUrl": o.token_url, "scopes": scopes}},
                    "x-flightapi-oauth2": oauth2_recipe(o),
                }),
            );
        }
        if let Some(s) = &auth.session {
            let description = format!(
                "A session token from the `{}` operation (at `{}` of its response), valid {} s.",
                s.login, s.token_at, s.lifetime_secs
            );
            let scheme = match &s.send {
                PlaceIr::Bearer => Some(json!({"type": "http", "scheme": "bearer"})),
                PlaceIr::Header(h) => Some(json!({"type": "apiKey", "in": "header", "name": h})),
                PlaceIr::Query(q) => Some(json!({"type": "apiKey", "in": "query", "name": q})),
                PlaceIr::Body(_) => None,
            };
            if let Some(mut scheme) = scheme {
                merge(&mut scheme, json!({"description": description, "x-flightapi-session": session_recipe(s)}));
                schemes.insert("session".into(), scheme);
            }
        }
        if let Some(sig) = &auth.signature {
            fn outside(p: &PlaceIr) -> Option<(&'static str, &String)> {
                match p {
                    PlaceIr::Header(h) => Some(("header", h)),
                    PlaceIr::Query(q) => Some(("query", q)),
                    _ => None,
                }
            }
            let place = sig
                .send
                .iter()
                .filter(|p| p.value.contains("{signature}"))
                .chain(&sig.send)
                .find_map(|p| outside(&p.place));
            if let Some((in_, name)) = place {
                schemes.insert(
                    "signature".into(),
                    json!({
                        "type": "apiKey",
                        "in": in_,
                        "name": name,
                        "description": format!("A signature computed per attempt (not a fixed key): {}", auth.description.trim()),
                        "x-flightapi-signature": signature_recipe(sig),
                    }),
                );
            }
        }
        let requirement = schemes.keys().map(|k| (k.clone(), json!([]))).collect();
        (schemes, requirement)
    }

    /// Header and query parameters every call carries (other than credentials and recipe
    /// values that are security schemes).
    fn common_parameters(&self) -> Vec<Value> {
        let v = self.v;
        let mut out = Vec::new();
        for h in &v.headers {
            let lower = h.name.to_ascii_lowercase();
            let (schema, required) = match &h.value {
                HeaderValueIr::Credential(_) => continue,
                _ if ["content-type", "accept", "authorization"].contains(&lower.as_str()) => continue,
                HeaderValueIr::Fixed(value) => (json!({"type": "string", "const": value}), true),
                HeaderValueIr::Generated(GeneratedValue::Uuid) => (json!({"type": "string", "format": "uuid"}), true),
                HeaderValueIr::Generated(GeneratedValue::Timestamp | GeneratedValue::TimestampMs) => {
                    (json!({"type": "string", "pattern": "^[0-9]+$"}), true)
                }
                HeaderValueIr::PerCall(_) => (json!({"type": "string"}), false),
            };
            let mut p = obj(json!({"name": h.name, "in": "header", "required": required, "schema": schema}));
            if let Some(d) = &h.description {
                p.insert("description".into(), d.trim().into());
            }
            out.push(Value::Object(p));
        }
        if let Some(sig) = &v.auth.signature {
            let schemes = self.security().0;
            let scheme_name = schemes.get("signature").and_then(|s| s.get("name")).and_then(Value::as_str);
            for p in &sig.send {
                let (in_, name) = match &p.place {
                    PlaceIr::Header(h) => ("header", h),
                    PlaceIr::Query(q) => ("query", q),
                    _ => continue,
                };
                if Some(name.as_str()) == scheme_name {
                    continue;
                }
                out.push(json!({
                    "name": name,
                    "in": in_,
                    "required": true,
                    "schema": {"type": "string"},
                    "description": format!("`{}`, computed per attempt by the signature recipe (`x-flightapi-signature`).", p.value),
                }));
            }
        }
        out
    }

    /// The request and response components of an operation (`<op>.Request`, `<op>.Response`).
    fn op_components(&self, op: &OperationIr) -> (Value, Value) {
        let Some(schema) = self.s.operation(&op.wire) else { return (json!({}), json!({})) };
        let (req_side, resp_side) =
            if op.inbound { (Side::Received, Side::Sent) } else { (Side::Sent, Side::Received) };
        let mut request = obj(self.wire(op, schema.request, &self.s.request_envelope, true, req_side));
        let mut response = obj(self.wire(op, schema.response, &self.s.response_envelope, false, resp_side));
        if let Some(rule) = self.success_rule() {
            let mut all = response.remove("allOf").and_then(|v| v.as_array().cloned()).unwrap_or_default();
            all.push(rule);
            response.insert("allOf".into(), Value::Array(all));
        }
        let describe = |o: &mut Map<String, Value>, body: &Option<String>, what: &str| {
            let text = body.as_ref().map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
            let text = match text {
                Some(t) => format!("The whole {what} of `{}`, envelope included: {t}", op.wire),
                None => format!("The whole {what} of `{}`, envelope included.", op.wire),
            };
            o.insert("description".into(), text.into());
        };
        describe(&mut request, &op.request_description, "request body");
        describe(&mut response, &op.response_description, "successful response body");
        (Value::Object(request), Value::Object(response))
    }

    fn media_type(&self) -> String {
        self.v
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .and_then(|h| match &h.value {
                HeaderValueIr::Fixed(value) => Some(value.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "application/json".to_owned())
    }

    /// The operation object of one operation.
    fn operation(&self, op: &OperationIr) -> Value {
        let key = component_key(&op.wire);
        let mut o = obj(json!({
            "operationId": op.wire,
            "summary": op.summary.trim(),
        }));
        if let Some(d) = description(op) {
            o.insert("description".into(), d.into());
        }
        o.insert("externalDocs".into(), json!({"url": op.doc.url}));
        let mut parameters = self.path_parameters(op);
        if op.inbound {
            // A push: the vendor calls the partner, verified from its body (the signature
            // recipe); the headers and schemes of calls to the vendor do not apply.
            o.insert("security".into(), json!([]));
        } else {
            parameters.extend(self.common_parameters());
        }
        if !parameters.is_empty() {
            o.insert("parameters".into(), Value::Array(parameters));
        }
        let reference = |what: &str| json!({"$ref": format!("#/components/schemas/{key}.{what}")});
        let request_examples = examples(op, |e| e.request.clone(), |_| true);
        if !op.empty_request {
            let mut content = obj(json!({"schema": reference("Request")}));
            if !request_examples.is_empty() {
                content.insert("examples".into(), Value::Object(request_examples));
            }
            o.insert(
                "requestBody".into(),
                json!({"required": true, "content": {self.media_type(): Value::Object(content)}}),
            );
        }
        o.insert(
            "responses".into(),
            self.responses(&[op], reference("Response"), |e| examples(op, |x| x.response.clone(), e)),
        );
        extensions(&mut o, op);
        Value::Object(o)
    }

    fn path_parameters(&self, op: &OperationIr) -> Vec<Value> {
        let Some(ty) = self.s.operation(&op.wire).and_then(|o| o.path_params) else { return Vec::new() };
        let Kind::Object { fields } = &self.s.types[ty].kind else { return Vec::new() };
        fields
            .iter()
            .map(|f| {
                let mut p = obj(json!({"name": f.wire.as_ref(), "in": "path", "required": true, "schema": self.ty(f.ty, Side::Sent)}));
                if let Some(d) = self.field_docs.get(&(ty, f.wire.to_string())).and_then(|d| d.description.clone()) {
                    if let Some(Value::Object(schema)) = p.get_mut("schema") {
                        schema.remove("description");
                    }
                    p.insert("description".into(), d.into());
                }
                Value::Object(p)
            })
            .collect()
    }

    /// The responses object: the success status with its schema (beside the error answer when
    /// errors come with the same status), and every status an error comes with.
    fn responses(
        &self,
        ops: &[&OperationIr],
        success: Value,
        examples_of: impl Fn(&dyn Fn(&Example) -> bool) -> Map<String, Value>,
    ) -> Value {
        let error_ref = json!({"$ref": format!("#/components/schemas/{}", self.error_name)});
        let empty = ops.iter().all(|op| op.empty_response);
        let success_status: u16 = if empty { 204 } else { 200 };
        // A push is answered by the partner: none of the vendor's refusals.
        let push = ops.iter().all(|op| op.inbound);
        let mut statuses = if push { BTreeMap::new() } else { self.error_statuses() };
        let in_body = self.v.errors.as_ref().is_some_and(|e| e.list.is_none() && !matches!(e.success, SuccessIr::Http));
        if in_body && !push {
            statuses.entry(200).or_default();
        }
        for e in ops.iter().flat_map(|op| &op.examples).filter(|e| e.error && e.response.is_some()) {
            statuses.entry(e.status).or_default();
        }
        let mut out = Map::new();
        let media = "application/json";
        if empty {
            out.insert(success_status.to_string(), json!({"description": "Done: no content."}));
        } else {
            let schema = if statuses.contains_key(&success_status) {
                json!({"anyOf": [success, error_ref.clone()]})
            } else {
                success
            };
            let mut content = obj(json!({ "schema": schema }));
            let ex = examples_of(&|e: &Example| e.status == success_status);
            if !ex.is_empty() {
                content.insert("examples".into(), Value::Object(ex));
            }
            let description = if statuses.contains_key(&success_status) {
                "Success, or an error answer in the vendor's envelope (the code tells which)."
            } else {
                "Success."
            };
            out.insert(
                success_status.to_string(),
                json!({"description": description, "content": {media: Value::Object(content)}}),
            );
        }
        for (status, reasons) in statuses {
            if status == success_status && !empty {
                continue;
            }
            let mut content = obj(json!({ "schema": error_ref.clone() }));
            let ex = examples_of(&|e: &Example| e.error && e.status == status);
            if !ex.is_empty() {
                content.insert("examples".into(), Value::Object(ex));
            }
            let description = if reasons.is_empty() {
                "An error answer.".to_owned()
            } else {
                format!("An error answer: {}.", reasons.join("; "))
            };
            out.insert(
                status.to_string(),
                json!({"description": description, "content": {media: Value::Object(content)}}),
            );
        }
        Value::Object(out)
    }

    /// One operation object for several operations sharing a method and path, told apart by
    /// the envelope's operation field (`action`).
    fn dispatched(&self, path: &str, ops: &[usize]) -> Value {
        let field = self.s.request_envelope.operation_field.as_deref().unwrap_or("operation");
        let operations: Vec<&OperationIr> = ops.iter().map(|i| &self.v.operations[*i]).collect();
        let reference =
            |op: &OperationIr, what: &str| format!("#/components/schemas/{}.{what}", component_key(&op.wire));
        let names: Vec<String> = operations.iter().map(|o| format!("`{}`", o.wire)).collect();
        let mut o = obj(json!({
            "operationId": path.trim_start_matches('/').replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
            "summary": format!("One of {} operations, named by the `{field}` field", operations.len()),
            "description": format!(
                "The vendor serves several operations at this path; the body's `{field}` field names the one \
                 called: {}. Each one's summary, documentation and retry rule are in `x-flightapi-actions`.",
                names.join(", ")
            ),
        }));
        let parameters = self.common_parameters();
        if !parameters.is_empty() {
            o.insert("parameters".into(), Value::Array(parameters));
        }
        let mapping: Map<String, Value> =
            operations.iter().map(|op| (op.wire.clone(), Value::from(reference(op, "Request")))).collect();
        let one_of: Vec<Value> = operations.iter().map(|op| json!({"$ref": reference(op, "Request")})).collect();
        let mut request_examples = Map::new();
        let mut response_examples: Vec<(String, Example)> = Vec::new();
        for op in &operations {
            for (k, v) in examples(op, |e| e.request.clone(), |_| true) {
                request_examples.insert(format!("{}.{k}", op.wire), v);
            }
            for e in &op.examples {
                response_examples.push((format!("{}.{}", op.wire, e.name), e.clone()));
            }
        }
        let mut content = obj(json!({
            "schema": {"oneOf": one_of, "discriminator": {"propertyName": field, "mapping": mapping}},
        }));
        if !request_examples.is_empty() {
            content.insert("examples".into(), Value::Object(request_examples));
        }
        o.insert(
            "requestBody".into(),
            json!({"required": true, "content": {self.media_type(): Value::Object(content)}}),
        );
        let successes: Vec<Value> = operations.iter().map(|op| json!({"$ref": reference(op, "Response")})).collect();
        let pick = |filter: &dyn Fn(&Example) -> bool| -> Map<String, Value> {
            response_examples
                .iter()
                .filter(|(_, e)| filter(e))
                .filter_map(|(name, e)| e.response.clone().map(|r| (name.clone(), json!({ "value": r }))))
                .collect()
        };
        // The operations' answers: any one of them (a response does not say which it answers).
        let responses = self.responses(&operations, json!({ "anyOf": successes }), pick);
        o.insert("responses".into(), responses);
        let actions: Map<String, Value> = operations
            .iter()
            .map(|op| {
                let mut a = obj(json!({
                    "summary": op.summary.trim(),
                    "request": {"$ref": reference(op, "Request")},
                    "response": {"$ref": reference(op, "Response")},
                    "externalDocs": {"url": op.doc.url},
                }));
                if let Some(d) = description(op) {
                    a.insert("description".into(), d.into());
                }
                extensions(&mut a, op);
                (op.wire.clone(), Value::Object(a))
            })
            .collect();
        o.insert("x-flightapi-actions".into(), Value::Object(actions));
        o.insert("x-flightapi-operation-field".into(), field.into());
        o.insert("x-safe-to-retry".into(), operations.iter().all(|op| op.safe_to_retry).into());
        Value::Object(o)
    }
}

type Example = crate::lower::ExampleIr;

/// One property of an object being rendered.
struct Prop<'a> {
    field: &'a Field,
    doc: FieldDoc,
    /// A fixed string value (the operation field of an envelope, a one-of tag).
    fixed: Option<String>,
}

/// `x-doc-url`, `x-doc-modified`, `x-safe-to-retry` and the other per-operation facts.
fn extensions(o: &mut Map<String, Value>, op: &OperationIr) {
    o.insert("x-doc-url".into(), op.doc.url.as_str().into());
    o.insert("x-doc-modified".into(), op.doc.modified.as_str().into());
    if let Some(r) = &op.doc.retrieved {
        o.insert("x-doc-retrieved".into(), r.as_str().into());
    }
    o.insert("x-safe-to-retry".into(), op.safe_to_retry.into());
    if let Some(t) = op.timeout_secs {
        o.insert("x-timeout-seconds".into(), t.into());
    }
    if op.undocumented {
        o.insert("x-undocumented".into(), true.into());
    }
}

fn description(op: &OperationIr) -> Option<String> {
    let mut text = op.description.as_deref().map(str::trim).unwrap_or_default().to_owned();
    if !op.notes.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str("Notes:");
        for n in &op.notes {
            text.push_str("\n\n- ");
            text.push_str(n.trim());
        }
    }
    (!text.is_empty()).then_some(text)
}

/// The examples of `op` that `keep` selects, as OpenAPI example objects keyed by name.
fn examples(
    op: &OperationIr,
    value: impl Fn(&Example) -> Option<Value>,
    keep: impl Fn(&Example) -> bool,
) -> Map<String, Value> {
    op.examples
        .iter()
        .filter(|e| keep(e))
        .filter_map(|e| value(e).map(|v| (e.name.clone(), json!({ "value": v }))))
        .collect()
}

fn method_key(op: &OperationIr) -> String {
    op.method.as_str().to_ascii_lowercase()
}

/// A component key OpenAPI accepts (`^[a-zA-Z0-9._-]+$`).
fn component_key(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' }).collect()
}

/// Doc lines of the lowered spec → (description, deprecated). The lines are the description,
/// `Doc quirk:` notes, a line of rules starting `Wire name` (dropped: the schema says it) and
/// `Deprecated:`.
fn doc_text(lines: &[String]) -> FieldDoc {
    let mut parts = Vec::new();
    let mut deprecated = false;
    for line in lines {
        if line.starts_with("Wire name `") || line.ends_with("(no description in the docs).") {
            continue;
        }
        if line.starts_with("Deprecated:") {
            deprecated = true;
        }
        parts.push(line.clone());
    }
    FieldDoc { description: (!parts.is_empty()).then(|| parts.join("\n\n")), deprecated }
}

/// The digit strings an integer in `min..=max` may also arrive as: the plain form (the runtime
/// also trims spaces): each value of a small range spelled out (leading zeros allowed), else no
/// zero or minus sign where the minimum forbids them, and at most 18 digits (an `i64`).
fn int_string_pattern(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) if lo >= 0 && hi >= lo && hi - lo <= 100 => {
            let values: Vec<String> = (lo..=hi).rev().map(|n| n.to_string()).collect();
            format!("^\\+?0*(?:{})$", values.join("|"))
        }
        (Some(lo), _) if lo >= 1 => r"^\+?0*[1-9][0-9]{0,17}$".to_owned(),
        (Some(lo), _) if lo >= 0 => r"^\+?[0-9]{1,18}$".to_owned(),
        _ => r"^[+-]?[0-9]{1,18}$".to_owned(),
    }
}
/// A decimal written as a string (the plain form; the runtime also reads exponents).
const DECIMAL_STRING: &str = r"^[+-]?(?:[0-9]{1,28}(?:\.[0-9]*)?|\.[0-9]+)$";
/// The largest magnitude of an exact decimal (96 bits), rounded down.
const DECIMAL_LIMIT: f64 = 7.9e28;
/// Standard base64 of a whole number of 16-byte AES blocks: 48 bytes are 64 characters, a
/// last 16 or 32 bytes end in `==` or `=` with the unused bits zero.
const BASE64: &str =
    r"^(?:[A-Za-z0-9+/]{64})*(?:[A-Za-z0-9+/]{64}|[A-Za-z0-9+/]{21}[AQgw]==|[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=)$";

/// A pattern with `\d` spelled `[0-9]` (`0-9` inside a class) and `\D` spelled `[^0-9]`: the
/// runtime's reading (an ASCII digit, as in ECMA-262), whatever the validator's engine.
fn ascii_digits(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 8);
    let mut in_class = false;
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') if in_class => out.push_str("0-9"),
                Some('d') => out.push_str("[0-9]"),
                Some('D') if !in_class => out.push_str("[^0-9]"),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A date or local date-time in a `chrono` format: `format: date` for ISO dates, always a
/// pattern and the format itself in `x-format`. Local date-times have no offset, so they are
/// never `format: date-time` (RFC 3339 demands one).
fn date(format: &str, time: bool) -> Value {
    let mut o = obj(json!({"type": "string"}));
    if !time && format == "%Y-%m-%d" {
        o.insert("format".into(), "date".into());
    }
    if let Some(p) = strftime_pattern(format) {
        o.insert("pattern".into(), p.into());
    }
    o.insert("x-format".into(), format.into());
    Value::Object(o)
}

/// A regular expression every text of a `chrono` format matches, or `None` for a format with
/// specifiers it does not know.
pub fn strftime_pattern(format: &str) -> Option<String> {
    let mut out = String::from("^");
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            if c.is_ascii_alphanumeric() || c == ' ' {
                out.push(c);
            } else {
                out.push('\\');
                out.push(c);
            }
            continue;
        }
        out.push_str(match chars.next()? {
            'Y' => "[0-9]{4}",
            'y' | 'C' => "[0-9]{2}",
            'm' => "(?:0[1-9]|1[0-2])",
            'd' => "(?:0[1-9]|[12][0-9]|3[01])",
            'e' => "(?: [1-9]|[12][0-9]|3[01])",
            'j' => "[0-9]{3}",
            'H' => "(?:[01][0-9]|2[0-3])",
            'I' => "(?:0[1-9]|1[0-2])",
            'M' => "[0-5][0-9]",
            'S' => "(?:[0-5][0-9]|60)",
            'p' => "(?:AM|PM)",
            'F' => "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])",
            'T' => "(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)",
            '%' => "%",
            _ => return None,
        });
    }
    out.push('$');
    Some(out)
}

/// A schema that puts `leaf` at a JSON path of the errors rule (`code`, `error.code`,
/// `*.Result.Error`; `*` is any one key): nested objects, each key required when `required`.
/// A path with an index gives no constraint.
fn at_path(path: &str, leaf: Value, required: bool) -> Value {
    let steps: Vec<&str> = path.split('.').collect();
    if steps.iter().any(|s| s.contains('[') || s.is_empty()) {
        return json!({});
    }
    let mut schema = leaf;
    for step in steps.iter().rev() {
        schema = if *step == "*" {
            json!({"type": "object", "minProperties": 1, "additionalProperties": schema})
        } else {
            let mut o = obj(json!({"type": "object", "properties": {*step: schema}}));
            if required {
                o.insert("required".into(), json!([step]));
            }
            Value::Object(o)
        };
    }
    schema
}

/// Merges the keys of `extra` into `into` (objects only).
fn merge(into: &mut Value, extra: Value) {
    if let (Value::Object(a), Value::Object(b)) = (into, extra) {
        for (k, v) in b {
            match (a.get_mut(&k), v) {
                (Some(existing @ Value::Object(_)), v @ Value::Object(_)) => merge(existing, v),
                (_, v) => {
                    a.insert(k, v);
                }
            }
        }
    }
}

/// Codes as both the string and, when numeric, the integer (a code field may be either).
fn scalars(codes: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    for text in codes {
        out.push(Value::from(text.as_str()));
        if let Ok(n) = text.parse::<i64>() {
            if n.to_string() == *text {
                out.push(Value::from(n));
            }
        }
    }
    out
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => {
            let mut m = Map::new();
            m.insert("allOf".into(), json!([other]));
            m
        }
    }
}

fn put(o: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        o.insert(key.to_owned(), v);
    }
}

/// A whole `f64` as a JSON integer, others as they are.
fn number(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
    }
}

// ----- recipes as JSON --------------------------------------------------------------------

fn lower_name<T: std::fmt::Debug>(v: T) -> String {
    heck::ToSnakeCase::to_snake_case(format!("{v:?}").as_str())
}

fn signature_recipe(s: &SignatureIr) -> Value {
    let send: Vec<Value> = s
        .send
        .iter()
        .map(|p| {
            let mut o = obj(json!({"value": p.value}));
            place(&mut o, &p.place);
            if p.integer {
                o.insert("integer".into(), true.into());
            }
            if !p.aliases.is_empty() {
                o.insert("aliases".into(), json!(p.aliases));
            }
            Value::Object(o)
        })
        .collect();
    let algorithm = match s.algorithm {
        AlgorithmIr::Sha256 => "sha256",
        AlgorithmIr::Sha512 => "sha512",
        AlgorithmIr::Md5 => "md5",
        AlgorithmIr::HmacSha256 => "hmac_sha256",
        AlgorithmIr::HmacSha512 => "hmac_sha512",
        AlgorithmIr::AesCbc { .. } => "aes_cbc",
    };
    let mut o = obj(json!({
        "sign": s.sign,
        "algorithm": algorithm,
        "output": lower_name(s.output),
        "timestamp": lower_name(s.timestamp),
        "send": send,
        "max_skew_seconds": s.max_skew_secs,
    }));
    put(&mut o, "key", s.key.clone().map(Value::from));
    if let AlgorithmIr::AesCbc { iv, padding } = s.algorithm {
        o.insert("iv".into(), lower_name(iv).into());
        o.insert("padding".into(), lower_name(padding).into());
    }
    if s.nonce {
        o.insert("nonce".into(), true.into());
    }
    o.insert(
        "templates".into(),
        "`{credential.NAME}` is a credential's value, `{timestamp}` the time of the attempt in the recipe's unit, \
         `{nonce}` 32 random hex digits, `{method}`, `{path}`, `{query}` (sorted), `{body}` (the bytes sent), \
         `{params}` (the body's top-level fields sorted) and `{signature}` the computed value; body paths are \
         into the whole wire body."
            .into(),
    );
    Value::Object(o)
}

/// Where a value goes, as the spec writes it (`header`, `query`, `body` or `bearer: true`).
fn place(o: &mut Map<String, Value>, place: &PlaceIr) {
    match place {
        PlaceIr::Header(h) => o.insert("header".into(), h.as_str().into()),
        PlaceIr::Query(q) => o.insert("query".into(), q.as_str().into()),
        PlaceIr::Body(b) => o.insert("body".into(), b.as_str().into()),
        PlaceIr::Bearer => o.insert("bearer".into(), true.into()),
    };
}

fn expiry(e: &ExpiryIr) -> Value {
    json!({
        "codes": e.codes,
        "statuses": e.statuses,
        "refused_before_processing": e.refused_before_processing,
    })
}

fn oauth2_recipe(o: &OAuth2Ir) -> Value {
    let mut out = obj(json!({
        "grant": lower_name(o.grant),
        "token_url": o.token_url,
        "body": lower_name(o.body),
        "client_id": o.client_id,
        "client_secret": o.client_secret,
        "lifetime_seconds": o.lifetime_secs,
        "expired": expiry(&o.expired),
    }));
    put(&mut out, "scope", o.scope.clone().map(Value::from));
    put(&mut out, "username", o.username.clone().map(Value::from));
    put(&mut out, "password", o.password.clone().map(Value::from));
    put(&mut out, "token_url_env", o.token_url_env.clone().map(Value::from));
    Value::Object(out)
}

fn session_recipe(s: &SessionIr) -> Value {
    let mut send = Map::new();
    place(&mut send, &s.send);
    json!({
        "login": s.login,
        "body": s.body,
        "token_at": s.token_at,
        "send": send,
        "lifetime_seconds": s.lifetime_secs,
        "expired": expiry(&s.expired),
    })
}

fn auth_recipe(a: &AuthIr) -> Value {
    let mut o = obj(json!({"description": a.description.trim()}));
    put(&mut o, "signature", a.signature.as_ref().map(signature_recipe));
    put(&mut o, "session", a.session.as_ref().map(session_recipe));
    put(&mut o, "oauth2", a.oauth2.as_ref().map(oauth2_recipe));
    if !a.api_keys.is_empty() {
        let keys: Vec<Value> = a
            .api_keys
            .iter()
            .map(|k| {
                let mut o = obj(json!({"credential": k.credential}));
                place(&mut o, &k.place);
                Value::Object(o)
            })
            .collect();
        o.insert("api_keys".into(), Value::Array(keys));
    }
    Value::Object(o)
}

// ----- text --------------------------------------------------------------------------------

/// Keys written first, in this order; the others follow sorted, `x-` extensions last.
const KEY_ORDER: &[&str] = &[
    "openapi",
    "info",
    "title",
    "version",
    "operationId",
    "summary",
    "name",
    "in",
    "$ref",
    "description",
    "externalDocs",
    "servers",
    "security",
    "paths",
    "webhooks",
    "components",
    "type",
    "const",
    "enum",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "additionalProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "discriminator",
    "parameters",
    "requestBody",
    "responses",
    "content",
    "schema",
    "examples",
];

/// Objects whose keys are names (fields, paths, components, statuses): written sorted.
const NAME_MAPS: &[&str] = &[
    "properties",
    "paths",
    "webhooks",
    "schemas",
    "securitySchemes",
    "responses",
    "content",
    "examples",
    "mapping",
    "flows",
    "scopes",
    "x-enumDescriptions",
    "x-flightapi-actions",
];

/// Values that are data (examples, constants): written with every key sorted.
const DATA: &[&str] = &["value", "const", "enum", "default"];

/// How an object's keys are ordered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// OpenAPI and JSON Schema keywords: [`KEY_ORDER`] first.
    Keywords,
    /// Names: sorted; their values are keyword objects.
    Names,
    /// Data: sorted all the way down.
    Data,
}

fn key_rank(k: &str) -> (usize, bool, &str) {
    match KEY_ORDER.iter().position(|o| *o == k) {
        Some(i) => (i, false, k),
        None => (KEY_ORDER.len(), k.starts_with("x-"), k),
    }
}

/// Pretty JSON (two-space indent) with keys in a fixed order, whatever the `serde_json` map
/// type, and a final newline.
pub fn to_text(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, 0, Keys::Keywords, &mut out);
    out.push('\n');
    out
}

fn write_value(v: &Value, depth: usize, keys: Keys, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Object(m) => {
            let mut names: Vec<&String> = m.keys().collect();
            if keys == Keys::Keywords {
                names.sort_by(|a, b| key_rank(a).cmp(&key_rank(b)));
            } else {
                names.sort();
            }
            out.push_str("{\n");
            for (i, k) in names.iter().enumerate() {
                let child = match keys {
                    Keys::Data => Keys::Data,
                    Keys::Names => Keys::Keywords,
                    Keys::Keywords if NAME_MAPS.contains(&k.as_str()) => Keys::Names,
                    Keys::Keywords if DATA.contains(&k.as_str()) => Keys::Data,
                    Keys::Keywords => Keys::Keywords,
                };
                out.push_str(&pad(depth + 1));
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push_str(": ");
                write_value(&m[k.as_str()], depth + 1, child, out);
                if i + 1 < names.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, item) in a.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                write_value(item, depth + 1, keys, out);
                if i + 1 < a.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ir(dir: &str) -> Ir {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
        crate::Generator::new(root, "unused").shown_as("spec").lint().unwrap_or_else(|d| panic!("{d}"))
    }

    fn bundled() -> &'static Ir {
        static IR: std::sync::OnceLock<Ir> = std::sync::OnceLock::new();
        IR.get_or_init(|| ir("spec"))
    }

    fn vendor<'a>(ir: &'a Ir, name: &str) -> &'a VendorIr {
        ir.vendors.iter().find(|v| v.name == name).unwrap()
    }

    fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
        doc.pointer(&format!("/components/schemas/{name}")).unwrap_or_else(|| panic!("no component {name}"))
    }

    #[test]
    fn rendering_is_deterministic_and_ends_with_a_newline() {
        let a = render(bundled());
        let b = render(bundled());
        assert_eq!(a, b);
        assert_eq!(
            a.keys().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            ["aerohub.json", "fr24.json", "travelport.json"]
        );
        for text in a.values() {
            assert!(text.starts_with("{\n  \"openapi\": \"3.1.0\",\n  \"info\": {"), "{}", &text[..80]);
            assert!(text.ends_with("}\n"));
            let parsed: Value = serde_json::from_str(text).unwrap();
            assert_eq!(to_text(&parsed), *text, "the text is a fixed point of parse and print");
        }
    }

    #[test]
    fn every_operation_is_a_path_or_a_webhook_with_its_doc_facts() {
        let v = vendor(bundled(), "fr24");
        let doc = document(v);
        for op in &v.operations {
            let item =
                if op.inbound { &doc["webhooks"][&op.wire]["post"] } else { &doc["paths"][&op.path][method_key(op)] };
            assert_eq!(item["operationId"], op.wire.as_str());
            assert_eq!(item["x-doc-url"], op.doc.url.as_str());
            assert_eq!(item["x-doc-modified"], op.doc.modified.as_str());
            assert_eq!(item["x-safe-to-retry"], op.safe_to_retry);
            assert!(schema(&doc, &format!("{}.Request", op.wire)).is_object());
            assert!(schema(&doc, &format!("{}.Response", op.wire)).is_object());
        }
        assert!(doc["webhooks"]["orderChangeInforming"].is_object(), "the push is a webhook");
    }

    #[test]
    fn requests_are_closed_responses_open_and_the_envelope_is_around_the_body() {
        let doc = document(vendor(bundled(), "fr24"));
        let request = schema(&doc, "refundConfirming.Request");
        assert_eq!(request["additionalProperties"], false);
        assert!(request["properties"]["authentication"].is_object(), "the envelope's field beside the body's");
        assert!(request["properties"]["tktOrderNo"].is_object());
        assert_eq!(request["required"], json!(["authentication"]));
        // The two rules across fields.
        let rules = request["allOf"].as_array().unwrap();
        assert!(rules.iter().any(|r| r["anyOf"].is_array()));
        assert!(rules.iter().any(|r| r["if"].is_object() && r["then"].is_object()));
        let response = schema(&doc, "refundConfirming.Response");
        assert!(response.get("additionalProperties").is_none(), "responses may carry fields the spec lacks");
        assert_eq!(response["properties"]["data"]["anyOf"][1], json!({"type": "null"}), "`data` may be left out");
        assert!(response["properties"]["code"].is_object());
        // The error answer replaces a success at status 200.
        let ok = &doc["paths"]["/api/new/refundConfirming.do"]["post"]["responses"]["200"];
        assert_eq!(ok["content"]["application/json"]["schema"]["anyOf"][1]["$ref"], "#/components/schemas/Error");
        let error = schema(&doc, "Error");
        assert_eq!(error["allOf"][0]["properties"]["code"]["not"]["enum"], json!(["000000", "0", 0]));
    }

    #[test]
    fn shared_named_types_get_an_inbound_component_when_the_sides_differ() {
        let doc = document(vendor(bundled(), "fr24"));
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let inbound: Vec<&String> = schemas.keys().filter(|k| k.ends_with("Inbound")).collect();
        assert!(!inbound.is_empty());
        for k in inbound {
            let base = k.trim_end_matches("Inbound");
            assert_eq!(schemas[base]["additionalProperties"], false, "{base}");
            assert!(schemas[k].get("additionalProperties").is_none(), "{k}");
        }
    }

    #[test]
    fn dispatched_operations_share_one_path_told_apart_by_the_action() {
        let v = vendor(bundled(), "aerohub");
        let doc = document(v);
        let booking = &doc["paths"]["/flight/booking"]["post"];
        let body = &booking["requestBody"]["content"]["text/plain"]["schema"];
        assert_eq!(body["discriminator"]["propertyName"], "action");
        let actions = booking["x-flightapi-actions"].as_object().unwrap();
        assert!(actions.len() > 1);
        for (name, action) in actions {
            let request = schema(&doc, &format!("{name}.Request"));
            assert_eq!(request["properties"]["action"]["const"], name.as_str());
            assert!(action["x-doc-url"].is_string() && action["x-safe-to-retry"].is_boolean());
        }
        assert!(doc.get("security").is_none(), "a body signature is no security scheme");
        assert_eq!(doc["x-flightapi-signature"]["algorithm"], "aes_cbc");
        assert_eq!(
            doc["x-flightapi-signature"]["send"][1],
            json!({"value": "{timestamp}", "body": "timestamp", "integer": true})
        );
        let error = schema(&doc, "Error");
        assert_eq!(error["allOf"][0]["properties"]["status"]["not"]["enum"], json!(["0", 0]));
    }

    #[test]
    fn oauth2_headers_path_parameters_and_empty_bodies() {
        let doc = document(vendor(bundled(), "travelport"));
        let scheme = &doc["components"]["securitySchemes"]["oauth2"];
        assert_eq!(scheme["flows"]["password"]["tokenUrl"], "https://auth.pp.travelport.net/oauth/token");
        assert_eq!(doc["components"]["securitySchemes"]["XAUTH_TRAVELPORT_ACCESSGROUP"]["in"], "header");
        assert_eq!(doc["security"][0].as_object().unwrap().len(), 2, "both apply to every call");
        let delete = doc["paths"].as_object().unwrap().values().find_map(|p| p.get("delete")).unwrap();
        assert!(delete.get("requestBody").is_none());
        assert!(delete["responses"]["204"].is_object());
        assert!(delete["responses"]["401"]["content"].is_object());
        let params = delete["parameters"].as_array().unwrap();
        assert!(params.iter().any(|p| p["in"] == "path" && p["required"] == true));
        assert!(params.iter().any(|p| p["name"] == "Accept-Version" && p["schema"]["const"] == "11"));
    }

    #[test]
    fn fixture_vendors_header_signatures_sessions_and_api_keys() {
        let ir = ir("tests/vendors/spec");
        let hmac = document(vendor(&ir, "hmac_vendor"));
        let scheme = &hmac["components"]["securitySchemes"]["signature"];
        assert_eq!(
            (scheme["type"].as_str(), scheme["in"].as_str(), scheme["name"].as_str()),
            (Some("apiKey"), Some("header"), Some("X-Signature"))
        );
        assert_eq!(scheme["x-flightapi-signature"]["algorithm"], "hmac_sha256");
        assert_eq!(hmac["components"]["securitySchemes"]["apikey"]["in"], "query");
        let login = document(vendor(&ir, "login_vendor"));
        assert!(login["components"]["securitySchemes"]["session"]["x-flightapi-session"]["login"].is_string());
    }

    #[test]
    fn chrono_formats_become_patterns() {
        assert_eq!(strftime_pattern("%Y%m%d").unwrap(), "^[0-9]{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])$");
        let re = regex::Regex::new(&strftime_pattern("%Y-%m-%dT%H:%M").unwrap()).unwrap();
        assert!(re.is_match("2024-11-27T10:53"));
        assert!(!re.is_match("2024-11-27T10:53:00"));
        assert!(!re.is_match("2024-1-27T10:53"));
        assert_eq!(strftime_pattern("%Q"), None);
        assert_eq!(date("%Y-%m-%d", false)["format"], "date");
        assert!(date("%Y-%m-%dT%H:%M:%S", true).get("format").is_none(), "no offset: not RFC 3339");
    }

    #[test]
    fn digits_are_ascii_and_ciphertexts_whole_blocks() {
        assert_eq!(ascii_digits(r"^[\dA-F]\d\\d\D$"), r"^[0-9A-F][0-9]\\d[^0-9]$");
        // The pattern takes exactly the texts the runtime takes for ciphertext (without spaces).
        let re = regex::Regex::new(BASE64).unwrap();
        for n in 0..100 {
            for byte in [0x00u8, 0xa5, 0xff] {
                let text = crate::rt::crypto::base64(&vec![byte; n]);
                assert_eq!(
                    re.is_match(&text),
                    crate::rt::crypto::looks_like_aes_ciphertext(&text),
                    "{n} bytes: {text}"
                );
                assert_eq!(re.is_match(&text), n > 0 && n % 16 == 0);
            }
        }
    }

    #[test]
    fn integers_as_strings_keep_their_range_where_a_pattern_can() {
        let re = |min, max| regex::Regex::new(&int_string_pattern(min, max)).unwrap();
        let small = re(Some(0), Some(8));
        for (text, ok) in
            [("0", true), ("8", true), ("+08", true), ("9", false), ("-1", false), ("10", false), ("", false)]
        {
            assert_eq!(small.is_match(text), ok, "{text}");
        }
        let natural = re(Some(0), None);
        assert!(natural.is_match("1685116516") && !natural.is_match("-7") && !natural.is_match(" 7"));
        assert!(!natural.is_match("1234567890123456789"), "beyond 18 digits");
        assert!(re(None, None).is_match("-7"));
        let positive = re(Some(1), None);
        assert!(positive.is_match("007") && !positive.is_match("000") && !positive.is_match("-7"));
    }

    #[test]
    fn error_paths_nest_and_stars_take_any_key() {
        assert_eq!(
            at_path("*.Result.Error", json!({"type": "array"}), true),
            json!({"type": "object", "minProperties": 1, "additionalProperties": {
                "type": "object", "required": ["Result"], "properties": {"Result": {
                    "type": "object", "required": ["Error"], "properties": {"Error": {"type": "array"}}}}}})
        );
        assert_eq!(at_path("data[0].code", json!({}), true), json!({}));
    }

    #[test]
    fn keys_come_in_a_fixed_order() {
        let text = to_text(&json!({"x-b": 1, "type": "object", "a": [], "$ref": "#", "openapi": "3.1.0"}));
        assert_eq!(text, "{\n  \"openapi\": \"3.1.0\",\n  \"$ref\": \"#\",\n  \"type\": \"object\",\n  \"a\": [],\n  \"x-b\": 1\n}\n");
    }
}
