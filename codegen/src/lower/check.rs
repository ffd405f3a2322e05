//! Checks of the spec that need the resolved model: keys that do not apply to a type, date
//! formats, cross-field and profile rules, and the examples against the finished schema.

use super::*;
use crate::model::TypeKey;

impl<'a> Lowerer<'a> {
    /// The profiles, each with its Rust variant name.
    pub(super) fn profiles(&mut self, vf: &model::VendorFile) -> Option<ProfilesIr> {
        let p = vf.profiles.as_ref()?;
        let at = At { file: 0, path: "profiles".to_owned() };
        if let Err(e) = names::check_spec_name(&p.type_name, false) {
            self.error(&at.join("type_name"), e);
        }
        if p.values.is_empty() {
            self.error(&at.join("values"), "list at least one profile");
        }
        let mut seen = BTreeSet::new();
        let mut values = Vec::new();
        for (i, v) in p.values.iter().enumerate() {
            let vat = at.join(&format!("values[{i}]"));
            let wire = v.value.text();
            let rust = v.name.clone().unwrap_or_else(|| names::variant(&wire));
            if let Err(e) = names::check_spec_name(&rust, false) {
                self.error(&vat.join("name"), e);
            }
            if !seen.insert(rust.clone()) {
                self.error(&vat.join("value"), format!("two profiles become `{rust}` in Rust"));
            }
            values.push(ProfileIr { wire, rust, description: v.description.clone() });
        }
        Some(ProfilesIr { type_name: p.type_name.clone(), description: p.description.clone(), values })
    }

    pub(super) fn check_examples(&mut self, schema: &Schema, op: &OperationIr, file: usize) {
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

    /// Checks and records an object's `rules` for the type being built.
    pub(super) fn cross_rules_of(&mut self, shape: &Shape, fields: &[rs::Field], at: &At) {
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
    pub(super) fn profile_rule(&mut self, f: &Shape, wire: &str, at: &At) {
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

    pub(super) fn check_keys(&mut self, shape: &Shape, at: &At) {
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
        let ty = &shape.ty;
        let applies = ty.keys();
        let bad: Vec<&str> =
            TypeKey::ALL.iter().filter(|k| k.written_in(shape) && !applies.contains(k)).map(|k| k.label()).collect();
        if shape.integer_as_string && !(*ty == TypeName::Integer || *ty == TypeName::Enum && shape.integer) {
            self.error(
                &at.join("integer_as_string"),
                "`integer_as_string` applies to integers and `integer: true` enums only",
            );
        }
        if *ty == TypeName::Encrypted && shape.cipher.is_none() {
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
        if *ty == TypeName::Integer {
            for (key, v) in [("minimum", shape.minimum), ("maximum", shape.maximum)] {
                if v.is_some_and(|v| v.fract() != 0.0) {
                    self.error(&at.join(key), format!("{key} of an integer must be a whole number"));
                }
            }
        }
    }

    pub(super) fn check_ref_keys(&mut self, shape: &Shape, at: &At) {
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

    pub(super) fn check_format(&mut self, format: &str, date_only: bool, at: &At) {
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
}

#[cfg(test)]
mod tests {
    use super::super::testing::{lower_edited, with_type};

    #[test]
    fn profiles_get_their_rust_names_once() {
        let ir = lower_edited("travel/vendor.yaml", |t| t.replacen("value: NDC, name: Ndc,", "value: NDC,", 1))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let travel = ir.vendors.iter().find(|v| v.name == "travel").unwrap();
        let profiles = travel.profiles.as_ref().unwrap();
        assert_eq!(profiles.type_name, "Source");
        let values: Vec<(&str, &str)> = profiles.values.iter().map(|p| (p.wire.as_str(), p.rust.as_str())).collect();
        assert_eq!(values, [("NDC", "Ndc"), ("GDS", "Gds")]);
        assert_eq!(profiles.values[0].description, "New distribution.");
    }

    fn messages(yaml: &str) -> Vec<String> {
        with_type(yaml).expect_err("the spec is refused")
    }

    #[test]
    fn a_key_that_does_not_apply_is_reported_where_it_is_written() {
        let m = messages("  - name: Count\n    type: integer\n    pattern: '^1$'\n    description: A count.\n");
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(
            m[0].starts_with("spec/aero/types.yaml:") && m[0].ends_with("`pattern` does not apply to type `integer`"),
            "{m:?}"
        );
    }

    #[test]
    fn bounds_that_cross_are_refused() {
        let m = messages(
            "  - name: Code\n    type: string\n    min_length: 5\n    max_length: 2\n    description: A code.\n",
        );
        assert!(m.iter().any(|m| m.ends_with("min_length 5 is greater than max_length 2")), "{m:?}");
    }

    #[test]
    fn cross_field_rules_name_fields_of_the_object() {
        let m = messages(
            "  - name: Pair\n    type: object\n    description: Two.\n    fields:\n      - {name: a, type: string, description: A.}\n\
             \x20   rules:\n      - {at_least_one: [a, b]}\n      - {exactly_one: [a]}\n",
        );
        assert!(m.iter().any(|m| m.ends_with("`b` is not a field of this object")), "{m:?}");
        assert!(m.iter().any(|m| m.ends_with("a rule over one field: make the field `required` instead")), "{m:?}");
    }
}
