//! The vendor's wire schema as a `static`, for the runtime validator.

use proc_macro2::TokenStream;
use quote::quote;

use super::{inner_doc, Module};
use flightapi::rt::schema::{BodyPlacement, Envelope, Field, Kind, Schema};

/// `ids`: the named schema indexes of the generated items, `(constant name, index)`.
pub(crate) fn emit(schema: &Schema, ids: &[(String, usize)]) -> Module {
    let doc = inner_doc(&["The wire schema: every type, field and rule of the spec as data. `rt::Schema::check` \
         interprets it; the generated types' `validate()` and `flightapi validate` both use it."
        .to_owned()]);
    let vendor = schema.vendor.as_ref();
    let pattern_count = proc_macro2::Literal::usize_unsuffixed(schema.patterns.len());
    let patterns = schema.patterns.iter().map(|p| {
        let src = p.source();
        quote!(::flightapi::rt::schema::Pattern::new(#src))
    });
    let types = schema.types.iter().map(|t| {
        let name = t.name.as_ref();
        let kind = kind(&t.kind);
        quote!(::flightapi::rt::schema::TypeDef { name: ::std::borrow::Cow::Borrowed(#name), kind: #kind })
    });
    let operations = schema.operations.iter().map(|op| {
        let name = op.name.as_ref();
        let (req, resp) = (lit(op.request), lit(op.response));
        let params = opt(op.path_params.map(lit));
        quote!(::flightapi::rt::schema::OperationSchema {
            name: ::std::borrow::Cow::Borrowed(#name),
            request: #req,
            response: #resp,
            path_params: #params,
        })
    });
    let strs = |l: &[std::borrow::Cow<'static, str>]| {
        let l = l.iter().map(|s| s.as_ref());
        quote!(::std::borrow::Cow::Borrowed(&[#(::std::borrow::Cow::Borrowed(#l)),*]))
    };
    let profile_rules = schema.profile_rules.iter().map(|r| {
        let (ty, field) = (lit(r.ty), r.field.as_ref());
        let (required_in, only_in) = (strs(&r.required_in), strs(&r.only_in));
        quote!(::flightapi::rt::schema::ProfileRule {
            ty: #ty,
            field: ::std::borrow::Cow::Borrowed(#field),
            required_in: #required_in,
            only_in: #only_in,
        })
    });
    let request_envelope = envelope(&schema.request_envelope);
    let response_envelope = envelope(&schema.response_envelope);
    let id_consts = ids.iter().map(|(name, id)| {
        let n = quote::format_ident!("{}", name);
        let id = proc_macro2::Literal::usize_unsuffixed(*id);
        quote!(pub const #n: ::flightapi::rt::TypeId = #id;)
    });
    let tokens = quote! {
        #doc

        /// The index in [`SCHEMA`] of each generated type that checks itself against it.
        #[allow(missing_docs)]
        pub mod ids {
            #(#id_consts)*
        }

        /// The patterns, each compiled once on first use.
        static PATTERNS: [::flightapi::rt::schema::Pattern; #pattern_count] = [#(#patterns),*];

        /// The vendor's wire schema.
        pub static SCHEMA: ::flightapi::rt::Schema = ::flightapi::rt::Schema {
            vendor: ::std::borrow::Cow::Borrowed(#vendor),
            types: ::std::borrow::Cow::Borrowed(&[#(#types),*]),
            patterns: ::std::borrow::Cow::Borrowed(&PATTERNS),
            operations: ::std::borrow::Cow::Borrowed(&[#(#operations),*]),
            profile_rules: ::std::borrow::Cow::Borrowed(&[#(#profile_rules),*]),
            request_envelope: #request_envelope,
            response_envelope: #response_envelope,
        };
    };
    Module { name: "schema".to_owned(), attrs: quote!(), tokens, children: Vec::new() }
}

/// A type index without a `usize` suffix.
fn lit(id: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(id)
}

fn opt<T: quote::ToTokens>(v: Option<T>) -> TokenStream {
    match v {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

fn kind(kind: &Kind) -> TokenStream {
    let k = quote!(::flightapi::rt::schema::Kind);
    match kind {
        Kind::Any => quote!(#k::Any),
        Kind::Bool => quote!(#k::Bool),
        Kind::Str { min_len, max_len, pattern, secret } => {
            let (min_len, max_len, pattern) = (opt(*min_len), opt(*max_len), opt(pattern.map(lit)));
            quote!(#k::Str { min_len: #min_len, max_len: #max_len, pattern: #pattern, secret: #secret })
        }
        Kind::Int { min, max, as_string } => {
            let (min, max) = (opt(*min), opt(*max));
            quote!(#k::Int { min: #min, max: #max, as_string: #as_string })
        }
        Kind::Number { min, max } => {
            let (min, max) = (opt(*min), opt(*max));
            quote!(#k::Number { min: #min, max: #max })
        }
        Kind::Decimal => quote!(#k::Decimal),
        Kind::Date { format } => {
            let f = format.as_ref();
            quote!(#k::Date { format: ::std::borrow::Cow::Borrowed(#f) })
        }
        Kind::DateTime { format } => {
            let f = format.as_ref();
            quote!(#k::DateTime { format: ::std::borrow::Cow::Borrowed(#f) })
        }
        Kind::Enum { values, integer, integer_as_string } => {
            let values = values.iter().map(|v| {
                let v = v.as_ref();
                quote!(::std::borrow::Cow::Borrowed(#v))
            });
            quote!(#k::Enum {
                values: ::std::borrow::Cow::Borrowed(&[#(#values),*]),
                integer: #integer,
                integer_as_string: #integer_as_string,
            })
        }
        Kind::Encrypted { plaintext } => {
            let plaintext = lit(*plaintext);
            quote!(#k::Encrypted { plaintext: #plaintext })
        }
        Kind::Object { fields } => {
            let fields = fields.iter().map(field);
            quote!(#k::Object { fields: ::std::borrow::Cow::Borrowed(&[#(#fields),*]) })
        }
        Kind::Array { items, min_items, max_items } => {
            let (min_items, max_items) = (opt(*min_items), opt(*max_items));
            let items = lit(*items);
            quote!(#k::Array { items: #items, min_items: #min_items, max_items: #max_items })
        }
        Kind::Map { values } => {
            let values = lit(*values);
            quote!(#k::Map { values: #values })
        }
        Kind::OneOf { variants, tag_field } => {
            let variants = variants.iter().map(field);
            let tag_field = match tag_field {
                Some(t) => {
                    let t = t.as_ref();
                    quote!(::std::option::Option::Some(::std::borrow::Cow::Borrowed(#t)))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(#k::OneOf { variants: ::std::borrow::Cow::Borrowed(&[#(#variants),*]), tag_field: #tag_field })
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let wire = f.wire.as_ref();
    let aliases = f.aliases.iter().map(|a| {
        let a = a.as_ref();
        quote!(::std::borrow::Cow::Borrowed(#a))
    });
    let (ty, required, nullable) = (lit(f.ty), f.required, f.nullable);
    quote!(::flightapi::rt::schema::Field {
        wire: ::std::borrow::Cow::Borrowed(#wire),
        aliases: ::std::borrow::Cow::Borrowed(&[#(#aliases),*]),
        ty: #ty,
        required: #required,
        nullable: #nullable,
    })
}

fn envelope(e: &Envelope) -> TokenStream {
    let fields = e.fields.iter().map(field);
    let body = match &e.body {
        BodyPlacement::Flatten => quote!(::flightapi::rt::schema::BodyPlacement::Flatten),
        BodyPlacement::Field { name, required } => {
            let name = name.as_ref();
            quote!(::flightapi::rt::schema::BodyPlacement::Field {
                name: ::std::borrow::Cow::Borrowed(#name),
                required: #required,
            })
        }
    };
    let operation_field = match &e.operation_field {
        Some(f) => {
            let f = f.as_ref();
            quote!(::std::option::Option::Some(::std::borrow::Cow::Borrowed(#f)))
        }
        None => quote!(::std::option::Option::None),
    };
    quote!(::flightapi::rt::schema::Envelope {
        fields: ::std::borrow::Cow::Borrowed(&[#(#fields),*]),
        body: #body,
        operation_field: #operation_field,
    })
}
