//! Checks of the protocol a vendor file declares: credentials, headers, authentication
//! recipes and where errors sit. Templates are parsed by the runtime's own parser, and JSON
//! paths are resolved against the finished wire schema, so a path the envelope does not have
//! is a lint error instead of an error response that decodes as a success.

use std::collections::BTreeSet;

use crate::rt::auth::template::{self, Part};
use crate::rt::jsonpath::{self, Step};
use crate::rt::schema::{Kind, Reached, Schema};

use super::{At, Lowerer, OperationIr};
use crate::model::{self, VendorFile};
use crate::names;

fn at(path: impl Into<String>) -> At {
    At { file: 0, path: path.into() }
}

impl Lowerer<'_> {
    /// Credentials and headers: checked before types, which need to know whether an
    /// encryption key is declared.
    pub(super) fn check_credentials(&mut self, vf: &VendorFile) {
        let mut declared = BTreeSet::new();
        let mut encryption = 0;
        for (i, c) in vf.credentials.iter().enumerate() {
            let cat = at(format!("credentials[{i}]"));
            if let Err(e) = names::check_spec_name(&c.name, true) {
                self.error(&cat.join("name"), e);
            }
            if !declared.insert(c.name.clone()) {
                self.error(&cat.join("name"), format!("credential `{}` is listed twice", c.name));
            }
            if c.sample.is_some() && c.mock.is_some() {
                self.error(
                    &cat.join("mock"),
                    "`mock` is for credentials without a published `sample`: give one or the other",
                );
            }
            if c.env.is_empty() || !c.env.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_')
            {
                self.error(
                    &cat.join("env"),
                    format!("`{}` is not an environment variable name such as `VENDOR_KEY`", c.env),
                );
            }
            if c.encryption {
                encryption += 1;
                if encryption > 1 {
                    self.error(&cat.join("encryption"), "only one credential can be the encryption key");
                }
            }
        }
        self.encryption_key_declared = encryption > 0;
        let mut fields = BTreeSet::new();
        for (i, h) in vf.headers.iter().enumerate() {
            let hat = at(format!("headers[{i}]"));
            let sources = [h.value.is_some(), h.credential.is_some(), h.generate.is_some(), h.per_call.is_some()];
            if sources.iter().filter(|s| **s).count() != 1 {
                self.error(&hat, "a header has exactly one of `value`, `credential`, `generate` or `per_call`");
            }
            if let Some(c) = &h.credential {
                self.need_credential(&declared, c, &hat.join("credential"));
            }
            if let Some(field) = &h.per_call {
                if let Err(e) = names::check_spec_name(field, true) {
                    self.error(&hat.join("per_call"), e);
                } else if !fields.insert(field.clone()) {
                    self.error(&hat.join("per_call"), format!("`{field}` names two per-call headers"));
                }
            }
        }
        let mut fields = BTreeSet::new();
        for (i, h) in vf.response_headers.iter().enumerate() {
            let hat = at(format!("response_headers[{i}]"));
            if let Err(e) = names::check_spec_name(&h.field, true) {
                self.error(&hat.join("field"), e);
            } else if !fields.insert(h.field.clone()) {
                self.error(&hat.join("field"), format!("`{}` names two response headers", h.field));
            }
        }
    }

    fn need_credential(&mut self, declared: &BTreeSet<String>, name: &str, at: &At) {
        if !declared.contains(name) {
            self.error(at, format!("credential `{name}` is used but not declared under `credentials`"));
        }
    }

    /// A template: every input known, every credential declared, and only the inputs `allowed`.
    fn check_template(&mut self, declared: &BTreeSet<String>, text: &str, at: &At, allowed: &[&str]) -> Vec<String> {
        match template::parse(text) {
            Err(e) => {
                self.error(at, format!("`{text}`: {e}"));
                Vec::new()
            }
            Ok(parts) => {
                let mut inputs = Vec::new();
                for part in parts {
                    let name = match part {
                        Part::Literal(_) => continue,
                        Part::Credential(c) => {
                            self.need_credential(declared, c, at);
                            continue;
                        }
                        Part::Timestamp => "timestamp",
                        Part::Nonce => "nonce",
                        Part::Method => "method",
                        Part::Path => "path",
                        Part::Query => "query",
                        Part::Body => "body",
                        Part::Params => "params",
                        Part::Signature => "signature",
                    };
                    if !allowed.contains(&name) {
                        self.error(
                            at,
                            format!(
                                "`{{{name}}}` cannot be used here (allowed: credential.NAME, {})",
                                allowed.join(", ")
                            ),
                        );
                    }
                    inputs.push(name.to_owned());
                }
                inputs
            }
        }
    }

    fn check_path_syntax(&mut self, path: &str, at: &At) -> Option<Vec<Step>> {
        match jsonpath::parse(path) {
            Ok(steps) => Some(steps),
            Err(e) => {
                self.error(at, e.to_string());
                None
            }
        }
    }

    /// The recipes and the error rule, against the finished schema.
    pub(super) fn check_protocol(&mut self, vf: &VendorFile, schema: &Schema, ops: &[OperationIr]) {
        let declared: BTreeSet<String> = vf.credentials.iter().map(|c| c.name.clone()).collect();
        let auth = &vf.auth;
        if let Some(sig) = &auth.signature {
            let sat = at("auth.signature");
            let sign_inputs = self.check_template(
                &declared,
                &sig.sign,
                &sat.join("sign"),
                &["timestamp", "nonce", "method", "path", "query", "body", "params"],
            );
            let keyed = matches!(
                sig.algorithm,
                model::Algorithm::HmacSha256 | model::Algorithm::HmacSha512 | model::Algorithm::AesCbc
            );
            match (&sig.key, keyed) {
                (Some(key), true) => {
                    self.check_template(&declared, key, &sat.join("key"), &[]);
                }
                (None, true) => self.error(
                    &sat.join("algorithm"),
                    "this algorithm needs a `key` (a template such as `{credential.secret}`)",
                ),
                (Some(_), false) => self.error(&sat.join("key"), "a digest takes no `key`: put the secret in `sign`"),
                (None, false) => {}
            }
            if sig.algorithm != model::Algorithm::AesCbc && (sig.iv.is_some() || sig.padding.is_some()) {
                self.error(&sat, "`iv` and `padding` are for `aes_cbc`");
            }
            if sign_inputs.iter().any(|i| i == "nonce") && !sig.nonce {
                self.error(&sat.join("sign"), "`{nonce}` needs `nonce: true`");
            }
            let mut sends_signature = false;
            for (i, sent) in sig.send.iter().enumerate() {
                let sent_at = sat.join(&format!("send[{i}]"));
                let inputs = self.check_template(
                    &declared,
                    &sent.value,
                    &sent_at.join("value"),
                    &["timestamp", "nonce", "signature"],
                );
                let places = [sent.header.is_some(), sent.query.is_some(), sent.body.is_some()];
                if places.iter().filter(|p| **p).count() != 1 {
                    self.error(&sent_at, "say where it goes: exactly one of `header`, `query` or `body`");
                }
                if sent.integer && sent.body.is_none() {
                    self.error(&sent_at.join("integer"), "`integer` is for body fields");
                }
                if let Some(path) = &sent.body {
                    self.check_path_syntax(path, &sent_at.join("body"));
                }
                for (j, alias) in sent.aliases.iter().enumerate() {
                    self.check_path_syntax(alias, &sent_at.join(&format!("aliases[{j}]")));
                }
                if inputs.iter().any(|i| i == "signature") {
                    sends_signature = true;
                    if inputs.len() > 1 {
                        self.error(
                            &sent_at.join("value"),
                            "the signature is sent with text around it, not with other inputs",
                        );
                    }
                    if sent.body.is_some() && sign_inputs.iter().any(|i| i == "body") {
                        self.error(
                            &sent_at.join("body"),
                            "a signature over the body's bytes cannot be written into the body",
                        );
                    }
                }
                if inputs.iter().any(|i| i == "nonce") && !sig.nonce {
                    self.error(&sent_at.join("value"), "`{nonce}` needs `nonce: true`");
                }
            }
            if !sends_signature {
                self.error(&sat.join("send"), "nothing sends `{signature}`");
            }
        }
        if let Some(session) = &auth.session {
            let sat = at("auth.session");
            let login = ops.iter().find(|o| o.wire == session.login);
            match login {
                None => self.error(
                    &sat.join("login"),
                    format!("login operation `{}` is not an operation of this vendor", session.login),
                ),
                Some(op) => {
                    if let Some(steps) = self.check_path_syntax(&session.token_at, &sat.join("token_at")) {
                        let op_schema = schema.operation(&op.wire);
                        if let Err(e) = schema.response_path(op_schema, &steps) {
                            self.error(
                                &sat.join("token_at"),
                                format!("`{}` is not in the {} response: {e}", session.token_at, op.wire),
                            );
                        }
                    }
                    let request = op.request.schema_id();
                    for (path, value) in &session.body {
                        let bat = sat.join(&format!("body.{path}"));
                        self.check_template(&declared, value, &bat, &[]);
                        if let Some(steps) = self.check_path_syntax(path, &bat) {
                            if let Err(e) = schema.path_in(request, &steps) {
                                self.error(&bat, format!("`{path}` is not in the {} request: {e}", op.wire));
                            }
                        }
                    }
                }
            }
            self.check_token_place(&session.send, &sat.join("send"));
            self.check_expiry(&session.expired, &sat.join("expired"));
        }
        if let Some(o) = &auth.oauth2 {
            let oat = at("auth.oauth2");
            for (key, name) in [
                ("client_id", Some(&o.client_id)),
                ("client_secret", Some(&o.client_secret)),
                ("username", o.username.as_ref()),
                ("password", o.password.as_ref()),
            ] {
                match name {
                    Some(name) => self.need_credential(&declared, name, &oat.join(key)),
                    None if o.grant == model::Grant::Password => {
                        self.error(&oat, format!("the password grant needs `{key}` (a credential name)"))
                    }
                    None => {}
                }
            }
            if !(o.token_url.starts_with("https://") || o.token_url.starts_with("http://")) {
                self.error(&oat.join("token_url"), format!("`{}` is not an http(s) URL", o.token_url));
            }
            self.check_expiry(&o.expired, &oat.join("expired"));
        }
        if auth.session.is_some() && auth.oauth2.is_some() {
            self.error(&at("auth"), "a vendor has one token recipe: `session` or `oauth2`");
        }
        for (i, key) in auth.api_keys.iter().enumerate() {
            let kat = at(format!("auth.api_keys[{i}]"));
            self.need_credential(&declared, &key.credential, &kat.join("credential"));
            if key.header.is_some() == key.query.is_some() {
                self.error(&kat, "say where the key goes: exactly one of `header` or `query`");
            }
        }
        self.check_errors(vf, schema, ops);
    }

    fn check_token_place(&mut self, place: &model::TokenPlace, at: &At) {
        let n = [place.header.is_some(), place.query.is_some(), place.body.is_some(), place.bearer];
        if n.iter().filter(|p| **p).count() != 1 {
            self.error(at, "say where the token goes: exactly one of `header`, `query`, `body` or `bearer: true`");
        }
        if let Some(path) = &place.body {
            self.check_path_syntax(path, &at.join("body"));
        }
    }

    fn check_expiry(&mut self, expiry: &model::Expiry, at: &At) {
        if expiry.codes.is_empty() && expiry.statuses.is_empty() {
            self.error(at, "list the error `codes` or HTTP `statuses` that mean the token expired");
        }
    }

    /// Every path of `errors` exists in every documented response, and `list` is a list.
    fn check_errors(&mut self, vf: &VendorFile, schema: &Schema, ops: &[OperationIr]) {
        let Some(errors) = &vf.errors else { return };
        let eat = at("errors");
        let success = &errors.success;
        let forms = [!success.codes.is_empty(), success.field.is_some(), success.http];
        if forms.iter().filter(|f| **f).count() != 1 {
            self.error(
                &eat.join("success"),
                "say what success is: exactly one of `codes`, `field` (with `equals`) or `http: true`",
            );
        }
        if success.field.is_some() != success.equals.is_some() {
            self.error(&eat.join("success"), "`field` and `equals` go together");
        }
        if !success.codes.is_empty() && errors.code.is_none() {
            self.error(&eat.join("success.codes"), "success `codes` need the `code` path");
        }
        // The responses the paths must fit: every documented one, or the envelope alone.
        let responses: Vec<(Option<&str>, Option<&crate::rt::schema::OperationSchema>)> = {
            let documented: Vec<_> = ops
                .iter()
                .filter(|o| {
                    !o.spec.undocumented && !o.spec.inbound && !o.spec.response.as_ref().is_some_and(|b| b.empty)
                })
                .map(|o| (Some(o.wire.as_str()), schema.operation(&o.wire)))
                .collect();
            if documented.is_empty() {
                vec![(None, None)]
            } else {
                documented
            }
        };
        let describe =
            |op: Option<&str>| op.map_or("the response envelope".to_owned(), |o| format!("the {o} response"));
        let mut item_types = Vec::new();
        if let Some(list) = &errors.list {
            if let Some(steps) = self.check_path_syntax(list, &eat.join("list")) {
                for (name, op) in &responses {
                    match schema.response_path(*op, &steps) {
                        Err(e) => {
                            self.error(&eat.join("list"), format!("`{list}` is not in {}: {e}", describe(*name)));
                            break;
                        }
                        Ok(Reached::Type(ty)) => match &schema.types[ty].kind {
                            Kind::Array { items, .. } => item_types.push(*items),
                            _ => {
                                self.error(&eat.join("list"), format!("`{list}` is not a list in {}", describe(*name)));
                                break;
                            }
                        },
                        Ok(Reached::Any) => {}
                    }
                }
            }
        }
        let item_paths = [("code", &errors.code), ("message", &errors.message)];
        let body_paths = [("trace", &errors.trace), ("status", &errors.status), ("success.field", &success.field)];
        for (key, path) in item_paths.iter().chain(body_paths.iter()) {
            let Some(path) = path else { continue };
            let Some(steps) = self.check_path_syntax(path, &eat.join(key)) else { continue };
            let in_items = errors.list.is_some() && item_paths.iter().any(|(k, _)| k == key);
            if in_items {
                for ty in item_types.clone() {
                    if let Err(e) = schema.path_in(ty, &steps) {
                        self.error(&eat.join(key), format!("`{path}` is not in the error list's items: {e}"));
                        break;
                    }
                }
                continue;
            }
            for (name, op) in &responses {
                if let Err(e) = schema.response_path(*op, &steps) {
                    self.error(&eat.join(key), format!("`{path}` is not in {}: {e}", describe(*name)));
                    break;
                }
            }
        }
        for (i, t) in errors.tables.iter().enumerate() {
            let mut seen = BTreeSet::new();
            for (j, e) in t.entries.iter().enumerate() {
                let eat = eat.join(&format!("tables[{i}].entries[{j}]"));
                let Some(code) = e.code.as_ref().map(|c| c.text()) else {
                    if e.status.is_none() {
                        self.error(&eat, "an error row needs a `code`, a `status`, or both");
                    }
                    continue;
                };
                if !seen.insert(code.clone()) {
                    self.error(&eat.join("code"), format!("duplicate error code `{code}`"));
                }
                if let Some([_, len]) = t.digits {
                    if code.chars().count() != len {
                        self.error(
                            &eat.join("code"),
                            format!("code `{code}` is not {len} characters long, as `digits` says"),
                        );
                    }
                }
            }
        }
    }
}
