//! One module per operation: the marker type, `Request`, `Response` and inline types.

use quote::{format_ident, quote};

use super::{inner_doc, items, prose, Scope};
use proc_macro2::TokenStream;

use crate::lower::{BodyIr, Item, Loc, OperationIr};

/// The operation's module (its tokens: `vendor.rs` places it).
pub(crate) fn emit(op: &OperationIr, index: usize, ops: &[OperationIr], parts: &super::schema::Parts) -> TokenStream {
    let part = parts.part(Loc::Op(index));
    let scope = Scope { here: Loc::Op(index), ops };
    let mut lines = vec![format!("`{}`: {}", op.wire, prose(&op.summary))];
    if let Some(d) = &op.description {
        lines.push(prose(d));
    }
    let checked = match &op.doc.retrieved {
        Some(date) => format!(", checked {date}"),
        None => String::new(),
    };
    lines.push(format!(
        "`{} {}`. Documentation: <{}> (modified {}{checked}).",
        op.method.as_str(),
        op.path,
        op.doc.url,
        op.doc.modified
    ));
    lines.push(if op.safe_to_retry {
        "Safe to retry: the client may send it again after a transient failure.".to_owned()
    } else {
        "Not safe to retry: the client never sends it twice.".to_owned()
    });
    for note in &op.notes {
        lines.push(format!("Note: {}", prose(note)));
    }
    let module_doc = inner_doc(&lines);
    let marker = format_ident!("{}", op.marker);
    let marker_doc = super::doc(&[format!("The `{}` operation (see the module documentation).", op.wire)]);
    let name = &op.wire;
    let method = op.method.as_str();
    let path = &op.path;
    let safe = op.safe_to_retry;
    let url = &op.doc.url;
    let mut all: Vec<Item> = Vec::new();
    let mut aliases = TokenStream::new();
    for (body, name) in [(&op.request, "Request"), (&op.response, "Response")] {
        match body {
            BodyIr::Struct(s) => all.push(Item::Struct(s.clone())),
            BodyIr::Raw { .. } => {
                let n = format_ident!("{}", name);
                let (doc, ty) = if name == "Request" {
                    (
                        "The request body: not described by the docs, any JSON object (still signed and enveloped).",
                        quote!(::flightapi::rt::RawObject),
                    )
                } else {
                    (
                        "The response body: not described by the docs, any JSON value.",
                        quote!(::flightapi::rt::serde_json::Value),
                    )
                };
                aliases.extend(quote!(#[doc = #doc] pub type #n = #ty;));
            }
            BodyIr::Named { doc, ty, .. } => {
                let docs = super::spec_doc(doc);
                let n = format_ident!("{}", name);
                let ty = scope.ty(ty);
                aliases.extend(quote!(#docs pub type #n = #ty;));
            }
        }
    }
    all.extend(op.path_params.iter().cloned().map(Item::Struct));
    all.extend(op.items.iter().cloned());
    let body = items::items(&scope, &all);
    let (params_ty, params_impl) = match &op.path_params {
        None => (quote!(()), quote!()),
        Some(p) => {
            let values = p.fields.iter().map(|f| {
                let wire = &f.wire;
                let name = crate::names::ident(&f.rust);
                quote!((#wire, ::std::string::ToString::to_string(&self.#name)))
            });
            (
                quote!(self::PathParams),
                quote! {
                    impl ::flightapi::rt::PathParams for PathParams {
                        fn values(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
                            ::std::vec![#(#values),*]
                        }
                    }
                },
            )
        }
    };
    let push = if op.inbound {
        let ack = op.examples.iter().find_map(|e| e.response.as_ref()).map(|r| {
            let text = r.to_string();
            quote! {
                /// The answer that acknowledges a push (the spec's example response).
                pub const ACKNOWLEDGEMENT: &str = #text;
            }
        });
        quote! {
            /// Verifies a push body's signature (its timestamp within five minutes of this
            /// machine's clock) and reads it. A push signed with other credentials, or with
            /// an altered signature or timestamp, is refused. The vendor's signature covers
            /// the credentials and the timestamp, not the body: receive pushes over TLS.
            pub fn verify(
                body: &[u8],
                credentials: &super::Credentials,
            ) -> ::std::result::Result<super::RequestEnvelope<self::Request>, ::flightapi::rt::push::PushError> {
                verify_with(body, credentials, ::flightapi::rt::push::Check::default())
            }

            /// [`verify`] with a chosen timestamp check.
            pub fn verify_with(
                body: &[u8],
                credentials: &super::Credentials,
                check: ::flightapi::rt::push::Check,
            ) -> ::std::result::Result<super::RequestEnvelope<self::Request>, ::flightapi::rt::push::PushError> {
                let credentials = ::flightapi::rt::CredentialSet::from(credentials);
                ::flightapi::rt::push::verify(&super::VENDOR, &credentials, body, check)
            }

            #ack
        }
    } else {
        quote!()
    };
    let tokens = quote! {
        #module_doc

        #push

        #marker_doc
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::default::Default)]
        pub struct #marker;

        impl ::flightapi::rt::Operation for #marker {
            const NAME: &'static str = #name;
            const METHOD: &'static str = #method;
            const PATH: &'static str = #path;
            const SAFE_TO_RETRY: bool = #safe;
            const DOC_URL: &'static str = #url;
            type PathParams = #params_ty;
            type Request = self::Request;
            type Response = self::Response;
        }

        #aliases

        #body

        #params_impl

        #part
    };
    tokens
}
