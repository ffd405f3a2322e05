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
    /// The value's fields, for writing a fixed layout (`None` where the type has none).
    fn to_fields(&self) -> Fields;
    /// The value in `format`, by chrono.
    fn display<'a>(&self, format: &'a str) -> chrono::format::DelayedFormat<chrono::format::StrftimeItems<'a>>;
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
    fn display<'a>(&self, format: &'a str) -> chrono::format::DelayedFormat<chrono::format::StrftimeItems<'a>> {
        self.format(format)
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
    fn to_fields(&self) -> Fields {
        use chrono::Datelike;
        let year = u32::try_from(self.year()).ok();
        Fields { year, month: Some(self.month()), day: Some(self.day()), ..Fields::default() }
    }
}

impl Formatted for NaiveDateTime {
    fn parse_with(text: &str, format: &str) -> Result<Self, chrono::ParseError> {
        NaiveDateTime::parse_from_str(text, format)
    }
    fn display<'a>(&self, format: &'a str) -> chrono::format::DelayedFormat<chrono::format::StrftimeItems<'a>> {
        self.format(format)
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
    fn to_fields(&self) -> Fields {
        use chrono::Timelike;
        Fields {
            hour: Some(self.hour()),
            minute: Some(self.minute()),
            // A leap second (60) has no fixed-layout spelling chrono would agree with.
            second: Some(self.second()).filter(|_| self.nanosecond() < 1_000_000_000),
            ..self.date().to_fields()
        }
    }
}

/// Writes `fields` by a format of the kind [`fixed_layout`] reads, into `buf`; `None` when the
/// format has anything else, a field it asks for is missing or does not fit its width (a
/// year beyond 9999), or the text would not fit. The text is what chrono writes for it.
fn write_fixed<'b>(fields: &Fields, format: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let mut n = 0;
    let f = format.as_bytes();
    let mut j = 0;
    while j < f.len() {
        if f[j] == b'%' {
            let (width, value) = match f.get(j + 1)? {
                b'Y' => (4, fields.year?),
                b'm' => (2, fields.month?),
                b'd' => (2, fields.day?),
                b'H' => (2, fields.hour?),
                b'M' => (2, fields.minute?),
                b'S' => (2, fields.second?),
                _ => return None,
            };
            if value >= 10u32.pow(width as u32) {
                return None;
            }
            let slot = buf.get_mut(n..n + width)?;
            let mut v = value;
            for d in slot.iter_mut().rev() {
                *d = b'0' + (v % 10) as u8;
                v /= 10;
            }
            n += width;
            j += 2;
        } else {
            if !f[j].is_ascii_punctuation() && f[j] != b'T' && f[j] != b' ' {
                return None;
            }
            *buf.get_mut(n)? = f[j];
            n += 1;
            j += 1;
        }
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// `value` in `format`: a fixed layout without chrono's format parser, else chrono.
struct Text<'a, T>(&'a T, &'a str);

impl<T: Formatted> fmt::Display for Text<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0; 32];
        match write_fixed(&self.0.to_fields(), self.1, &mut buf) {
            Some(text) => f.write_str(text),
            None => write!(f, "{}", self.0.display(self.1)),
        }
    }
}

impl<T: Formatted> Serialize for Text<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0; 32];
        match write_fixed(&self.0.to_fields(), self.1, &mut buf) {
            Some(text) => s.serialize_str(text),
            None => s.collect_str(&self.0.display(self.1)),
        }
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
                fmt::Display::fmt(&Text(&self.value, F::FORMAT), f)
            }
        }

        impl<F: Format> fmt::Debug for $name<F> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&Text(&self.value, F::FORMAT), f)
            }
        }

        impl<F: Format> Serialize for $name<F> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                // The value proved its format when it was built (see `newtype::CHECKED`).
                s.serialize_newtype_struct(crate::newtype::CHECKED, &Text(&self.value, F::FORMAT))
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

    /// The fixed-layout writer writes what chrono writes, and gives way to chrono where it
    /// cannot (years beyond four digits or before year 0, leap seconds, other specifiers).
    #[test]
    fn fixed_layouts_write_what_chrono_writes() {
        let formats = [
            "%Y-%m-%d",
            "%Y%m%d",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y%m%d%H%M",
            "%d/%m/%Y",
            "%Y-%m-%d %H:%M:%S.%3f",
            "%b %e %Y",
        ];
        let mut dates: Vec<NaiveDate> =
            [(1, 1, 1), (999, 12, 31), (2024, 2, 29), (9999, 12, 31), (10000, 1, 1), (-1, 6, 15)]
                .iter()
                .map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
                .collect();
        let mut day = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..400 {
            dates.push(day);
            day = day.succ_opt().unwrap();
        }
        let times =
            [(0, 0, 0, 0), (9, 5, 7, 0), (23, 59, 59, 0), (23, 59, 59, 1_500_000_000), (12, 30, 0, 250_000_000)];
        let mut fast = 0;
        for format in formats {
            for d in &dates {
                let mut buf = [0; 32];
                let written = write_fixed(&d.to_fields(), format, &mut buf).map(str::to_owned);
                let chrono = d.format_with(format);
                if let Some(w) = &written {
                    fast += 1;
                    assert_eq!(Some(w), chrono.as_ref(), "{format} {d}");
                }
                if let Some(c) = &chrono {
                    assert_eq!(&Text(d, format).to_string(), c, "{format} {d}");
                }
                for &(h, m, sec, nano) in &times {
                    let t = d.and_hms_nano_opt(h, m, sec, nano).unwrap();
                    let mut buf = [0; 32];
                    if let Some(w) = write_fixed(&t.to_fields(), format, &mut buf) {
                        fast += 1;
                        assert_eq!(w, t.format(format).to_string(), "{format} {t:?}");
                    }
                    assert_eq!(Text(&t, format).to_string(), t.format(format).to_string(), "{format} {t:?}");
                }
            }
        }
        assert!(fast > 10_000, "{fast}");
        // What needs chrono goes to chrono.
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31).unwrap().and_hms_nano_opt(23, 59, 59, 1_000_000_000).unwrap();
        assert_eq!(Text(&leap, "%Y-%m-%dT%H:%M:%S").to_string(), "2016-12-31T23:59:60");
        let far = NaiveDate::from_ymd_opt(10000, 1, 1).unwrap();
        assert_eq!(Text(&far, "%Y-%m-%d").to_string(), far.format("%Y-%m-%d").to_string());
    }

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
