//! Operations and envelopes: bodies, path parameters and examples.

use super::*;

impl<'a> Lowerer<'a> {
    pub(super) fn envelope(
        &mut self,
        env: &'a model::Envelope,
        key: &str,
        inbound: bool,
    ) -> (EnvelopeIr, rs::Envelope) {
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
            let is_string =
                env.fields.iter().any(|f| f.name.as_deref() == Some(op_field.as_str()) && f.ty == TypeName::String);
            if !is_string {
                self.error(&at.join("operation_field"), format!("`{op_field}` is not a string field of this envelope"));
            }
        }
        let body = match &env.body_field {
            Some(name) => rs::BodyPlacement::Field { name: Cow::Owned(name.clone()), required: env.body_required },
            None => rs::BodyPlacement::Flatten,
        };
        let ir = EnvelopeIr {
            doc: vec![env.description.trim().to_owned()],
            fields,
            body_field: env.body_field.as_ref().map(|b| (b.clone(), names::field(b), env.body_required)),
            inbound,
        };
        let operation_field = env.operation_field.clone().map(Cow::Owned);
        (ir, rs::Envelope { fields: Cow::Owned(schema_fields), body, operation_field })
    }

    pub(super) fn operation(
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
            client_method: client_method(&spec.operation),
            summary: spec.summary.clone(),
            description: spec.description.clone(),
            notes: spec.notes.clone(),
            doc: DocIr {
                url: spec.doc.url.clone(),
                modified: spec.doc.modified.clone(),
                retrieved: spec.doc.retrieved.clone(),
            },
            method: spec.method,
            path: spec.path.clone(),
            safe_to_retry: spec.safe_to_retry,
            timeout_secs: spec.timeout,
            undocumented: spec.undocumented,
            inbound: spec.inbound,
            empty_request: spec.request.as_ref().is_some_and(|b| b.empty),
            empty_response: spec.response.as_ref().is_some_and(|b| b.empty),
            request_description: spec.request.as_ref().map(|b| b.description.clone()),
            response_description: spec.response.as_ref().map(|b| b.description.clone()),
            request,
            response,
            path_params,
            items: Vec::new(),
            examples,
        };
        (ir, schema_op)
    }

    /// The `PathParams` struct of an operation whose path has `{name}` placeholders.
    pub(super) fn path_params(
        &mut self,
        spec: &model::OperationFile,
        shape: &'a Shape,
        at: &At,
        loc: Loc,
    ) -> Option<StructIr> {
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
            let scalar = match f.ty.named().and_then(|n| self.named.get(n)) {
                Some((named, _)) => matches!(named.ty, TypeName::String | TypeName::Integer | TypeName::Enum),
                None => matches!(f.ty, TypeName::String | TypeName::Integer | TypeName::Enum),
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

    pub(super) fn yaml_to_json(&mut self, v: &serde_yaml::Value, at: &At) -> Option<Value> {
        match serde_json::to_value(v) {
            Ok(j) => Some(j),
            Err(e) => {
                self.error(at, format!("example is not JSON: {e}"));
                None
            }
        }
    }

    pub(super) fn body(&mut self, shape: &'a Shape, at: &At, loc: Loc, inbound: bool, name: &str) -> BodyIr {
        if shape.ty != TypeName::Object {
            // `type: <named type>` instead of fields.
            if !shape.fields.is_empty() {
                self.error(&at.join("type"), "a body has either `fields` or a `type`, not both");
            }
            // A list body needs an envelope field to hold it (`data: [...]`).
            let vf = &self.spec.vendor.model;
            let envelope = if name == "Response" { &vf.response_envelope } else { &vf.request_envelope };
            let list_ok = envelope.body_field.is_some();
            let kind_ok = matches!(shape.ty.named().and_then(|n| self.named.get(n)), Some((n, _))
                if matches!(n.ty, TypeName::Object | TypeName::OneOf) || (list_ok && n.ty == TypeName::Array));
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
    pub(super) fn raw_body(&mut self, shape: &'a Shape, at: &At) -> BodyIr {
        let schema_id = self.schema_of(shape, at);
        BodyIr::Raw { schema_id }
    }

    pub(super) fn body_struct(&mut self, shape: &'a Shape, at: &At, loc: Loc, inbound: bool, name: &str) -> StructIr {
        let schema_id = self.schema_of(shape, at);
        let fields = self.fields(shape, at, loc, inbound);
        StructIr { name: name.to_owned(), doc: doc_lines(shape), inbound, fields, schema_id }
    }
}

/// The name of the vendor `Client`'s method for an operation: its module name, unless one of
/// the client's own methods has it.
fn client_method(operation: &str) -> String {
    let module = names::module(operation);
    match module.as_str() {
        "new" | "raw" | "from_env" | "with_headers" | "send" => format!("{module}_"),
        _ => module,
    }
}

/// A request or response body as the object shape it is (`any` when the docs do not describe it).
pub(super) fn body_shape(body: Option<&model::Body>) -> Shape {
    match body {
        Some(body) => Shape {
            ty: body.ty.as_deref().map(TypeName::parse).unwrap_or(TypeName::Object),
            description: Some(body.description.clone()),
            fields: body.fields.clone(),
            rules: body.rules.clone(),
            ..Shape::default()
        },
        None => Shape {
            ty: TypeName::Any,
            description: Some("Not described by the docs: any JSON object.".to_owned()),
            ..Shape::default()
        },
    }
}

/// An operation's path parameters as an object shape (every parameter is required).
pub(super) fn params_shape(op: &model::OperationFile) -> Shape {
    let fields = op.path_params.iter().cloned().map(|f| Shape { required: true, ..f }).collect();
    Shape {
        ty: TypeName::Object,
        description: Some(format!("The parameters of the path `{}`.", op.path)),
        fields,
        ..Shape::default()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fixture, lower_edited};
    use super::*;

    fn operation<'a>(ir: &'a Ir, vendor: &str, wire: &str) -> &'a OperationIr {
        let v = ir.vendors.iter().find(|v| v.name == vendor).unwrap();
        v.operations.iter().find(|o| o.wire == wire).unwrap()
    }

    #[test]
    fn operation_facts_come_out_resolved() {
        let ir = lower_edited("aero/operations/pay.yaml", |t| {
            t.replacen("safe_to_retry: false", "safe_to_retry: false\ntimeout: 45", 1)
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        let pay = operation(&ir, "aero", "SetPayment");
        assert_eq!(pay.timeout_secs, Some(45));
        assert_eq!((pay.method, pay.path.as_str()), (Method::POST, "/flight/booking"));
        assert!(!pay.safe_to_retry && !pay.undocumented && !pay.inbound);
        assert!(!pay.empty_request && !pay.empty_response);
        assert_eq!(pay.request_description.as_deref(), Some("The payment."));
        assert_eq!(
            pay.doc,
            DocIr {
                url: "https://docs.example.test/pay".to_owned(),
                modified: "2025-04-22 14:25".to_owned(),
                retrieved: None,
            }
        );

        let lookup = operation(&ir, "aero", "Lookup");
        assert!(lookup.undocumented && lookup.safe_to_retry);
        assert_eq!((lookup.timeout_secs, lookup.request_description.as_deref()), (None, None));
        assert!(operation(&ir, "aero", "Notify").inbound);

        let delete = operation(&ir, "travel", "DeleteFormOfPayment");
        assert_eq!(delete.method, Method::DELETE);
        assert!(delete.empty_request && delete.empty_response);
    }

    #[test]
    fn client_methods_keep_clear_of_the_clients_own() {
        assert_eq!(client_method("refundRequest"), "refund_request");
        assert_eq!(client_method("send"), "send_");
        assert_eq!(client_method("fromEnv"), "from_env_");
        assert_eq!(operation(&fixture(), "aero", "SetPayment").client_method, "set_payment");
    }

    #[test]
    fn path_placeholders_become_path_params() {
        let ir = fixture();
        let travel = ir.vendors.iter().find(|v| v.name == "travel").unwrap();
        for op in &travel.operations {
            let placeholders = op.path.matches('{').count();
            match &op.path_params {
                Some(p) => assert_eq!(p.fields.len(), placeholders, "{}", op.wire),
                None => assert_eq!(placeholders, 0, "{}", op.wire),
            }
        }
        assert!(travel.operations.iter().any(|o| o.path_params.is_some()));
    }

    #[test]
    fn examples_are_json_and_operations_sorted() {
        for v in fixture().vendors {
            let names: Vec<&str> = v.operations.iter().map(|o| o.wire.as_str()).collect();
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(names, sorted);
            for op in &v.operations {
                for ex in &op.examples {
                    assert!(ex.request.is_some() || ex.response.is_some(), "{} {}", op.wire, ex.name);
                }
            }
        }
    }
}
