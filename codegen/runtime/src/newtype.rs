//! Validated string newtypes.
//!
//! Generated code declares `pub struct Name(String);` with a private field and invokes
//! [`validated_string!`](crate::validated_string) for the impls: the only ways in are
//! `FromStr`, `TryFrom<&str>`, `TryFrom<String>` and `Deserialize`, and all of them run the
//! schema's rule for the type. Read access by `Deref<Target = str>`, `AsRef<str>`, `as_str`.

use super::schema::{Schema, TypeId};
use super::violation::Violation;

/// The error of a validated constructor: the value broke the type's rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {type_name}: {message}")]
pub struct InvalidValue {
    /// The Rust type that refused the value.
    pub type_name: &'static str,
    /// Why (never quotes a secret).
    pub message: String,
}

/// The name under which values whose type proved their rule at construction (validated
/// strings, dates) serialize themselves, as a newtype struct: every serializer writes the
/// inner value as is, and [`Validate::validate`](crate::Validate::validate) (which checks a
/// value while it serializes) skips what the type already proved instead of writing it out
/// and checking it again.
#[doc(hidden)]
pub const CHECKED: &str = "$flightapi::checked";

/// Runs the rule of `ty` on `s`.
pub fn check(schema: &Schema, ty: TypeId, type_name: &'static str, s: &str) -> Result<(), InvalidValue> {
    schema.check_str(ty, s).map_err(|Violation { message, .. }| InvalidValue { type_name, message })
}

/// Implements the constructors and accessors of a validated string newtype.
///
/// `$schema` is the vendor's static schema and `$ty` the type's index in it.
#[macro_export]
macro_rules! validated_string {
    ($name:ident, $schema:expr, $ty:expr) => {
        impl $name {
            /// The string value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Unwraps the string.
            pub fn into_string(self) -> ::std::string::String {
                self.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::InvalidValue;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::newtype::check(&$schema, $ty, ::std::stringify!($name), s)?;
                ::std::result::Result::Ok($name(::std::borrow::ToOwned::to_owned(s)))
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::InvalidValue;
            fn try_from(s: &str) -> ::std::result::Result<Self, Self::Error> {
                ::std::str::FromStr::from_str(s)
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for $name {
            type Error = $crate::InvalidValue;
            fn try_from(s: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                $crate::newtype::check(&$schema, $ty, ::std::stringify!($name), &s)?;
                ::std::result::Result::Ok($name(s))
            }
        }

        impl ::std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_newtype_struct($crate::newtype::CHECKED, self.0.as_str())
            }
        }

        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as $crate::serde::Deserialize>::deserialize(d)?;
                ::std::convert::TryFrom::try_from(s).map_err($crate::serde::de::Error::custom)
            }
        }
    };
}
