//! The Rust side: field and type names, validated newtypes, enums and structs placed in the
//! module of the file that declares them, and their doc text (kept raw; `emit` escapes it).

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn fields(&mut self, shape: &'a Shape, at: &At, loc: Loc, inbound: bool) -> Vec<FieldIr> {
        shape
            .fields
            .iter()
            .enumerate()
            .filter_map(|(i, f)| self.field(f, &at.join(&format!("fields[{i}]")), loc, inbound).map(|x| x.1))
            .collect()
    }

    pub(super) fn field(&mut self, f: &'a Shape, at: &At, loc: Loc, inbound: bool) -> Option<(rs::Field, FieldIr)> {
        let wire = f.name.clone()?;
        let rust = f.rust_name.clone().unwrap_or_else(|| names::field(&wire));
        let schema_id = self.schema_of(f, at);
        let mut ty = self.rust_of(f, at, loc, inbound, &names::type_name(&wire));
        // `Secret<Decimal>` keeps Decimal's own serde (a string out, number or string in).
        // A reference to a named decimal takes the named type's `wire`.
        let named_wire = f.ty.named().and_then(|n| self.named.get(n)).and_then(|(n, _)| n.wire);
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

    pub(super) fn rust_of(&mut self, shape: &'a Shape, at: &At, loc: Loc, inbound: bool, hint: &str) -> RustTy {
        self.rust_named(shape, at, loc, inbound, hint, None)
    }

    /// `rust_of`, with the item's Rust name decided by the caller (`Some`) or derived (`None`).
    pub(super) fn rust_named(
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
        match &shape.ty {
            TypeName::Any => RustTy::Any,
            TypeName::Boolean => RustTy::Bool,
            TypeName::Integer if shape.integer_as_string => RustTy::LooseI64,
            TypeName::Integer => RustTy::I64,
            TypeName::Number => RustTy::Number,
            TypeName::Decimal => RustTy::Decimal,
            TypeName::Date | TypeName::DateTime => {
                let date = shape.ty == TypeName::Date;
                let format =
                    shape.format.clone().unwrap_or_else(|| if date { "%Y-%m-%d" } else { "%Y-%m-%dT%H:%M:%S" }.into());
                let fref = self.format_ref(&format);
                if date {
                    RustTy::Date(fref)
                } else {
                    RustTy::DateTime(fref)
                }
            }
            TypeName::String => {
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
            TypeName::Enum => {
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
            TypeName::Object => {
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
            TypeName::OneOf => {
                let n = name();
                let schema_id = self.schema_of(shape, at);
                let mut variants = Vec::new();
                for (i, v) in shape.variants.iter().enumerate() {
                    let Some(wire) = v.name.clone() else { continue };
                    let rust = names::variant(&wire);
                    let ty = self.rust_of(v, &at.join(&format!("variants[{i}]")), loc, inbound, &rust);
                    let doc =
                        v.description.as_deref().map(|d| d.trim().to_owned()).unwrap_or_else(|| format!("`{wire}`."));
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
            TypeName::Encrypted => match &shape.plaintext {
                Some(plain) => {
                    RustTy::Encrypted(Box::new(self.rust_of(plain, &at.join("plaintext"), loc, inbound, hint)))
                }
                None => RustTy::Any,
            },
            TypeName::Array => match &shape.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    RustTy::Vec(Box::new(self.rust_of(items, &at.join("items"), loc, inbound, &item_hint)))
                }
                None => RustTy::Any,
            },
            TypeName::Map => match &shape.values_type {
                Some(values) => {
                    let value_hint = format!("{hint}Value");
                    RustTy::Map(Box::new(self.rust_of(values, &at.join("values_type"), loc, inbound, &value_hint)))
                }
                None => RustTy::Any,
            },
            TypeName::Named(other) => match self.named.get(other).cloned() {
                Some((named, nat)) => self.rust_of_named(other, named, &nat, inbound),
                None => RustTy::Any,
            },
        }
    }

    pub(super) fn rust_of_named(&mut self, name: &str, shape: &'a Shape, at: &At, inbound: bool) -> RustTy {
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
        let makes_item = matches!(shape.ty, TypeName::Object | TypeName::Enum | TypeName::OneOf)
            || (shape.ty == TypeName::String
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

    pub(super) fn format_ref(&mut self, format: &str) -> FormatRef {
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

    pub(super) fn add_item(&mut self, loc: Loc, at: &At, item: Item) {
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

/// The name of a generated date-format marker: `%d/%m/%Y` → `FormatDMY`.
pub(super) fn format_type_name(format: &str) -> String {
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

pub(super) fn doc_lines(shape: &Shape) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(d) = &shape.description {
        doc.push(d.trim().to_owned());
    }
    if let Some(note) = &shape.note {
        doc.push(format!("Doc quirk: {}", note.trim()));
    }
    if doc.is_empty() {
        doc.push(format!("`{}` (no description in the docs).", shape.name.as_deref().unwrap_or(shape.ty.as_str())));
    }
    doc
}

pub(super) fn field_doc(f: &Shape) -> Vec<String> {
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
        rules.push(format!("minimum {v}"));
    }
    if let Some(v) = f.maximum {
        rules.push(format!("maximum {v}"));
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
        doc.push(format!("Deprecated: {}", d.trim()));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fixture, with_type};
    use super::*;

    #[test]
    fn field_docs_state_the_rules() {
        let ir = fixture();
        let aero = ir.vendors.iter().find(|v| v.name == "aero").unwrap();
        let timestamp = aero.request_envelope.fields.iter().find(|f| f.wire == "timestamp").unwrap();
        assert_eq!(timestamp.doc.last().unwrap(), "Wire name `timestamp`; required; minimum 0.");
    }

    #[test]
    fn doc_text_stays_raw_in_the_ir() {
        let ir = with_type(
            "  - name: Note\n    type: string\n    max_length: 3\n    description: Says [INFERRED] <maybe>.\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let aero = ir.vendors.iter().find(|v| v.name == "aero").unwrap();
        let doc = aero
            .types
            .iter()
            .find_map(|i| match i {
                Item::Newtype(n) if n.name == "Note" => Some(n.doc.clone()),
                _ => None,
            })
            .expect("Note is a validated string");
        assert_eq!(doc[0], "Says [INFERRED] <maybe>.");
    }

    #[test]
    fn types_reached_both_ways_get_a_lenient_twin() {
        let ir = fixture();
        let aero = ir.vendors.iter().find(|v| v.name == "aero").unwrap();
        let names: Vec<&str> = aero
            .types
            .iter()
            .filter_map(|i| match i {
                Item::Enum(e) => Some(e.name.as_str()),
                _ => None,
            })
            .collect();
        assert!(names.contains(&"CardType") && names.contains(&"CardTypeInbound"), "{names:?}");
    }
}
