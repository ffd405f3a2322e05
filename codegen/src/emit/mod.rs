//! Stage 3, emit: IR → token streams, one module per output file.
//!
//! Templates stay thin: generated code declares types and data and calls `::flightapi::rt`
//! for every behaviour. Paths are fully qualified (`::std::string::String`), and references
//! between generated modules are relative (`super::types::X`), so the output compiles inside
//! `flightapi`, in a build script's `OUT_DIR`, or in a test crate.

mod items;
mod operation;
mod schema;
mod vendor;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::lower::{FormatRef, Ir, Loc, OperationIr, RustTy};
use crate::names::ident;

/// One generated module: its own tokens and its child modules.
pub struct Module<'a> {
    /// Module name (the root's is unused).
    pub name: String,
    /// Attributes on the `mod` declaration (`#[cfg(feature = "<vendor>")]`).
    pub attrs: TokenStream,
    /// The module's contents.
    pub body: Body<'a>,
    /// Child modules.
    pub children: Vec<Module<'a>>,
}

/// A module's contents: built already, or built by the worker that formats its file (the
/// operation modules, the schema and the named types: the bulk of a large spec).
pub enum Body<'a> {
    /// Built.
    Ready(TokenStream),
    /// Built on demand, on any thread.
    Deferred(Box<dyn Fn() -> TokenStream + Send + Sync + 'a>),
}

impl Body<'_> {
    /// The module's tokens.
    pub fn tokens(&self) -> TokenStream {
        match self {
            Body::Ready(t) => t.clone(),
            Body::Deferred(make) => make(),
        }
    }
}

impl std::fmt::Debug for Module<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let children: Vec<&str> = self.children.iter().map(|c| c.name.as_str()).collect();
        f.debug_struct("Module").field("name", &self.name).field("children", &children).finish_non_exhaustive()
    }
}

/// Emission options.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Gate each vendor module behind a cargo feature named after it.
    pub feature_gates: bool,
}

/// Emits the root module (`gen`) and one module tree per vendor.
pub fn emit(ir: &Ir, options: Options) -> Module<'_> {
    let mut children = Vec::new();
    let mut pushes = Vec::new();
    for v in &ir.vendors {
        let m = format_ident!("{}", v.module);
        let feature = &v.name;
        let gate = if options.feature_gates { quote!(#[cfg(feature = #feature)]) } else { quote!() };
        pushes.push(quote! { #gate list.push(&self::#m::VENDOR); });
        let client_gate = if options.feature_gates { quote!(#[cfg(feature = "client")]) } else { quote!() };
        children.push(vendor::emit(v, gate, client_gate));
    }
    let tokens = quote! {
        /// Every generated vendor that is compiled in.
        #[allow(clippy::vec_init_then_push)]
        pub fn vendors() -> ::std::vec::Vec<&'static ::flightapi::rt::Vendor> {
            #[allow(unused_mut)]
            let mut list: ::std::vec::Vec<&'static ::flightapi::rt::Vendor> = ::std::vec::Vec::new();
            #(#pushes)*
            list
        }
    };
    Module { name: "gen".to_owned(), attrs: quote!(), body: Body::Ready(tokens), children }
}

/// Spec prose made safe for rustdoc's Markdown: brackets and angle brackets are escaped, so
/// `[INFERRED]` is not an intra-doc link and `<operation>` is not an HTML tag. Code spans
/// (`` `[A-Z]{3}` ``) are left as they are: Markdown does not read links or tags inside them,
/// and a backslash there would show. The IR keeps doc text raw; this is the one place it is
/// escaped.
pub fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.trim().chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && matches!(c, '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    if in_code {
        // An unclosed backtick is not a code span: escape the text after it after all.
        let open = out.rfind('`').unwrap_or(0);
        let (head, tail) = out.split_at(open);
        let mut fixed = head.to_owned();
        for c in tail.chars() {
            if matches!(c, '[' | ']' | '<' | '>') {
                fixed.push('\\');
            }
            fixed.push(c);
        }
        return fixed;
    }
    out
}

/// `#[doc]` lines of doc text from the IR (spec prose, raw): escaped with [`prose`].
pub(crate) fn spec_doc(lines: &[String]) -> TokenStream {
    let escaped: Vec<String> = lines.iter().map(|l| prose(l)).collect();
    doc(&escaped)
}

/// `#[doc = "..."]` lines.
pub(crate) fn doc(lines: &[String]) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.extend(quote!(#[doc = ""]));
        }
        for l in line.lines() {
            let l = format!(" {}", l.trim_end());
            out.extend(quote!(#[doc = #l]));
        }
    }
    out
}

/// `#![doc = "..."]` lines.
pub(crate) fn inner_doc(lines: &[String]) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.extend(quote!(#![doc = ""]));
        }
        for l in line.lines() {
            let l = format!(" {}", l.trim_end());
            out.extend(quote!(#![doc = #l]));
        }
    }
    out
}

/// Paths between the modules of one vendor.
pub(crate) struct Scope<'a> {
    /// The module being emitted.
    pub here: Loc,
    /// The vendor's operations (for module names).
    pub ops: &'a [OperationIr],
}

impl Scope<'_> {
    fn module_of(&self, loc: Loc) -> TokenStream {
        match loc {
            Loc::Root => quote!(),
            Loc::Types => quote!(types::),
            Loc::Op(i) => {
                let m = format_ident!("{}", self.ops[i].module);
                quote!(#m::)
            }
        }
    }

    /// The path prefix to the vendor root.
    pub fn root(&self) -> TokenStream {
        match self.here {
            Loc::Root => quote!(self::),
            _ => quote!(super::),
        }
    }

    /// A path to item `name` declared at `loc`.
    pub fn item(&self, loc: Loc, name: &str) -> TokenStream {
        let n = ident(name);
        if loc == self.here {
            return quote!(self::#n);
        }
        let root = self.root();
        let module = self.module_of(loc);
        quote!(#root #module #n)
    }

    /// The vendor's schema static.
    pub fn schema(&self) -> TokenStream {
        let root = self.root();
        quote!(#root schema::SCHEMA)
    }

    /// The named index of this module's item `name` in its module's part of the schema
    /// (`wire_schema::ids::ORDER_NO`).
    pub fn schema_id(&self, name: &str) -> TokenStream {
        let root = self.root();
        let path = schema::part_path(self.ops, self.here);
        let id = format_ident!("{}", schema::const_name(name));
        quote!(#root #path::ids::#id)
    }

    /// A Rust type.
    pub fn ty(&self, ty: &RustTy) -> TokenStream {
        match ty {
            RustTy::String => quote!(::std::string::String),
            RustTy::I64 => quote!(i64),
            RustTy::LooseI64 => quote!(::flightapi::rt::LooseInt),
            RustTy::Number => quote!(::flightapi::rt::serde_json::Number),
            RustTy::Bool => quote!(bool),
            RustTy::Decimal => quote!(::flightapi::rt::rust_decimal::Decimal),
            RustTy::Date(f) => {
                let f = self.format(f);
                quote!(::flightapi::rt::LocalDate<#f>)
            }
            RustTy::DateTime(f) => {
                let f = self.format(f);
                quote!(::flightapi::rt::LocalDateTime<#f>)
            }
            RustTy::Any => quote!(::flightapi::rt::serde_json::Value),
            RustTy::Vec(t) => {
                let t = self.ty(t);
                quote!(::std::vec::Vec<#t>)
            }
            RustTy::Map(t) => {
                let t = self.ty(t);
                quote!(::std::collections::BTreeMap<::std::string::String, #t>)
            }
            RustTy::Secret(t) => {
                let t = self.ty(t);
                quote!(::flightapi::rt::Secret<#t>)
            }
            RustTy::Boxed(t) => {
                let t = self.ty(t);
                quote!(::std::boxed::Box<#t>)
            }
            RustTy::Encrypted(t) => {
                let t = self.ty(t);
                quote!(::flightapi::rt::Encrypted<#t>)
            }
            RustTy::RawObject => quote!(::flightapi::rt::RawObject),
            RustTy::Named(loc, name) => self.item(*loc, name),
        }
    }

    fn format(&self, f: &FormatRef) -> TokenStream {
        match f {
            FormatRef::Runtime(name) => {
                let n = format_ident!("{}", name);
                quote!(::flightapi::rt::#n)
            }
            FormatRef::Vendor(name) => self.item(Loc::Root, name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::prose;

    #[test]
    fn spec_prose_cannot_make_links_or_tags() {
        assert_eq!(prose(" the pattern is [INFERRED] "), "the pattern is \\[INFERRED\\]");
        assert_eq!(prose("POST /api/new/<operation>.do"), "POST /api/new/\\<operation\\>.do");
        assert_eq!(prose("plain `code` stays"), "plain `code` stays");
        assert_eq!(prose("pattern `^[A-Z]{3}$` or [x]"), "pattern `^[A-Z]{3}$` or \\[x\\]");
        assert_eq!(prose("an open ` and [x]"), "an open ` and \\[x\\]");
    }
}
