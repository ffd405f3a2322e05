//! Dates and local date-times in a vendor's own text format.
//!
//! The format is a type parameter (a [`Format`] marker), so `Option<LocalDateTime<F>>` and
//! `Vec<LocalDate<F>>` work with plain serde derives and the format is decided once, in the spec.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// A `chrono` format string, as a type.
pub trait Format {
    /// The format, e.g. `%Y-%m-%dT%H:%M`.
    const FORMAT: &'static str;
}

/// `%Y-%m-%d` (`2024-10-21`).
#[derive(Debug, Clone, Copy)]
pub enum IsoDate {}
impl Format for IsoDate {
    const FORMAT: &'static str = "%Y-%m-%d";
}

/// `%Y-%m-%dT%H:%M` (`2022-10-21T21:23`).
#[derive(Debug, Clone, Copy)]
pub enum IsoMinutes {}
impl Format for IsoMinutes {
    const FORMAT: &'static str = "%Y-%m-%dT%H:%M";
}

/// `%Y-%m-%dT%H:%M:%S` (`2022-10-21T21:23:05`).
#[derive(Debug, Clone, Copy)]
pub enum IsoSeconds {}
impl Format for IsoSeconds {
    const FORMAT: &'static str = "%Y-%m-%dT%H:%M:%S";
}

/// Date types that parse from and format to text.
pub trait Formatted: Sized {
    /// Parses `text` leniently (chrono's rules).
    fn parse_with(text: &str, format: &str) -> Result<Self, chrono::ParseError>;
    /// Formats the value.
    fn format_with(&self, format: &str) -> String;
}

impl Formatted for NaiveDate {
    fn parse_with(text: &str, format: &str) -> Result<Self, chrono::ParseError> {
        NaiveDate::parse_from_str(text, format)
    }
    fn format_with(&self, format: &str) -> String {
        self.format(format).to_string()
    }
}

impl Formatted for NaiveDateTime {
    fn parse_with(text: &str, format: &str) -> Result<Self, chrono::ParseError> {
        NaiveDateTime::parse_from_str(text, format)
    }
    fn format_with(&self, format: &str) -> String {
        self.format(format).to_string()
    }
}

/// Parses `text` in `format` and insists it reads back the same (no missing zero padding,
/// no stray spaces), as the vendors' `^\d{4}-\d{2}-\d{2}$`-style patterns demand.
pub fn parse_exact<T: Formatted>(text: &str, format: &str) -> Result<T, String> {
    let value = T::parse_with(text, format).map_err(|e| e.to_string())?;
    let canonical = value.format_with(format);
    if canonical == text {
        Ok(value)
    } else {
        Err(format!("expected {canonical:?}"))
    }
}

macro_rules! formatted {
    ($(#[$doc:meta])* $name:ident, $inner:ty, $what:literal) => {
        $(#[$doc])*
        pub struct $name<F> {
            value: $inner,
            format: PhantomData<fn() -> F>,
        }

        impl<F: Format> $name<F> {
            /// Wraps a value; it is written in the format `F`.
            pub fn new(value: $inner) -> Self {
                $name { value, format: PhantomData }
            }

            /// The value.
            pub fn get(&self) -> $inner {
                self.value
            }

            /// Parses text in the format `F`, exactly: `1981-7-21` is not `%Y-%m-%d`.
            pub fn parse(text: &str) -> Result<Self, String> {
                parse_exact::<$inner>(text, F::FORMAT).map(Self::new)
            }
        }

        impl<F: Format> std::str::FromStr for $name<F> {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, String> {
                Self::parse(text)
            }
        }

        impl<F: Format> From<$inner> for $name<F> {
            fn from(value: $inner) -> Self {
                Self::new(value)
            }
        }

        impl<F> std::ops::Deref for $name<F> {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.value
            }
        }

        impl<F> Clone for $name<F> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<F> Copy for $name<F> {}
        impl<F> PartialEq for $name<F> {
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value
            }
        }
        impl<F> Eq for $name<F> {}
        impl<F> PartialOrd for $name<F> {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }
        impl<F> Ord for $name<F> {
            fn cmp(&self, other: &Self) -> Ordering {
                self.value.cmp(&other.value)
            }
        }
        impl<F> Hash for $name<F> {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.value.hash(state)
            }
        }

        impl<F: Format> fmt::Display for $name<F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.value.format(F::FORMAT))
            }
        }

        impl<F: Format> fmt::Debug for $name<F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.value.format(F::FORMAT))
            }
        }

        impl<F: Format> Serialize for $name<F> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&self.value.format(F::FORMAT))
            }
        }

        impl<'de, F: Format> Deserialize<'de> for $name<F> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&text).map_err(|e| {
                    de::Error::custom(format_args!("{:?} is not a {} in the format {}: {e}", text, $what, F::FORMAT))
                })
            }
        }
    };
}

formatted!(
    /// A calendar date written in the format `F`.
    LocalDate,
    NaiveDate,
    "date"
);
formatted!(
    /// A date and time without offset (airport local time) written in the format `F`.
    LocalDateTime,
    NaiveDateTime,
    "local date-time"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_its_format_and_rejects_others() {
        let t: LocalDateTime<IsoMinutes> = serde_json::from_str("\"2022-10-21T21:23\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2022-10-21T21:23\"");
        let err = serde_json::from_str::<LocalDateTime<IsoMinutes>>("\"2022-10-21 21:23\"").unwrap_err();
        assert!(serde_json::from_str::<LocalDate<IsoDate>>("\"1981-7-21\"").is_err());
        assert!(err.to_string().contains("%Y-%m-%dT%H:%M"), "{err}");
        let d: LocalDate<IsoDate> = serde_json::from_str("\"1981-07-21\"").unwrap();
        assert_eq!(d.get(), NaiveDate::from_ymd_opt(1981, 7, 21).unwrap());
        assert!(serde_json::from_str::<LocalDate<IsoDate>>("\"1981-13-21\"").is_err());
    }
}
