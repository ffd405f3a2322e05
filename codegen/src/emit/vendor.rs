//! The vendor module: constants, envelopes, error tables, the vendor table, child modules.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc, inner_doc, items, operation, prose, schema, Module, Scope};
use crate::lower::{EnvelopeIr, Loc, VendorIr};
use crate::model::{Advice, AuthScheme};
use crate::names::ident;

pub(crate) fn emit(v: &VendorIr, gate: TokenStream, client_gate: TokenStream) -> Module {
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
    let scheme = format_ident!(
        "{}",
        match spec.auth.scheme {
            AuthScheme::Sha512Sign => "Sha512Sign",
            AuthScheme::AesSignature => "AesSignature",
            AuthScheme::Oauth2Password => "Oauth2Password",
            AuthScheme::None => "None",
        }
    );
    let auth_doc = doc(&[prose(&spec.auth.description)]);
    let headers = spec.headers.iter().filter_map(|h| {
        let value = h.value.as_ref()?;
        let name = &h.name;
        Some(quote!((#name, #value)))
    });
    let credential_headers = spec.headers.iter().filter_map(|h| {
        let credential = h.credential.as_ref()?;
        let name = &h.name;
        Some(quote!((#name, #credential)))
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
            let code = &e.code_field;
            let success: Vec<String> = e.success.iter().map(|s| s.text()).collect();
            let message = opt_str(e.message_field.as_deref());
            let trace = opt_str(e.trace_field.as_deref());
            let list_at = match &e.list_at {
                Some(path) => {
                    let parts = path.split('.');
                    quote!(::std::option::Option::Some(&[#(#parts),*]))
                }
                None => quote!(::std::option::Option::None),
            };
            let rule = quote!(::std::option::Option::Some(::flightapi::rt::ApiErrorRule {
                list_at: #list_at,
                code_field: #code,
                success: &[#(#success),*],
                message_field: #message,
                trace_field: #trace,
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
                    let code = e.code.text();
                    let meaning = &e.meaning;
                    let advice = format_ident!("{}", advice(e.advice));
                    quote!(::flightapi::rt::ErrorEntry { code: #code, meaning: #meaning, advice: ::flightapi::rt::Advice::#advice })
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
            quote!(::flightapi::rt::Example { name: #name, request: #request, response: #response })
        });
        quote!(::flightapi::rt::OperationEntry {
            name: #wire,
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
        })
    });

    let auth_params = spec.auth.params.iter().map(|(k, v)| quote!((#k, #v)));
    let credentials = spec.credentials.iter().map(|c| {
        let name = c.name.as_str();
        let env = &c.env;
        let description = c.description.trim();
        let sample = opt_str(c.sample.as_deref());
        let mock = opt_str(c.mock.as_deref());
        quote!(::flightapi::rt::CredentialSpec {
            name: #name,
            env: #env,
            description: #description,
            sample: #sample,
            mock: #mock,
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
            quote!(::std::option::Option::Some(::flightapi::rt::MockRefusals {
                unauthorized: #a,
                stale_timestamp: #b,
                invalid_request: #c,
                unknown_operation: #d,
            }))
        }
        None => quote!(::std::option::Option::None),
    };
    let client_reexport = quote!(#client_gate pub use self::client::Client;);
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
        pub const AUTH_SCHEME: ::flightapi::rt::AuthScheme = ::flightapi::rt::AuthScheme::#scheme;

        /// Headers with fixed values sent with every request: `(name, value)`.
        pub const DEFAULT_HEADERS: &[(&str, &str)] = &[#(#headers),*];
        /// Headers whose value is a credential: `(header name, credential name)`.
        pub const CREDENTIAL_HEADERS: &[(&str, &str)] = &[#(#credential_headers),*];

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
            base_url: BASE_URL_TEST,
            auth: AUTH_SCHEME,
            auth_params: &[#(#auth_params),*],
            headers: DEFAULT_HEADERS,
            credential_headers: CREDENTIAL_HEADERS,
            credentials: &[#(#credentials),*],
            base_url_env: #base_url_env,
            mock: #mock,
            schema: &self::schema::SCHEMA,
            operations: &[#(#entries),*],
            api_error: #api_error,
            error_tables: ERROR_TABLES,
            profiles: &[#(#profile_names),*],
        };
    };

    let types_doc = inner_doc(&[format!("Named types shared by the {} operations.", prose(&spec.title))]);
    let types_items = items::items(&Scope { here: Loc::Types, ops: &v.operations }, &v.types);
    let mut ids = Vec::new();
    let mut collect = |loc: Loc, items: &[crate::lower::Item]| {
        for item in items {
            match item {
                crate::lower::Item::Struct(s) if !s.inbound => {
                    ids.push((super::id_const(&v.operations, loc, &s.name), s.schema_id))
                }
                crate::lower::Item::Newtype(n) => ids.push((super::id_const(&v.operations, loc, &n.name), n.schema_id)),
                crate::lower::Item::OneOf(o) if !o.inbound => {
                    ids.push((super::id_const(&v.operations, loc, &o.name), o.schema_id))
                }
                _ => {}
            }
        }
    };
    collect(Loc::Types, &v.types);
    collect(Loc::Root, &v.root_items);
    for (i, op) in v.operations.iter().enumerate() {
        // The body this side sends: the request, or the answer to a push.
        let sent = if op.spec.inbound { &op.response } else { &op.request };
        if let crate::lower::BodyIr::Struct(s) = sent {
            collect(Loc::Op(i), &[crate::lower::Item::Struct(s.clone())]);
        }
        if let Some(p) = &op.path_params {
            collect(Loc::Op(i), &[crate::lower::Item::Struct(p.clone())]);
        }
        collect(Loc::Op(i), &op.items);
    }
    ids.sort();
    let mut children = vec![
        schema::emit(&v.schema, &ids),
        Module {
            name: "types".to_owned(),
            attrs: quote!(),
            tokens: quote!(#types_doc #types_items),
            children: Vec::new(),
        },
    ];
    children.push(client(v, client_gate));
    children.extend(v.operations.iter().enumerate().map(|(i, op)| operation::emit(op, i, &v.operations)));
    Module { name: v.module.clone(), attrs: gate, tokens, children }
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
    let mut lines = e.doc.clone();
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
fn client(v: &VendorIr, gate: TokenStream) -> Module {
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
        "A client configured from the environment: {} (sample values from the docs fill the gaps).",
        if env.is_empty() { "nothing to read".to_owned() } else { env.join(", ") }
    )]);
    let methods = v.operations.iter().filter(|op| !op.spec.inbound).map(|op| {
        let m = format_ident!("{}", op.module);
        let method = match op.module.as_str() {
            "new" | "raw" | "from_env" => ident(&format!("{}_", op.module)),
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

            #(#methods)*
        }
    };
    Module { name: "client".to_owned(), attrs: gate, tokens, children: Vec::new() }
}
