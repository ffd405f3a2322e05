//! Every Rust name is decided here, once: wire names in, valid and unsurprising identifiers out.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

const STRICT_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct",
    "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen",
    "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

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
    if NOT_RAW.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A type or variant name: `passengers` → `Passengers`, `Self` → `Self_`, `0` → `V0`.
pub fn type_name(wire: &str) -> String {
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

/// A module name: `refundRequest` → `refund_request`.
pub fn module(wire: &str) -> String {
    field(wire)
}

/// The identifier for a name decided above (raw when it is a keyword).
pub fn ident(name: &str) -> Ident {
    if STRICT_KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
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
            ("Result", "Result"),
            ("Self", "Self_"),
            ("self", "Self_"),
            ("0", "V0"),
            ("airportcode", "Airportcode"),
            ("ticketNo/ticketNoUpdate", "TicketNoTicketNoUpdate"),
            ("F", "F"),
        ] {
            assert_eq!(type_name(wire), rust, "{wire}");
        }
    }
}
