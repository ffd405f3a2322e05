//! The vendor module: constants, envelopes, error tables, the vendor table, child modules.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, inner_doc, items, operation, prose, schema, Body, Module, Scope};
use crate::lower::{
    Advice, AlgorithmIr, AuthIr, EnvelopeIr, ExpiryIr, GeneratedValue, Grant, HeaderIr, HeaderValueIr, Iv, Loc,
    MockRefusalIr, Output, Padding, PlaceIr, SuccessIr, TimeUnit, TokenBody, VendorIr,
};
use crate::names::ident;

pub(crate) fn emit(v: &VendorIr, gate: TokenStream, client_gate: TokenStream) -> Module<'_> {
    let scope = Scope { here: Loc::Root, ops: &v.operations };
    let mut lines = vec![prose(&v.title), prose(&v.description)];
    if let Some(docs) = &v.docs {
        lines.push(format!("Documentation: <{docs}>."));
    }
    lines.push(format!("Authentication: {}", prose(&v.auth.description)));
    for note in &v.notes {
        lines.push(format!("Note: {}", prose(note)));
    }
    let module_doc = inner_doc(&lines);

    let test = &v.base_urls.test;
    let production = opt(v.base_urls.production.as_deref());
    let auth = auth(&v.auth);
    let auth_doc = doc(&[
        prose(&v.auth.description),
        "The spec's authentication recipes, applied by the client and verified by the mock.".to_owned(),
    ]);
    let headers = v.headers.iter().map(|h| {
        let name = &h.name;
        let value = match &h.value {
            HeaderValueIr::Fixed(v) => quote!(::flightapi::rt::HeaderValue::Fixed(#v)),
            HeaderValueIr::Credential(c) => quote!(::flightapi::rt::HeaderValue::Credential(#c)),
            HeaderValueIr::PerCall(f) => quote!(::flightapi::rt::HeaderValue::PerCall(#f)),
            HeaderValueIr::Generated(g) => {
                let g = match g {
                    GeneratedValue::Uuid => quote!(Uuid),
                    GeneratedValue::Timestamp => quote!(Timestamp),
                    GeneratedValue::TimestampMs => quote!(TimestampMillis),
                };
                quote!(::flightapi::rt::HeaderValue::Generated(::flightapi::rt::Generated::#g))
            }
        };
        quote!(::flightapi::rt::HeaderSpec { name: #name, value: #value })
    });
    let response_headers = v.response_headers.iter().map(|h| {
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

    let (api_error, tables) = match &v.errors {
        Some(e) => {
            let success = match &e.success {
                SuccessIr::Field { path, equals } => {
                    let equals = equals.to_string();
                    quote!(::flightapi::rt::Success::Field { path: #path, equals: #equals })
                }
                SuccessIr::Http => quote!(::flightapi::rt::Success::Http),
                SuccessIr::Codes(codes) => quote!(::flightapi::rt::Success::Codes(&[#(#codes),*])),
            };
            let (list, code, message, trace, status) = (
                opt(e.list.as_deref()),
                opt(e.code.as_deref()),
                opt(e.message.as_deref()),
                opt(e.trace.as_deref()),
                opt(e.status.as_deref()),
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
                    Some((start, len)) => quote!(::std::option::Option::Some((#start, #len))),
                    None => quote!(::std::option::Option::None),
                };
                let code_len = opt(t.code_length);
                let entries = t.entries.iter().map(|e| {
                    let code = e.code.as_deref().unwrap_or_default();
                    let status = opt(e.status);
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
        let summary = op.summary.trim();
        let m = format_ident!("{}", op.module);
        let method = op.method.as_str();
        let path = &op.path;
        let (safe, undocumented, inbound) = (op.safe_to_retry, op.undocumented, op.inbound);
        let (empty_request, empty_response) = (op.empty_request, op.empty_response);
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
        let timeout = opt(op.timeout_secs);
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

    let credentials = v.credentials.iter().map(|c| {
        let name = &c.name;
        let env = &c.env;
        let description = c.description.trim();
        let sample = opt(c.sample.as_deref());
        let mock = opt(c.mock.as_deref());
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
    let base_url_env = opt(v.base_urls.env.as_deref());
    let mock = match &v.mock {
        Some(m) => {
            let pair = |e: &MockRefusalIr| {
                let (code, message, status) = (&e.code, e.message.trim(), e.status);
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
    let title = v.title.trim();
    let credentials_struct = credentials_struct(v);
    let call_headers = call_headers(v);
    let response_headers_struct = response_headers_struct(v, &client_gate);
    let profile_names = v.profiles.iter().flat_map(|p| p.values.iter().map(|value| &value.wire));
    let profiles = v.profiles.as_ref().map(|p| {
        let n = ident(&p.type_name);
        let d = doc(&[prose(&p.description), "Pass one to `Validate::validate_in` to add its rules.".to_owned()]);
        let variants: Vec<_> =
            p.values.iter().map(|value| (&value.wire, ident(&value.rust), doc(&[prose(&value.description)]))).collect();
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
                let title = prose(&v.title);
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

/// `Some(value)` or `None`, as tokens.
fn opt<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
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
    let title = prose(&v.title);
    let mut env: Vec<String> = v.credentials.iter().map(|c| format!("`{}`", c.env)).collect();
    if let Some(b) = &v.base_urls.env {
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
    let methods = v.operations.iter().filter(|op| !op.inbound).map(|op| {
        let m = format_ident!("{}", op.module);
        let method = ident(&op.client_method);
        let marker = format_ident!("{}", op.marker);
        let mut lines = vec![format!("`{}`: {} See [`super::{}`].", op.wire, prose(&op.summary), op.module)];
        lines.push(if op.safe_to_retry {
            "Retried after transient failures (safe to repeat).".to_owned()
        } else {
            "Sent at most once: never retried by the client.".to_owned()
        });
        if op.undocumented {
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
        .find(|op| !op.inbound)
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

fn place(p: &PlaceIr) -> TokenStream {
    match p {
        PlaceIr::Header(h) => quote!(::flightapi::rt::Place::Header(#h)),
        PlaceIr::Query(q) => quote!(::flightapi::rt::Place::Query(#q)),
        PlaceIr::Body(b) => quote!(::flightapi::rt::Place::Body(#b)),
        PlaceIr::Bearer => quote!(::flightapi::rt::Place::Bearer),
    }
}

fn expiry(e: &ExpiryIr) -> TokenStream {
    let codes = &e.codes;
    let statuses = &e.statuses;
    let refused = e.refused_before_processing;
    quote!(::flightapi::rt::auth::Expiry {
        codes: &[#(#codes),*],
        statuses: &[#(#statuses),*],
        refused_before_processing: #refused,
    })
}

/// The vendor's recipes as runtime data.
fn auth(a: &AuthIr) -> TokenStream {
    let description = prose(&a.description);
    let signature = match &a.signature {
        Some(s) => {
            let sign = &s.sign;
            let algorithm = match s.algorithm {
                AlgorithmIr::Sha256 => quote!(Sha256),
                AlgorithmIr::Sha512 => quote!(Sha512),
                AlgorithmIr::Md5 => quote!(Md5),
                AlgorithmIr::HmacSha256 => quote!(HmacSha256),
                AlgorithmIr::HmacSha512 => quote!(HmacSha512),
                AlgorithmIr::AesCbc { iv, padding } => {
                    let iv = match iv {
                        Iv::Zero => quote!(Zero),
                        Iv::KeyPrefix => quote!(KeyPrefix),
                    };
                    let padding = match padding {
                        Padding::Pkcs7 => quote!(Pkcs7),
                        Padding::Zero => quote!(Zero),
                    };
                    quote!(AesCbc { iv: ::flightapi::rt::crypto::Iv::#iv, padding: ::flightapi::rt::crypto::Padding::#padding })
                }
            };
            let key = opt(s.key.as_deref());
            let output = match s.output {
                Output::Hex => quote!(HexLower),
                Output::HexUpper => quote!(HexUpper),
                Output::Base64 => quote!(Base64),
            };
            let unit = match s.timestamp {
                TimeUnit::Seconds => quote!(Seconds),
                TimeUnit::Milliseconds => quote!(Milliseconds),
            };
            let nonce = s.nonce;
            let skew = s.max_skew_secs;
            let send = s.send.iter().map(|sent| {
                let value = &sent.value;
                let at = place(&sent.place);
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
            let send = place(&s.send);
            let lifetime = s.lifetime_secs;
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
                Grant::Password => quote!(Password),
                Grant::ClientCredentials => quote!(ClientCredentials),
            };
            let body = match o.body {
                TokenBody::Form => quote!(Form),
                TokenBody::Json => quote!(Json),
            };
            let token_url = &o.token_url;
            let (env, scope) = (opt(o.token_url_env.as_deref()), opt(o.scope.as_deref()));
            let (client_id, client_secret) = (&o.client_id, &o.client_secret);
            let (username, password) = (opt(o.username.as_deref()), opt(o.password.as_deref()));
            let lifetime = o.lifetime_secs;
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
        let at = place(&k.place);
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
fn credentials_struct(v: &VendorIr) -> TokenStream {
    let title = prose(&v.title);
    let d = doc(&[
        format!("The credentials of a {title} account, one field per credential its spec declares."),
        "`Debug` hides the sensitive ones. Build them with [`Credentials::builder`], read them with \
         [`Credentials::from_env`] (which names every missing variable), or take the docs' samples with \
         [`Credentials::samples`] (for the mock server only)."
            .to_owned(),
    ]);
    let fields = v.credentials.iter().map(|c| {
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
    let debug = v.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let key = &c.name;
        quote!(.field(#key, &self.#name))
    });
    let from_set = v.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let key = &c.name;
        if c.optional {
            quote!(#name: set.get(#key).map(::std::convert::Into::into),)
        } else {
            quote!(#name: set.get(#key).unwrap_or_default().into(),)
        }
    });
    let to_set = v.credentials.iter().map(|c| {
        let name = ident(&c.name);
        let key = &c.name;
        let value = if c.sensitive { quote!(v.expose().as_str()) } else { quote!(v.as_str()) };
        if c.optional {
            quote!(if let ::std::option::Option::Some(v) = &c.#name { set.set(#key, #value); })
        } else {
            quote!({ let v = &c.#name; set.set(#key, #value); })
        }
    });
    let env: Vec<String> = v.credentials.iter().map(|c| format!("`{}`", c.env)).collect();
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
fn call_headers(v: &VendorIr) -> TokenStream {
    let per_call: Vec<(&HeaderIr, &String)> = v
        .headers
        .iter()
        .filter_map(|h| match &h.value {
            HeaderValueIr::PerCall(field) => Some((h, field)),
            _ => None,
        })
        .collect();
    let mut lines =
        vec!["Header values supplied per call, each optional; give them to `Client::with_headers`.".to_owned()];
    if per_call.is_empty() {
        lines.push("This vendor's spec declares none.".to_owned());
    }
    let d = doc(&lines);
    let fields = per_call.iter().map(|(h, field)| {
        let name = ident(field);
        let mut lines = vec![format!("Sent as the `{}` header when set.", h.name)];
        if let Some(desc) = &h.description {
            lines.insert(0, prose(desc));
        }
        let d = doc(&lines);
        quote!(#d #[builder(into)] pub #name: ::std::option::Option<::std::string::String>,)
    });
    let pairs = per_call.iter().map(|(_, field)| {
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
fn response_headers_struct(v: &VendorIr, client_gate: &TokenStream) -> TokenStream {
    let mut lines =
        vec!["The response headers the spec names, captured with every typed result (`Client::send`).".to_owned()];
    if v.response_headers.is_empty() {
        lines.push("This vendor's spec names none.".to_owned());
    }
    let d = doc(&lines);
    let fields = v.response_headers.iter().map(|h| {
        let name = ident(&h.field);
        let d = doc(&[prose(&h.description), format!("The `{}` header.", h.name)]);
        quote!(#d pub #name: ::std::option::Option<::std::string::String>,)
    });
    let reads = v.response_headers.iter().map(|h| {
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
