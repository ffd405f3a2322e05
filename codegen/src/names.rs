//! Every Rust name is decided here, once: wire names in, valid and unsurprising identifiers out.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const STRICT_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Prelude names a generated type must not take: derive macros (serde's, bon's) expand to
/// code that names them unqualified, and a same-named type in scope breaks that code.
const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "ToString",
    "ToOwned",
    "Into",
    "From",
    "Iterator",
    "IntoIterator",
    "Extend",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "AsRef",
    "AsMut",
    "Debug",
    "Display",
    "Formatter",
    "Deserialize",
    "Deserializer",
    "Serialize",
    "Serializer",
];

/// Field names taken by the generated builders' own methods.
const BUILDER_METHODS: &[&str] = &["build"];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Keeps ASCII letters, digits and underscores; everything else separates words.
fn words(wire: &str) -> String {
    wire.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// A field name: `tktOrderNo` → `tkt_order_no`, `type` → `r#type`, `self` → `self_`,
/// `accountCurency'` → `account_curency`, `1st` → `_1st`.
pub fn field(wire: &str) -> String {
    let mut s = words(wire).to_snake_case();
    if s.is_empty() {
        s = "field".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if NOT_RAW.contains(&s.as_str()) || BUILDER_METHODS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A type name: like [`variant`], and prelude names get a trailing `_` (`Option` → `Option_`).
pub fn type_name(wire: &str) -> String {
    let mut s = variant(wire);
    if PRELUDE.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A type name with a suffix: `Self_` + `Inbound` → `SelfInbound`.
pub fn suffixed(name: &str, suffix: &str) -> String {
    format!("{}{suffix}", name.trim_end_matches('_'))
}

/// A variant name: `passengers` → `Passengers`, `Self` → `Self_`, `0` → `V0`.
pub fn variant(wire: &str) -> String {
    let mut s = words(wire).to_upper_camel_case();
    if s.is_empty() {
        s = "Value".to_owned();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// Checks a Rust name written in the spec (`rust_name`, `type_name`, an enum value's `name`):
/// `snake` for fields, UpperCamelCase otherwise. Returns why it is not usable.
pub fn check_spec_name(name: &str, snake: bool) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = match chars.next() {
        Some(c) if snake => c.is_ascii_lowercase() || c == '_',
        Some(c) => c.is_ascii_uppercase(),
        None => false,
    };
    let rest_ok = chars.all(|c| {
        if snake {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
        } else {
            c.is_ascii_alphanumeric()
        }
    });
    if !first_ok || !rest_ok || name == "_" {
        let want = if snake { "a snake_case identifier" } else { "an UpperCamelCase identifier" };
        return Err(format!("`{name}` is not {want}"));
    }
    if NOT_RAW.contains(&name) || (snake && BUILDER_METHODS.contains(&name)) || (!snake && PRELUDE.contains(&name)) {
        return Err(format!("`{name}` is reserved in generated code"));
    }
    Ok(())
}

/// A module name: `refundRequest` → `refund_request`, `type` → `type_` (also the file name).
pub fn module(wire: &str) -> String {
    let mut s = field(wire);
    if STRICT_KEYWORDS.contains(&s.as_str()) || matches!(s.as_str(), "types" | "schema" | "client") {
        s.push('_');
    }
    s
}

/// The identifier for a name decided above (raw when it is a keyword).
pub fn ident(name: &str) -> Ident {
    if STRICT_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The candidate closest to `word` by edit distance, if it is close.
pub fn closest<'k>(word: &str, candidates: &[&'k str]) -> Option<&'k str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                cur.push((prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1));
            }
            prev = cur;
        }
        prev[b.len()]
    }
    candidates.iter().map(|c| (distance(word, c), *c)).filter(|(d, c)| *d <= 2.max(c.len() / 3)).min().map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        for (wire, rust) in [
            ("tktOrderNo", "tkt_order_no"),
            ("type", "type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("accountCurency'", "account_curency"),
            ("x-trace-id", "x_trace_id"),
            ("RBD", "rbd"),
            ("@type", "type"),
            ("1st", "_1st"),
            ("'", "field"),
            ("FormOfPaymentRef", "form_of_payment_ref"),
        ] {
            assert_eq!(field(wire), rust, "{wire}");
        }
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self_").to_string(), "self_");
    }

    #[test]
    fn types() {
        for (wire, rust) in [
            ("passengers", "Passengers"),
            ("Result", "Result_"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("0", "V0"),
            ("airportcode", "Airportcode"),
            ("ticketNo/ticketNoUpdate", "TicketNoTicketNoUpdate"),
            ("F", "F"),
            ("Option", "Option_"),
            ("String", "String_"),
        ] {
            assert_eq!(type_name(wire), rust, "{wire}");
        }
        assert_eq!(variant("None"), "None");
        assert_eq!(variant("Self"), "Self_");
        assert_eq!(suffixed("Self_", "Inbound"), "SelfInbound");
        assert_eq!(field("build"), "build_");
        assert!(check_spec_name("PaxName", false).is_ok());
        assert!(check_spec_name("pax_name", true).is_ok());
        for (bad, snake) in
            [("Pax Name", false), ("paxName", true), ("self", true), ("Option", false), ("", false), ("9a", true)]
        {
            assert!(check_spec_name(bad, snake).is_err(), "{bad}");
        }
    }
}
