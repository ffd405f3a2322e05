//! The vendor module: constants, envelopes, error tables, the vendor table, child modules.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, inner_doc, items, operation, prose, schema, Body, Module, Scope};
use crate::lower::{EnvelopeIr, Loc, VendorIr};
use crate::model::{self, Advice};
use crate::names::ident;

pub(crate) fn emit(v: &VendorIr, gate: TokenStream, client_gate: TokenStream) -> Module<'_> {
    let spec = &v.spec;
    let scope = Scope { here: Loc::Root, ops: &v.operations };
    let mut lines = vec![prose(&spec.title), prose(&spec.description)];
    if let Some(docs) = &spec.docs {
        lines.push(format!("Documentation: <{docs}>."));
    }
    lines.push(format!("Authentication: {}", prose(&spec.auth.description)));
    for note in &spec.notes {
        lines.push(format!("Note: {}", prose(note)));
    }
    let module_doc = inner_doc(&lines);

    let test = &spec.base_urls.test;
    let production = match &spec.base_urls.production {
        Some(p) => quote!(::std::option::Option::Some(#p)),
        None => quote!(::std::option::Option::None),
    };
    let auth = auth(&spec.auth);
    let auth_doc = doc(&[
        prose(&spec.auth.description),
        "The spec's authentication recipes, applied by the client and verified by the mock.".to_owned(),
    ]);
    let headers = spec.headers.iter().map(|h| {
        let name = &h.name;
        let value = if let Some(v) = &h.value {
            quote!(::flightapi::rt::HeaderValue::Fixed(#v))
        } else if let Some(c) = &h.credential {
            quote!(::flightapi::rt::HeaderValue::Credential(#c))
        } else if let Some(f) = &h.per_call {
            quote!(::flightapi::rt::HeaderValue::PerCall(#f))
        } else {
            let g = match h.generate {
                Some(model::GeneratedValue::Timestamp) => quote!(Timestamp),
                Some(model::GeneratedValue::TimestampMs) => quote!(TimestampMillis),
                _ => quote!(Uuid),
            };
            quote!(::flightapi::rt::HeaderValue::Generated(::flightapi::rt::Generated::#g))
        };
        quote!(::flightapi::rt::HeaderSpec { name: #name, value: #value })
    });
    let response_headers = spec.response_headers.iter().map(|h| {
        let (name, field) = (&h.name, &h.field);
        quote!(::flightapi::rt::ResponseHeaderSpec { name: #name, field: #field })
    });

    let request_envelope = envelope(&scope, &v.request_envelope, "RequestEnvelope");
    let response_envelope = envelope(&scope, &v.response_envelope, "ResponseEnvelope");
    let root_items = items::items(&scope, &v.root_items);
    let formats = v.formats.iter().map(|(format, name)| {
        let n = ident(name);
        let d = doc(&[format!("The date format `{format}`.")]);
        quote! {
            #d
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
            pub enum #n {}
            impl ::flightapi::rt::Format for #n {
                const FORMAT: &'static str = #format;
            }
        }
    });

    let (api_error, tables) = match &spec.errors {
        Some(e) => {
            let success = &e.success;
            let success = if let Some(field) = &success.field {
                let equals =
                    success.equals.as_ref().and_then(|v| serde_json::to_value(v).ok()).unwrap_or_default().to_string();
                quote!(::flightapi::rt::Success::Field { path: #field, equals: #equals })
            } else if success.http {
                quote!(::flightapi::rt::Success::Http)
            } else {
                let codes = success.codes.iter().map(|c| c.text());
                quote!(::flightapi::rt::Success::Codes(&[#(#codes),*]))
            };
            let (list, code, message, trace, status) = (
                opt_str(e.list.as_deref()),
                opt_str(e.code.as_deref()),
                opt_str(e.message.as_deref()),
                opt_str(e.trace.as_deref()),
                opt_str(e.status.as_deref()),
            );
            let rule = quote!(::std::option::Option::Some(::flightapi::rt::ErrorRule {
                list: #list,
                code: #code,
                message: #message,
                trace: #trace,
                status: #status,
                success: #success,
            }));
            let tables = e.tables.iter().map(|t| {
                let name = &t.name;
                let digits = match t.digits {
                    Some([start, len]) => quote!(::std::option::Option::Some((#start, #len))),
                    None => quote!(::std::option::Option::None),
                };
                let code_len = match t.code_length {
                    Some(n) => quote!(::std::option::Option::Some(#n)),
                    None => quote!(::std::option::Option::None),
                };
                let entries = t.entries.iter().map(|e| {
                    let code = e.code.as_ref().map(|c| c.text()).unwrap_or_default();
                    let status = match e.status {
                        Some(s) => quote!(::std::option::Option::Some(#s)),
                        None => quote!(::std::option::Option::None),
                    };
                    let meaning = &e.meaning;
                    let advice = format_ident!("{}", advice(e.advice));
                    quote!(::flightapi::rt::ErrorEntry { code: #code, status: #status, meaning: #meaning, advice: ::flightapi::rt::Advice::#advice })
                });
                quote!(::flightapi::rt::ErrorTable { name: #name, digits: #digits, code_len: #code_len, entries: &[#(#entries),*] })
            });
            (rule, quote!(#(#tables),*))
        }
        None => (quote!(::std::option::Option::None), quote!()),
    };

    let name = &v.name;
    let reexports = v.operations.iter().map(|op| {
        let m = format_ident!("{}", op.module);
        let marker = format_ident!("{}", op.marker);
        quote!(pub use self::#m::#marker;)
    });
    let entries = v.operations.iter().map(|op| {
        let wire = &op.wire;
        let summary = op.spec.summary.trim();
        let m = format_ident!("{}", op.module);
        let method = op.spec.method.as_str();
        let path = &op.spec.path;
        let (safe, undocumented, inbound) = (op.spec.safe_to_retry, op.spec.undocumented, op.spec.inbound);
        let empty = |b: &Option<crate::model::Body>| b.as_ref().is_some_and(|b| b.empty);
        let (empty_request, empty_response) = (empty(&op.spec.request), empty(&op.spec.response));
        let examples = op.examples.iter().map(|e| {
            let name = &e.name;
            let json = |v: &Option<serde_json::Value>| match v {
                Some(v) => {
                    let text = v.to_string();
                    quote!(::std::option::Option::Some(#text))
                }
                None => quote!(::std::option::Option::None),
            };
            let (request, response) = (json(&e.request), json(&e.response));
            let (error, status) = (e.error, e.status);
            quote!(::flightapi::rt::Example { name: #name, request: #request, response: #response, error: #error, status: #status })
        });
        let timeout = match op.spec.timeout {
            Some(t) => quote!(::std::option::Option::Some(#t)),
            None => quote!(::std::option::Option::None),
        };
        quote!(::flightapi::rt::OperationEntry {
            name: #wire,
            timeout_secs: #timeout,
            summary: #summary,
            method: #method,
            path: #path,
            safe_to_retry: #safe,
            undocumented: #undocumented,
            inbound: #inbound,
            empty_request: #empty_request,
            empty_response: #empty_response,
            examples: &[#(#examples),*],
            request: ::flightapi::rt::roundtrip::<self::RequestEnvelope<self::#m::Request>>,
            response: ::flightapi::rt::roundtrip::<self::ResponseEnvelope<self::#m::Response>>,
            read_request: ::flightapi::rt::decodes::<self::RequestEnvelope<self::#m::Request>>,
            read_response: ::flightapi::rt::decodes::<self::ResponseEnvelope<self::#m::Response>>,
        })
    });

    let credentials = spec.credentials.iter().map(|c| {
        let name = &c.name;
        let env = &c.env;
        let description = c.description.trim();
        let sample = opt_str(c.sample.as_deref());
        let mock = opt_str(c.mock.as_deref());
        let (sensitive, optional, encryption) = (c.sensitive, c.optional, c.encryption);
        quote!(::flightapi::rt::CredentialSpec {
            name: #name,
            env: #env,
            description: #description,
            sample: #sample,
            mock: #mock,
            sensitive: #sensitive,
            optional: #optional,
            encryption: #encryption,
        })
    });
    let base_url_env = opt_str(spec.base_url_env.as_deref());
    let mock = match &spec.mock {
        Some(m) => {
            let pair = |e: &crate::model::MockError| {
                let code = e.code.text();
                let message = e.message.trim();
                let status = e.status.unwrap_or(200);
                quote!(::flightapi::rt::MockRefusal { code: #code, message: #message, status: #status })
            };
            let (a, b, c, d) =
                (pair(&m.unauthorized), pair(&m.stale_timestamp), pair(&m.invalid_request), pair(&m.unknown_operation));
            let e = match &m.expired_token {
                Some(e) => {
                    let e = pair(e);
                    quote!(::std::option::Option::Some(#e))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(::std::option::Option::Some(::flightapi::rt::MockRefusals {
                unauthorized: #a,
                stale_timestamp: #b,
                invalid_request: #c,
                unknown_operation: #d,
                expired_token: #e,
            }))
        }
        None => quote!(::std::option::Option::None),
    };
    let client_reexport = quote!(#client_gate pub use self::client::Client;);
    let title = spec.title.trim();
    let credentials_struct = credentials_struct(spec);
    let call_headers = call_headers(spec);
    let response_headers_struct = response_headers_struct(spec, &client_gate);
    let profile_names: Vec<String> =
        spec.profiles.iter().flat_map(|p| p.values.iter().map(|v| v.value.text())).collect();
    let profiles = spec.profiles.as_ref().map(|p| {
        let n = ident(&p.type_name);
        let d = doc(&[prose(&p.description), "Pass one to `Validate::validate_in` to add its rules.".to_owned()]);
        let variants: Vec<_> = p
            .values
            .iter()
            .map(|v| {
                let wire = v.value.text();
                let rust = ident(&v.name.clone().unwrap_or_else(|| crate::names::variant(&wire)));
                (wire, rust, doc(&[prose(&v.description)]))
            })
            .collect();
        let decls = variants.iter().map(|(_, r, d)| quote!(#d #r,));
        let arms = variants.iter().map(|(w, r, _)| quote!(#n::#r => #w,));
        quote! {
            #d
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
            pub enum #n { #(#decls)* }
            impl ::flightapi::rt::Profile for #n {
                fn name(self) -> &'static str {
                    match self { #(#arms)* }
                }
            }
        }
    });

    let tokens = quote! {
        #module_doc

        #(#reexports)*
        #client_reexport

        /// The test (sandbox) base URL; clients use it unless told otherwise.
        pub const BASE_URL_TEST: &str = #test;
        /// The production base URL, when the docs give one.
        pub const BASE_URL_PRODUCTION: ::std::option::Option<&str> = #production;

        #auth_doc
        pub const AUTH: ::flightapi::rt::Auth = #auth;

        /// The headers sent with every request, and where their values come from.
        pub const HEADERS: &[::flightapi::rt::HeaderSpec] = &[#(#headers),*];
        /// The response headers the client captures (see [`ResponseHeaders`]).
        pub const RESPONSE_HEADERS: &[::flightapi::rt::ResponseHeaderSpec] = &[#(#response_headers),*];

        #credentials_struct
        #call_headers
        #response_headers_struct

        #request_envelope
        #response_envelope
        #profiles
        #root_items
        #(#formats)*

        /// The vendor's error-code tables, looked up in order.
        pub static ERROR_TABLES: &[::flightapi::rt::ErrorTable] = &[#tables];

        /// This vendor, for tools that pick vendors and operations by name.
        pub static VENDOR: ::flightapi::rt::Vendor = ::flightapi::rt::Vendor {
            name: #name,
            title: #title,
            base_url: BASE_URL_TEST,
            base_url_env: #base_url_env,
            auth: AUTH,
            headers: HEADERS,
            response_headers: RESPONSE_HEADERS,
            credentials: &[#(#credentials),*],
            mock: #mock,
            schema: &self::schema::SCHEMA,
            operations: &[#(#entries),*],
            errors: #api_error,
            error_tables: ERROR_TABLES,
            profiles: &[#(#profile_names),*],
        };
    };

    let parts = std::sync::Arc::new(schema::Parts::new(v));
    fn deferred<'a>(name: &str, make: Box<dyn Fn() -> TokenStream + Send + Sync + 'a>) -> Module<'a> {
        Module { name: name.to_owned(), attrs: quote!(), body: Body::Deferred(make), children: Vec::new() }
    }
    let schema_parts = parts.clone();
    let types_parts = parts.clone();
    let mut children = vec![
        deferred("schema", Box::new(move || schema_parts.emit())),
        deferred(
            "types",
            Box::new(move || {
                let title = prose(&v.spec.title);
                let types_doc = inner_doc(&[format!("Named types shared by the {title} operations.")]);
                let types_items = items::items(&Scope { here: Loc::Types, ops: &v.operations }, &v.types);
                let types_part = types_parts.part(Loc::Types);
                quote!(#types_doc #types_items #types_part)
            }),
        ),
    ];
    children.push(client(v, client_gate));
    for (i, op) in v.operations.iter().enumerate() {
        let parts = parts.clone();
        children.push(deferred(&op.module, Box::new(move || operation::emit(op, i, &v.operations, &parts))));
    }
    Module { name: v.module.clone(), attrs: gate, body: Body::Ready(tokens), children }
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn advice(a: Advice) -> &'static str {
    match a {
        Advice::FixRequest => "FixRequest",
        Advice::CheckDocuments => "CheckDocuments",
        Advice::ContactVendor => "ContactVendor",
        Advice::RetryNow => "RetryNow",
        Advice::RetryLater => "RetryLater",
        Advice::SearchAgain => "SearchAgain",
        Advice::TryAlternatives => "TryAlternatives",
        Advice::Unsupported => "Unsupported",
        Advice::None => "None",
    }
}

fn envelope(scope: &Scope, e: &EnvelopeIr, name: &str) -> TokenStream {
    let name = ident(name);
    let mut lines: Vec<String> = e.doc.iter().map(|l| prose(l)).collect();
    lines.push("`T` is the operation's body type.".to_owned());
    let docs = doc(&lines);
    let fields: TokenStream = e.fields.iter().map(|f| super::items::field(scope, f, false)).collect();
    let body = match &e.body_field {
        None => quote! {
            /// The operation body, whose fields sit beside the envelope's.
            #[serde(flatten)]
            pub body: T,
        },
        Some((wire, rust, true)) => {
            let r = ident(rust);
            quote! {
                /// The operation body.
                #[serde(rename = #wire)]
                pub #r: T,
            }
        }
        Some((wire, rust, false)) => {
            let r = ident(rust);
            quote! {
                /// The operation body; absent when the response reports an error.
                #[serde(rename = #wire, skip_serializing_if = "::std::option::Option::is_none")]
                pub #r: ::std::option::Option<T>,
            }
        }
    };
    // A flattened body keeps its own unknown fields; an envelope keeps the rest.
    let extra = if e.inbound && e.body_field.is_some() {
        quote! {
            /// Envelope fields the spec does not list, kept as received.
            #[serde(flatten)]
            pub extra: ::flightapi::rt::Extra,
        }
    } else {
        quote!()
    };
    if e.body_field.is_none() && !e.inbound {
        return strict_flat_envelope(e, &name, docs, fields, body);
    }
    quote! {
        #docs
        #[derive(
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::flightapi::rt::serde::Serialize,
            ::flightapi::rt::serde::Deserialize,
        )]
        #[serde(crate = "::flightapi::rt::serde")]
        pub struct #name<T> {
            #fields
            #body
            #extra
        }
    }
}

/// A request envelope whose body sits beside its fields. serde's `flatten` would pass the body
/// only the keys it knows, so an unknown key would be dropped silently; instead the envelope's
/// keys are taken out first and the body (which denies unknown fields) reads all the rest.
fn strict_flat_envelope(
    e: &EnvelopeIr,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    fields: TokenStream,
    body: TokenStream,
) -> TokenStream {
    let head = quote::format_ident!("{}Fields", name);
    let head_doc = doc(&[format!("The fields of [`{name}`] without the body (used to read it).")]);
    let keys: Vec<&String> = e.fields.iter().flat_map(|f| std::iter::once(&f.wire).chain(&f.aliases)).collect();
    let names: Vec<proc_macro2::Ident> = e.fields.iter().map(|f| ident(&f.rust)).collect();
    let (read, head_struct) = if names.is_empty() {
        let read = quote! {
            let body = <T as ::flightapi::rt::serde::Deserialize>::deserialize(d)?;
            ::std::result::Result::Ok(Self { body })
        };
        (read, quote!())
    } else {
        let read = quote! {
            let (head, body): (#head, T) = ::flightapi::rt::envelope::split(d, &[#(#keys),*])?;
            ::std::result::Result::Ok(Self { #(#names: head.#names,)* body })
        };
        let head_struct = quote! {
            #head_doc
            #[doc(hidden)]
            #[derive(::flightapi::rt::serde::Deserialize)]
            #[serde(crate = "::flightapi::rt::serde", deny_unknown_fields)]
            pub struct #head {
                #fields
            }
        };
        (read, head_struct)
    };
    quote! {
        #docs
        #[derive(
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::flightapi::rt::serde::Serialize,
        )]
        #[serde(crate = "::flightapi::rt::serde")]
        pub struct #name<T> {
            #fields
            #body
        }

        #head_struct

        impl<'de, T: ::flightapi::rt::serde::de::DeserializeOwned> ::flightapi::rt::serde::Deserialize<'de> for #name<T> {
            fn deserialize<D: ::flightapi::rt::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                #read
            }
        }
    }
}

/// The vendor's typed client: one method per operation the partner sends, each a call into
/// the runtime's client.
fn client(v: &VendorIr, gate: TokenStream) -> Module<'_> {
    let title = prose(&v.spec.title);
    let mut env: Vec<String> = v.spec.credentials.iter().map(|c| format!("`{}`", c.env)).collect();
    if let Some(b) = &v.spec.base_url_env {
        env.push(format!("`{b}` (base URL)"));
    }
    let module_doc = inner_doc(&[format!("The async client of {title} (feature `client`).")]);
    let client_doc = doc(&[
        format!("An async client of {title}: one method per operation, typed request in, typed body out."),
        "Every call validates the request first (nothing is sent when it breaks the spec), seals encrypted fields, \
         signs, and retries with backoff only the operations the spec marks safe to repeat."
            .to_owned(),
    ]);
    let from_env_doc = doc(&[format!(
        "A client configured from the environment: {}. Fails naming every missing variable; never uses the docs' samples.",
        if env.is_empty() { "nothing to read".to_owned() } else { env.join(", ") }
    )]);
    let methods = v.operations.iter().filter(|op| !op.spec.inbound).map(|op| {
        let m = format_ident!("{}", op.module);
        let method = match op.module.as_str() {
            "new" | "raw" | "from_env" | "with_headers" | "send" => ident(&format!("{}_", op.module)),
            other => ident(other),
        };
        let marker = format_ident!("{}", op.marker);
        let mut lines = vec![format!("`{}`: {} See [`super::{}`].", op.wire, prose(&op.spec.summary), op.module)];
        lines.push(if op.spec.safe_to_retry {
            "Retried after transient failures (safe to repeat).".to_owned()
        } else {
            "Sent at most once: never retried by the client.".to_owned()
        });
        if op.spec.undocumented {
            lines.push("The docs do not describe this operation's fields: the body is raw JSON.".to_owned());
        }
        let d = doc(&lines);
        match &op.path_params {
            Some(_) => quote! {
                #d
                pub async fn #method(
                    &self,
                    params: &super::#m::PathParams,
                    request: &super::#m::Request,
                ) -> ::std::result::Result<super::#m::Response, ::flightapi::rt::client::Error> {
                    self.inner.call::<super::#m::#marker>(params, request).await
                }
            },
            None => quote! {
                #d
                pub async fn #method(
                    &self,
                    request: &super::#m::Request,
                ) -> ::std::result::Result<super::#m::Response, ::flightapi::rt::client::Error> {
                    self.inner.call::<super::#m::#marker>(&(), request).await
                }
            },
        }
    });
    let example = v
        .operations
        .iter()
        .find(|op| !op.spec.inbound)
        .map_or(String::new(), |op| format!(" (a marker such as [`super::{}`])", op.marker));
    let send_doc = doc(&[format!(
        "Calls operation `O`{example}; returns the typed body with the response headers the spec names, the raw \
         headers and the attempt count."
    )]);
    let tokens = quote! {
        #module_doc

        #client_doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug)]
        pub struct Client {
            inner: ::flightapi::rt::client::Client,
        }

        impl Client {
            /// A client with this configuration (its base URL defaults to the test host).
            pub fn new(config: ::flightapi::rt::client::Config) -> ::std::result::Result<Self, ::flightapi::rt::client::Error> {
                ::std::result::Result::Ok(Self { inner: ::flightapi::rt::client::Client::new(&super::VENDOR, config)? })
            }

            #from_env_doc
            pub fn from_env() -> ::std::result::Result<Self, ::flightapi::rt::client::Error> {
                Self::new(::flightapi::rt::client::Config::from_env(&super::VENDOR)?)
            }

            /// The vendor-independent client underneath, to call operations by name with raw JSON.
            pub fn raw(&self) -> &::flightapi::rt::client::Client {
                &self.inner
            }

            /// The same client (sharing connections and tokens) sending these header values
            /// with every call, for instance one conversation id per search-to-book flow.
            pub fn with_headers(&self, headers: super::CallHeaders) -> Self {
                Self { inner: self.inner.with_call_headers(headers.values()) }
            }

            #send_doc
            pub async fn send<O: ::flightapi::rt::Operation>(
                &self,
                params: &O::PathParams,
                request: &O::Request,
            ) -> ::std::result::Result<::flightapi::rt::client::Answer<O::Response, super::ResponseHeaders>, ::flightapi::rt::client::Error> {
                let (body, reply) = self.inner.call_full::<O>(params, request).await?;
                ::std::result::Result::Ok(::flightapi::rt::client::Answer {
                    body,
                    headers: <super::ResponseHeaders as ::flightapi::rt::client::FromHeaders>::from_headers(&reply.headers),
                    raw_headers: reply.headers,
                    attempts: reply.attempts,
                })
            }

            #(#methods)*
        }
    };
    Module { name: "client".to_owned(), attrs: gate, body: Body::Ready(tokens), children: Vec::new() }
}

fn place(header: &Option<String>, query: &Option<String>, body: &Option<String>, bearer: bool) -> TokenStream {
    match (header, query, body) {
        (Some(h), _, _) => quote!(::flightapi::rt::Place::Header(#h)),
        (_, Some(q), _) => quote!(::flightapi::rt::Place::Query(#q)),
        (_, _, Some(b)) => quote!(::flightapi::rt::Place::Body(#b)),
        _ if bearer => quote!(::flightapi::rt::Place::Bearer),
        _ => quote!(::flightapi::rt::Place::Bearer),
    }
}

fn expiry(e: &model::Expiry) -> TokenStream {
    let codes = e.codes.iter().map(|c| c.text());
    let statuses = &e.statuses;
    let refused = e.refused_before_processing;
    quote!(::flightapi::rt::auth::Expiry {
        codes: &[#(#codes),*],
        statuses: &[#(#statuses),*],
        refused_before_processing: #refused,
    })
}

/// The vendor's recipes as runtime data.
fn auth(a: &model::Auth) -> TokenStream {
    let description = prose(&a.description);
    let signature = match &a.signature {
        Some(s) => {
            let sign = &s.sign;
            let algorithm = match s.algorithm {
                model::Algorithm::Sha256 => quote!(Sha256),
                model::Algorithm::Sha512 => quote!(Sha512),
                model::Algorithm::Md5 => quote!(Md5),
                model::Algorithm::HmacSha256 => quote!(HmacSha256),
                model::Algorithm::HmacSha512 => quote!(HmacSha512),
                model::Algorithm::AesCbc => {
                    let iv = match s.iv {
                        Some(model::Iv::KeyPrefix) => quote!(KeyPrefix),
                        _ => quote!(Zero),
                    };
                    let padding = match s.padding {
                        Some(model::Padding::Zero) => quote!(Zero),
                        _ => quote!(Pkcs7),
                    };
                    quote!(AesCbc { iv: ::flightapi::rt::crypto::Iv::#iv, padding: ::flightapi::rt::crypto::Padding::#padding })
                }
            };
            let key = opt_str(s.key.as_deref());
            let output = match s.output {
                model::Output::Hex => quote!(HexLower),
                model::Output::HexUpper => quote!(HexUpper),
                model::Output::Base64 => quote!(Base64),
            };
            let unit = match s.timestamp {
                Some(model::TimeUnit::Milliseconds) => quote!(Milliseconds),
                _ => quote!(Seconds),
            };
            let nonce = s.nonce;
            let skew = s.max_skew.unwrap_or(300);
            let send = s.send.iter().map(|sent| {
                let value = &sent.value;
                let at = place(&sent.header, &sent.query, &sent.body, false);
                let integer = sent.integer;
                let aliases = sent.aliases.iter().map(|a| quote!(::flightapi::rt::Place::Body(#a)));
                quote!(::flightapi::rt::auth::signature::Sent { value: #value, place: #at, integer: #integer, aliases: &[#(#aliases),*] })
            });
            quote!(::std::option::Option::Some(::flightapi::rt::auth::signature::Signature {
                sign: #sign,
                algorithm: ::flightapi::rt::auth::signature::Algorithm::#algorithm,
                key: #key,
                output: ::flightapi::rt::auth::signature::Output::#output,
                timestamp: ::flightapi::rt::auth::signature::TimeUnit::#unit,
                nonce: #nonce,
                send: &[#(#send),*],
                max_skew_secs: #skew,
            }))
        }
        None => quote!(::std::option::Option::None),
    };
    let session = match &a.session {
        Some(s) => {
            let login = &s.login;
            let body = s.body.iter().map(|(k, v)| quote!((#k, #v)));
            let token_at = &s.token_at;
            let send = place(&s.send.header, &s.send.query, &s.send.body, s.send.bearer);
            let lifetime = s.lifetime;
            let expired = expiry(&s.expired);
            quote!(::std::option::Option::Some(::flightapi::rt::auth::session::Session {
                login: #login,
                body: &[#(#body),*],
                token_at: #token_at,
                send: #send,
                lifetime_secs: #lifetime,
                expired: #expired,
            }))
        }
        None => quote!(::std::option::Option::None),
    };
    let oauth2 = match &a.oauth2 {
        Some(o) => {
            let grant = match o.grant {
                model::Grant::Password => quote!(Password),
                model::Grant::ClientCredentials => quote!(ClientCredentials),
            };
            let body = match o.body {
                model::TokenBody::Form => quote!(Form),
                model::TokenBody::Json => quote!(Json),
            };
            let token_url = &o.token_url;
            let (env, scope) = (opt_str(o.token_url_env.as_deref()), opt_str(o.scope.as_deref()));
            let (client_id, client_secret) = (&o.client_id, &o.client_secret);
            let (username, password) = (opt_str(o.username.as_deref()), opt_str(o.password.as_deref()));
            let lifetime = o.lifetime;
            let expired = expiry(&o.expired);
            quote!(::std::option::Option::Some(::flightapi::rt::auth::oauth2::OAuth2 {
                grant: ::flightapi::rt::auth::oauth2::Grant::#grant,
                token_url: #token_url,
                token_url_env: #env,
                scope: #scope,
                body: ::flightapi::rt::auth::oauth2::TokenBody::#body,
                client_id: #client_id,
                client_secret: #client_secret,
                username: #username,
                password: #password,
                lifetime_secs: #lifetime,
                expired: #expired,
            }))
        }
        None => quote!(::std::option::Option::None),
    };
    let api_keys = a.api_keys.iter().map(|k| {
        let credential = &k.credential;
        let at = place(&k.header, &k.query, &None, false);
        quote!(::flightapi::rt::auth::api_key::ApiKey { credential: #credential, place: #at })
    });
    quote!(::flightapi::rt::Auth {
        description: #description,
        signature: #signature,
        session: #session,
        oauth2: #oauth2,
        api_keys: &[#(#api_keys),*],
    })
}

/// The vendor's typed credentials: one field per declared credential.
fn credentials_struct(spec: &model::VendorFile) -> TokenStream {
    let title = prose(&spec.title);
    let d = doc(&[
        format!("The credentials of a {title} account, one field per credential its spec declares."),
        "`Debug` hides the sensitive ones. Build them with [`Credentials::builder`], read them with \
         [`Credentials::from_env`] (which names every missing variable), or take the docs' samples with \
         [`Credentials::samples`] (for the mock server only)."
            .to_owned(),
    ]);
    let fields = spec.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let mut lines = vec![prose(&c.description)];
        lines.push(format!(
            "Environment variable `{}`{}.",
            c.env,
            if c.optional { "; optional: only some operations need it" } else { "" }
        ));
        let d = doc(&lines);
        let ty = if c.sensitive {
            quote!(::flightapi::rt::Secret<::std::string::String>)
        } else {
            quote!(::std::string::String)
        };
        if c.optional {
            quote!(#d #[builder(into)] pub #name: ::std::option::Option<#ty>,)
        } else {
            quote!(#d #[builder(into)] pub #name: #ty,)
        }
    });
    // Sensitive fields are `Secret`s, whose `Debug` prints `***`.
    let debug = spec.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let key = &c.name;
        quote!(.field(#key, &self.#name))
    });
    let from_set = spec.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let key = &c.name;
        if c.optional {
            quote!(#name: set.get(#key).map(::std::convert::Into::into),)
        } else {
            quote!(#name: set.get(#key).unwrap_or_default().into(),)
        }
    });
    let to_set = spec.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let key = &c.name;
        let value = if c.sensitive { quote!(v.expose().as_str()) } else { quote!(v.as_str()) };
        if c.optional {
            quote!(if let ::std::option::Option::Some(v) = &c.#name { set.set(#key, #value); })
        } else {
            quote!({ let v = &c.#name; set.set(#key, #value); })
        }
    });
    let env: Vec<String> = spec.credentials.iter().map(|c| format!("`{}`", c.env)).collect();
    let from_env_doc = doc(&[format!(
        "Reads every credential from its environment variable ({}); fails naming every required one that is unset. Never falls back to a sample.",
        if env.is_empty() { "none".to_owned() } else { env.join(", ") }
    )]);
    quote! {
        #d
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, ::std::cmp::Eq, ::flightapi::rt::bon::Builder)]
        #[builder(crate = ::flightapi::rt::bon)]
        pub struct Credentials {
            #(#fields)*
        }

        impl ::std::fmt::Debug for Credentials {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Credentials") #(#debug)* .finish()
            }
        }

        impl Credentials {
            #from_env_doc
            pub fn from_env() -> ::std::result::Result<Self, ::flightapi::rt::CredentialsError> {
                let set = ::flightapi::rt::CredentialSet::from_env(VENDOR.name, VENDOR.credentials)?;
                ::std::result::Result::Ok(Self::from_set(&set))
            }

            /// The docs' sample values (or the spec's mock values where the docs publish
            /// none): what the mock server accepts. Never use them against the vendor.
            pub fn samples() -> Self {
                Self::from_set(&::flightapi::rt::CredentialSet::samples(VENDOR.credentials))
            }

            #[allow(unused_variables)]
            fn from_set(set: &::flightapi::rt::CredentialSet) -> Self {
                Self { #(#from_set)* }
            }
        }

        impl ::std::convert::From<&Credentials> for ::flightapi::rt::CredentialSet {
            #[allow(unused_variables, unused_mut, clippy::let_and_return)]
            fn from(c: &Credentials) -> Self {
                let mut set = ::flightapi::rt::CredentialSet::new();
                #(#to_set)*
                set
            }
        }

        impl ::std::convert::From<Credentials> for ::flightapi::rt::CredentialSet {
            fn from(c: Credentials) -> Self {
                ::flightapi::rt::CredentialSet::from(&c)
            }
        }
    }
}

/// The per-call header values a caller may supply.
fn call_headers(spec: &model::VendorFile) -> TokenStream {
    let per_call: Vec<&model::Header> = spec.headers.iter().filter(|h| h.per_call.is_some()).collect();
    let mut lines =
        vec!["Header values supplied per call, each optional; give them to `Client::with_headers`.".to_owned()];
    if per_call.is_empty() {
        lines.push("This vendor's spec declares none.".to_owned());
    }
    let d = doc(&lines);
    let fields = per_call.iter().map(|h| {
        let field = h.per_call.as_deref().unwrap_or_default();
        let name = ident(field);
        let mut lines = vec![format!("Sent as the `{}` header when set.", h.name)];
        if let Some(desc) = &h.description {
            lines.insert(0, prose(desc));
        }
        let d = doc(&lines);
        quote!(#d #[builder(into)] pub #name: ::std::option::Option<::std::string::String>,)
    });
    let pairs = per_call.iter().map(|h| {
        let field = h.per_call.as_deref().unwrap_or_default();
        let name = ident(field);
        quote!(if let ::std::option::Option::Some(v) = &self.#name { out.push((#field, v.clone())); })
    });
    quote! {
        #d
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::default::Default, ::std::cmp::PartialEq, ::std::cmp::Eq, ::flightapi::rt::bon::Builder)]
        #[builder(crate = ::flightapi::rt::bon)]
        #[non_exhaustive]
        pub struct CallHeaders {
            #(#fields)*
        }

        impl CallHeaders {
            /// The values that are set, by field name.
            pub fn values(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                #[allow(unused_mut)]
                let mut out = ::std::vec::Vec::new();
                #(#pairs)*
                out
            }
        }
    }
}

/// The response headers the client captures.
fn response_headers_struct(spec: &model::VendorFile, client_gate: &TokenStream) -> TokenStream {
    let mut lines =
        vec!["The response headers the spec names, captured with every typed result (`Client::send`).".to_owned()];
    if spec.response_headers.is_empty() {
        lines.push("This vendor's spec names none.".to_owned());
    }
    let d = doc(&lines);
    let fields = spec.response_headers.iter().map(|h| {
        let name = ident(&h.field);
        let d = doc(&[prose(&h.description), format!("The `{}` header.", h.name)]);
        quote!(#d pub #name: ::std::option::Option<::std::string::String>,)
    });
    let reads = spec.response_headers.iter().map(|h| {
        let name = ident(&h.field);
        let header = &h.name;
        quote!(#name: ::flightapi::rt::client::header_text(headers, #header),)
    });
    quote! {
        #d
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::default::Default, ::std::cmp::PartialEq, ::std::cmp::Eq)]
        #[non_exhaustive]
        pub struct ResponseHeaders {
            #(#fields)*
        }

        #client_gate
        impl ::flightapi::rt::client::FromHeaders for ResponseHeaders {
            #[allow(unused_variables)]
            fn from_headers(headers: &::flightapi::rt::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}
