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
        quote!(t(#name, #kind))
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
    let cross_rules = schema.cross_rules.iter().map(|r| {
        let (ty, fields) = (lit(r.ty), strs(&r.fields));
        let kind = match &r.kind {
            flightapi::rt::schema::CrossKind::AtLeastOne => quote!(AtLeastOne),
            flightapi::rt::schema::CrossKind::ExactlyOne => quote!(ExactlyOne),
            flightapi::rt::schema::CrossKind::Requires { present, absent } => {
                let present = present.as_ref();
                let absent = match absent {
                    Some(a) => {
                        let a = a.as_ref();
                        quote!(::std::option::Option::Some(::std::borrow::Cow::Borrowed(#a)))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote!(Requires { present: ::std::borrow::Cow::Borrowed(#present), absent: #absent })
            }
        };
        quote!(::flightapi::rt::schema::CrossRule { ty: #ty, kind: ::flightapi::rt::schema::CrossKind::#kind, fields: #fields })
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

        #[allow(unused_imports)]
        use ::flightapi::rt::schema::build::*;
        #[allow(unused_imports)]
        use ::flightapi::rt::schema::Kind;

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
            cross_rules: ::std::borrow::Cow::Borrowed(&[#(#cross_rules),*]),
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
    let strs = |l: &[std::borrow::Cow<'static, str>]| {
        let l = l.iter().map(|s| s.as_ref());
        quote!(const { &[#(b(#l)),*] })
    };
    match kind {
        Kind::Any => quote!(Kind::Any),
        Kind::Bool => quote!(Kind::Bool),
        Kind::Decimal => quote!(Kind::Decimal),
        Kind::Str { min_len, max_len, pattern, secret } => {
            let (min_len, max_len, pattern) = (short(*min_len), short(*max_len), short(pattern.map(lit)));
            quote!(s(#min_len, #max_len, #pattern, #secret))
        }
        Kind::Int { min, max, as_string } => {
            let (min, max) = (short(*min), short(*max));
            quote!(int(#min, #max, #as_string))
        }
        Kind::Number { min, max } => {
            let (min, max) = (short(*min), short(*max));
            quote!(num(#min, #max))
        }
        Kind::Date { format } => {
            let f = format.as_ref();
            quote!(date(#f))
        }
        Kind::DateTime { format } => {
            let f = format.as_ref();
            quote!(datetime(#f))
        }
        Kind::Enum { values, integer, integer_as_string } => {
            let values = strs(values);
            quote!(en(#values, #integer, #integer_as_string))
        }
        Kind::Encrypted { plaintext } => {
            let plaintext = lit(*plaintext);
            quote!(enc(#plaintext))
        }
        Kind::Object { fields } => {
            let fields = fields.iter().map(field);
            quote!(obj(const { &[#(#fields),*] }))
        }
        Kind::Array { items, min_items, max_items } => {
            let (min_items, max_items) = (short(*min_items), short(*max_items));
            let items = lit(*items);
            quote!(arr(#items, #min_items, #max_items))
        }
        Kind::Map { values } => {
            let values = lit(*values);
            quote!(map(#values))
        }
        Kind::OneOf { variants, tag_field } => {
            let variants = variants.iter().map(field);
            let tag_field = short(tag_field.as_deref());
            quote!(one(const { &[#(#variants),*] }, #tag_field))
        }
    }
}

/// `Some(v)` / `None` for the schema module, which sees the prelude and the builders only.
fn short<T: quote::ToTokens>(v: Option<T>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

fn field(f: &Field) -> TokenStream {
    let wire = f.wire.as_ref();
    let (ty, required, nullable) = (lit(f.ty), f.required, f.nullable);
    if f.aliases.is_empty() {
        return quote!(f(#wire, #ty, #required, #nullable));
    }
    let aliases = f.aliases.iter().map(|a| a.as_ref());
    quote!(fa(#wire, const { &[#(b(#aliases)),*] }, #ty, #required, #nullable))
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
