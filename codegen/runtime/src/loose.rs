//! [`LooseInt`]: an integer field whose vendor sometimes sends the number as a string.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// An `i64` read from a JSON integer or from a string holding one (`1685116516` or
/// `"1685116516"`), always written as a JSON integer. Generated for `integer` fields marked
/// `integer_as_string` in the spec, where the docs send both forms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LooseInt(pub i64);

impl From<i64> for LooseInt {
    fn from(n: i64) -> Self {
        LooseInt(n)
    }
}

impl From<LooseInt> for i64 {
    fn from(n: LooseInt) -> Self {
        n.0
    }
}

impl std::ops::Deref for LooseInt {
    type Target = i64;
    fn deref(&self) -> &i64 {
        &self.0
    }
}

impl fmt::Display for LooseInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for LooseInt {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for LooseInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LooseInt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, or a string holding one")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<LooseInt, E> {
                Ok(LooseInt(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<LooseInt, E> {
                i64::try_from(n).map(LooseInt).map_err(|_| E::custom(format_args!("{n} is too large")))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<LooseInt, E> {
                s.trim().parse().map(LooseInt).map_err(|_| E::custom(format_args!("{s:?} is not an integer")))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::LooseInt;

    #[test]
    fn reads_both_forms_and_writes_a_number() {
        let a: LooseInt = serde_json::from_str("1685116516").unwrap();
        let b: LooseInt = serde_json::from_str("\"1685116516\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(serde_json::to_string(&b).unwrap(), "1685116516");
        assert!(serde_json::from_str::<LooseInt>("\"12a\"").is_err());
        assert!(serde_json::from_str::<LooseInt>("1.5").is_err());
    }
}
