//! The wire schema: each shape becomes a `TypeDef` of the runtime model, memoized per place
//! in the spec, with unconstrained scalars shared per spec file.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn push_type(&mut self, file: usize, name: String, kind: Kind) -> TypeId {
        self.types.push(TypeDef { name: Cow::Owned(name), kind });
        self.type_files.push(file);
        self.types.len() - 1
    }

    /// The schema type of a shape (memoized per place in the spec, so each shape is checked once).
    pub(super) fn schema_of(&mut self, shape: &'a Shape, at: &At) -> TypeId {
        if let Some(id) = self.schema_memo.get(at) {
            return *id;
        }
        // A reference shares the named type's one entry.
        if let TypeName::Named(name) = &shape.ty {
            if let Some((named, nat)) = self.named.get(name).cloned() {
                self.check_ref_keys(shape, at);
                if !self.resolving.insert(at.clone()) {
                    // `A: {type: B}`, `B: {type: A}`: a chain of references that never ends.
                    self.error(
                        &at.join("type"),
                        format!("type `{}` is defined only by references that lead back to it", shape.ty),
                    );
                    let id = self.push_type(at.file, shape.ty.to_string(), Kind::Any);
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

    /// The kind of a shape written here (references are resolved by `schema_of`).
    pub(super) fn kind_of(&mut self, shape: &'a Shape, at: &At) -> Kind {
        self.check_keys(shape, at);
        match &shape.ty {
            TypeName::Any => Kind::Any,
            TypeName::Boolean => Kind::Bool,
            TypeName::String => {
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
            TypeName::Integer => Kind::Int {
                min: shape.minimum.map(|v| v as i64),
                max: shape.maximum.map(|v| v as i64),
                as_string: shape.integer_as_string,
            },
            TypeName::Number => Kind::Number { min: shape.minimum, max: shape.maximum },
            TypeName::Decimal => Kind::Decimal,
            TypeName::Date | TypeName::DateTime => {
                let default = if shape.ty == TypeName::Date { "%Y-%m-%d" } else { "%Y-%m-%dT%H:%M:%S" };
                let format = shape.format.clone().unwrap_or_else(|| default.to_owned());
                self.check_format(&format, shape.ty == TypeName::Date, at);
                if shape.ty == TypeName::Date {
                    Kind::Date { format: Cow::Owned(format) }
                } else {
                    Kind::DateTime { format: Cow::Owned(format) }
                }
            }
            TypeName::Enum => {
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
            TypeName::Encrypted => match &shape.plaintext {
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
            TypeName::Object => {
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
            TypeName::OneOf => {
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
                        let is_object = v.ty == TypeName::Object
                            || v.ty
                                .named()
                                .and_then(|n| self.named.get(n))
                                .is_some_and(|(n, _)| n.ty == TypeName::Object);
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
            TypeName::Array => match &shape.items {
                None => {
                    self.error(&at.join("type"), "an array needs `items`");
                    Kind::Any
                }
                Some(items) => {
                    let items = self.schema_of(items, &at.join("items"));
                    Kind::Array { items, min_items: shape.min_items, max_items: shape.max_items }
                }
            },
            TypeName::Map => match &shape.values_type {
                None => {
                    self.error(&at.join("type"), "a map needs `values_type`");
                    Kind::Any
                }
                Some(values) => Kind::Map { values: self.schema_of(values, &at.join("values_type")) },
            },
            TypeName::Named(other) => {
                let builtin = TypeName::BUILTIN.map(|b| b.as_str().to_owned());
                let known: Vec<&str> =
                    builtin.iter().map(String::as_str).chain(self.named.keys().map(|k| k.as_str())).collect();
                let hint = names::closest(other, &known).map(|k| format!(" (did you mean `{k}`?)")).unwrap_or_default();
                self.error(&at.join("type"), format!("unknown type `{other}`{hint}"));
                Kind::Any
            }
        }
    }
}

/// The shared schema entry an unconstrained scalar uses, if the shape is one.
pub(super) fn plain_scalar(shape: &Shape) -> Option<&'static str> {
    let unconstrained = shape.pattern.is_none()
        && shape.min_length.is_none()
        && shape.max_length.is_none()
        && shape.minimum.is_none()
        && shape.maximum.is_none()
        && !shape.integer_as_string;
    if !unconstrained {
        return None;
    }
    Some(match (&shape.ty, shape.sensitive) {
        (TypeName::String, false) => "string",
        (TypeName::String, true) => "secret string",
        (TypeName::Integer, _) => "integer",
        (TypeName::Number, _) => "number",
        (TypeName::Boolean, _) => "boolean",
        (TypeName::Decimal, _) => "decimal",
        (TypeName::Any, _) => "any",
        (
            TypeName::Date
            | TypeName::DateTime
            | TypeName::Enum
            | TypeName::Object
            | TypeName::OneOf
            | TypeName::Array
            | TypeName::Map
            | TypeName::Encrypted
            | TypeName::Named(_),
            _,
        ) => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::super::testing::fixture;
    use super::*;

    #[test]
    fn unconstrained_scalars_are_shared_per_spec_file() {
        for v in fixture().vendors {
            let mut homes = HashSet::new();
            for (id, t) in v.schema.types.iter().enumerate() {
                if let Kind::Str { min_len: None, max_len: None, pattern: None, secret: false } = t.kind {
                    assert!(
                        homes.insert(v.layout.types[id]),
                        "two plain strings in {:?} of {}",
                        v.layout.types[id],
                        v.name
                    );
                }
            }
            assert!(homes.len() > 1, "{}: plain strings in several files", v.name);
        }
    }

    #[test]
    fn every_entry_has_a_home_module() {
        for v in fixture().vendors {
            assert_eq!(v.layout.types.len(), v.schema.types.len());
            assert_eq!(v.layout.patterns.len(), v.schema.patterns.len());
            for (i, (op, entry)) in v.operations.iter().zip(v.schema.operations.iter()).enumerate() {
                assert_eq!(op.wire, entry.name.as_ref());
                if let BodyIr::Struct(_) = op.request {
                    assert_eq!(v.layout.types[entry.request], Loc::Op(i), "{}", op.wire);
                }
            }
            // A pattern lives beside the types that use it.
            for (id, t) in v.schema.types.iter().enumerate() {
                if let Kind::Str { pattern: Some(p), .. } = t.kind {
                    assert_eq!(v.layout.patterns[p], v.layout.types[id], "{}", t.name);
                }
            }
        }
    }
}
