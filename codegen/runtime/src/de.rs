//! Helpers for the `Deserialize` impls generated for response types: they read known fields
//! one by one and keep unknown ones, without buffering the whole object first (which is what
//! `#[serde(flatten)]` does).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// An object key, borrowed from the input when the input allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'de>(pub Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string (for the unknown fields kept in `extra`).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A field read twice in one object.
pub fn duplicate<E: de::Error>(field: &'static str) -> E {
    E::duplicate_field(field)
}

/// Reads the value of the key just read into `slot`: a field read twice in one object is an
/// error, as serde's derive makes it.
pub fn field<'de, A: de::MapAccess<'de>, T: de::Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(duplicate(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A required field that is absent.
pub fn missing<T, E: de::Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn keys_borrow_from_the_input_when_they_can() {
        let k: Key = serde_json::from_str("\"plain\"").unwrap();
        assert!(matches!(k.0, std::borrow::Cow::Borrowed("plain")));
        let k: Key = serde_json::from_str("\"esc\\u0061ped\"").unwrap();
        assert_eq!(k.as_str(), "escaped");
    }
}
