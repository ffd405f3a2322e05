//! Serde for generated enums: wire values are strings or integers; response enums keep
//! values they do not know.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

/// Implemented by every generated enum.
pub trait WireEnum: Sized {
    /// The documented wire values, in spec order.
    const VALUES: &'static [&'static str];
    /// Wire values are JSON integers rather than strings.
    const INTEGER: bool;
    /// Integer values are also read from strings holding the number (written as integers).
    const INTEGER_AS_STRING: bool = false;
    /// The variant for a documented wire value.
    fn from_wire(wire: &str) -> Option<Self>;
    /// The variant for an undocumented value: `Some` only for response enums.
    fn unknown(wire: String) -> Option<Self>;
    /// The wire value.
    fn as_wire(&self) -> &str;
}

/// Serializes a generated enum.
pub fn serialize<T: WireEnum, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    let wire = value.as_wire();
    if T::INTEGER {
        if let Ok(n) = wire.parse::<i64>() {
            return s.serialize_i64(n);
        }
        match wire.parse::<u64>() {
            Ok(n) => s.serialize_u64(n),
            Err(_) => Err(serde::ser::Error::custom(format_args!("{wire:?} is not an integer enum value"))),
        }
    } else {
        s.serialize_str(wire)
    }
}

/// Deserializes a generated enum.
pub fn deserialize<'de, T: WireEnum, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<T: WireEnum> V<T> {
        fn finish<E: de::Error>(wire: String) -> Result<T, E> {
            if let Some(v) = T::from_wire(&wire) {
                return Ok(v);
            }
            T::unknown(wire.clone()).ok_or_else(|| E::unknown_variant(&wire, T::VALUES))
        }
    }
    impl<'de, T: WireEnum> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "one of {}", T::VALUES.join(", "))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            let integer_text = v.parse::<i64>().is_ok() || v.parse::<u64>().is_ok();
            if T::INTEGER && !(T::INTEGER_AS_STRING && integer_text) {
                return Err(E::invalid_type(de::Unexpected::Str(v), &"an integer"));
            }
            Self::finish(v.to_owned())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            if !T::INTEGER {
                return Err(E::invalid_type(de::Unexpected::Signed(v), &"a string"));
            }
            Self::finish(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            if !T::INTEGER {
                return Err(E::invalid_type(de::Unexpected::Unsigned(v), &"a string"));
            }
            Self::finish(v.to_string())
        }
    }
    d.deserialize_any(V(std::marker::PhantomData))
}

/// Implements `Display`, `Serialize` and `Deserialize` for a generated enum through its
/// [`WireEnum`] impl, so generated code only declares the variants and their wire values.
#[macro_export]
macro_rules! wire_enum {
    ($name:ident) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::WireEnum::as_wire(self))
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::enums::serialize(self, s)
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::enums::deserialize(d)
            }
        }
    };
}
