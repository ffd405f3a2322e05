//! Money and other exact decimals: `rust_decimal::Decimal`, read from a JSON number or a string.
//!
//! Generated fields choose how they are written with `#[serde(with = ...)]`: [`string`] or
//! [`number`] (and `opt_string` / `opt_number` for optional fields). Both accept either form
//! on input, because the vendors' docs show both. A number read as `13320.00` is written back
//! as a JSON float, an integer as a JSON integer, so values round-trip.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

/// Parses a decimal string (`"100.00"`, `"-3"`, `" 4.5 "`); `None` if it is not one.
pub fn parse(s: &str) -> Option<Decimal> {
    let s = s.trim();
    Decimal::from_str(s).or_else(|_| Decimal::from_scientific(s)).ok()
}

/// The decimal a JSON number stands for; `None` if it has no exact decimal (out of range).
/// The schema validator and the serde visitor below both use this, so they agree.
pub fn from_number(n: &serde_json::Number) -> Option<Decimal> {
    if let Some(i) = n.as_i64() {
        return Some(Decimal::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(Decimal::from(u));
    }
    n.as_f64().and_then(from_f64)
}

fn from_f64(v: f64) -> Option<Decimal> {
    // `{:?}` prints the shortest text that reads back as the same f64, with a `.0` on whole
    // numbers, so 146.52 stays 146.52 and 13320.00 keeps a fractional scale.
    parse(&format!("{v:?}"))
}

/// Why a number is refused although it is one.
pub(crate) fn out_of_range(v: &str) -> String {
    let shown: String = v.chars().take(40).collect();
    format!("the number {shown} is out of the range of an exact decimal (at most 28 significant digits, less than 7.9e28 in magnitude)")
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number or a numeric string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        from_f64(v).ok_or_else(|| E::custom(out_of_range(&format!("{v}"))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        match parse(v) {
            Some(d) => Ok(d),
            // A number, but not one a decimal holds.
            None if v.trim().parse::<f64>().is_ok_and(f64::is_finite) => Err(E::custom(out_of_range(v))),
            None => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

fn deserialize_any<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    d.deserialize_any(DecimalVisitor)
}

/// Writes a JSON number: an integer when the scale is 0, else the f64 that reads back as the
/// same decimal. A value no JSON number holds exactly is an error, never a rounded amount.
fn serialize_number<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    if value.scale() == 0 {
        if let Some(i) = value.to_i64() {
            return s.serialize_i64(i);
        }
        if let Some(u) = value.to_u64() {
            return s.serialize_u64(u);
        }
    }
    match value.to_f64() {
        Some(f) if from_f64(f) == Some(*value) => s.serialize_f64(f),
        _ => Err(serde::ser::Error::custom(format_args!(
            "{value} cannot be written exactly as a JSON number (declare the field `wire: string`)"
        ))),
    }
}

/// Written as a JSON string (`"100.00"`).
pub mod string {
    use super::*;

    /// Serializes as a string.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    /// Reads a number or a string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        deserialize_any(d)
    }
}

/// Written as a JSON number (`146.52`).
pub mod number {
    use super::*;

    /// Serializes as a number.
    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        serialize_number(value, s)
    }

    /// Reads a number or a string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        deserialize_any(d)
    }
}

struct OptVisitor;

impl<'de> Visitor<'de> for OptVisitor {
    type Value = Option<Decimal>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number, a numeric string or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        deserialize_any(d).map(Some)
    }
}

/// Optional, written as a JSON string.
pub mod opt_string {
    use super::*;

    /// Serializes as a string (the field is skipped when `None`).
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    /// Reads a number, a string or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(OptVisitor)
    }
}

/// Optional, written as a JSON number.
pub mod opt_number {
    use super::*;

    /// Serializes as a number (the field is skipped when `None`).
    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serialize_number(v, s),
            None => s.serialize_none(),
        }
    }

    /// Reads a number, a string or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        d.deserialize_option(OptVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};
    use serde_json::{json, Value};

    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Money {
        #[serde(with = "super::number")]
        n: Decimal,
        #[serde(with = "super::string")]
        s: Decimal,
        #[serde(with = "super::opt_number", default, skip_serializing_if = "Option::is_none")]
        o: Option<Decimal>,
    }

    #[test]
    fn numbers_beyond_a_decimal_say_so() {
        for input in [json!({"n": 1e30, "s": "1"}), json!({"n": 1, "s": "123456789012345678901234567890123"})] {
            let err = serde_json::from_value::<Money>(input).err().unwrap().to_string();
            assert!(err.contains("out of the range of an exact decimal"), "{err}");
        }
        let err = serde_json::from_value::<Money>(json!({"n": 1, "s": "12a"})).err().unwrap().to_string();
        assert!(err.contains("expected a decimal number"), "{err}");
    }

    #[test]
    fn number_or_string_in_and_the_declared_form_out() {
        for input in [
            json!({"n": 146.52, "s": "100.00"}),
            json!({"n": 13320.00, "s": "0.00", "o": 7}),
            json!({"n": 200, "s": "59805.02", "o": 4.07}),
        ] {
            let m: Money = serde_json::from_value(input.clone()).unwrap();
            assert_eq!(serde_json::to_value(&m).unwrap(), input);
        }
        let m: Money = serde_json::from_value(json!({"n": "146.52", "s": 3.5})).unwrap();
        assert_eq!(m.n, Decimal::new(14652, 2));
        assert_eq!(serde_json::to_value(&m).unwrap(), json!({"n": 146.52, "s": "3.5"}));
    }

    #[test]
    fn numbers_are_never_rounded_on_the_way_out() {
        let m = Money { n: Decimal::from(u64::MAX), s: Decimal::ONE, o: None };
        assert_eq!(serde_json::to_value(&m).unwrap()["n"], json!(u64::MAX));
        let m = Money { n: "0.1000000000000000000000000001".parse().unwrap(), s: Decimal::ONE, o: None };
        let err = serde_json::to_value(&m).unwrap_err().to_string();
        assert!(err.contains("cannot be written exactly"), "{err}");
    }

    #[test]
    fn garbage_is_a_type_error() {
        let err = serde_json::from_value::<Money>(json!({"n": "abc", "s": "1"})).err().unwrap();
        assert!(err.to_string().contains("decimal"), "{err}");
        assert!(serde_json::from_value::<Money>(json!({"n": true, "s": "1"})).is_err());
        let _: Value = Value::Null;
    }
}
