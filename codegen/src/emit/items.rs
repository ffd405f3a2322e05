//! Structs, enums and validated newtypes.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, spec_doc, Scope};
use crate::lower::{DecimalWire, EnumIr, FieldIr, Item, NewtypeIr, OneOfIr, StructIr};
use crate::names::ident;

/// Every item of one module.
pub(crate) fn items(scope: &Scope, items: &[Item]) -> TokenStream {
    items
        .iter()
        .map(|item| match item {
            Item::Struct(s) => structure(scope, s),
            Item::Enum(e) => enumeration(e),
            Item::Newtype(n) => newtype(scope, n),
            Item::OneOf(o) => one_of(scope, o),
        })
        .collect()
}

/// The serde and builder attributes and the declaration of one field.
pub(crate) fn field(scope: &Scope, f: &FieldIr, builder: bool) -> TokenStream {
    let docs = spec_doc(&f.doc);
    let name = ident(&f.rust);
    let inner = scope.ty(&f.ty);
    let ty = if f.optional() { quote!(::std::option::Option<#inner>) } else { inner };
    let mut attrs = TokenStream::new();
    if f.rust.trim_start_matches("r#") != f.wire {
        let wire = &f.wire;
        attrs.extend(quote!(#[serde(rename = #wire)]));
    }
    for alias in &f.aliases {
        attrs.extend(quote!(#[serde(alias = #alias)]));
    }
    attrs.extend(value_attrs(f));
    if !f.required {
        attrs.extend(quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]));
    } else if f.nullable {
        attrs.extend(quote!(#[serde(default)]));
        if builder {
            attrs.extend(quote!(#[builder(required)]));
        }
    }
    quote! {
        #docs
        #attrs
        pub #name: #ty,
    }
}

/// The serde attributes that say how a field's value is read and written (not where).
fn value_attrs(f: &FieldIr) -> TokenStream {
    match f.decimal {
        Some(wire) => {
            let path = match (wire, f.optional()) {
                (DecimalWire::String, false) => "::flightapi::rt::decimal::string",
                (DecimalWire::Number, false) => "::flightapi::rt::decimal::number",
                (DecimalWire::String, true) => "::flightapi::rt::decimal::opt_string",
                (DecimalWire::Number, true) => "::flightapi::rt::decimal::opt_number",
            };
            quote!(#[serde(with = #path)])
        }
        None => quote!(),
    }
}

/// `Deserialize` for a response struct: known fields are read one by one (each through a
/// transparent wrapper that carries its value attributes), unknown ones go to `extra`, and
/// nothing is buffered (`#[serde(flatten)]` would read the whole object into a buffer first).
fn lenient_deserialize(scope: &Scope, s: &StructIr) -> TokenStream {
    let name = ident(&s.name);
    let expecting = format!("struct {}", s.name);
    let mut wrappers = TokenStream::new();
    let mut slots = TokenStream::new();
    let mut arms = TokenStream::new();
    let mut inits = TokenStream::new();
    for (i, f) in s.fields.iter().enumerate() {
        let wrapper = quote::format_ident!("__F{}", i);
        let slot = quote::format_ident!("__f{}", i);
        let inner = scope.ty(&f.ty);
        let ty = if f.optional() { quote!(::std::option::Option<#inner>) } else { inner };
        let attrs = value_attrs(f);
        let wire = &f.wire;
        let field = ident(&f.rust);
        // A wrapper only where the value needs attributes (decimals as strings or numbers).
        let (slot_ty, unwrap) = if attrs.is_empty() {
            (ty, quote!())
        } else {
            wrappers.extend(quote! {
                #[derive(::flightapi::rt::serde::Deserialize)]
                #[serde(crate = "::flightapi::rt::serde", transparent)]
                struct #wrapper(#attrs #ty);
            });
            (quote!(#wrapper), quote!(.map(|w| w.0)))
        };
        slots.extend(quote!(let mut #slot: ::std::option::Option<#slot_ty> = ::std::option::Option::None;));
        let keys = std::iter::once(wire).chain(&f.aliases);
        arms.extend(quote! {
            #(#keys)|* => ::flightapi::rt::de::field(&mut map, &mut #slot, #wire)?,
        });
        inits.extend(if f.optional() {
            quote!(#field: #slot #unwrap.unwrap_or_default(),)
        } else {
            quote!(#field: ::flightapi::rt::de::missing(#slot #unwrap, #wire)?,)
        });
    }
    let unknown = quote! {
        let value = map.next_value()?;
        extra.insert(key.into_string(), value);
    };
    // A struct without fields keeps every key (no one-arm `match`).
    let read_key = if s.fields.is_empty() {
        unknown
    } else {
        quote! {
            match key.as_str() {
                #arms
                _ => { #unknown }
            }
        }
    };
    quote! {
        impl<'de> ::flightapi::rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::flightapi::rt::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                #wrappers
                struct Visit;
                impl<'de> ::flightapi::rt::serde::de::Visitor<'de> for Visit {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::flightapi::rt::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<#name, A::Error> {
                        #slots
                        let mut extra = ::flightapi::rt::Extra::new();
                        while let ::std::option::Option::Some(key) = map.next_key::<::flightapi::rt::de::Key<'de>>()? {
                            #read_key
                        }
                        ::std::result::Result::Ok(#name { #inits extra })
                    }
                }
                deserializer.deserialize_map(Visit)
            }
        }
    }
}

/// `impl Validate`: the item checks itself against its schema entry.
fn validate_impl(scope: &Scope, name: &str) -> TokenStream {
    let schema = scope.schema();
    let id = scope.schema_id(name);
    let name = ident(name);
    quote! {
        impl ::flightapi::rt::Validate for #name {
            fn schema() -> &'static ::flightapi::rt::Schema {
                &#schema
            }
            const TYPE: ::flightapi::rt::TypeId = #id;
        }
    }
}

fn structure(scope: &Scope, s: &StructIr) -> TokenStream {
    let docs = spec_doc(&s.doc);
    let name = ident(&s.name);
    let fields: TokenStream = s.fields.iter().map(|f| field(scope, f, true)).collect();
    let (strictness, extra, validate, derive_de) = if s.inbound {
        (
            quote!(),
            quote! {
                /// Fields the spec does not list, kept as received so nothing is lost.
                #[serde(flatten)]
                #[builder(default)]
                pub extra: ::flightapi::rt::Extra,
            },
            lenient_deserialize(scope, s),
            quote!(),
        )
    } else {
        (
            quote!(#[serde(deny_unknown_fields)]),
            quote!(),
            validate_impl(scope, &s.name),
            quote!(::flightapi::rt::serde::Deserialize,),
        )
    };
    quote! {
        #docs
        #[derive(
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::flightapi::rt::serde::Serialize,
            #derive_de
            ::flightapi::rt::bon::Builder,
        )]
        #[serde(crate = "::flightapi::rt::serde")]
        #strictness
        #[builder(crate = ::flightapi::rt::bon, on(::std::string::String, into), on(::flightapi::rt::Secret<_>, into), on(::flightapi::rt::Encrypted<_>, into))]
        #[non_exhaustive]
        pub struct #name {
            #fields
            #extra
        }

        #validate
    }
}

fn enumeration(e: &EnumIr) -> TokenStream {
    let docs = spec_doc(&e.doc);
    let name = ident(&e.name);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.rust)).collect();
    let wires: Vec<&String> = e.variants.iter().map(|v| &v.wire).collect();
    let variant_docs: Vec<TokenStream> =
        e.variants.iter().map(|v| doc(&[format!("`{}`: {}", v.wire, super::prose(&v.doc))])).collect();
    let integer = e.integer;
    let (unknown_variant, unknown_fn, unknown_wire) = if e.inbound {
        (
            quote! {
                /// A value the spec does not list, kept as received.
                Unknown(::std::string::String),
            },
            quote!(::std::option::Option::Some(Self::Unknown(wire))),
            quote!(Self::Unknown(wire) => wire,),
        )
    } else {
        (quote!(), quote! { { let _ = wire; ::std::option::Option::None } }, quote!())
    };
    let integer_as_string = if e.integer_as_string {
        quote!(
            const INTEGER_AS_STRING: bool = true;
        )
    } else {
        quote!()
    };
    let derives = if e.inbound {
        quote!(#[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)])
    } else {
        quote!(#[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)])
    };
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            #unknown_variant
        }

        impl ::flightapi::rt::WireEnum for #name {
            const VALUES: &'static [&'static str] = &[#(#wires),*];
            const INTEGER: bool = #integer;
            #integer_as_string
            fn from_wire(wire: &str) -> ::std::option::Option<Self> {
                match wire {
                    #( #wires => ::std::option::Option::Some(Self::#variants), )*
                    _ => ::std::option::Option::None,
                }
            }
            fn unknown(wire: ::std::string::String) -> ::std::option::Option<Self> {
                #unknown_fn
            }
            fn as_wire(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    #unknown_wire
                }
            }
        }

        ::flightapi::rt::wire_enum!(#name);
    }
}

fn newtype(scope: &Scope, n: &NewtypeIr) -> TokenStream {
    let mut lines: Vec<String> = n.doc.iter().map(|l| super::prose(l)).collect();
    lines.push(
        "A validated string: built with `TryFrom`/`FromStr` (or deserialized), which check the spec's rule.".to_owned(),
    );
    let docs = doc(&lines);
    let name = ident(&n.name);
    let schema = scope.schema();
    let id = scope.schema_id(&n.name);
    quote! {
        #docs
        #[derive(
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::std::hash::Hash,
            ::std::cmp::PartialOrd,
            ::std::cmp::Ord,
        )]
        pub struct #name(::std::string::String);

        ::flightapi::rt::validated_string!(#name, #schema, #id);
    }
}

fn one_of(scope: &Scope, o: &OneOfIr) -> TokenStream {
    let mut lines: Vec<String> = o.doc.iter().map(|l| super::prose(l)).collect();
    lines.push(match &o.tag_field {
        Some(tag) => format!(
            "Written wrapped (`{{\"<variant>\": {{...}}}}`); read wrapped or flat (`{{\"{tag}\": \"<variant>\", ...}}`)."
        ),
        None => "Written and read wrapped: `{\"<variant>\": {...}}`.".to_owned(),
    });
    let docs = doc(&lines);
    let name = ident(&o.name);
    let wires: Vec<&String> = o.variants.iter().map(|v| &v.0).collect();
    let variants: Vec<_> = o.variants.iter().map(|v| ident(&v.1)).collect();
    let payloads: Vec<TokenStream> = o.variants.iter().map(|v| scope.ty(&v.2)).collect();
    let variant_docs: Vec<TokenStream> = o.variants.iter().map(|v| spec_doc(std::slice::from_ref(&v.3))).collect();
    let tag = match &o.tag_field {
        Some(t) => quote!(::std::option::Option::Some(#t)),
        None => quote!(::std::option::Option::None),
    };
    let (unknown_variant, unknown_fn) = if o.inbound {
        (
            quote! {
                /// A value naming no alternative the spec lists, kept as received.
                #[serde(untagged)]
                Unknown(::flightapi::rt::serde_json::Value),
            },
            quote!(::std::option::Option::Some(Self::Unknown(value))),
        )
    } else {
        (quote!(), quote! { { let _ = value; ::std::option::Option::None } })
    };
    let validate = if o.inbound { quote!() } else { validate_impl(scope, &o.name) };
    quote! {
        #docs
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::flightapi::rt::serde::Serialize)]
        #[serde(crate = "::flightapi::rt::serde")]
        #[non_exhaustive]
        // Alternatives differ in size by nature (a card against cash); boxing them would
        // cost every user an allocation and a `Box::new` for no measured gain.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variant_docs #[serde(rename = #wires)] #variants(#payloads), )*
            #unknown_variant
        }

        impl ::flightapi::rt::OneOf for #name {
            const VARIANTS: &'static [&'static str] = &[#(#wires),*];
            const TAG_FIELD: ::std::option::Option<&'static str> = #tag;
            fn from_variant(
                name: &str,
                payload: ::flightapi::rt::serde_json::Value,
            ) -> ::std::result::Result<Self, ::flightapi::rt::serde_json::Error> {
                match name {
                    #( #wires => ::flightapi::rt::serde_json::from_value(payload).map(Self::#variants), )*
                    _ => ::std::result::Result::Err(<::flightapi::rt::serde_json::Error as ::flightapi::rt::serde::de::Error>::unknown_variant(name, Self::VARIANTS)),
                }
            }
            fn unknown(value: ::flightapi::rt::serde_json::Value) -> ::std::option::Option<Self> {
                #unknown_fn
            }
        }

        impl<'de> ::flightapi::rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::flightapi::rt::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                ::flightapi::rt::one_of::deserialize(d)
            }
        }

        #validate
    }
}
