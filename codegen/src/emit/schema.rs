//! The vendor's wire schema as a `static`, for the runtime validator.

use std::collections::{BTreeMap, HashMap};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::inner_doc;
use crate::lower::{BodyIr, Item, Loc, OperationIr, VendorIr};
use crate::rt::schema::{BodyPlacement, CrossKind, Envelope, Field, Kind, TypeId};

/// The vendor's schema split into parts, one per generated module: each part's entries are
/// numbered from its own `BASE`, and other modules refer to them by name, so a spec edit to one
/// operation changes only that operation's file.
pub(crate) struct Parts<'a> {
    v: &'a VendorIr,
    /// The modules that hold a part, in table order.
    order: Vec<Loc>,
    /// The index of each type within its module's part.
    local: Vec<usize>,
    /// The index of each pattern within its module's part.
    pattern_local: Vec<usize>,
    /// The named indexes each module exports (`ids::ORDER_NO`).
    exports: BTreeMap<Loc, BTreeMap<String, TypeId>>,
    /// The export a type is known by outside its module.
    known_as: HashMap<TypeId, String>,
}

/// Where a reference is written: the module part it is in (if any) and the path up to the
/// vendor module.
struct At {
    here: Option<Loc>,
    up: TokenStream,
    /// The path to the part's own `BASE` / `PATTERN_BASE`.
    own: TokenStream,
}

impl<'a> Parts<'a> {
    pub(crate) fn new(v: &'a VendorIr) -> Self {
        let layout = &v.layout;
        let mut order = vec![Loc::Root, Loc::Types];
        order.extend((0..v.operations.len()).map(Loc::Op));
        let number = |homes: &[Loc]| {
            let mut next: HashMap<Loc, usize> = HashMap::new();
            homes
                .iter()
                .map(|h| {
                    let n = next.entry(*h).or_default();
                    *n += 1;
                    *n - 1
                })
                .collect::<Vec<_>>()
        };
        let local = number(&layout.types);
        let pattern_local = number(&layout.patterns);

        // Every generated item that checks itself exports its entry under its own name.
        let mut exports: BTreeMap<Loc, BTreeMap<String, TypeId>> = BTreeMap::new();
        let mut export = |loc: Loc, item: &Item| {
            let (name, id) = match item {
                Item::Struct(s) if !s.inbound => (&s.name, s.schema_id),
                Item::Newtype(n) => (&n.name, n.schema_id),
                Item::OneOf(o) if !o.inbound => (&o.name, o.schema_id),
                _ => return,
            };
            exports.entry(loc).or_default().insert(const_name(name), id);
        };
        for item in &v.types {
            export(Loc::Types, item);
        }
        for item in &v.root_items {
            export(Loc::Root, item);
        }
        for (i, op) in v.operations.iter().enumerate() {
            // The body this side sends: the request, or the answer to a push.
            let sent = if op.inbound { &op.response } else { &op.request };
            if let BodyIr::Struct(s) = sent {
                export(Loc::Op(i), &Item::Struct(s.clone()));
            }
            if let Some(p) = &op.path_params {
                export(Loc::Op(i), &Item::Struct(p.clone()));
            }
            for item in &op.items {
                export(Loc::Op(i), item);
            }
        }
        // Named types are exported by their home module, so references to them survive edits.
        for (id, name) in &layout.named {
            let list = exports.entry(layout.types[*id]).or_default();
            let mut n = const_name(name);
            if list.get(&n).is_some_and(|other| other != id) {
                n = format!("{n}_{}", local[*id]);
            }
            list.insert(n, *id);
        }
        let mut known_as = HashMap::new();
        for (loc, list) in &exports {
            for (name, id) in list {
                if layout.types[*id] == *loc {
                    known_as.entry(*id).or_insert_with(|| name.clone());
                }
            }
        }
        Parts { v, order, local, pattern_local, exports, known_as }
    }

    fn path(&self, loc: Loc) -> TokenStream {
        part_path(&self.v.operations, loc)
    }

    /// The name of a module's base constants in `schema::base`.
    fn base_name(&self, loc: Loc) -> proc_macro2::Ident {
        match loc {
            Loc::Root => format_ident!("ROOT"),
            Loc::Types => format_ident!("TYPES"),
            Loc::Op(i) => format_ident!("OP_{}", self.v.operations[i].module.to_uppercase()),
        }
    }

    fn ty(&self, at: &At, id: TypeId) -> TokenStream {
        let home = self.v.layout.types[id];
        let n = lit(self.local[id]);
        if at.here == Some(home) {
            let own = &at.own;
            return quote!(#own BASE + #n);
        }
        let (up, path) = (&at.up, self.path(home));
        match self.known_as.get(&id) {
            Some(name) => {
                let name = format_ident!("{}", name);
                quote!(#up #path::ids::#name)
            }
            None => quote!(#up #path::BASE + #n),
        }
    }

    fn pattern(&self, at: &At, id: usize) -> TokenStream {
        let home = self.v.layout.patterns[id];
        let n = lit(self.pattern_local[id]);
        if at.here == Some(home) {
            let own = &at.own;
            return quote!(#own PATTERN_BASE + #n);
        }
        let (up, path) = (&at.up, self.path(home));
        quote!(#up #path::PATTERN_BASE + #n)
    }

    /// The `wire_schema` module of a module's part (for the vendor file's own part, `root`).
    pub(crate) fn part(&self, loc: Loc) -> TokenStream {
        let schema = &self.v.schema;
        let layout = &self.v.layout;
        let at = At { here: Some(loc), up: quote!(super::super::), own: quote!() };
        let types: Vec<TokenStream> = schema
            .types
            .iter()
            .enumerate()
            .filter(|(id, _)| layout.types[*id] == loc)
            .map(|(_, t)| {
                let name = t.name.as_ref();
                let kind = self.kind(&at, &t.kind);
                quote!(t(#name, #kind))
            })
            .collect();
        let patterns: Vec<TokenStream> = schema
            .patterns
            .iter()
            .enumerate()
            .filter(|(id, _)| layout.patterns[*id] == loc)
            .map(|(_, p)| {
                let src = p.source();
                quote!(::flightapi::rt::schema::Pattern::new(#src))
            })
            .collect();
        let profile_rules: Vec<TokenStream> = schema
            .profile_rules
            .iter()
            .filter(|r| layout.types[r.ty] == loc)
            .map(|r| {
                let (ty, field) = (self.ty(&at, r.ty), r.field.as_ref());
                let (required_in, only_in) = (strs(&r.required_in), strs(&r.only_in));
                quote!(::flightapi::rt::schema::ProfileRule {
                    ty: #ty,
                    field: ::std::borrow::Cow::Borrowed(#field),
                    required_in: #required_in,
                    only_in: #only_in,
                })
            })
            .collect();
        let cross_rules: Vec<TokenStream> = schema
            .cross_rules
            .iter()
            .filter(|r| layout.types[r.ty] == loc)
            .map(|r| {
                let (ty, fields) = (self.ty(&at, r.ty), strs(&r.fields));
                let kind = match &r.kind {
                    CrossKind::AtLeastOne => quote!(AtLeastOne),
                    CrossKind::ExactlyOne => quote!(ExactlyOne),
                    CrossKind::Requires { present, absent } => {
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
                quote!(::flightapi::rt::schema::CrossRule {
                    ty: #ty,
                    kind: ::flightapi::rt::schema::CrossKind::#kind,
                    fields: #fields,
                })
            })
            .collect();
        let ids_at = At { here: Some(loc), up: quote!(super::super::super::), own: quote!(super::) };
        let ids = self.exports.get(&loc).into_iter().flatten().map(|(name, id)| {
            let n = format_ident!("{}", name);
            let value = self.ty(&ids_at, *id);
            quote!(pub const #n: ::flightapi::rt::TypeId = #value;)
        });
        let bodies = match loc {
            Loc::Op(i) => {
                let op = &schema.operations[i];
                let (request, response) = (self.ty(&at, op.request), self.ty(&at, op.response));
                let params = match op.path_params {
                    Some(p) => {
                        let p = self.ty(&at, p);
                        quote!(::std::option::Option::Some(#p))
                    }
                    None => quote!(::std::option::Option::None),
                };
                quote! {
                    /// The request body's entry.
                    pub const REQUEST: ::flightapi::rt::TypeId = #request;
                    /// The response body's entry.
                    pub const RESPONSE: ::flightapi::rt::TypeId = #response;
                    /// The path parameters' entry.
                    pub const PATH_PARAMS: ::std::option::Option<::flightapi::rt::TypeId> = #params;
                }
            }
            _ => quote!(),
        };
        let base = self.base_name(loc);
        let (len, pattern_len) = (lit(types.len()), lit(patterns.len()));
        let (profile_len, cross_len) = (lit(profile_rules.len()), lit(cross_rules.len()));
        let name = match loc {
            Loc::Root => format_ident!("root"),
            _ => format_ident!("wire_schema"),
        };
        quote! {
            /// This module's part of the vendor's wire schema (`rt::Schema`): its entries are
            /// numbered from `BASE`, and other modules refer to them by name.
            #[doc(hidden)]
            #[allow(unused_imports, clippy::identity_op)]
            pub mod #name {
                use ::flightapi::rt::schema::build::*;
                use ::flightapi::rt::schema::Kind;

                /// The index of this part's first type in the vendor's table.
                pub const BASE: ::flightapi::rt::TypeId = super::super::schema::base::#base;
                /// The index of this part's first pattern in the vendor's table.
                pub const PATTERN_BASE: usize = super::super::schema::pattern_base::#base;
                /// The number of types in this part.
                pub const LEN: usize = #len;
                /// The number of patterns in this part.
                pub const PATTERN_LEN: usize = #pattern_len;
                /// The types.
                pub static TYPES: [::flightapi::rt::schema::TypeDef; #len] = [#(#types),*];
                /// The patterns, each compiled once on first use.
                pub static PATTERNS: [::flightapi::rt::schema::Pattern; #pattern_len] = [#(#patterns),*];
                /// The profile rules on this part's types.
                pub static PROFILE_RULES: [::flightapi::rt::schema::ProfileRule; #profile_len] = [#(#profile_rules),*];
                /// The cross-field rules on this part's types.
                pub static CROSS_RULES: [::flightapi::rt::schema::CrossRule; #cross_len] = [#(#cross_rules),*];
                #bodies

                /// The entries of the items that check themselves, by name.
                pub mod ids {
                    #(#ids)*
                }
            }
        }
    }

    /// `schema.rs`: the bases of the parts, the vendor file's own part, and the `SCHEMA` static
    /// that reads the parts as one.
    pub(crate) fn emit(&self) -> TokenStream {
        let schema = &self.v.schema;
        let doc = inner_doc(&["The wire schema: every type, field and rule of the spec as data, in one part per \
             module. `rt::Schema::check` interprets it; the generated types' `validate()` and \
             `flightapi validate` both use it."
            .to_owned()]);
        let vendor = schema.vendor.as_ref();
        let mut bases = Vec::new();
        let mut pattern_bases = Vec::new();
        let mut previous: Option<Loc> = None;
        for loc in &self.order {
            let name = self.base_name(*loc);
            let (value, pattern_value) = match previous {
                None => (quote!(0), quote!(0)),
                Some(p) => {
                    let (prev, path) = (self.base_name(p), self.path(p));
                    (quote!(#prev + super::super::#path::LEN), quote!(#prev + super::super::#path::PATTERN_LEN))
                }
            };
            bases.push(quote!(pub const #name: ::flightapi::rt::TypeId = #value;));
            pattern_bases.push(quote!(pub const #name: usize = #pattern_value;));
            previous = Some(*loc);
        }
        let table = |what: TokenStream| {
            let parts = self.order.iter().map(|loc| {
                let path = self.path(*loc);
                quote!(&super::#path::#what)
            });
            quote!(::flightapi::rt::schema::Table::parts(&[#(#parts),*]))
        };
        let (types, patterns) = (table(quote!(TYPES)), table(quote!(PATTERNS)));
        let (profile_rules, cross_rules) = (table(quote!(PROFILE_RULES)), table(quote!(CROSS_RULES)));
        let operations = self.v.operations.iter().enumerate().map(|(i, op)| {
            let name = &op.wire;
            let path = self.path(Loc::Op(i));
            quote!(::flightapi::rt::schema::OperationSchema {
                name: ::std::borrow::Cow::Borrowed(#name),
                request: super::#path::REQUEST,
                response: super::#path::RESPONSE,
                path_params: super::#path::PATH_PARAMS,
            })
        });
        let at = At { here: None, up: quote!(super::), own: quote!() };
        let request_envelope = self.envelope(&at, &schema.request_envelope);
        let response_envelope = self.envelope(&at, &schema.response_envelope);
        let root = self.part(Loc::Root);
        let tokens = quote! {
            #doc

            #[allow(unused_imports)]
            use ::flightapi::rt::schema::build::*;

            /// The index of each module's first type in the vendor's table.
            #[doc(hidden)]
            pub mod base {
                #(#bases)*
            }

            /// The index of each module's first pattern in the vendor's table.
            #[doc(hidden)]
            pub mod pattern_base {
                #(#pattern_bases)*
            }

            #root

            /// The vendor's wire schema.
            #[allow(clippy::identity_op)]
            pub static SCHEMA: ::flightapi::rt::Schema = ::flightapi::rt::Schema {
                vendor: ::std::borrow::Cow::Borrowed(#vendor),
                types: #types,
                patterns: #patterns,
                operations: ::std::borrow::Cow::Borrowed(&[#(#operations),*]),
                profile_rules: #profile_rules,
                cross_rules: #cross_rules,
                request_envelope: #request_envelope,
                response_envelope: #response_envelope,
            };
        };
        tokens
    }

    fn kind(&self, at: &At, kind: &Kind) -> TokenStream {
        match kind {
            Kind::Any => quote!(Kind::Any),
            Kind::Bool => quote!(Kind::Bool),
            Kind::Decimal => quote!(Kind::Decimal),
            Kind::Str { min_len, max_len, pattern, secret } => {
                let pattern = short(pattern.map(|p| self.pattern(at, p)));
                let (min_len, max_len) = (short(*min_len), short(*max_len));
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
                let values = values.iter().map(|s| s.as_ref());
                quote!(en(const { &[#(b(#values)),*] }, #integer, #integer_as_string))
            }
            Kind::Encrypted { plaintext } => {
                let plaintext = self.ty(at, *plaintext);
                quote!(enc(#plaintext))
            }
            Kind::Object { fields } => {
                let fields = fields.iter().map(|f| self.field(at, f));
                quote!(obj(const { &[#(#fields),*] }))
            }
            Kind::Array { items, min_items, max_items } => {
                let (min_items, max_items) = (short(*min_items), short(*max_items));
                let items = self.ty(at, *items);
                quote!(arr(#items, #min_items, #max_items))
            }
            Kind::Map { values } => {
                let values = self.ty(at, *values);
                quote!(map(#values))
            }
            Kind::OneOf { variants, tag_field } => {
                let variants = variants.iter().map(|f| self.field(at, f));
                let tag_field = short(tag_field.as_deref());
                quote!(one(const { &[#(#variants),*] }, #tag_field))
            }
        }
    }

    fn field(&self, at: &At, f: &Field) -> TokenStream {
        let wire = f.wire.as_ref();
        let (ty, required, nullable) = (self.ty(at, f.ty), f.required, f.nullable);
        if f.aliases.is_empty() {
            return quote!(f(#wire, #ty, #required, #nullable));
        }
        let aliases = f.aliases.iter().map(|a| a.as_ref());
        quote!(fa(#wire, const { &[#(b(#aliases)),*] }, #ty, #required, #nullable))
    }

    fn envelope(&self, at: &At, e: &Envelope) -> TokenStream {
        let fields = e.fields.iter().map(|f| self.field(at, f));
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
            fields: ::std::borrow::Cow::Borrowed(const { &[#(#fields),*] }),
            body: #body,
            operation_field: #operation_field,
        })
    }
}

/// The path from the vendor module to a module's part of the schema.
pub(crate) fn part_path(ops: &[OperationIr], loc: Loc) -> TokenStream {
    match loc {
        Loc::Root => quote!(schema::root),
        Loc::Types => quote!(types::wire_schema),
        Loc::Op(i) => {
            let m = format_ident!("{}", ops[i].module);
            quote!(#m::wire_schema)
        }
    }
}

/// The constant an item's entry is exported as: `ORDER_NO` for `OrderNo`.
pub(crate) fn const_name(name: &str) -> String {
    use heck::ToShoutySnakeCase;
    let shouty: String = name
        .trim_end_matches('_')
        .to_shouty_snake_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match shouty.chars().next() {
        Some(c) if !c.is_ascii_digit() => shouty,
        _ => format!("T_{shouty}"),
    }
}

fn strs(l: &[std::borrow::Cow<'static, str>]) -> TokenStream {
    let l = l.iter().map(|s| s.as_ref());
    quote!(::std::borrow::Cow::Borrowed(&[#(::std::borrow::Cow::Borrowed(#l)),*]))
}

/// A type index without a `usize` suffix.
fn lit(id: usize) -> proc_macro2::Literal {
    proc_macro2::Literal::usize_unsuffixed(id)
}

/// `Some(v)` / `None` for the schema module, which sees the prelude and the builders only.
fn short<T: quote::ToTokens>(v: Option<T>) -> TokenStream {
    match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}
