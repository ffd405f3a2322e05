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
    /// Formats the value (`None` when the format asks for fields the type does not hold,
    /// such as a time in a date's format).
    fn format_with(&self, format: &str) -> Option<String>;
    /// Builds the value from fixed-layout fields (`None`: not a valid value, or the layout
    /// has fields this type does not hold).
    fn from_fields(f: &Fields) -> Option<Self>;
}

/// The numeric fields of a fixed-layout date or date-time.
#[derive(Debug, Default)]
pub struct Fields {
    year: Option<u32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: Option<u32>,
    minute: Option<u32>,
    second: Option<u32>,
}

impl Fields {
    fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year? as i32, self.month?, self.day?)
    }
}

/// Reads `text` by a format made only of `%Y` (4 digits), `%m %d %H %M %S` (2 digits) and
/// ASCII punctuation: one pass, no allocation, and exact by construction (fixed widths, so
/// the text is its own canonical form). `None` when the format has anything else.
fn fixed_layout(text: &str, format: &str) -> Option<Result<Fields, ()>> {
    let (t, f) = (text.as_bytes(), format.as_bytes());
    let mut fields = Fields::default();
    let (mut i, mut j) = (0, 0);
    let mut ok = true;
    while j < f.len() {
        if f[j] == b'%' {
            let (width, slot) = match f.get(j + 1)? {
                b'Y' => (4, &mut fields.year),
                b'm' => (2, &mut fields.month),
                b'd' => (2, &mut fields.day),
                b'H' => (2, &mut fields.hour),
                b'M' => (2, &mut fields.minute),
                b'S' => (2, &mut fields.second),
                _ => return None,
            };
            match t.get(i..i + width) {
                Some(digits) if ok && digits.iter().all(u8::is_ascii_digit) => {
                    *slot = Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')));
                }
                _ => ok = false,
            }
            i += width;
            j += 2;
        } else {
            if !f[j].is_ascii_punctuation() && f[j] != b'T' && f[j] != b' ' {
                return None;
            }
            ok = ok && t.get(i) == Some(&f[j]);
            i += 1;
            j += 1;
        }
    }
    Some(if ok && i == t.len() { Ok(fields) } else { Err(()) })
}

impl Formatted for NaiveDate {
    fn parse_with(text: &str, format: &str) -> Result<Self, chrono::ParseError> {
        NaiveDate::parse_from_str(text, format)
    }
    fn format_with(&self, format: &str) -> Option<String> {
        use std::fmt::Write;
        let mut out = String::new();
        write!(out, "{}", self.format(format)).ok()?;
        Some(out)
    }
    fn from_fields(f: &Fields) -> Option<Self> {
        if f.hour.is_some() || f.minute.is_some() || f.second.is_some() {
            return None;
        }
        f.date()
    }
}

impl Formatted for NaiveDateTime {
    fn parse_with(text: &str, format: &str) -> Result<Self, chrono::ParseError> {
        NaiveDateTime::parse_from_str(text, format)
    }
    fn format_with(&self, format: &str) -> Option<String> {
        use std::fmt::Write;
        let mut out = String::new();
        write!(out, "{}", self.format(format)).ok()?;
        Some(out)
    }
    fn from_fields(f: &Fields) -> Option<Self> {
        f.date()?.and_hms_opt(f.hour?, f.minute?, f.second.unwrap_or(0))
    }
}

/// Parses `text` in `format` and insists it reads back the same (no missing zero padding,
/// no stray spaces), as the vendors' `^\d{4}-\d{2}-\d{2}$`-style patterns demand.
pub fn parse_exact<T: Formatted>(text: &str, format: &str) -> Result<T, String> {
    // Fixed layouts (every format of the bundled specs) skip chrono's parser and the
    // format-back comparison; chrono below gives the error message.
    if let Some(Ok(fields)) = fixed_layout(text, format) {
        if let Some(value) = T::from_fields(&fields) {
            return Ok(value);
        }
    }
    let value = T::parse_with(text, format).map_err(|e| e.to_string())?;
    let canonical = value.format_with(format).ok_or_else(|| format!("the format {format} cannot be written"))?;
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

    /// The fixed-layout reader and chrono (parse, then format back) agree on every input.
    #[test]
    fn fixed_layouts_agree_with_chrono() {
        fn slow<T: Formatted>(text: &str, format: &str) -> Option<T> {
            let v = T::parse_with(text, format).ok()?;
            (v.format_with(format)? == text).then_some(v)
        }
        let inputs = [
            "2025-11-15",
            "1981-7-21",
            "2025-02-30",
            "2024-02-29",
            "20251115",
            "2025-13-01",
            "0999-01-01",
            "2022-10-21T21:23",
            "2022-10-21T24:00",
            "2022-10-21T21:23:59",
            "2022-10-21 21:23",
            "202210212123",
            "2022-10-21T21:2",
            "2022-10-21T21:23x",
            "",
            "x",
            "２０２５-11-15",
        ];
        for format in ["%Y-%m-%d", "%Y%m%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y%m%d%H%M"] {
            assert!(fixed_layout("", format).is_some(), "{format} is a fixed layout");
            for text in inputs {
                let fast = |t: &str| fixed_layout(t, format).and_then(Result::ok);
                let date = fast(text).and_then(|f| NaiveDate::from_fields(&f));
                assert_eq!(
                    date.is_some(),
                    slow::<NaiveDate>(text, format).is_some() && date.is_some(),
                    "{format} {text}"
                );
                if let Some(d) = date {
                    assert_eq!(Some(d), slow::<NaiveDate>(text, format), "{format} {text}");
                }
                assert_eq!(
                    parse_exact::<NaiveDate>(text, format).ok(),
                    slow::<NaiveDate>(text, format),
                    "{format} {text}"
                );
                assert_eq!(
                    parse_exact::<NaiveDateTime>(text, format).ok(),
                    slow::<NaiveDateTime>(text, format),
                    "{format} {text}"
                );
            }
        }
        assert!(fixed_layout("15/11/2025", "%d/%m/%Y").is_some());
        assert!(fixed_layout("15 Nov 2025", "%d %b %Y").is_none(), "month names go to chrono");
    }

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
