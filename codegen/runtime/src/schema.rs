//! The wire schema of a vendor as data, and the one validator that checks JSON against it.
//!
//! The generator emits one `static SCHEMA: Schema` per vendor (borrowed data), and builds the
//! same model (owned data) from the YAML spec to check the spec's own examples. The borrowed
//! tables are made of parts, one per spec file (the vendor file, the named types, each
//! operation), so a spec edit to one operation changes only that operation's generated part. Every rule
//! (pattern, length, range, item count, enum value, required, unknown key) is checked here and
//! nowhere else, so `validate()`, `flightapi validate` and the spec linter always agree.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::Value;

use super::datetime::parse_exact;
use super::violation::{JsonPath, Violation};

/// Index of a [`TypeDef`] in [`Schema::types`].
pub type TypeId = usize;

type Str = Cow<'static, str>;
type List<T> = Cow<'static, [T]>;

/// A table indexed from 0: either owned, or borrowed as consecutive parts (one per generated
/// module) that read as one list. The flat view of the parts is built once, on first use.
pub struct Table<T: 'static> {
    repr: Repr<T>,
    /// Facts about each entry computed once on first use (see [`Schema::type_meta`]).
    meta: OnceLock<Box<[u8]>>,
}

enum Repr<T: 'static> {
    Owned(Vec<T>),
    Parts(&'static [&'static [T]], OnceLock<Box<[&'static T]>>),
}

impl<T: 'static> Table<T> {
    /// A table made of consecutive parts: entry `i` of the second part has index
    /// `parts[0].len() + i`.
    pub const fn parts(parts: &'static [&'static [T]]) -> Self {
        Table { repr: Repr::Parts(parts, OnceLock::new()), meta: OnceLock::new() }
    }

    /// An owned table.
    pub const fn owned(items: Vec<T>) -> Self {
        Table { repr: Repr::Owned(items), meta: OnceLock::new() }
    }

    /// The empty table.
    pub const fn empty() -> Self {
        Self::parts(&[])
    }

    fn flat<'a>(parts: &'static [&'static [T]], cell: &'a OnceLock<Box<[&'static T]>>) -> &'a [&'static T] {
        cell.get_or_init(|| parts.iter().flat_map(|p| p.iter()).collect())
    }

    /// Entry `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&T> {
        match &self.repr {
            Repr::Owned(v) => v.get(i),
            Repr::Parts(parts, cell) => Self::flat(parts, cell).get(i).copied(),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Owned(v) => v.len(),
            Repr::Parts(parts, _) => parts.iter().map(|p| p.len()).sum(),
        }
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries in index order.
    pub fn iter(&self) -> impl Iterator<Item = &T> + '_ {
        let (owned, parts): (&[T], &'static [&'static [T]]) = match &self.repr {
            Repr::Owned(v) => (v, &[]),
            Repr::Parts(parts, _) => (&[], parts),
        };
        owned.iter().chain(parts.iter().flat_map(|p| p.iter()))
    }
}

impl<T: 'static> std::ops::Index<usize> for Table<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(t) => t,
            None => panic!("index {i} is outside a schema table of {} entries", self.len()),
        }
    }
}

impl<T: Clone + 'static> Clone for Table<T> {
    fn clone(&self) -> Self {
        match &self.repr {
            Repr::Owned(v) => Table::owned(v.clone()),
            Repr::Parts(parts, _) => Table::parts(parts),
        }
    }
}

impl<T: std::fmt::Debug + 'static> std::fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: 'static> From<Vec<T>> for Table<T> {
    fn from(items: Vec<T>) -> Self {
        Table::owned(items)
    }
}

/// All wire types of one vendor, indexed by [`TypeId`].
#[derive(Debug, Clone)]
pub struct Schema {
    /// The vendor's spec name.
    pub vendor: Str,
    /// Every type, named or anonymous, that appears on the wire.
    pub types: Table<TypeDef>,
    /// Compiled-once regular expressions, referenced by index from [`Kind::Str`].
    pub patterns: Table<Pattern>,
    /// The operations, sorted by wire name.
    pub operations: List<OperationSchema>,
    /// Rules that apply only when a request is checked in a profile ([`Schema::check_profile`]).
    pub profile_rules: Table<ProfileRule>,
    /// Rules across the fields of an object type ("either A or B is required").
    pub cross_rules: Table<CrossRule>,
    /// Fields every request carries around the operation body.
    pub request_envelope: Envelope,
    /// Fields every response carries around the operation body.
    pub response_envelope: Envelope,
}

/// One operation's request and response body types.
#[derive(Debug, Clone)]
pub struct OperationSchema {
    /// The wire name (`refundRequest`).
    pub name: Str,
    /// The request body (an object type).
    pub request: TypeId,
    /// The response body (an object type).
    pub response: TypeId,
    /// The path parameters (an object type), if the path has any.
    pub path_params: Option<TypeId>,
}

/// The fields a vendor wraps around every operation body.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The envelope's own fields.
    pub fields: List<Field>,
    /// Where the operation body goes.
    pub body: BodyPlacement,
    /// The envelope field whose value must be the operation's wire name (action dispatch).
    pub operation_field: Option<Str>,
}

/// Where an operation body sits inside its envelope.
#[derive(Debug, Clone)]
pub enum BodyPlacement {
    /// The body's fields sit beside the envelope's fields in one object.
    Flatten,
    /// The body is the value of one envelope field.
    Field {
        /// The wire name of that field (`data`, `request`).
        name: Str,
        /// Whether the field must be present (some vendors leave it out on errors).
        required: bool,
    },
}

/// One type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The spec name for named types, a path such as `refundRequest.request.passengers[]` otherwise.
    pub name: Str,
    /// What values of the type look like.
    pub kind: Kind,
}

/// The shape and rules of a type.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Any JSON value.
    Any,
    /// `true` or `false`.
    Bool,
    /// A string with optional length bounds (in characters) and pattern.
    Str {
        /// Minimum length in characters.
        min_len: Option<u64>,
        /// Maximum length in characters.
        max_len: Option<u64>,
        /// Index into [`Schema::patterns`].
        pattern: Option<usize>,
        /// The value is a secret: messages never quote it.
        secret: bool,
    },
    /// An integer with optional bounds.
    Int {
        /// Smallest allowed value.
        min: Option<i64>,
        /// Largest allowed value.
        max: Option<i64>,
        /// A string holding the number is accepted too (a doc quirk); it is written as a number.
        as_string: bool,
    },
    /// Any JSON number with optional bounds.
    Number {
        /// Smallest allowed value.
        min: Option<f64>,
        /// Largest allowed value.
        max: Option<f64>,
    },
    /// An exact decimal, sent as a JSON number or a string.
    Decimal,
    /// A calendar date in the given `chrono` format.
    Date {
        /// `chrono` format string.
        format: Str,
    },
    /// A local date-time (no offset) in the given `chrono` format.
    DateTime {
        /// `chrono` format string.
        format: Str,
    },
    /// One of a closed list of values (open for responses unless strict).
    Enum {
        /// The allowed wire values.
        values: List<Str>,
        /// Wire values are JSON integers, not strings.
        integer: bool,
        /// Integer values may also arrive as strings holding the number (a doc quirk).
        integer_as_string: bool,
    },
    /// A JSON object with known fields.
    Object {
        /// The fields in spec order.
        fields: List<Field>,
    },
    /// A JSON array.
    Array {
        /// Item type.
        items: TypeId,
        /// Minimum number of items.
        min_items: Option<u64>,
        /// Maximum number of items.
        max_items: Option<u64>,
    },
    /// One of several alternatives, wrapped as `{"<name>": {...}}`, or flat with the name in
    /// `tag_field` (`{"@type": "<name>", ...}`) when the spec allows that form.
    OneOf {
        /// The alternatives: `wire` is the wrapping key.
        variants: List<Field>,
        /// The key that names the alternative in the flat form.
        tag_field: Option<Str>,
    },
    /// A JSON object with arbitrary keys and uniform values.
    Map {
        /// Value type.
        values: TypeId,
    },
    /// A value sent as a base64 ciphertext string of the JSON text of a `plaintext` value.
    /// Either form is accepted: the plaintext is checked, the ciphertext only for its shape.
    Encrypted {
        /// The type of the decrypted value.
        plaintext: TypeId,
    },
}

/// One object field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The wire name.
    pub wire: Str,
    /// Other spellings accepted on input.
    pub aliases: List<Str>,
    /// The field's type.
    pub ty: TypeId,
    /// Must be present.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
}

impl Field {
    /// The envelope field that holds the body (`BodyPlacement::Field`): `null` is allowed
    /// where it may be absent.
    pub(crate) fn envelope_body(name: &Str, required: bool, ty: TypeId) -> Field {
        Field { wire: name.clone(), aliases: Cow::Borrowed(&[]), ty, required, nullable: !required }
    }
}

/// A rule on one field (or one-of variant) of an object (or one-of) type that applies only
/// in some profiles (a content source, say).
#[derive(Debug, Clone)]
pub struct ProfileRule {
    /// The object or one-of type.
    pub ty: TypeId,
    /// The field's wire name (the variant's wrapping key).
    pub field: Str,
    /// Profiles in which the field must be present (the variant: must be the one chosen).
    pub required_in: List<Str>,
    /// Profiles in which alone the field may be present (the variant: may be chosen).
    pub only_in: List<Str>,
}

/// A rule across the fields of one object type, checked with requests (and strict responses).
#[derive(Debug, Clone)]
pub struct CrossRule {
    /// The object type.
    pub ty: TypeId,
    /// What the rule demands.
    pub kind: CrossKind,
    /// The fields it names (wire names).
    pub fields: List<Str>,
}

/// The kinds of [`CrossRule`].
#[derive(Debug, Clone)]
pub enum CrossKind {
    /// At least one of the fields is present.
    AtLeastOne,
    /// Exactly one of the fields is present.
    ExactlyOne,
    /// When `present` is there (and `absent`, if given, is not), the fields are required.
    Requires {
        /// The field whose presence triggers the rule.
        present: Str,
        /// A field whose absence the rule also needs.
        absent: Option<Str>,
    },
}

/// A regular expression compiled on first use and then reused. Patterns that are one ASCII
/// character class repeated (`^\d*$`, `^[A-Z]{3}$`, `^[0-9]{1,4}$`) are matched without the
/// regex engine, which is about three times faster for them (see docs/performance.md).
#[derive(Debug, Clone)]
pub struct Pattern {
    source: Str,
    compiled: OnceLock<Option<regex::Regex>>,
    simple: OnceLock<Option<Simple>>,
}

/// ECMAScript's `\s` (what vendor docs' patterns mean): its white space and line terminators,
/// as members of a class for the regex crate (whose `\s` is Unicode's `White_Space`: it takes
/// U+0085 and not U+FEFF).
const ECMA_SPACE: &str =
    r"\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";
/// ECMAScript's `\w`: ASCII only (the regex crate's is Unicode).
const ECMA_WORD: &str = "A-Za-z0-9_";

/// `source` with the character classes spelled out in ECMAScript's meaning, which is what
/// vendor docs write: `\d` as `[0-9]` (`0-9` inside a class), `\s` and `\w` as their ASCII
/// and ECMAScript members, and `\D`, `\S`, `\W` as the negated class outside a class (inside
/// one they keep the regex crate's meaning, which a class cannot negate in place).
fn ecmascript_classes(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 8);
    let mut in_class = false;
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let members = |c| match c {
                    'd' | 'D' => Some("0-9"),
                    's' | 'S' => Some(ECMA_SPACE),
                    'w' | 'W' => Some(ECMA_WORD),
                    _ => None,
                };
                match chars.next() {
                    Some(next @ ('d' | 's' | 'w')) if in_class => out.push_str(members(next).unwrap_or_default()),
                    Some(next @ ('d' | 's' | 'w' | 'D' | 'S' | 'W')) if !in_class => {
                        out.push_str(if next.is_ascii_uppercase() { "[^" } else { "[" });
                        out.push_str(members(next).unwrap_or_default());
                        out.push(']');
                    }
                    Some(next) => {
                        out.push('\\');
                        out.push(next);
                    }
                    None => out.push('\\'),
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// `^<class><repeat>$` over ASCII: the bytes a character may be, and how many there must be.
#[derive(Debug, Clone)]
struct Simple {
    allowed: [bool; 128],
    min: usize,
    max: Option<usize>,
}

impl Simple {
    fn parse(source: &str) -> Option<Simple> {
        let body = source.strip_prefix('^')?.strip_suffix('$')?;
        let mut allowed = [false; 128];
        let rest = if let Some(rest) = body.strip_prefix("\\d") {
            allowed[b'0' as usize..=b'9' as usize].iter_mut().for_each(|a| *a = true);
            rest
        } else {
            let (class, rest) = body.strip_prefix('[')?.split_once(']')?;
            let bytes = class.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                let c = bytes[i];
                if !c.is_ascii_alphanumeric() {
                    return None; // escapes, negation, punctuation: leave them to the regex engine
                }
                if bytes.get(i + 1) == Some(&b'-') && i + 2 < bytes.len() {
                    let end = bytes[i + 2];
                    if !end.is_ascii_alphanumeric() || end < c {
                        return None;
                    }
                    allowed[c as usize..=end as usize].iter_mut().for_each(|a| *a = true);
                    i += 3;
                } else {
                    allowed[c as usize] = true;
                    i += 1;
                }
            }
            rest
        };
        let (min, max) = match rest {
            "" => (1, Some(1)),
            "*" => (0, None),
            "+" => (1, None),
            _ => {
                let inner = rest.strip_prefix('{')?.strip_suffix('}')?;
                match inner.split_once(',') {
                    None => {
                        let n = inner.parse().ok()?;
                        (n, Some(n))
                    }
                    Some((a, "")) => (a.parse().ok()?, None),
                    Some((a, b)) => (a.parse().ok()?, Some(b.parse().ok()?)),
                }
            }
        };
        Some(Simple { allowed, min, max })
    }

    fn is_match(&self, s: &str) -> bool {
        let n = s.len(); // every allowed character is one ASCII byte
        n >= self.min
            && self.max.map_or(true, |m| n <= m)
            && s.bytes().all(|b| (b as usize) < 128 && self.allowed[b as usize])
    }
}

impl Pattern {
    /// A pattern from its source text (usable in a `static`).
    pub const fn new(source: &'static str) -> Self {
        Pattern { source: Cow::Borrowed(source), compiled: OnceLock::new(), simple: OnceLock::new() }
    }

    /// A pattern from owned source text.
    pub fn owned(source: String) -> Self {
        Pattern { source: Cow::Owned(source), compiled: OnceLock::new(), simple: OnceLock::new() }
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Compiles the pattern, or says why it does not compile. `\d` is an ASCII digit, as in
    /// the JavaScript and Java patterns vendor docs are written for (the regex crate's `\d`
    /// would also take `١٢٣`).
    pub fn compile(&self) -> Result<&regex::Regex, String> {
        let compiled = self.compiled.get_or_init(|| regex::Regex::new(&ecmascript_classes(&self.source)).ok());
        match compiled {
            Some(re) => Ok(re),
            None => Err(regex::Regex::new(&self.source).err().map(|e| e.to_string()).unwrap_or_default()),
        }
    }

    /// Whether `s` matches; a pattern that does not compile matches nothing.
    pub fn is_match(&self, s: &str) -> bool {
        if let Some(simple) = self.simple.get_or_init(|| Simple::parse(&self.source)) {
            return simple.is_match(s);
        }
        self.compile().map(|re| re.is_match(s)).unwrap_or(false)
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::Pattern;

    /// The hand matcher agrees with the regex engine on every pattern it takes.
    #[test]
    fn simple_patterns_agree_with_the_regex_engine() {
        let patterns = [
            r"^\d*$",
            r"^\d+$",
            r"^\d{3}$",
            r"^[A-Z]{3}$",
            r"^[A-Z0-9]{2}$",
            r"^[0-9]{1,4}$",
            r"^[A-Za-z]{2,}$",
            r"^[0-9]{12,19}$",
            r"^[A-Z]$",
        ];
        let inputs =
            ["", "1", "12", "123", "1234", "ABC", "AB", "A1", "abc", "1a", "Ä", "١٢٣", "4111111111111111", " 12"];
        for p in patterns {
            let pattern = Pattern::new(p);
            assert!(super::Simple::parse(p).is_some(), "{p} takes the fast path");
            let re = regex::Regex::new(&super::ecmascript_classes(p)).unwrap();
            for s in inputs {
                assert_eq!(pattern.is_match(s), re.is_match(s), "{p} on {s:?}");
            }
            // Through the engine too (a pattern the fast path does not take behaves the same).
            let engine = pattern.compile().unwrap();
            for s in inputs {
                assert_eq!(pattern.is_match(s), engine.is_match(s), "{p} on {s:?}");
            }
        }
        for p in [r"^\d*-\d$", r"^[^@]+@[^@]+$", r"^(0[1-9]|1[0-2])/\d{2}$", r"^[A-Z]{3}", r"\d+$", r"^[\w]+$"] {
            assert!(super::Simple::parse(p).is_none(), "{p} is left to the regex engine");
        }
        assert!(!Pattern::new(r"^\d+-\d$").is_match("١-٢"), "\\d is ASCII on the engine path too");
        assert!(Pattern::new(r"^\d+-\d$").is_match("12-3"));
        assert_eq!(super::ecmascript_classes(r"^[\dA-F]\d\\d\D$"), r"^[0-9A-F][0-9]\\d[^0-9]$");
        assert_eq!(super::ecmascript_classes(r"^\w[\w-]\W$"), r"^[A-Za-z0-9_][A-Za-z0-9_-][^A-Za-z0-9_]$");
        // ECMAScript's \s: U+FEFF is white space, U+0085 is not; \w is ASCII.
        let email = Pattern::new(r"^[^@\s]+@[^@\s]+$");
        assert!(!email.is_match("a\u{feff}@b") && email.is_match("a\u{85}@b") && !email.is_match("a b@c"));
        assert!(Pattern::new(r"^\S+$").is_match("a\u{85}") && !Pattern::new(r"^\S+$").is_match("a\u{3000}"));
        assert!(!Pattern::new(r"^\w+$").is_match("é") && Pattern::new(r"^\w+$").is_match("a_1"));
    }
}

/// Which side of the wire a value comes from, which decides how strictly it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent by us: every rule applies, unknown keys are errors.
    Request,
    /// Sent by the vendor: types and required fields only; unknown keys and enum values are kept.
    Response,
    /// Sent by the vendor, checked as a contract test: every rule applies.
    StrictResponse,
}

impl Direction {
    pub(crate) fn strict(self) -> bool {
        !matches!(self, Direction::Response)
    }
}

/// Why a wire body could not be checked at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operation `{0}`")]
pub struct UnknownOperation(pub String);

impl Schema {
    /// The operation with this wire name.
    pub fn operation(&self, name: &str) -> Option<&OperationSchema> {
        self.operations.iter().find(|op| op.name == name)
    }

    /// Checks `value` against type `ty`; returns every violation.
    pub fn check(&self, ty: TypeId, value: &Value, direction: Direction) -> Vec<Violation> {
        let mut out = Vec::new();
        let mut path = JsonPath::root();
        self.check_at(ty, value, direction, &mut path, &mut out);
        out
    }

    /// The rules of `profile` that `value` (of type `ty`) breaks: fields required in that
    /// profile and missing, fields or one-of alternatives not allowed in it. Only these rules:
    /// combine with [`Schema::check`] for a full check.
    pub fn check_profile(&self, ty: TypeId, value: &Value, profile: &str) -> Vec<Violation> {
        let mut out = Vec::new();
        if !self.profile_rules.is_empty() {
            self.profile_at(ty, value, profile, &mut JsonPath::root(), &mut out, 0);
        }
        out
    }

    fn profile_at(
        &self,
        ty: TypeId,
        value: &Value,
        profile: &str,
        path: &mut JsonPath,
        out: &mut Vec<Violation>,
        depth: usize,
    ) {
        if depth > 64 {
            return;
        }
        let rules = || self.profile_rules.iter().filter(move |r| r.ty == ty);
        match (&self.types[ty].kind, value) {
            (Kind::Object { fields }, Value::Object(map)) => {
                for rule in rules() {
                    let field = fields.iter().find(|f| f.wire == rule.field);
                    let present = field.is_some_and(|f| {
                        std::iter::once(&f.wire)
                            .chain(f.aliases.iter())
                            .any(|k| map.get(k.as_ref()).is_some_and(|v| !v.is_null()))
                    });
                    path.push_key(&rule.field);
                    if !present && rule.required_in.iter().any(|p| p == profile) {
                        out.push(path.violation(format!("required for {profile}")));
                    }
                    if present && !rule.only_in.is_empty() && !rule.only_in.iter().any(|p| p == profile) {
                        out.push(
                            path.violation(format!("not allowed for {profile} (only {})", rule.only_in.join(", "))),
                        );
                    }
                    path.pop();
                }
                for f in fields.iter() {
                    let key = std::iter::once(&f.wire).chain(f.aliases.iter()).find(|k| map.contains_key(k.as_ref()));
                    if let Some(v) = key.and_then(|k| map.get(k.as_ref())) {
                        path.push_key(&f.wire);
                        self.profile_at(f.ty, v, profile, path, out, depth + 1);
                        path.pop();
                    }
                }
            }
            (Kind::Array { items, .. }, Value::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    path.push_index(i);
                    self.profile_at(*items, v, profile, path, out, depth + 1);
                    path.pop();
                }
            }
            (Kind::Map { values }, Value::Object(m)) => {
                for (k, v) in m {
                    path.push_key(k);
                    self.profile_at(*values, v, profile, path, out, depth + 1);
                    path.pop();
                }
            }
            (Kind::Encrypted { plaintext }, v) if !v.is_string() => {
                self.profile_at(*plaintext, v, profile, path, out, depth + 1)
            }
            (Kind::OneOf { variants, tag_field }, _) => {
                let (variant, inner, wrapped) = match one_of_form(variants, tag_field.as_deref(), value) {
                    OneOfForm::Wrapped(v, inner) => (v, inner.clone(), true),
                    OneOfForm::Flat(v, rest) => (v, rest, false),
                    OneOfForm::Unknown => return,
                };
                let others: Vec<&ProfileRule> = rules().collect();
                if let Some(rule) = others.iter().find(|r| r.field == variant.wire) {
                    if !rule.only_in.is_empty() && !rule.only_in.iter().any(|p| p == profile) {
                        out.push(path.violation(format!(
                            "{} is not allowed for {profile} (only {})",
                            variant.wire,
                            rule.only_in.join(", ")
                        )));
                    }
                }
                for rule in
                    others.iter().filter(|r| r.field != variant.wire && r.required_in.iter().any(|p| p == profile))
                {
                    out.push(path.violation(format!("{profile} requires {}, not {}", rule.field, variant.wire)));
                }
                if wrapped {
                    path.push_key(&variant.wire);
                }
                self.profile_at(variant.ty, &inner, profile, path, out, depth + 1);
                if wrapped {
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// Checks a whole wire body (envelope and operation body) of operation `op`.
    pub fn check_wire(
        &self,
        op: &str,
        value: &Value,
        direction: Direction,
    ) -> Result<Vec<Violation>, UnknownOperation> {
        let operation = self.operation(op).ok_or_else(|| UnknownOperation(op.to_owned()))?;
        let (envelope, body) = match direction {
            Direction::Request => (&self.request_envelope, operation.request),
            _ => (&self.response_envelope, operation.response),
        };
        let mut out = Vec::new();
        let mut path = JsonPath::root();
        let mut fields: Vec<&Field> = envelope.fields.iter().collect();
        let body_field;
        match &envelope.body {
            BodyPlacement::Flatten => match &self.types[body].kind {
                Kind::Object { fields: body_fields } => fields.extend(body_fields.iter()),
                Kind::Any => {
                    // An undocumented body: check the envelope's fields, let the rest through.
                    let Some(map) = value.as_object() else {
                        out.push(type_error(&path, "an object", value));
                        return Ok(out);
                    };
                    let known: serde_json::Map<String, Value> = map
                        .iter()
                        .filter(|(k, _)| fields.iter().any(|f| f.wire == **k || f.aliases.iter().any(|a| a == *k)))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    self.check_object(&fields, &Value::Object(known), direction, &mut path, &mut out);
                    return Ok(out);
                }
                _ if envelope.fields.is_empty() => {
                    // No envelope: the body (a one-of, say) is the whole document.
                    self.check_at(body, value, direction, &mut path, &mut out);
                    return Ok(out);
                }
                _ => unreachable_kind(&mut out, &path),
            },
            BodyPlacement::Field { name, required } => {
                body_field = Field::envelope_body(name, *required, body);
                fields.push(&body_field);
            }
        }
        self.check_object(&fields, value, direction, &mut path, &mut out);
        if matches!(envelope.body, BodyPlacement::Flatten) {
            self.check_cross(body, value, direction, &mut path, &mut out);
        }
        if let Some(field) = &envelope.operation_field {
            match value.get(field.as_ref()) {
                Some(Value::String(name)) if name != op => {
                    path.push_key(field);
                    out.push(path.violation(format!("{name:?} names another operation; this body is for {op:?}")));
                    path.pop();
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Checks an error answer: the response envelope's fields only (strictly), since a vendor
    /// leaves the operation's body out when it refuses a call; keys beyond the envelope's
    /// are let through.
    pub fn check_error_wire(&self, value: &Value) -> Vec<Violation> {
        let envelope = &self.response_envelope;
        let mut out = Vec::new();
        let mut path = JsonPath::root();
        let Some(map) = value.as_object() else {
            out.push(type_error(&path, "an object", value));
            return out;
        };
        let fields: Vec<&Field> = envelope.fields.iter().collect();
        let known: serde_json::Map<String, Value> = map
            .iter()
            .filter(|(k, _)| fields.iter().any(|f| f.wire == **k || f.aliases.iter().any(|a| a == *k)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        self.check_object(&fields, &Value::Object(known), Direction::StrictResponse, &mut path, &mut out);
        out
    }

    /// The business fields of a whole request wire body: the body nested in its envelope
    /// field is taken out, or the envelope's own fields (authentication, action, signature...)
    /// are dropped from a flat body. What the client wraps and signs again.
    pub fn request_body(&self, wire: Value) -> Value {
        let envelope = &self.request_envelope;
        let Value::Object(mut map) = wire else { return wire };
        if let BodyPlacement::Field { name, .. } = &envelope.body {
            if let Some(inner) = map.remove(name.as_ref()) {
                return inner;
            }
        }
        for f in envelope.fields.iter() {
            map.remove(f.wire.as_ref());
            for a in f.aliases.iter() {
                map.remove(a.as_ref());
            }
        }
        Value::Object(map)
    }

    /// `value` with every alias key renamed to its field's wire name: the JSON the generated
    /// types write back after reading `value`.
    pub fn canonical_wire(&self, op: &str, value: &Value, direction: Direction) -> Result<Value, UnknownOperation> {
        let operation = self.operation(op).ok_or_else(|| UnknownOperation(op.to_owned()))?;
        let (envelope, body) = match direction {
            Direction::Request => (&self.request_envelope, operation.request),
            _ => (&self.response_envelope, operation.response),
        };
        let mut fields: Vec<&Field> = envelope.fields.iter().collect();
        let mut out = self.canonical_object(&fields, value);
        match &envelope.body {
            BodyPlacement::Flatten => {
                if let Kind::Object { fields: body_fields } = &self.types[body].kind {
                    fields.extend(body_fields.iter());
                    out = self.canonical_object(&fields, value);
                } else if envelope.fields.is_empty() {
                    out = self.canonical(body, value);
                }
            }
            BodyPlacement::Field { name, .. } => {
                if let Some(inner) = out.get_mut(name.as_ref()) {
                    *inner = self.canonical(body, inner);
                }
            }
        }
        Ok(out)
    }

    fn canonical(&self, ty: TypeId, value: &Value) -> Value {
        match (&self.types[ty].kind, value) {
            (Kind::Object { fields }, _) => self.canonical_object(&fields.iter().collect::<Vec<_>>(), value),
            (Kind::Array { items, .. }, Value::Array(a)) => {
                Value::Array(a.iter().map(|v| self.canonical(*items, v)).collect())
            }
            (Kind::Map { values }, Value::Object(m)) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), self.canonical(*values, v))).collect())
            }
            (
                Kind::Enum { integer: true, integer_as_string: true, .. } | Kind::Int { as_string: true, .. },
                Value::String(s),
            ) => s.parse::<i64>().map(Value::from).unwrap_or_else(|_| value.clone()),
            (Kind::Encrypted { plaintext }, v) if !v.is_string() => self.canonical(*plaintext, v),
            (Kind::OneOf { variants, tag_field }, _) => match one_of_form(variants, tag_field.as_deref(), value) {
                OneOfForm::Wrapped(v, inner) => serde_json::json!({ v.wire.as_ref(): self.canonical(v.ty, inner) }),
                OneOfForm::Flat(v, rest) => serde_json::json!({ v.wire.as_ref(): self.canonical(v.ty, &rest) }),
                OneOfForm::Unknown => value.clone(),
            },
            _ => value.clone(),
        }
    }

    fn canonical_object(&self, fields: &[&Field], value: &Value) -> Value {
        let Some(map) = value.as_object() else { return value.clone() };
        let mut out = serde_json::Map::new();
        for (k, v) in map {
            match fields.iter().find(|f| f.wire == *k || f.aliases.iter().any(|a| a == k)) {
                Some(f) => {
                    out.insert(f.wire.to_string(), self.canonical(f.ty, v));
                }
                None => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// Applies `f` to every [`Kind::Encrypted`] value inside `value` (a value of type `ty`),
    /// replacing it with what `f` returns: the client seals plaintexts this way, the mock
    /// opens ciphertexts. Stops at the first error.
    pub fn map_encrypted<E>(
        &self,
        ty: TypeId,
        value: &mut Value,
        f: &mut dyn FnMut(&mut Value) -> Result<(), E>,
    ) -> Result<(), E> {
        match (&self.types[ty].kind, value) {
            (Kind::Encrypted { .. }, v) => f(v),
            (Kind::Object { fields }, Value::Object(map)) => {
                for field in fields.iter() {
                    let key =
                        std::iter::once(&field.wire).chain(field.aliases.iter()).find(|k| map.contains_key(k.as_ref()));
                    if let Some(v) = key.and_then(|k| map.get_mut(k.as_ref())) {
                        self.map_encrypted(field.ty, v, f)?;
                    }
                }
                Ok(())
            }
            (Kind::Array { items, .. }, Value::Array(a)) => {
                a.iter_mut().try_for_each(|v| self.map_encrypted(*items, v, f))
            }
            (Kind::Map { values }, Value::Object(m)) => {
                m.values_mut().try_for_each(|v| self.map_encrypted(*values, v, f))
            }
            (Kind::OneOf { variants, .. }, Value::Object(map)) if map.len() == 1 => {
                let (key, inner) = map.iter_mut().next().expect("one entry");
                match variants.iter().find(|v| v.wire == *key) {
                    Some(variant) => self.map_encrypted(variant.ty, inner, f),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// Whether type `ty` holds an encrypted value anywhere (so the client needs a key).
    pub fn has_encrypted(&self, ty: TypeId) -> bool {
        fn walk(schema: &Schema, ty: TypeId, seen: &mut Vec<TypeId>) -> bool {
            if seen.contains(&ty) {
                return false;
            }
            seen.push(ty);
            match &schema.types[ty].kind {
                Kind::Encrypted { .. } => true,
                Kind::Object { fields } => fields.iter().any(|f| walk(schema, f.ty, seen)),
                Kind::OneOf { variants, .. } => variants.iter().any(|f| walk(schema, f.ty, seen)),
                Kind::Array { items, .. } => walk(schema, *items, seen),
                Kind::Map { values } => walk(schema, *values, seen),
                _ => false,
            }
        }
        walk(self, ty, &mut Vec::new())
    }

    /// Per type: [`META_UNIQUE`] when an object type's field names and aliases are all
    /// different (always so in a linted spec), [`META_CROSS`] when cross-field rules name the
    /// type. Computed once per schema.
    pub(crate) fn type_meta(&self) -> &[u8] {
        self.types.meta.get_or_init(|| {
            let mut meta: Vec<u8> = self
                .types
                .iter()
                .map(|t| match &t.kind {
                    Kind::Object { fields } => {
                        let refs: Vec<&Field> = fields.iter().collect();
                        if unique_spellings(&refs) {
                            META_UNIQUE
                        } else {
                            0
                        }
                    }
                    _ => META_UNIQUE,
                })
                .collect();
            for rule in self.cross_rules.iter() {
                if let Some(m) = meta.get_mut(rule.ty) {
                    *m |= META_CROSS;
                }
            }
            // A type is proven when neither it nor anything below it has a rule that the
            // generated outbound types cannot prove by construction: a fixpoint, since named
            // types may refer to each other.
            let own_rule = |t: usize| match &self.types[t].kind {
                Kind::Int { min, max, .. } => min.is_some() || max.is_some(),
                Kind::Number { min, max } => min.is_some() || max.is_some(),
                Kind::Array { min_items, max_items, .. } => min_items.is_some() || max_items.is_some(),
                Kind::Encrypted { .. } => true,
                _ => meta[t] & META_CROSS != 0,
            };
            let mut needs: Vec<bool> = (0..meta.len()).map(own_rule).collect();
            loop {
                let mut changed = false;
                for t in 0..needs.len() {
                    if needs[t] {
                        continue;
                    }
                    let child = |c: TypeId| needs.get(c).copied().unwrap_or(true);
                    let below = match &self.types[t].kind {
                        Kind::Object { fields } => fields.iter().any(|f| child(f.ty)),
                        Kind::OneOf { variants, .. } => variants.iter().any(|f| child(f.ty)),
                        Kind::Array { items, .. } => child(*items),
                        Kind::Map { values } => child(*values),
                        Kind::Encrypted { plaintext } => child(*plaintext),
                        _ => false,
                    };
                    if below {
                        needs[t] = true;
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
            for (m, needs) in meta.iter_mut().zip(needs) {
                if !needs {
                    *m |= META_PROVEN;
                }
            }
            meta.into_boxed_slice()
        })
    }

    /// Checks one string against a string type (used by validated newtypes).
    pub fn check_str(&self, ty: TypeId, s: &str) -> Result<(), Violation> {
        let kind = &self.types[ty].kind;
        let mut first = None;
        if matches!(kind, Kind::Str { .. }) {
            self.check_string(s, kind, &mut |m| {
                first.get_or_insert(m);
            });
        }
        match first {
            Some(m) => Err(JsonPath::root().violation(m)),
            None => Ok(()),
        }
    }

    pub(crate) fn check_at(
        &self,
        ty: TypeId,
        value: &Value,
        dir: Direction,
        path: &mut JsonPath,
        out: &mut Vec<Violation>,
    ) {
        let target = self.check_leaf(ty, Leaf::of(value), dir, &mut |m| out.push(path.violation(m)));
        let Some(ty) = target else { return };
        let strict = dir.strict();
        match &self.types[ty].kind {
            Kind::Object { fields } => {
                let fields: Vec<&Field> = fields.iter().collect();
                self.check_object(&fields, value, dir, path, out);
                self.check_cross(ty, value, dir, path, out);
            }
            Kind::Array { items, min_items, max_items } => {
                let Some(array) = value.as_array() else { return };
                if strict {
                    item_count(*min_items, *max_items, array.len(), &mut |m| out.push(path.violation(m)));
                }
                for (i, item) in array.iter().enumerate() {
                    path.push_index(i);
                    self.check_at(*items, item, dir, path, out);
                    path.pop();
                }
            }
            Kind::Map { values } => {
                let Some(map) = value.as_object() else { return };
                for (k, v) in map {
                    path.push_key(k);
                    self.check_at(*values, v, dir, path, out);
                    path.pop();
                }
            }
            Kind::OneOf { variants, tag_field } => match one_of_form(variants, tag_field.as_deref(), value) {
                OneOfForm::Wrapped(variant, inner) => {
                    path.push_key(&variant.wire);
                    self.check_at(variant.ty, inner, dir, path, out);
                    path.pop();
                }
                OneOfForm::Flat(variant, rest) => self.check_at(variant.ty, &rest, dir, path, out),
                OneOfForm::Unknown if !strict && value.is_object() => {}
                OneOfForm::Unknown => out.push(path.violation(one_of_expected(variants))),
            },
            _ => {}
        }
    }

    /// The checks of type `ty` that need no more of the value than `leaf` says: every rule of
    /// a scalar type, and the type mismatches of the others. Messages go to `emit`, for the
    /// value's own path. Returns the type whose rules the value's contents must be walked
    /// with (an object, map, array or one-of, after unwrapping an encrypted plaintext), or
    /// `None` when nothing more is to be checked. Every checker (the `Value` walk, the
    /// streaming reader, the serializer behind `validate()`) goes through here, so they give
    /// the same messages.
    pub(crate) fn check_leaf(
        &self,
        ty: TypeId,
        leaf: Leaf<'_>,
        dir: Direction,
        emit: &mut dyn FnMut(String),
    ) -> Option<TypeId> {
        let strict = dir.strict();
        let mut ty = ty;
        loop {
            let kind = &self.types[ty].kind;
            match kind {
                Kind::Any => {}
                Kind::Bool => {
                    if !matches!(leaf, Leaf::Bool(_)) {
                        emit(leaf.type_error("a boolean"));
                    }
                }
                Kind::Str { .. } => match leaf {
                    Leaf::Str(s) if strict => self.check_string(s, kind, emit),
                    Leaf::Str(_) => {}
                    _ => emit(leaf.type_error("a string")),
                },
                Kind::Int { min, max, as_string } => {
                    let n = match leaf {
                        Leaf::Number(n) => n.as_i64(),
                        Leaf::Str(s) if *as_string => s.trim().parse::<i64>().ok(),
                        _ => None,
                    };
                    match n {
                        Some(n) if strict => {
                            if let Some(min) = min.filter(|m| n < *m) {
                                emit(format!("{n} is less than the minimum {min}"));
                            }
                            if let Some(max) = max.filter(|m| n > *m) {
                                emit(format!("{n} is greater than the maximum {max}"));
                            }
                        }
                        Some(_) => {}
                        None => emit(leaf.type_error("an integer")),
                    }
                }
                Kind::Number { min, max } => match leaf {
                    Leaf::Number(n) => {
                        if let (true, Some(n)) = (strict, n.as_f64()) {
                            if let Some(min) = min.filter(|m| n < *m) {
                                emit(format!("{n} is less than the minimum {min}"));
                            }
                            if let Some(max) = max.filter(|m| n > *m) {
                                emit(format!("{n} is greater than the maximum {max}"));
                            }
                        }
                    }
                    _ => emit(leaf.type_error("a number")),
                },
                Kind::Decimal => match leaf {
                    Leaf::Number(n) if super::decimal::from_number(n).is_some() => {}
                    Leaf::Str(s) if super::decimal::parse(s).is_some() => {}
                    // A number, but not one an exact decimal holds.
                    Leaf::Number(n) => emit(super::decimal::out_of_range(&n.to_string())),
                    Leaf::Str(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                        emit(super::decimal::out_of_range(s))
                    }
                    _ => emit(leaf.type_error("a decimal number (JSON number or numeric string)")),
                },
                Kind::Date { format } => match leaf {
                    Leaf::Str(s) if parse_exact::<chrono::NaiveDate>(s, format).is_ok() => {}
                    Leaf::Str(s) => emit(format!("{s:?} is not a date in the format {format}")),
                    _ => emit(leaf.type_error("a date string")),
                },
                Kind::DateTime { format } => match leaf {
                    Leaf::Str(s) if parse_exact::<chrono::NaiveDateTime>(s, format).is_ok() => {}
                    Leaf::Str(s) => emit(format!("{s:?} is not a local date-time in the format {format}")),
                    _ => emit(leaf.type_error("a date-time string")),
                },
                Kind::Enum { values, integer, integer_as_string } => {
                    let digits: String;
                    let wire: Option<&str> = match (leaf, integer) {
                        (Leaf::Str(s), false) => Some(s),
                        (Leaf::Str(s), true) if *integer_as_string => match s.parse::<i64>() {
                            Ok(n) => {
                                digits = n.to_string();
                                Some(&digits)
                            }
                            Err(_) => None,
                        },
                        (Leaf::Number(n), true) if n.is_i64() || n.is_u64() => {
                            digits = n.to_string();
                            Some(&digits)
                        }
                        _ => None,
                    };
                    match wire {
                        None => emit(leaf.type_error(if *integer { "an integer" } else { "a string" })),
                        Some(w) if strict && !values.iter().any(|v| *v == w) => {
                            let allowed: Vec<&str> = values.iter().map(|v| v.as_ref()).collect();
                            emit(format!("{} is not one of {}", leaf.json(), allowed.join(", ")));
                        }
                        Some(_) => {}
                    }
                }
                Kind::Object { .. } | Kind::Map { .. } => match leaf {
                    Leaf::Object => return Some(ty),
                    _ => emit(leaf.type_error("an object")),
                },
                Kind::Array { .. } => match leaf {
                    Leaf::Array => return Some(ty),
                    _ => emit(leaf.type_error("an array")),
                },
                Kind::Encrypted { plaintext } => match leaf {
                    Leaf::Str(s) if !super::crypto::looks_like_aes_ciphertext(s) => {
                        emit("is not base64 AES ciphertext".to_owned())
                    }
                    Leaf::Str(_) => {}
                    _ => {
                        ty = *plaintext;
                        continue;
                    }
                },
                Kind::OneOf { variants, .. } => match leaf {
                    Leaf::Object => return Some(ty),
                    _ => emit(one_of_expected(variants)),
                },
            }
            return None;
        }
    }

    /// The cross-field rules of object type `ty` that `value` breaks (requests and strict
    /// responses only: a lenient response keeps what the vendor sent).
    fn check_cross(&self, ty: TypeId, value: &Value, dir: Direction, path: &mut JsonPath, out: &mut Vec<Violation>) {
        if !dir.strict() || self.cross_rules.is_empty() {
            return;
        }
        let Some(map) = value.as_object() else { return };
        let present = |f: &str| map.get(f).is_some_and(|v| !v.is_null());
        self.cross_problems(ty, &present, &mut |key, message| match key {
            Some(k) => {
                path.push_key(k);
                out.push(path.violation(message));
                path.pop();
            }
            None => out.push(path.violation(message)),
        });
    }

    /// The cross-field rules of object type `ty` broken by an object whose present (non-null)
    /// keys `present` tells: each message with the key it is about (`None`: the object).
    pub(crate) fn cross_problems(
        &self,
        ty: TypeId,
        present: &dyn Fn(&str) -> bool,
        emit: &mut dyn FnMut(Option<&str>, String),
    ) {
        let list = |fields: &[Str]| fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
        for rule in self.cross_rules.iter().filter(|r| r.ty == ty) {
            let found: Vec<&Str> = rule.fields.iter().filter(|f| present(f)).collect();
            match &rule.kind {
                CrossKind::AtLeastOne if found.is_empty() => {
                    emit(None, format!("one of {} is required", list(&rule.fields)));
                }
                CrossKind::ExactlyOne if found.len() != 1 => {
                    let got = if found.is_empty() {
                        "none is present".to_owned()
                    } else {
                        format!("{} are present", found.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", "))
                    };
                    emit(None, format!("exactly one of {} is allowed: {got}", list(&rule.fields)));
                }
                CrossKind::Requires { present: when, absent } if present(when) => {
                    if absent.as_ref().is_some_and(|a| present(a)) {
                        continue;
                    }
                    let condition = match absent {
                        Some(a) => format!("`{when}` is present and `{a}` is not"),
                        None => format!("`{when}` is present"),
                    };
                    for f in rule.fields.iter().filter(|f| !present(f)) {
                        emit(Some(f), format!("required when {condition}"));
                    }
                }
                _ => {}
            }
        }
    }

    fn check_object(
        &self,
        fields: &[&Field],
        value: &Value,
        dir: Direction,
        path: &mut JsonPath,
        out: &mut Vec<Violation>,
    ) {
        let Some(map) = value.as_object() else {
            out.push(type_error(path, "an object", value));
            return;
        };
        for field in fields {
            let found = std::iter::once(&field.wire)
                .chain(field.aliases.iter())
                .find_map(|name| map.get_key_value(name.as_ref()));
            match found {
                None if field.required => {
                    path.push_key(&field.wire);
                    out.push(path.violation("required field is missing".to_owned()));
                    path.pop();
                }
                None => {}
                Some((key, Value::Null)) => {
                    let null_ok = field.nullable || (!field.required && !dir.strict());
                    if !null_ok {
                        path.push_key(key);
                        out.push(path.violation("must not be null".to_owned()));
                        path.pop();
                    }
                }
                Some((key, v)) => {
                    path.push_key(key);
                    self.check_at(field.ty, v, dir, path, out);
                    path.pop();
                }
            }
        }
        if dir.strict() {
            for key in map.keys() {
                let known = fields.iter().any(|f| f.wire == *key || f.aliases.iter().any(|a| a == key));
                if !known {
                    path.push_key(key);
                    out.push(path.violation("unknown field".to_owned()));
                    path.pop();
                }
            }
        }
    }

    fn check_string(&self, s: &str, kind: &Kind, emit: &mut dyn FnMut(String)) {
        let Kind::Str { min_len, max_len, pattern, secret } = *kind else { return };
        let shown = || if secret { "the value".to_owned() } else { format!("{s:?}") };
        if min_len.is_some() || max_len.is_some() {
            let n = s.chars().count() as u64;
            if let Some(min) = min_len.filter(|m| n < *m) {
                emit(format!("{} is {n} characters long, shorter than the minimum {min}", shown()));
            }
            if let Some(max) = max_len.filter(|m| n > *m) {
                emit(format!("{} is {n} characters long, longer than the maximum {max}", shown()));
            }
        }
        if let Some(p) = pattern.and_then(|i| self.patterns.get(i)) {
            if !p.is_match(s) {
                emit(format!("{} does not match the pattern {}", shown(), p.source()));
            }
        }
    }
}

/// [`Schema::type_meta`]: no two fields of the object type share a name or alias.
pub(crate) const META_UNIQUE: u8 = 1;
/// [`Schema::type_meta`]: cross-field rules apply to the type.
pub(crate) const META_CROSS: u8 = 2;
/// [`Schema::type_meta`]: a value of the generated outbound types of this type breaks no rule
/// by construction (nothing at or below it is a range, an item count, a cross-field rule or
/// an encrypted value); see [`Schema::check_constructed`].
pub(crate) const META_PROVEN: u8 = 4;

/// Whether no two of `fields` share a wire name or alias.
pub(crate) fn unique_spellings(fields: &[&Field]) -> bool {
    let names: Vec<&str> = fields
        .iter()
        .flat_map(|f| std::iter::once(f.wire.as_ref()).chain(f.aliases.iter().map(|a| a.as_ref())))
        .collect();
    names.iter().enumerate().all(|(i, a)| !names[..i].contains(a))
}

/// How a value presents a one-of alternative.
enum OneOfForm<'s, 'v> {
    /// `{"<name>": inner}`.
    Wrapped(&'s Field, &'v Value),
    /// `{"<tag>": "<name>", ...rest}`; `rest` is the object without the tag.
    Flat(&'s Field, Value),
    /// Neither names a known alternative.
    Unknown,
}

fn one_of_form<'s, 'v>(variants: &'s [Field], tag_field: Option<&str>, value: &'v Value) -> OneOfForm<'s, 'v> {
    let Some(map) = value.as_object() else { return OneOfForm::Unknown };
    if map.len() == 1 {
        let (key, inner) = map.iter().next().expect("one entry");
        if let Some(v) = variants.iter().find(|v| v.wire == *key) {
            return OneOfForm::Wrapped(v, inner);
        }
    }
    if let Some(tag) = tag_field {
        if let Some(Value::String(name)) = map.get(tag) {
            if let Some(v) = variants.iter().find(|v| v.wire == *name) {
                let mut rest = map.clone();
                rest.remove(tag);
                return OneOfForm::Flat(v, Value::Object(rest));
            }
        }
    }
    OneOfForm::Unknown
}

/// Which alternative `value` holds and its payload, wrapped or flat; `None` if neither.
pub fn one_of_variant(
    variants: &[&'static str],
    tag_field: Option<&str>,
    value: Value,
) -> Result<(&'static str, Value), Value> {
    let Value::Object(mut map) = value else { return Err(value) };
    if map.len() == 1 {
        let key = map.keys().next().expect("one entry").clone();
        if let Some(name) = variants.iter().find(|v| **v == key) {
            return Ok((name, map.remove(&key).expect("present")));
        }
    }
    if let Some(tag) = tag_field {
        let named = match map.get(tag) {
            Some(Value::String(n)) => variants.iter().find(|v| **v == n),
            _ => None,
        };
        if let Some(name) = named {
            map.remove(tag);
            return Ok((name, Value::Object(map)));
        }
    }
    Err(Value::Object(map))
}

/// The message for an envelope that flattens a body which is not an object.
pub(crate) const FLATTENED_NON_OBJECT: &str = "the spec's envelope flattens a body that is not an object";

fn unreachable_kind(out: &mut Vec<Violation>, path: &JsonPath) {
    out.push(path.violation(FLATTENED_NON_OBJECT.to_owned()));
}

fn type_error(path: &JsonPath, expected: &str, found: &Value) -> Violation {
    path.violation(Leaf::of(found).type_error(expected))
}

/// A JSON value as far as [`Schema::check_leaf`] looks at it: a scalar, or the kind of
/// container it is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Leaf<'a> {
    Null,
    Bool(bool),
    Number(&'a serde_json::Number),
    Str(&'a str),
    Array,
    Object,
}

impl<'a> Leaf<'a> {
    pub(crate) fn of(value: &'a Value) -> Self {
        match value {
            Value::Null => Leaf::Null,
            Value::Bool(b) => Leaf::Bool(*b),
            Value::Number(n) => Leaf::Number(n),
            Value::String(s) => Leaf::Str(s),
            Value::Array(_) => Leaf::Array,
            Value::Object(_) => Leaf::Object,
        }
    }

    /// `expected {expected}, found {what this is}`.
    pub(crate) fn type_error(self, expected: &str) -> String {
        let found = match self {
            Leaf::Null => "null",
            Leaf::Bool(_) => "a boolean",
            Leaf::Number(_) => "a number",
            Leaf::Str(_) => "a string",
            Leaf::Array => "an array",
            Leaf::Object => "an object",
        };
        format!("expected {expected}, found {found}")
    }

    /// The scalar as JSON text (as `Value`'s `Display` writes it).
    fn json(self) -> String {
        match self {
            Leaf::Null => "null".to_owned(),
            Leaf::Bool(b) => b.to_string(),
            Leaf::Number(n) => Value::Number(n.clone()).to_string(),
            Leaf::Str(s) => Value::String(s.to_owned()).to_string(),
            Leaf::Array => "[...]".to_owned(),
            Leaf::Object => "{...}".to_owned(),
        }
    }
}

/// The item-count rules of an array of `n` items.
pub(crate) fn item_count(min: Option<u64>, max: Option<u64>, n: usize, emit: &mut dyn FnMut(String)) {
    let n = n as u64;
    if let Some(min) = min.filter(|m| n < *m) {
        emit(format!("has {n} items, fewer than the minimum {min}"));
    }
    if let Some(max) = max.filter(|m| n > *m) {
        emit(format!("has {n} items, more than the maximum {max}"));
    }
}

/// The message for a value that names no alternative of a one-of.
pub(crate) fn one_of_expected(variants: &[Field]) -> String {
    let names: Vec<String> = variants.iter().map(|v| format!("{{\"{}\": ...}}", v.wire)).collect();
    format!("expected one of {}", names.join(", "))
}

/// Short constructors for the generated `SCHEMA` statics: a vendor's schema holds thousands
/// of types, and spelling every `Cow::Borrowed` out made the generated file (and its compile
/// time) several times larger.
pub mod build {
    use std::borrow::Cow;

    use super::{Field, Kind, TypeDef, TypeId};

    /// A borrowed string.
    pub const fn b(s: &'static str) -> Cow<'static, str> {
        Cow::Borrowed(s)
    }
    /// A type.
    pub const fn t(name: &'static str, kind: Kind) -> TypeDef {
        TypeDef { name: Cow::Borrowed(name), kind }
    }
    /// A field without aliases.
    pub const fn f(wire: &'static str, ty: TypeId, required: bool, nullable: bool) -> Field {
        Field { wire: Cow::Borrowed(wire), aliases: Cow::Borrowed(&[]), ty, required, nullable }
    }
    /// A field with aliases.
    pub const fn fa(
        wire: &'static str,
        aliases: &'static [Cow<'static, str>],
        ty: TypeId,
        required: bool,
        nullable: bool,
    ) -> Field {
        Field { wire: Cow::Borrowed(wire), aliases: Cow::Borrowed(aliases), ty, required, nullable }
    }
    /// An object.
    pub const fn obj(fields: &'static [Field]) -> Kind {
        Kind::Object { fields: Cow::Borrowed(fields) }
    }
    /// A string.
    pub const fn s(min_len: Option<u64>, max_len: Option<u64>, pattern: Option<usize>, secret: bool) -> Kind {
        Kind::Str { min_len, max_len, pattern, secret }
    }
    /// An integer.
    pub const fn int(min: Option<i64>, max: Option<i64>, as_string: bool) -> Kind {
        Kind::Int { min, max, as_string }
    }
    /// A number.
    pub const fn num(min: Option<f64>, max: Option<f64>) -> Kind {
        Kind::Number { min, max }
    }
    /// A date.
    pub const fn date(format: &'static str) -> Kind {
        Kind::Date { format: Cow::Borrowed(format) }
    }
    /// A local date-time.
    pub const fn datetime(format: &'static str) -> Kind {
        Kind::DateTime { format: Cow::Borrowed(format) }
    }
    /// An enum.
    pub const fn en(values: &'static [Cow<'static, str>], integer: bool, integer_as_string: bool) -> Kind {
        Kind::Enum { values: Cow::Borrowed(values), integer, integer_as_string }
    }
    /// An array.
    pub const fn arr(items: TypeId, min_items: Option<u64>, max_items: Option<u64>) -> Kind {
        Kind::Array { items, min_items, max_items }
    }
    /// A map.
    pub const fn map(values: TypeId) -> Kind {
        Kind::Map { values }
    }
    /// A one-of.
    pub const fn one(variants: &'static [Field], tag_field: Option<&'static str>) -> Kind {
        Kind::OneOf {
            variants: Cow::Borrowed(variants),
            tag_field: match tag_field {
                Some(t) => Some(Cow::Borrowed(t)),
                None => None,
            },
        }
    }
    /// An encrypted value.
    pub const fn enc(plaintext: TypeId) -> Kind {
        Kind::Encrypted { plaintext }
    }
}

/// What a JSON path reaches in a wire body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    /// A value of this type.
    Type(TypeId),
    /// Somewhere inside an `any` value, whose shape the spec does not give.
    Any,
}

impl Schema {
    /// What `steps` reach in operation `op`'s whole response wire body (envelope fields,
    /// and the operation's response body where the envelope puts it); `op` `None` reaches
    /// envelope fields only (the body is `any`). The error says where the path leaves the
    /// declared shape.
    pub fn response_path(
        &self,
        op: Option<&OperationSchema>,
        steps: &[super::jsonpath::Step],
    ) -> Result<Reached, String> {
        use super::jsonpath::Step;
        let env = &self.response_envelope;
        let mut roots: Vec<(&str, Option<TypeId>)> = env.fields.iter().map(|f| (f.wire.as_ref(), Some(f.ty))).collect();
        // A body flattened beside the envelope that is not a described object (a raw body) may
        // hold any key; the envelope's own fields keep their types.
        let mut open = false;
        match (&env.body, op) {
            (BodyPlacement::Field { name, .. }, op) => roots.push((name.as_ref(), op.map(|o| o.response))),
            (BodyPlacement::Flatten, Some(op)) => match &self.types[op.response].kind {
                Kind::Object { fields } => roots.extend(fields.iter().map(|f| (f.wire.as_ref(), Some(f.ty)))),
                _ => open = true,
            },
            (BodyPlacement::Flatten, None) => {}
        }
        let Some((first, rest)) = steps.split_first() else { return Err("the path is empty".to_owned()) };
        let enter = |ty: Option<TypeId>| match ty {
            Some(ty) => self.path_in(ty, rest),
            None => Ok(Reached::Any),
        };
        match first {
            Step::Key(k) => match roots.iter().find(|(w, _)| w == k) {
                Some((_, ty)) => enter(*ty),
                None if open => Ok(Reached::Any),
                None => Err(format!("the response has no field `{k}`")),
            },
            Step::AnyKey => {
                let mut last = Err("the response has no fields for `*`".to_owned());
                for (_, ty) in &roots {
                    last = enter(*ty);
                    if last.is_ok() {
                        break;
                    }
                }
                if open && last.is_err() {
                    return Ok(Reached::Any);
                }
                last
            }
            Step::Index(_) => Err("the response is an object, not a list".to_owned()),
        }
    }

    /// What `steps` reach inside a value of type `ty`.
    pub fn path_in(&self, ty: TypeId, steps: &[super::jsonpath::Step]) -> Result<Reached, String> {
        use super::jsonpath::Step;
        let Some((first, rest)) = steps.split_first() else { return Ok(Reached::Type(ty)) };
        let name = &self.types[ty].name;
        match (&self.types[ty].kind, first) {
            (Kind::Any, _) => Ok(Reached::Any),
            (Kind::Object { fields }, Step::Key(k)) => match fields.iter().find(|f| f.wire == *k) {
                Some(f) => self.path_in(f.ty, rest),
                None => Err(format!("`{name}` has no field `{k}`")),
            },
            (Kind::Object { fields }, Step::AnyKey) => {
                let mut last = Err(format!("`{name}` has no fields for `*`"));
                for f in fields.iter() {
                    last = self.path_in(f.ty, rest);
                    if last.is_ok() {
                        break;
                    }
                }
                last
            }
            (Kind::OneOf { variants, .. }, Step::Key(k)) => match variants.iter().find(|f| f.wire == *k) {
                Some(f) => self.path_in(f.ty, rest),
                None => Err(format!("`{name}` has no alternative `{k}`")),
            },
            (Kind::Map { values }, Step::Key(_) | Step::AnyKey) => self.path_in(*values, rest),
            (Kind::Array { items, .. }, Step::Index(_)) => self.path_in(*items, rest),
            (Kind::Array { .. }, _) => Err(format!("`{name}` is a list: index it, as in `[0]`")),
            (_, Step::Index(_)) => Err(format!("`{name}` is not a list")),
            (_, _) => Err(format!("`{name}` is not an object")),
        }
    }

    /// The response envelope with every required field set to a zero value (the start of an
    /// answer built from nothing: the mock's refusals and default successes).
    pub fn zero_response_envelope(&self) -> Value {
        let fields = self.response_envelope.fields.iter().filter(|f| f.required);
        Value::Object(fields.map(|f| (f.wire.to_string(), self.zero(f.ty))).collect())
    }

    /// A value of type `ty` with every required field set to a zero value (`0`, `""`,
    /// `false`, the first enum value, `[]`), for answers built from nothing.
    pub fn zero(&self, ty: TypeId) -> Value {
        self.zero_at(ty, 0)
    }

    fn zero_at(&self, ty: TypeId, depth: usize) -> Value {
        match &self.types[ty].kind {
            Kind::Int { .. } | Kind::Number { .. } | Kind::Decimal => Value::from(0),
            Kind::Bool => Value::Bool(false),
            Kind::Enum { values, integer, .. } => match values.first() {
                Some(v) if *integer => v.parse::<i64>().map(Value::from).unwrap_or(Value::from(0)),
                Some(v) => Value::from(v.as_ref()),
                None => Value::Null,
            },
            Kind::Object { fields } => {
                let mut map = serde_json::Map::new();
                if depth < 8 {
                    for f in fields.iter().filter(|f| f.required) {
                        map.insert(f.wire.to_string(), self.zero_at(f.ty, depth + 1));
                    }
                }
                Value::Object(map)
            }
            Kind::Map { .. } => Value::Object(serde_json::Map::new()),
            Kind::Array { .. } => Value::Array(Vec::new()),
            Kind::Any => Value::Null,
            _ => Value::from(""),
        }
    }
}
