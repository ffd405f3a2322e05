//! Checks of the protocol a vendor file declares: credentials, headers, authentication
//! recipes and where errors sit. Templates are parsed by the runtime's own parser, and JSON
//! paths are resolved against the finished wire schema, so a path the envelope does not have
//! is a lint error instead of an error response that decodes as a success.

use std::collections::BTreeSet;

use crate::rt::auth::template::{self, Part};
use crate::rt::jsonpath::{self, Step};
use crate::rt::schema::{Kind, Reached, Schema};

use super::ir::{
    AlgorithmIr, ApiKeyIr, AuthIr, CredentialIr, ErrorEntryIr, ErrorTableIr, ErrorsIr, ExpiryIr, HeaderIr,
    HeaderValueIr, Iv, MockIr, MockRefusalIr, OAuth2Ir, Padding, PlaceIr, ResponseHeaderIr, SentIr, SessionIr,
    SignatureIr, SuccessIr, TimeUnit,
};
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
                .filter(|o| !o.undocumented && !o.inbound && !o.empty_response)
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

/// The place of a value with exactly one of `header`, `query` or `body` (`bearer` otherwise):
/// checked before, so the first one given is the one.
fn place(header: &Option<String>, query: &Option<String>, body: &Option<String>) -> PlaceIr {
    match (header, query, body) {
        (Some(h), _, _) => PlaceIr::Header(h.clone()),
        (_, Some(q), _) => PlaceIr::Query(q.clone()),
        (_, _, Some(b)) => PlaceIr::Body(b.clone()),
        _ => PlaceIr::Bearer,
    }
}

fn expiry(e: &model::Expiry) -> ExpiryIr {
    ExpiryIr {
        codes: e.codes.iter().map(model::Scalar::text).collect(),
        statuses: e.statuses.clone(),
        refused_before_processing: e.refused_before_processing,
    }
}

/// The authentication recipes, with their defaults filled in.
pub(super) fn auth(a: &model::Auth) -> AuthIr {
    let signature = a.signature.as_ref().map(|s| SignatureIr {
        sign: s.sign.clone(),
        algorithm: match s.algorithm {
            model::Algorithm::Sha256 => AlgorithmIr::Sha256,
            model::Algorithm::Sha512 => AlgorithmIr::Sha512,
            model::Algorithm::Md5 => AlgorithmIr::Md5,
            model::Algorithm::HmacSha256 => AlgorithmIr::HmacSha256,
            model::Algorithm::HmacSha512 => AlgorithmIr::HmacSha512,
            model::Algorithm::AesCbc => {
                AlgorithmIr::AesCbc { iv: s.iv.unwrap_or(Iv::Zero), padding: s.padding.unwrap_or(Padding::Pkcs7) }
            }
        },
        key: s.key.clone(),
        output: s.output,
        timestamp: s.timestamp.unwrap_or(TimeUnit::Seconds),
        nonce: s.nonce,
        send: s
            .send
            .iter()
            .map(|sent| SentIr {
                value: sent.value.clone(),
                place: place(&sent.header, &sent.query, &sent.body),
                integer: sent.integer,
                aliases: sent.aliases.clone(),
            })
            .collect(),
        max_skew_secs: s.max_skew.unwrap_or(300),
    });
    let session = a.session.as_ref().map(|s| SessionIr {
        login: s.login.clone(),
        body: s.body.clone(),
        token_at: s.token_at.clone(),
        send: if s.send.bearer { PlaceIr::Bearer } else { place(&s.send.header, &s.send.query, &s.send.body) },
        lifetime_secs: s.lifetime,
        expired: expiry(&s.expired),
    });
    let oauth2 = a.oauth2.as_ref().map(|o| OAuth2Ir {
        grant: o.grant,
        token_url: o.token_url.clone(),
        token_url_env: o.token_url_env.clone(),
        scope: o.scope.clone(),
        body: o.body,
        client_id: o.client_id.clone(),
        client_secret: o.client_secret.clone(),
        username: o.username.clone(),
        password: o.password.clone(),
        lifetime_secs: o.lifetime,
        expired: expiry(&o.expired),
    });
    let api_keys = a
        .api_keys
        .iter()
        .map(|k| ApiKeyIr { credential: k.credential.clone(), place: place(&k.header, &k.query, &None) })
        .collect();
    AuthIr { description: a.description.clone(), signature, session, oauth2, api_keys }
}

/// The credentials, as declared.
pub(super) fn credentials(vf: &VendorFile) -> Vec<CredentialIr> {
    vf.credentials
        .iter()
        .map(|c| CredentialIr {
            name: c.name.clone(),
            env: c.env.clone(),
            description: c.description.clone(),
            sample: c.sample.clone(),
            mock: c.mock.clone(),
            sensitive: c.sensitive,
            optional: c.optional,
            encryption: c.encryption,
        })
        .collect()
}

/// The request headers, each with the one source of its value, and the response headers.
pub(super) fn headers(vf: &VendorFile) -> (Vec<HeaderIr>, Vec<ResponseHeaderIr>) {
    let headers = vf
        .headers
        .iter()
        .map(|h| {
            let value = if let Some(v) = &h.value {
                HeaderValueIr::Fixed(v.clone())
            } else if let Some(c) = &h.credential {
                HeaderValueIr::Credential(c.clone())
            } else if let Some(f) = &h.per_call {
                HeaderValueIr::PerCall(f.clone())
            } else {
                HeaderValueIr::Generated(h.generate.unwrap_or(model::GeneratedValue::Uuid))
            };
            HeaderIr { name: h.name.clone(), value, description: h.description.clone() }
        })
        .collect();
    let response_headers = vf
        .response_headers
        .iter()
        .map(|h| ResponseHeaderIr { name: h.name.clone(), field: h.field.clone(), description: h.description.clone() })
        .collect();
    (headers, response_headers)
}

/// The error rule, its one form of success, and the code tables.
pub(super) fn errors(vf: &VendorFile) -> Option<ErrorsIr> {
    let e = vf.errors.as_ref()?;
    let success = match &e.success {
        model::SuccessRule { field: Some(path), equals, .. } => SuccessIr::Field {
            path: path.clone(),
            equals: equals.as_ref().and_then(|v| serde_json::to_value(v).ok()).unwrap_or_default(),
        },
        model::SuccessRule { http: true, .. } => SuccessIr::Http,
        model::SuccessRule { codes, .. } => SuccessIr::Codes(codes.iter().map(model::Scalar::text).collect()),
    };
    let tables = e
        .tables
        .iter()
        .map(|t| ErrorTableIr {
            name: t.name.clone(),
            digits: t.digits.map(|[start, len]| (start, len)),
            code_length: t.code_length,
            entries: t
                .entries
                .iter()
                .map(|r| ErrorEntryIr {
                    code: r.code.as_ref().map(model::Scalar::text),
                    status: r.status,
                    meaning: r.meaning.clone(),
                    advice: r.advice,
                })
                .collect(),
        })
        .collect();
    Some(ErrorsIr {
        list: e.list.clone(),
        code: e.code.clone(),
        message: e.message.clone(),
        trace: e.trace.clone(),
        status: e.status.clone(),
        success,
        tables,
    })
}

/// The mock server's refusals (a refusal's status defaults to 200: the code is in the body).
pub(super) fn mock(vf: &VendorFile) -> Option<MockIr> {
    let m = vf.mock.as_ref()?;
    let refusal = |e: &model::MockError| MockRefusalIr {
        code: e.code.text(),
        message: e.message.clone(),
        status: e.status.unwrap_or(200),
    };
    Some(MockIr {
        unauthorized: refusal(&m.unauthorized),
        stale_timestamp: refusal(&m.stale_timestamp),
        invalid_request: refusal(&m.invalid_request),
        unknown_operation: refusal(&m.unknown_operation),
        expired_token: m.expired_token.as_ref().map(refusal),
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fixture, lower_edited};
    use super::super::{Advice, GeneratedValue, Grant, Ir, Output, TokenBody, VendorIr};
    use super::*;

    fn vendor<'a>(ir: &'a Ir, name: &str) -> &'a VendorIr {
        ir.vendors.iter().find(|v| v.name == name).unwrap()
    }

    #[test]
    fn a_signature_comes_out_with_its_defaults() {
        let ir = fixture();
        let sig = vendor(&ir, "aero").auth.signature.clone().unwrap();
        assert_eq!(sig.algorithm, AlgorithmIr::AesCbc { iv: Iv::Zero, padding: Padding::Pkcs7 });
        assert_eq!((sig.output, sig.timestamp, sig.max_skew_secs), (Output::Base64, TimeUnit::Seconds, 300));
        assert_eq!(sig.key.as_deref(), Some("{credential.secret}"));
        let places: Vec<(&PlaceIr, bool)> = sig.send.iter().map(|s| (&s.place, s.integer)).collect();
        assert_eq!(
            places,
            [
                (&PlaceIr::Body("key".to_owned()), false),
                (&PlaceIr::Body("timestamp".to_owned()), true),
                (&PlaceIr::Body("signature".to_owned()), false)
            ]
        );

        let ir = lower_edited("aero/vendor.yaml", |t| {
            t.replacen(
                "    output: base64\n",
                "    output: base64\n    iv: key_prefix\n    timestamp: milliseconds\n    max_skew: 60\n",
                1,
            )
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        let sig = vendor(&ir, "aero").auth.signature.clone().unwrap();
        assert_eq!(sig.algorithm, AlgorithmIr::AesCbc { iv: Iv::KeyPrefix, padding: Padding::Pkcs7 });
        assert_eq!((sig.timestamp, sig.max_skew_secs), (TimeUnit::Milliseconds, 60));
    }

    #[test]
    fn a_token_recipe_comes_out_with_its_defaults() {
        let ir = fixture();
        let auth = &vendor(&ir, "travel").auth;
        assert!(auth.signature.is_none() && auth.session.is_none() && auth.api_keys.is_empty());
        let o = auth.oauth2.as_ref().unwrap();
        assert_eq!((o.grant, o.body, o.lifetime_secs), (Grant::Password, TokenBody::Form, 3600));
        assert_eq!(o.username.as_deref(), Some("username"));
        assert_eq!(o.expired, ExpiryIr { codes: Vec::new(), statuses: vec![401], refused_before_processing: true });
    }

    #[test]
    fn headers_take_their_one_source() {
        let ir = lower_edited("aero/vendor.yaml", |t| {
            t.replacen(
                "  - {name: Content-Type, value: text/plain}\n",
                "  - {name: Content-Type, value: text/plain}\n  - {name: X-Request-Id, generate: uuid}\n  \
                 - {name: X-Conversation, per_call: conversation, description: One per flow.}\n",
                1,
            )
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        let values: Vec<(&str, &HeaderValueIr)> =
            vendor(&ir, "aero").headers.iter().map(|h| (h.name.as_str(), &h.value)).collect();
        assert_eq!(
            values,
            [
                ("Content-Type", &HeaderValueIr::Fixed("text/plain".to_owned())),
                ("X-Request-Id", &HeaderValueIr::Generated(GeneratedValue::Uuid)),
                ("X-Conversation", &HeaderValueIr::PerCall("conversation".to_owned())),
            ]
        );
    }

    #[test]
    fn errors_and_refusals_come_out_resolved() {
        let ir = fixture();
        let aero = vendor(&ir, "aero");
        let errors = aero.errors.as_ref().unwrap();
        assert_eq!(errors.success, SuccessIr::Codes(vec!["0".to_owned()]));
        let rows: Vec<(Option<&str>, Advice)> =
            errors.tables[0].entries.iter().map(|e| (e.code.as_deref(), e.advice)).collect();
        assert_eq!(rows, [(Some("1003"), Advice::RetryNow), (Some("1101"), Advice::FixRequest)]);
        let mock = aero.mock.as_ref().unwrap();
        assert_eq!(
            mock.unauthorized,
            MockRefusalIr { code: "1001".to_owned(), message: "Bad signature".to_owned(), status: 200 }
        );
        assert_eq!(mock.expired_token, None);
        let travel = vendor(&ir, "travel");
        assert_eq!(travel.errors.as_ref().unwrap().success, SuccessIr::Http);
        assert_eq!(travel.mock.as_ref().unwrap().invalid_request.status, 400);

        let ir = lower_edited("aero/vendor.yaml", |t| {
            t.replacen("success: {codes: [0]}", "success: {field: status, equals: 0}", 1)
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        let success = &vendor(&ir, "aero").errors.as_ref().unwrap().success;
        assert_eq!(success, &SuccessIr::Field { path: "status".to_owned(), equals: serde_json::json!(0) });
    }
}
