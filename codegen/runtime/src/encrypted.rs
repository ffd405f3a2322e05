//! Fields the wire carries encrypted (a spec's `encrypted` fields): the user handles the typed
//! plaintext; the client seals it with the configured key just before sending.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value sent as base64 AES-CBC ciphertext of its JSON text.
///
/// Build it from the plaintext (`Encrypted::from(passengers)`); the client encrypts it with
/// the vendor's encryption key (see the spec's `cipher`). Serialized unsealed it writes the
/// plaintext, which the schema validates; read from JSON it is `Sealed` when the value is a
/// string and `Plain` otherwise.
#[derive(Clone, PartialEq)]
pub enum Encrypted<T> {
    /// The typed value, not yet encrypted.
    Plain(T),
    /// The ciphertext as sent on the wire.
    Sealed(String),
}

impl<T> Encrypted<T> {
    /// The plaintext, when it has not been sealed.
    pub fn plain(&self) -> Option<&T> {
        match self {
            Encrypted::Plain(t) => Some(t),
            Encrypted::Sealed(_) => None,
        }
    }
}

impl<T> From<T> for Encrypted<T> {
    fn from(value: T) -> Self {
        Encrypted::Plain(value)
    }
}

impl<T: fmt::Debug> fmt::Debug for Encrypted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Encrypted::Plain(t) => f.debug_tuple("Plain").field(t).finish(),
            Encrypted::Sealed(s) => write!(f, "Sealed({} base64 characters)", s.len()),
        }
    }
}

impl<T: Serialize> Serialize for Encrypted<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Encrypted::Plain(t) => t.serialize(s),
            Encrypted::Sealed(c) => s.serialize_str(c),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Encrypted<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Encrypted::Sealed(s)),
            other => serde_json::from_value(other).map(Encrypted::Plain).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_either_form_and_writes_what_it_holds() {
        let plain: Encrypted<Vec<u8>> = serde_json::from_str("[1,2]").unwrap();
        assert_eq!(plain, Encrypted::Plain(vec![1, 2]));
        assert_eq!(serde_json::to_string(&plain).unwrap(), "[1,2]");
        let sealed: Encrypted<Vec<u8>> = serde_json::from_str("\"abcd\"").unwrap();
        assert_eq!(sealed, Encrypted::Sealed("abcd".into()));
        assert_eq!(format!("{sealed:?}"), "Sealed(4 base64 characters)");
        assert!(serde_json::from_str::<Encrypted<Vec<u8>>>("{}").is_err());
    }
}
