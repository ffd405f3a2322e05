//! Serde for generated one-of enums: written wrapped (`{"FormOfPaymentCash": {...}}`), read
//! wrapped or, when the spec names a tag field, flat (`{"@type": "FormOfPaymentCash", ...}`).

use serde::de::{Deserialize, Deserializer, Error};
use serde_json::Value;

/// Implemented by every generated one-of enum.
pub trait OneOf: Sized {
    /// The alternatives' wrapping keys, in spec order.
    const VARIANTS: &'static [&'static str];
    /// The key that names the alternative in the flat form, if that form is read.
    const TAG_FIELD: Option<&'static str>;
    /// Builds the alternative `name` from its payload.
    fn from_variant(name: &str, payload: Value) -> Result<Self, serde_json::Error>;
    /// A value naming no known alternative: `Some` only for response-side enums, which keep it.
    fn unknown(value: Value) -> Option<Self>;
}

/// Deserializes a generated one-of enum.
pub fn deserialize<'de, T: OneOf, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    let value = Value::deserialize(d)?;
    match super::schema::one_of_variant(T::VARIANTS, T::TAG_FIELD, value) {
        Ok((name, payload)) => {
            T::from_variant(name, payload).map_err(|e| D::Error::custom(format_args!("{name}: {e}")))
        }
        Err(other) => T::unknown(other).ok_or_else(|| {
            let wrapped: Vec<String> = T::VARIANTS.iter().map(|v| format!("{{\"{v}\": ...}}")).collect();
            D::Error::custom(format_args!("expected one of {}", wrapped.join(", ")))
        }),
    }
}
