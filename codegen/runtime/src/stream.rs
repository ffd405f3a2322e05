//! Validation without a `serde_json::Value` of the whole document.
//!
//! Two drivers walk the schema kind by kind, with the same rules and messages as the `Value`
//! walk ([`Schema::check`], [`Schema::check_wire`], [`Schema::check_error_wire`]):
//!
//! - **Wire bytes, while they are parsed** ([`Schema::check_wire_reader`],
//!   [`Schema::check_wire_slice`], [`Schema::check_error_wire_reader`],
//!   [`Schema::check_reader`] and their `_slice` forms): a `serde::de::DeserializeSeed`
//!   driven by the schema. Memory is the document's depth, its longest string and the
//!   violations found, not the document (`scripts/memory.py`: a 51 MB response is checked
//!   with the same 15 MB peak as a 1 MB one). [`Schema::check_wire_reader_keeping`] also keeps
//!   the values at a few JSON paths, such as the ones a vendor's error rule reads
//!   ([`error_rule_paths`]), so that a response's API error can be reported without the
//!   document.
//! - **Typed values, while they serialize themselves** ([`Schema::check_serialized`], which
//!   [`Validate::validate`](crate::Validate::validate) runs): a `serde::Serializer` driven by
//!   the schema, so no `Value` is built.
//!
//! Both give the same violations as the `Value` walk: same paths, same messages, same order.
//! The `Value` walk checks an object's fields in spec order, then its unknown keys in key
//! order (a `serde_json::Map` is sorted), then its cross-field rules; the drivers see keys in
//! document order, so each object (and map) collects its fields' violations as ranges of the
//! output and puts them in that order when it ends. A key repeated in a document counts once,
//! with its last value, as in a `Value`.
//!
//! What is still buffered as a `Value` (and checked by the `Value` walk): the value of a
//! one-of (its form, wrapped or flat, is known only from the whole object), the value of a
//! key that two fields of one object share (a linted spec never has one) and the value of the
//! envelope's action field (`operation_field`, a short string), and the values kept at the
//! paths given to the `_keeping` checks. The serializer also buffers tuple and struct
//! variants and byte strings, which generated types never write.
//! Profile rules ([`Schema::check_profile`]) are not streamed: they apply to requests, which
//! are small; `validate_in` checks them on a `Value`.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::io::Read;
use std::sync::OnceLock;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Impossible, Serialize, SerializeMap as _, Serializer};
use serde::Deserialize;
use serde_json::{Number, Value};

use super::errors::{ErrorRule, Success};
use super::jsonpath::Step;
use super::schema::{
    item_count, unique_spellings, BodyPlacement, Direction, Field, Kind, Leaf, Schema, TypeId, UnknownOperation,
    FLATTENED_NON_OBJECT, META_CROSS, META_PROVEN, META_UNIQUE,
};
use super::violation::{JsonPath, Violation};

/// Why wire bytes could not be checked at all (no violations are reported then).
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The operation is not in the schema.
    #[error(transparent)]
    UnknownOperation(#[from] UnknownOperation),
    /// The reader failed.
    #[error("cannot read the input: {0}")]
    Read(std::io::Error),
    /// The bytes are not one JSON document.
    #[error("not valid JSON: {0}")]
    Json(serde_json::Error),
}

impl StreamError {
    fn from_json(e: serde_json::Error) -> Self {
        if e.is_io() {
            StreamError::Read(e.into())
        } else {
            StreamError::Json(e)
        }
    }
}

/// Why a typed value could not be checked: its `Serialize` implementation failed (the
/// message is the one `serde_json::to_value` gives).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SerializeError(pub String);

impl ser::Error for SerializeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        SerializeError(msg.to_string())
    }
}

impl SerializeError {
    fn json(e: serde_json::Error) -> Self {
        SerializeError(e.to_string())
    }
}

/// What [`Schema::check_wire_reader_keeping`] found: the violations, and the values at the
/// asked-for JSON paths (in the places they have in the document, everything else left out).
#[derive(Debug, Clone, PartialEq)]
pub struct WireReport {
    /// The same violations as [`Schema::check_wire`].
    pub violations: Vec<Violation>,
    /// The document reduced to the values at the kept paths (`null` when none is there):
    /// [`jsonpath::get`](crate::jsonpath::get) of a kept path finds the same value in it as in
    /// the whole document.
    pub kept: Value,
}

/// The JSON paths an error rule reads, for [`Schema::check_wire_reader_keeping`]: with them
/// kept, [`ErrorRule::error_in`] of the kept document is that of the whole document.
pub fn error_rule_paths(rule: &ErrorRule) -> Vec<&'static str> {
    let success = match rule.success {
        Success::Field { path, .. } => Some(path),
        Success::Codes(_) | Success::Http => None,
    };
    [rule.list, rule.code, rule.message, rule.trace, rule.status, success].into_iter().flatten().collect()
}

impl Schema {
    /// [`Schema::check_wire_reader`], also keeping the values at the JSON paths `keep`
    /// (`errorDetails.code`, `*.Result.Error`: see [`crate::jsonpath`]) in a small document, so
    /// that what is read from them afterwards (a response's API error, with
    /// [`error_rule_paths`]) needs no `Value` of the whole body. Paths that do not parse keep
    /// nothing.
    pub fn check_wire_reader_keeping(
        &self,
        operation: &str,
        reader: impl Read,
        direction: Direction,
        keep: &[&str],
    ) -> Result<WireReport, StreamError> {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
        let report = self.wire(operation, &mut de, direction, parse_paths(keep))?;
        de.end().map_err(StreamError::from_json)?;
        Ok(report)
    }

    /// [`Schema::check_wire_reader_keeping`] on JSON text in memory.
    pub fn check_wire_slice_keeping(
        &self,
        operation: &str,
        bytes: &[u8],
        direction: Direction,
        keep: &[&str],
    ) -> Result<WireReport, StreamError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let report = self.wire(operation, &mut de, direction, parse_paths(keep))?;
        de.end().map_err(StreamError::from_json)?;
        Ok(report)
    }

    /// [`Schema::check_wire`] on JSON text read from `reader`, checked while it is parsed:
    /// the same violations, in the same order, without holding the document (the reader is
    /// buffered here). Unknown operations and unreadable or invalid JSON are errors.
    pub fn check_wire_reader(
        &self,
        operation: &str,
        reader: impl Read,
        direction: Direction,
    ) -> Result<Vec<Violation>, StreamError> {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
        let report = self.wire(operation, &mut de, direction, Vec::new())?;
        de.end().map_err(StreamError::from_json)?;
        Ok(report.violations)
    }

    /// [`Schema::check_wire`] on JSON text in memory, checked while it is parsed.
    pub fn check_wire_slice(
        &self,
        operation: &str,
        bytes: &[u8],
        direction: Direction,
    ) -> Result<Vec<Violation>, StreamError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let report = self.wire(operation, &mut de, direction, Vec::new())?;
        de.end().map_err(StreamError::from_json)?;
        Ok(report.violations)
    }

    /// [`Schema::check_error_wire`] on JSON text read from `reader`, checked while it is parsed.
    pub fn check_error_wire_reader(&self, reader: impl Read) -> Result<Vec<Violation>, StreamError> {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
        let out = self.error_wire(&mut de)?;
        de.end().map_err(StreamError::from_json)?;
        Ok(out)
    }

    /// [`Schema::check_error_wire`] on JSON text in memory, checked while it is parsed.
    pub fn check_error_wire_slice(&self, bytes: &[u8]) -> Result<Vec<Violation>, StreamError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let out = self.error_wire(&mut de)?;
        de.end().map_err(StreamError::from_json)?;
        Ok(out)
    }

    /// [`Schema::check`] on JSON text read from `reader`, checked while it is parsed.
    pub fn check_reader(
        &self,
        ty: TypeId,
        reader: impl Read,
        direction: Direction,
    ) -> Result<Vec<Violation>, StreamError> {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
        let mut core = Core::new(self, direction);
        Node::new(&mut core, Some(ty), None).deserialize(&mut de).map_err(StreamError::from_json)?;
        de.end().map_err(StreamError::from_json)?;
        Ok(core.finish())
    }

    /// [`Schema::check`] on JSON text in memory, checked while it is parsed.
    pub fn check_slice(&self, ty: TypeId, bytes: &[u8], direction: Direction) -> Result<Vec<Violation>, StreamError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let mut core = Core::new(self, direction);
        Node::new(&mut core, Some(ty), None).deserialize(&mut de).map_err(StreamError::from_json)?;
        de.end().map_err(StreamError::from_json)?;
        Ok(core.finish())
    }

    /// [`Schema::check`] on what `value` serializes to, checked as it is serialized: the
    /// same violations as `check(ty, &serde_json::to_value(value)?, direction)` without
    /// building the `Value`. The error is the one `to_value` would give.
    pub fn check_serialized<T: Serialize + ?Sized>(
        &self,
        ty: TypeId,
        value: &T,
        direction: Direction,
    ) -> Result<Vec<Violation>, SerializeError> {
        let mut core = Core::new(self, direction);
        value.serialize(Ser { core: &mut core, ty: Some(ty), null_ok: None })?;
        Ok(core.finish())
    }

    /// [`Schema::check_serialized`] for a value of the generated outbound types (what
    /// [`Validate::validate`](crate::Validate::validate) checks): their construction already
    /// proved patterns and lengths (validated newtypes), dates, decimals, closed enums, required
    /// fields and the absence of unknown keys, so the parts of the value whose schema has no
    /// other rule (integer and number ranges, item counts, cross-field rules, encrypted
    /// values) are not walked, only looked at for `null`. Any other value gets the whole check:
    /// use [`Schema::check_serialized`].
    pub fn check_constructed<T: Serialize + ?Sized>(
        &self,
        ty: TypeId,
        value: &T,
        direction: Direction,
    ) -> Result<Vec<Violation>, SerializeError> {
        let mut core = Core::new(self, direction);
        core.trusted = true;
        core.value(ty, None, value)?;
        Ok(core.finish())
    }

    fn wire<'de, R: serde_json::de::Read<'de>>(
        &self,
        op: &str,
        de: &mut serde_json::Deserializer<R>,
        direction: Direction,
        keep: Vec<Vec<Step>>,
    ) -> Result<WireReport, StreamError> {
        let operation = self.operation(op).ok_or_else(|| UnknownOperation(op.to_owned()))?;
        let (envelope, body) = match direction {
            Direction::Request => (&self.request_envelope, operation.request),
            _ => (&self.response_envelope, operation.response),
        };
        let mut core = Core::new(self, direction);
        let on: Vec<(usize, usize)> = (0..keep.len()).map(|p| (p, 0)).collect();
        core.keep = keep;
        let mut fields: Vec<&Field> = envelope.fields.iter().collect();
        let mut cross = None;
        let mut filter_known = false;
        let mut op_field = envelope.operation_field.as_deref();
        let body_field;
        match &envelope.body {
            BodyPlacement::Flatten => match &self.types[body].kind {
                Kind::Object { fields: body_fields } => {
                    fields.extend(body_fields.iter());
                    cross = Some(body);
                }
                Kind::Any => {
                    // An undocumented body: the envelope's fields are checked, the rest let through.
                    filter_known = true;
                    op_field = None;
                }
                _ if envelope.fields.is_empty() => {
                    // No envelope: the body is the whole document.
                    let node = Node { core: &mut core, ty: Some(body), null_ok: None, on };
                    node.deserialize(de).map_err(StreamError::from_json)?;
                    return Ok(core.report());
                }
                _ => {
                    core.emit(FLATTENED_NON_OBJECT.to_owned());
                    cross = Some(body);
                }
            },
            BodyPlacement::Field { name, required } => {
                body_field = Field::envelope_body(name, *required, body);
                fields.push(&body_field);
            }
        }
        let unique = unique_spellings(&fields);
        let mut object = Object::begin(&mut core, Fields::Refs(&fields), cross, unique);
        object.filter_known = filter_known;
        object.operation = op_field.map(|f| (f, op));
        object.on = on;
        serde::Deserializer::deserialize_any(de, Root { core: &mut core, object }).map_err(StreamError::from_json)?;
        Ok(core.report())
    }

    fn error_wire<'de, R: serde_json::de::Read<'de>>(
        &self,
        de: &mut serde_json::Deserializer<R>,
    ) -> Result<Vec<Violation>, StreamError> {
        let mut core = Core::new(self, Direction::StrictResponse);
        let fields: Vec<&Field> = self.response_envelope.fields.iter().collect();
        let unique = unique_spellings(&fields);
        let mut object = Object::begin(&mut core, Fields::Refs(&fields), None, unique);
        object.filter_known = true;
        serde::Deserializer::deserialize_any(de, Root { core: &mut core, object }).map_err(StreamError::from_json)?;
        Ok(core.finish())
    }
}

// ---------------------------------------------------------------------------------------------
// Shared state: the path, the violations, reusable buffers.
// ---------------------------------------------------------------------------------------------

/// A JSON path kept as one string of keys and a list of segments: pushing a key copies it
/// into the string (no allocation once the string has grown); a [`JsonPath`] is built only
/// for a violation.
#[derive(Default)]
struct Path {
    text: String,
    segs: Vec<Seg>,
}

#[derive(Clone, Copy)]
enum Seg {
    /// A key, from this offset of `text` to the next key's offset (or the end).
    Key(usize),
    /// A key that lives forever (a struct field's name), not copied.
    Static(&'static str),
    Index(usize),
}

impl Path {
    fn push_key(&mut self, key: &str) {
        self.segs.push(Seg::Key(self.text.len()));
        self.text.push_str(key);
    }

    fn push_static(&mut self, key: &'static str) {
        self.segs.push(Seg::Static(key));
    }

    fn push_index(&mut self, i: usize) {
        self.segs.push(Seg::Index(i));
    }

    fn pop(&mut self) {
        if let Some(Seg::Key(start)) = self.segs.pop() {
            self.text.truncate(start);
        }
    }

    /// The innermost segment's key ("" for an index).
    fn last_key(&self) -> &str {
        match self.segs.last() {
            Some(Seg::Key(start)) => &self.text[*start..],
            Some(Seg::Static(key)) => key,
            _ => "",
        }
    }

    /// The key of segment `j` ("" for an index).
    fn key_at(&self, j: usize) -> &str {
        match self.segs[j] {
            Seg::Index(_) => "",
            Seg::Static(key) => key,
            Seg::Key(start) => {
                let end = self.segs[j + 1..]
                    .iter()
                    .find_map(|s| match s {
                        Seg::Key(e) => Some(*e),
                        Seg::Static(_) | Seg::Index(_) => None,
                    })
                    .unwrap_or(self.text.len());
                &self.text[start..end]
            }
        }
    }

    fn json(&self) -> JsonPath {
        let mut path = JsonPath::root();
        for (j, seg) in self.segs.iter().enumerate() {
            match *seg {
                Seg::Index(i) => path.push_index(i),
                Seg::Static(key) => path.push_key(key),
                Seg::Key(start) => {
                    let end = self.segs[j + 1..]
                        .iter()
                        .find_map(|s| match s {
                            Seg::Key(e) => Some(*e),
                            Seg::Static(_) | Seg::Index(_) => None,
                        })
                        .unwrap_or(self.text.len());
                    path.push_key(&self.text[start..end]);
                }
            }
        }
        path
    }

    fn violation(&self, message: String) -> Violation {
        self.json().violation(message)
    }
}

fn parse_paths(keep: &[&str]) -> Vec<Vec<Step>> {
    keep.iter().filter_map(|p| super::jsonpath::parse(p).ok()).collect()
}

/// One step of the document, to follow kept paths.
#[derive(Clone, Copy)]
enum At<'a> {
    Key(&'a str),
    Index(usize),
}

/// Per-object buffers, reused from object to object.
#[derive(Default)]
struct Scratch {
    /// Per field: the key chosen so far for it and where its value's violations are.
    slots: Vec<Option<Cand>>,
    /// Unknown keys (strict checks), with their position in the object.
    unknown: Vec<(String, usize)>,
    /// Values kept whole (see the module documentation), by key; the last value of a key.
    buffered: Vec<(String, Value)>,
}

/// Buffers reused by the next check on the same thread (so a small `validate()` allocates
/// nothing once warm).
#[derive(Default)]
struct Buffers {
    path: Path,
    /// One scratch per nesting level of the objects being walked.
    pool: Vec<Scratch>,
    /// How many objects are open (the next one's scratch is `pool[open]`).
    open: usize,
    /// For `collect_str`.
    text: String,
    /// For the pending keys of maps being serialized.
    keys: Vec<String>,
}

thread_local! {
    static BUFFERS: Cell<Option<Box<Buffers>>> = const { Cell::new(None) };
}

/// Whether `serde_json::Map` keeps insertion order (its `preserve_order` feature, which
/// another crate of a build may turn on): then a `Value` walk meets keys in document order,
/// not sorted, and so must the drivers.
fn insertion_order() -> bool {
    static ORDER: OnceLock<bool> = OnceLock::new();
    *ORDER.get_or_init(|| {
        let mut map = serde_json::Map::new();
        map.insert("b".to_owned(), Value::Null);
        map.insert("a".to_owned(), Value::Null);
        map.keys().next().map(String::as_str) == Some("b")
    })
}

struct Core<'s> {
    schema: &'s Schema,
    dir: Direction,
    strict: bool,
    meta: &'s [u8],
    insertion_order: bool,
    out: Vec<Violation>,
    buffers: Box<Buffers>,
    /// The paths to keep values at ([`Schema::check_wire_reader_keeping`]).
    keep: Vec<Vec<Step>>,
    /// The values kept so far, in place.
    kept: Value,
    /// The kept paths that go on below the key just read (for its value's walk).
    next_on: Vec<(usize, usize)>,
    /// The value is of the generated outbound types ([`Schema::check_constructed`]): what
    /// their construction proved is not walked.
    trusted: bool,
}

impl<'s> Core<'s> {
    fn new(schema: &'s Schema, dir: Direction) -> Self {
        let mut buffers = BUFFERS.with(|b| b.take()).unwrap_or_default();
        buffers.path.text.clear();
        buffers.path.segs.clear();
        buffers.open = 0;
        Core {
            schema,
            dir,
            strict: dir.strict(),
            meta: schema.type_meta(),
            insertion_order: insertion_order(),
            out: Vec::new(),
            buffers,
            keep: Vec::new(),
            kept: Value::Null,
            next_on: Vec::new(),
            trusted: false,
        }
    }

    /// Whether a trusted value of type `ty` breaks no rule by construction (see
    /// [`META_PROVEN`]), so that only whether it is `null` needs looking at.
    fn proven(&self, ty: TypeId) -> bool {
        self.trusted && self.meta.get(ty).is_some_and(|m| m & META_PROVEN != 0)
    }

    /// Checks one value of type `ty` as it serializes: walked, or, when construction proved it,
    /// only looked at for `null`. Whether it serialized as `null`.
    fn value<T: Serialize + ?Sized>(
        &mut self,
        ty: TypeId,
        null_ok: Option<bool>,
        value: &T,
    ) -> Result<bool, SerializeError> {
        if self.proven(ty) {
            let null = value.serialize(NullProbe)?;
            if null {
                self.null(Some(ty), null_ok);
            }
            return Ok(null);
        }
        value.serialize(Ser { core: self, ty: Some(ty), null_ok })
    }

    fn finish(self) -> Vec<Violation> {
        self.report().violations
    }

    fn report(self) -> WireReport {
        let Core { out, buffers, kept, .. } = self;
        BUFFERS.with(|b| b.set(Some(buffers)));
        WireReport { violations: out, kept }
    }

    /// The kept paths (`on`: path, next step) that `at` continues: whether one ends there
    /// (its value is kept whole), and the ones that go deeper.
    fn step_into(&self, on: &[(usize, usize)], at: At<'_>) -> (bool, Vec<(usize, usize)>) {
        let mut whole = false;
        let mut deeper = Vec::new();
        for &(p, i) in on {
            let hit = match (&self.keep[p][i], at) {
                (Step::Key(k), At::Key(key)) => k == key,
                (Step::AnyKey, At::Key(_)) => true,
                (Step::Index(n), At::Index(j)) => *n == j,
                _ => false,
            };
            if hit {
                if i + 1 == self.keep[p].len() {
                    whole = true;
                } else {
                    deeper.push((p, i + 1));
                }
            }
        }
        (whole, deeper)
    }

    /// Keeps `value` at the current path (replacing what a repeated key kept before).
    fn keep_value(&mut self, value: Value) {
        let mut node = &mut self.kept;
        let path = &self.buffers.path;
        for (j, seg) in path.segs.iter().enumerate() {
            node = match *seg {
                Seg::Index(i) => {
                    if !node.is_array() {
                        *node = Value::Array(Vec::new());
                    }
                    let Value::Array(items) = node else { unreachable!("made an array above") };
                    if items.len() <= i {
                        items.resize(i + 1, Value::Null);
                    }
                    &mut items[i]
                }
                Seg::Key(_) | Seg::Static(_) => {
                    if !node.is_object() {
                        *node = Value::Object(serde_json::Map::new());
                    }
                    let Value::Object(map) = node else { unreachable!("made an object above") };
                    map.entry(path.key_at(j).to_owned()).or_insert(Value::Null)
                }
            };
        }
        *node = value;
    }

    /// Forgets what was kept at the current path (a repeated key's earlier value).
    fn unkeep(&mut self) {
        let path = &self.buffers.path;
        let Some((last, parents)) = path.segs.split_last() else { return };
        let mut node = &mut self.kept;
        for (j, seg) in parents.iter().enumerate() {
            let next = match (*seg, node) {
                (Seg::Index(i), Value::Array(items)) => items.get_mut(i),
                (Seg::Key(_) | Seg::Static(_), Value::Object(map)) => map.get_mut(path.key_at(j)),
                _ => None,
            };
            let Some(next) = next else { return };
            node = next;
        }
        if let (Seg::Key(_) | Seg::Static(_), Value::Object(map)) = (*last, node) {
            map.remove(path.key_at(parents.len()));
        }
    }

    fn path(&mut self) -> &mut Path {
        &mut self.buffers.path
    }

    /// A violation at the current path.
    fn emit(&mut self, message: String) {
        let v = self.buffers.path.violation(message);
        self.out.push(v);
    }

    /// [`Schema::check_leaf`] at the current path.
    fn leaf(&mut self, ty: TypeId, leaf: Leaf<'_>) -> Option<TypeId> {
        let (path, out) = (&self.buffers.path, &mut self.out);
        self.schema.check_leaf(ty, leaf, self.dir, &mut |m| out.push(path.violation(m)))
    }

    /// A `null`: for a field, only whether it may be null; otherwise the type's check.
    fn null(&mut self, ty: Option<TypeId>, null_ok: Option<bool>) {
        match (null_ok, ty) {
            (Some(true), _) => {}
            (Some(false), _) => self.emit("must not be null".to_owned()),
            (None, Some(ty)) => {
                self.leaf(ty, Leaf::Null);
            }
            (None, None) => {}
        }
    }

    /// The `Value` walk on a buffered value at the current path.
    fn check_value(&mut self, ty: TypeId, value: &Value) {
        let mut path = self.buffers.path.json();
        self.schema.check_at(ty, value, self.dir, &mut path, &mut self.out);
    }

    /// What to do with a container of type `ty` (`None`: unchecked).
    fn container(&mut self, ty: Option<TypeId>, leaf: Leaf<'_>) -> Target<'s> {
        let Some(ty) = ty else { return Target::Skip };
        let Some(ty) = self.leaf(ty, leaf) else { return Target::Skip };
        match &self.schema.types[ty].kind {
            Kind::Object { fields } => Target::Object(ty, fields),
            Kind::Map { values } => Target::Map(*values),
            Kind::Array { items, min_items, max_items } => Target::Array(*items, *min_items, *max_items),
            _ => Target::Buffer(ty),
        }
    }

    fn unique(&self, ty: TypeId) -> bool {
        self.meta.get(ty).is_some_and(|m| m & META_UNIQUE != 0)
    }

    /// The item-count violations of an array that started at `start` of the output: before
    /// its items' violations, as the `Value` walk gives them.
    fn counts(&mut self, start: usize, min: Option<u64>, max: Option<u64>, n: usize) {
        if !self.strict || (min.is_none() && max.is_none()) {
            return;
        }
        let mut found = Vec::new();
        let path = &self.buffers.path;
        item_count(min, max, n, &mut |m| found.push(path.violation(m)));
        if !found.is_empty() {
            self.out.splice(start..start, found);
        }
    }
}

/// How the contents of a container are walked.
enum Target<'s> {
    /// Not checked (wrong type already reported, or an `any` value).
    Skip,
    /// An object type: its id and fields.
    Object(TypeId, &'s [Field]),
    /// A map: the values' type.
    Map(TypeId),
    /// An array: items, min, max.
    Array(TypeId, Option<u64>, Option<u64>),
    /// A one-of: buffered, then checked by the `Value` walk.
    Buffer(TypeId),
}

fn take(v: &mut Violation) -> Violation {
    Violation { path: std::mem::take(&mut v.path), message: std::mem::take(&mut v.message) }
}

// ---------------------------------------------------------------------------------------------
// Objects with known fields, maps and their ordering.
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Fields<'a> {
    Plain(&'a [Field]),
    Refs(&'a [&'a Field]),
}

impl<'a> Fields<'a> {
    fn len(self) -> usize {
        match self {
            Fields::Plain(f) => f.len(),
            Fields::Refs(f) => f.len(),
        }
    }

    fn get(self, i: usize) -> &'a Field {
        match self {
            Fields::Plain(f) => &f[i],
            Fields::Refs(f) => f[i],
        }
    }
}

/// The key a field is read from: lower ranks win (0 is the wire name, then the aliases in
/// order), as in the `Value` walk's lookup.
#[derive(Clone, Copy)]
struct Cand {
    rank: usize,
    src: Src,
}

#[derive(Clone, Copy)]
enum Src {
    /// The value was checked as it came: its violations are `out[start..end]`.
    Range(usize, usize),
    /// The value was buffered: `Scratch::buffered[i]`.
    Buffered(usize),
}

/// What to do with one key's value.
enum Plan {
    /// Check it as field `.0`, read from a key of rank `.1`.
    Field(usize, usize),
    /// Keep it whole (see the module documentation).
    Buffer,
    /// Do not check it: an unknown key (`known: false`) or a field's lesser alias.
    Other { known: bool },
}

fn rank_of(field: &Field, key: &str) -> Option<usize> {
    if field.wire == key {
        Some(0)
    } else {
        field.aliases.iter().position(|a| a == key).map(|p| p + 1)
    }
}

/// One object with known fields being walked.
struct Object<'a, 's> {
    fields: Fields<'a>,
    /// The object type whose cross-field rules apply.
    cross: Option<TypeId>,
    /// No two fields share a spelling: the first match is the only one.
    unique: bool,
    /// Keys that are no field are let through silently (undocumented bodies, error answers).
    filter_known: bool,
    /// The envelope's action field and the operation's wire name.
    operation: Option<(&'a str, &'a str)>,
    /// Where the object's violations start in the output.
    start: usize,
    /// The field the next key most likely is.
    next: usize,
    /// Keys seen so far.
    seq: usize,
    /// The names cross-field rules look at, and whether each is present (not null).
    tracked: Vec<(&'s str, bool)>,
    /// The object's scratch: `pool[depth]`.
    depth: usize,
    /// Kept paths that go through this object (path, next step).
    on: Vec<(usize, usize)>,
    /// The current key's value is kept whole.
    keep_current: bool,
}

impl<'a, 's> Object<'a, 's> {
    fn begin(core: &mut Core<'s>, fields: Fields<'a>, cross: Option<TypeId>, unique: bool) -> Self {
        let depth = core.buffers.open;
        core.buffers.open += 1;
        if core.buffers.pool.len() <= depth {
            core.buffers.pool.push(Scratch::default());
        }
        let s = &mut core.buffers.pool[depth];
        s.slots.clear();
        s.slots.resize(fields.len(), None);
        s.unknown.clear();
        s.buffered.clear();
        let mut tracked = Vec::new();
        if let (true, Some(ty)) = (core.strict, cross) {
            if core.meta.get(ty).is_some_and(|m| m & META_CROSS != 0) {
                let schema: &'s Schema = core.schema;
                for rule in schema.cross_rules.iter().filter(|r| r.ty == ty) {
                    let mut names: Vec<&'s str> = rule.fields.iter().map(|f| f.as_ref()).collect();
                    if let super::schema::CrossKind::Requires { present, absent } = &rule.kind {
                        names.push(present);
                        names.extend(absent.as_deref());
                    }
                    for name in names {
                        if !tracked.iter().any(|(n, _)| *n == name) {
                            tracked.push((name, false));
                        }
                    }
                }
            }
        }
        Object {
            fields,
            cross,
            unique,
            filter_known: false,
            operation: None,
            start: core.out.len(),
            next: 0,
            seq: 0,
            tracked,
            depth,
            on: Vec::new(),
            keep_current: false,
        }
    }

    /// A key arrives: it goes on the path; what to do with its value.
    fn key(&mut self, core: &mut Core<'s>, key: &str) -> Plan {
        core.path().push_key(key);
        self.plan(core, key)
    }

    /// [`Object::key`] for a key that lives forever (not copied onto the path).
    fn key_static(&mut self, core: &mut Core<'s>, key: &'static str) -> Plan {
        core.path().push_static(key);
        self.plan(core, key)
    }

    fn plan(&mut self, core: &mut Core<'s>, key: &str) -> Plan {
        self.seq += 1;
        if !self.on.is_empty() {
            let (whole, deeper) = core.step_into(&self.on, At::Key(key));
            core.unkeep();
            if whole {
                self.keep_current = true;
                return Plan::Buffer;
            }
            if !deeper.is_empty() {
                // A kept path goes on inside: a field's walk follows it; any other value is
                // kept whole (more than the path asks, which reads the same).
                return match self.plan_key(core, key) {
                    Plan::Field(i, rank) => {
                        core.next_on = deeper;
                        Plan::Field(i, rank)
                    }
                    Plan::Buffer | Plan::Other { .. } => {
                        self.keep_current = true;
                        Plan::Buffer
                    }
                };
            }
        }
        self.plan_key(core, key)
    }

    fn plan_key(&mut self, core: &Core<'s>, key: &str) -> Plan {
        if self.operation.is_some_and(|(f, _)| f == key) {
            return Plan::Buffer;
        }
        let n = self.fields.len();
        if self.unique {
            let found = if self.next < n && self.fields.get(self.next).wire == key {
                Some((self.next, 0))
            } else {
                (0..n).find_map(|i| rank_of(self.fields.get(i), key).map(|r| (i, r)))
            };
            match found {
                Some((i, rank)) => {
                    self.next = i + 1;
                    self.plan_field(core, i, rank)
                }
                None => Plan::Other { known: false },
            }
        } else {
            let mut matches = (0..n).filter_map(|i| rank_of(self.fields.get(i), key).map(|r| (i, r)));
            match (matches.next(), matches.next()) {
                (None, _) => Plan::Other { known: false },
                (Some((i, rank)), None) => self.plan_field(core, i, rank),
                (Some(_), Some(_)) => Plan::Buffer,
            }
        }
    }

    fn plan_field(&self, core: &Core<'s>, i: usize, rank: usize) -> Plan {
        match core.buffers.pool[self.depth].slots[i] {
            Some(c) if c.rank < rank => Plan::Other { known: true },
            _ => Plan::Field(i, rank),
        }
    }

    /// Field `i`'s type and whether it may be null.
    fn field_check(&self, strict: bool, i: usize) -> (TypeId, bool) {
        let f = self.fields.get(i);
        (f.ty, f.nullable || (!f.required && !strict))
    }

    fn track(&mut self, key: &str, null: bool) {
        for (name, present) in self.tracked.iter_mut() {
            if *name == key {
                *present = !null;
            }
        }
    }

    /// Field `i`'s value (from a key of rank `rank`) was checked; its violations start at `start`.
    fn done_field(&mut self, core: &mut Core<'s>, i: usize, rank: usize, start: usize, null: bool) {
        if !self.tracked.is_empty() {
            let key = core.buffers.path.last_key().to_owned();
            self.track(&key, null);
        }
        let end = core.out.len();
        core.buffers.pool[self.depth].slots[i] = Some(Cand { rank, src: Src::Range(start, end) });
        core.path().pop();
    }

    /// The current key's value, kept whole.
    fn done_buffered(&mut self, core: &mut Core<'s>, value: Value) {
        if self.keep_current {
            self.keep_current = false;
            core.keep_value(value.clone());
        }
        let key = core.buffers.path.last_key().to_owned();
        self.track(&key, value.is_null());
        let s = &mut core.buffers.pool[self.depth];
        let idx = match s.buffered.iter().position(|(k, _)| *k == key) {
            Some(j) => {
                s.buffered[j].1 = value;
                j
            }
            None => {
                s.buffered.push((key.clone(), value));
                s.buffered.len() - 1
            }
        };
        let mut known = false;
        for i in 0..self.fields.len() {
            if let Some(rank) = rank_of(self.fields.get(i), &key) {
                known = true;
                match s.slots[i] {
                    Some(c) if c.rank < rank => {}
                    _ => s.slots[i] = Some(Cand { rank, src: Src::Buffered(idx) }),
                }
            }
        }
        if !known && core.strict && !self.filter_known {
            s.unknown.push((key, self.seq));
        }
        core.path().pop();
    }

    /// The current key's value was not checked.
    fn done_other(&mut self, core: &mut Core<'s>, known: bool, null: bool) {
        let buffers = &mut *core.buffers;
        let key = buffers.path.last_key();
        for (name, present) in self.tracked.iter_mut() {
            if *name == key {
                *present = !null;
            }
        }
        if !known && core.strict && !self.filter_known {
            buffers.pool[self.depth].unknown.push((key.to_owned(), self.seq));
        }
        buffers.path.pop();
    }

    /// The object ended: its violations in the `Value` walk's order, then its cross-field
    /// rules and the action check.
    fn end(self, core: &mut Core<'s>) {
        let n = self.fields.len();
        let clean = {
            let s = &core.buffers.pool[self.depth];
            core.out.len() == self.start
                && s.unknown.is_empty()
                && s.buffered.is_empty()
                && s.slots.iter().enumerate().all(|(i, slot)| slot.is_some() || !self.fields.get(i).required)
        };
        if clean {
            // Nothing to put in order, no action field read: the common case.
            self.cross(core);
            core.buffers.open = self.depth;
            return;
        }
        // The scratch is taken out while the object's violations are put in order; it goes
        // back at the end.
        let mut s = std::mem::take(&mut core.buffers.pool[self.depth]);
        {
            let mut tail = core.out.split_off(self.start);
            for i in 0..n {
                let f = self.fields.get(i);
                match s.slots[i] {
                    None if f.required => {
                        core.path().push_key(&f.wire);
                        core.emit("required field is missing".to_owned());
                        core.path().pop();
                    }
                    None => {}
                    Some(Cand { src: Src::Range(a, b), .. }) => {
                        core.out.extend(tail[a - self.start..b - self.start].iter_mut().map(take));
                    }
                    Some(Cand { src: Src::Buffered(j), .. }) => {
                        let (key, value) = &s.buffered[j];
                        core.path().push_key(key);
                        if value.is_null() {
                            let (_, null_ok) = self.field_check(core.strict, i);
                            if !null_ok {
                                core.emit("must not be null".to_owned());
                            }
                        } else {
                            core.check_value(f.ty, value);
                        }
                        core.path().pop();
                    }
                }
            }
            if !s.unknown.is_empty() {
                let unknown = &mut s.unknown;
                unknown.sort();
                unknown.dedup_by(|a, b| a.0 == b.0);
                if core.insertion_order {
                    unknown.sort_by_key(|u| u.1);
                }
                for (key, _) in unknown.iter() {
                    core.buffers.path.push_key(key);
                    core.emit("unknown field".to_owned());
                    core.buffers.path.pop();
                }
            }
        }
        self.cross(core);
        if let Some((field, op)) = self.operation {
            if let Some((_, Value::String(name))) = s.buffered.iter().find(|(k, _)| k == field) {
                if name != op {
                    let message = format!("{name:?} names another operation; this body is for {op:?}");
                    core.path().push_key(field);
                    core.emit(message);
                    core.path().pop();
                }
            }
        }
        core.buffers.pool[self.depth] = s;
        core.buffers.open = self.depth;
    }

    /// The cross-field rules of the object type (requests and strict responses).
    fn cross(&self, core: &mut Core<'s>) {
        let Some(ty) = self.cross.filter(|_| core.strict) else { return };
        if !core.meta.get(ty).is_some_and(|m| m & META_CROSS != 0) {
            return;
        }
        let tracked = &self.tracked;
        let present = |name: &str| tracked.iter().any(|(n, p)| *n == name && *p);
        let (path, out) = (&mut core.buffers.path, &mut core.out);
        core.schema.cross_problems(ty, &present, &mut |key, message| match key {
            Some(k) => {
                path.push_key(k);
                out.push(path.violation(message));
                path.pop();
            }
            None => out.push(path.violation(message)),
        });
    }
}

/// One map (arbitrary keys, one value type) being walked.
struct MapWalk {
    values: TypeId,
    start: usize,
    seq: usize,
    /// Keys whose (last) value has violations: first position, and where they are.
    records: BTreeMap<String, (usize, usize, usize)>,
    /// Violations of a value that a repeated key replaced are in the output.
    garbage: bool,
}

impl MapWalk {
    fn begin(core: &Core<'_>, values: TypeId) -> Self {
        MapWalk { values, start: core.out.len(), seq: 0, records: BTreeMap::new(), garbage: false }
    }

    fn key(&mut self, core: &mut Core<'_>, key: &str) {
        core.path().push_key(key);
        self.seq += 1;
    }

    fn key_static(&mut self, core: &mut Core<'_>, key: &'static str) {
        core.path().push_static(key);
        self.seq += 1;
    }

    /// The current key's value was checked; its violations start at `start`.
    fn done(&mut self, core: &mut Core<'_>, start: usize) {
        let key = core.buffers.path.last_key();
        let old = if self.records.is_empty() { None } else { self.records.remove(key) };
        self.garbage |= old.is_some();
        if core.out.len() > start {
            let first = old.map_or(self.seq, |o| o.0);
            self.records.insert(key.to_owned(), (first, start, core.out.len()));
        }
        core.path().pop();
    }

    fn end(self, core: &mut Core<'_>) {
        if self.records.is_empty() && !self.garbage {
            return;
        }
        let mut tail = core.out.split_off(self.start);
        let mut records: Vec<(usize, usize, usize)> = self.records.into_values().collect();
        if core.insertion_order {
            records.sort_by_key(|r| r.0);
        }
        for (_, a, b) in records {
            core.out.extend(tail[a - self.start..b - self.start].iter_mut().map(take));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Driver 1: wire bytes, as they are parsed.
// ---------------------------------------------------------------------------------------------

/// One value of type `ty` (`None`: not checked, only read past); `null_ok` is `Some` for a
/// field's value (whose `null` is checked against the field, not the type). The result says
/// whether the value was `null`.
struct Node<'c, 's> {
    core: &'c mut Core<'s>,
    ty: Option<TypeId>,
    null_ok: Option<bool>,
    /// Kept paths that go through this value (path, next step).
    on: Vec<(usize, usize)>,
}

impl<'c, 's> Node<'c, 's> {
    fn new(core: &'c mut Core<'s>, ty: Option<TypeId>, null_ok: Option<bool>) -> Self {
        Node { core, ty, null_ok, on: Vec::new() }
    }

    fn leaf(self, leaf: Leaf<'_>) -> bool {
        if let Some(ty) = self.ty {
            self.core.leaf(ty, leaf);
        }
        false
    }

    fn null(self) -> bool {
        self.core.null(self.ty, self.null_ok);
        true
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
        Ok(self.leaf(Leaf::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<bool, E> {
        Ok(self.leaf(Leaf::Number(&Number::from(v))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<bool, E> {
        Ok(self.leaf(Leaf::Number(&Number::from(v))))
    }

    fn visit_f64<E>(self, v: f64) -> Result<bool, E> {
        Ok(match Number::from_f64(v) {
            Some(n) => self.leaf(Leaf::Number(&n)),
            None => self.null(),
        })
    }

    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        Ok(self.leaf(Leaf::Str(v)))
    }

    fn visit_unit<E>(self) -> Result<bool, E> {
        Ok(self.null())
    }

    fn visit_none<E>(self) -> Result<bool, E> {
        Ok(self.null())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let Node { core, ty, on, .. } = self;
        match core.container(ty, Leaf::Array) {
            Target::Array(items, min, max) => {
                let start = core.out.len();
                let mut n = 0;
                loop {
                    core.path().push_index(n);
                    let (whole, deeper) =
                        if on.is_empty() { (false, Vec::new()) } else { core.step_into(&on, At::Index(n)) };
                    let more = if whole {
                        let item = seq.next_element::<Value>()?;
                        if let Some(item) = &item {
                            core.check_value(items, item);
                            core.keep_value(item.clone());
                        }
                        item.is_some()
                    } else {
                        let node = Node { core: &mut *core, ty: Some(items), null_ok: None, on: deeper };
                        seq.next_element_seed(node)?.is_some()
                    };
                    core.path().pop();
                    if !more {
                        break;
                    }
                    n += 1;
                }
                core.counts(start, min, max, n);
            }
            Target::Buffer(ty) => {
                let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
                core.check_value(ty, &value);
                if !on.is_empty() {
                    core.keep_value(value);
                }
            }
            Target::Skip | Target::Object(..) | Target::Map(_) if !on.is_empty() => {
                // Unchecked, but a kept path goes through: keep it all.
                let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
                core.keep_value(value);
            }
            Target::Skip | Target::Object(..) | Target::Map(_) => while seq.next_element::<IgnoredAny>()?.is_some() {},
        }
        Ok(false)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let Node { core, ty, on, .. } = self;
        match core.container(ty, Leaf::Object) {
            Target::Object(ty, fields) => {
                let unique = core.unique(ty);
                let mut object = Object::begin(core, Fields::Plain(fields), Some(ty), unique);
                object.on = on;
                walk_object(core, object, &mut map)?;
            }
            Target::Map(values) => {
                let mut walk = MapWalk::begin(core, values);
                while map.next_key_seed(MapKey { core: &mut *core, walk: &mut walk })?.is_some() {
                    let start = core.out.len();
                    let (whole, deeper) = if on.is_empty() {
                        (false, Vec::new())
                    } else {
                        core.unkeep();
                        core.step_into(&on, At::Key(core.buffers.path.last_key()))
                    };
                    if whole {
                        let value: Value = map.next_value()?;
                        core.check_value(values, &value);
                        core.keep_value(value);
                    } else {
                        map.next_value_seed(Node { core: &mut *core, ty: Some(values), null_ok: None, on: deeper })?;
                    }
                    walk.done(core, start);
                }
                walk.end(core);
            }
            Target::Buffer(ty) => {
                let value = Value::deserialize(MapAccessDeserializer::new(map))?;
                core.check_value(ty, &value);
                if !on.is_empty() {
                    core.keep_value(value);
                }
            }
            Target::Skip | Target::Array(..) if !on.is_empty() => {
                // Unchecked, but a kept path goes through: keep it all.
                let value = Value::deserialize(MapAccessDeserializer::new(map))?;
                core.keep_value(value);
            }
            Target::Skip | Target::Array(..) => while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {},
        }
        Ok(false)
    }
}

fn walk_object<'de, 's, A: MapAccess<'de>>(
    core: &mut Core<'s>,
    mut object: Object<'_, 's>,
    map: &mut A,
) -> Result<(), A::Error> {
    while let Some(plan) = map.next_key_seed(ObjectKey { core: &mut *core, object: &mut object })? {
        match plan {
            Plan::Field(i, rank) => {
                let (ty, null_ok) = object.field_check(core.strict, i);
                let start = core.out.len();
                let on = std::mem::take(&mut core.next_on);
                let null = map.next_value_seed(Node { core: &mut *core, ty: Some(ty), null_ok: Some(null_ok), on })?;
                object.done_field(core, i, rank, start, null);
            }
            Plan::Buffer => {
                let value: Value = map.next_value()?;
                object.done_buffered(core, value);
            }
            Plan::Other { known } => {
                let null = map.next_value_seed(Node::new(core, None, None))?;
                object.done_other(core, known, null);
            }
        }
    }
    object.end(core);
    Ok(())
}

/// A key of an object with known fields.
struct ObjectKey<'c, 'o, 'a, 's> {
    core: &'c mut Core<'s>,
    object: &'o mut Object<'a, 's>,
}

impl<'de> DeserializeSeed<'de> for ObjectKey<'_, '_, '_, '_> {
    type Value = Plan;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Plan, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for ObjectKey<'_, '_, '_, '_> {
    type Value = Plan;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Plan, E> {
        Ok(self.object.key(self.core, key))
    }
}

/// A key of a map.
struct MapKey<'c, 'w, 's> {
    core: &'c mut Core<'s>,
    walk: &'w mut MapWalk,
}

impl<'de> DeserializeSeed<'de> for MapKey<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for MapKey<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E>(self, key: &str) -> Result<(), E> {
        self.walk.key(self.core, key);
        Ok(())
    }
}

/// A whole wire body: an object of envelope (and flattened body) fields.
struct Root<'c, 'a, 's> {
    core: &'c mut Core<'s>,
    object: Object<'a, 's>,
}

impl Root<'_, '_, '_> {
    fn not_an_object(self, found: Leaf<'_>) {
        self.core.buffers.open = self.object.depth;
        self.core.emit(found.type_error("an object"));
    }
}

impl<'de> Visitor<'de> for Root<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.not_an_object(Leaf::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.not_an_object(Leaf::Number(&Number::from(v)));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.not_an_object(Leaf::Number(&Number::from(v)));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        match Number::from_f64(v) {
            Some(n) => self.not_an_object(Leaf::Number(&n)),
            None => self.not_an_object(Leaf::Null),
        }
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.not_an_object(Leaf::Str(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.not_an_object(Leaf::Null);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let keep = self.object.on.iter().any(|&(p, i)| matches!(self.core.keep[p][i], Step::Index(_)));
        let core = &mut *self.core;
        core.buffers.open = self.object.depth;
        core.emit(Leaf::Array.type_error("an object"));
        if keep {
            // A kept path indexes the document itself: keep it all.
            core.kept = Value::deserialize(SeqAccessDeserializer::new(seq))?;
        } else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        walk_object(self.core, self.object, &mut map)
    }
}

// ---------------------------------------------------------------------------------------------
// Driver 2: typed values, as they serialize themselves.
// ---------------------------------------------------------------------------------------------

/// The `serde_json::Value` serializer's compound states, for what is buffered.
type JsonMap = <serde_json::value::Serializer as Serializer>::SerializeMap;
type JsonTupleVariant = <serde_json::value::Serializer as Serializer>::SerializeTupleVariant;
type JsonStructVariant = <serde_json::value::Serializer as Serializer>::SerializeStructVariant;

/// One value of type `ty`, as it serializes (see [`Node`] for `ty` and `null_ok`; the
/// result says whether it serialized as `null`).
struct Ser<'c, 's> {
    core: &'c mut Core<'s>,
    ty: Option<TypeId>,
    null_ok: Option<bool>,
}

impl Ser<'_, '_> {
    fn leaf(self, leaf: Leaf<'_>) -> Result<bool, SerializeError> {
        if let Some(ty) = self.ty {
            self.core.leaf(ty, leaf);
        }
        Ok(false)
    }

    fn null(self) -> Result<bool, SerializeError> {
        self.core.null(self.ty, self.null_ok);
        Ok(true)
    }

    fn float(self, v: Value) -> Result<bool, SerializeError> {
        match v {
            Value::Number(n) => self.leaf(Leaf::Number(&n)),
            _ => self.null(),
        }
    }
}

/// Serializes one entry's value into an object walk.
fn ser_entry<'s, T: Serialize + ?Sized>(
    core: &mut Core<'s>,
    object: &mut Object<'_, 's>,
    plan: Plan,
    value: &T,
) -> Result<(), SerializeError> {
    match plan {
        Plan::Field(i, rank) => {
            let (ty, null_ok) = object.field_check(core.strict, i);
            let start = core.out.len();
            let null = core.value(ty, Some(null_ok), value)?;
            object.done_field(core, i, rank, start, null);
        }
        Plan::Buffer => {
            let v = serde_json::to_value(value).map_err(SerializeError::json)?;
            object.done_buffered(core, v);
        }
        Plan::Other { known } => {
            let null = value.serialize(Ser { core: &mut *core, ty: None, null_ok: None })?;
            object.done_other(core, known, null);
        }
    }
    Ok(())
}

impl<'c, 's> Serializer for Ser<'c, 's> {
    type Ok = bool;
    type Error = SerializeError;
    type SerializeSeq = SeqSer<'c, 's>;
    type SerializeTuple = SeqSer<'c, 's>;
    type SerializeTupleStruct = SeqSer<'c, 's>;
    type SerializeTupleVariant = Buffered<'c, 's, JsonTupleVariant>;
    type SerializeMap = MapSer<'c, 's>;
    type SerializeStruct = MapSer<'c, 's>;
    type SerializeStructVariant = Buffered<'c, 's, JsonStructVariant>;

    fn serialize_bool(self, v: bool) -> Result<bool, SerializeError> {
        self.leaf(Leaf::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<bool, SerializeError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<bool, SerializeError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<bool, SerializeError> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<bool, SerializeError> {
        self.leaf(Leaf::Number(&Number::from(v)))
    }

    fn serialize_i128(self, v: i128) -> Result<bool, SerializeError> {
        if let Ok(u) = u64::try_from(v) {
            self.serialize_u64(u)
        } else if let Ok(i) = i64::try_from(v) {
            self.serialize_i64(i)
        } else {
            Err(SerializeError("number out of range".to_owned()))
        }
    }

    fn serialize_u8(self, v: u8) -> Result<bool, SerializeError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<bool, SerializeError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<bool, SerializeError> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<bool, SerializeError> {
        self.leaf(Leaf::Number(&Number::from(v)))
    }

    fn serialize_u128(self, v: u128) -> Result<bool, SerializeError> {
        match u64::try_from(v) {
            Ok(u) => self.serialize_u64(u),
            Err(_) => Err(SerializeError("number out of range".to_owned())),
        }
    }

    fn serialize_f32(self, v: f32) -> Result<bool, SerializeError> {
        self.float(Value::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<bool, SerializeError> {
        self.float(Value::from(v))
    }

    fn serialize_char(self, v: char) -> Result<bool, SerializeError> {
        let mut buf = [0; 4];
        self.leaf(Leaf::Str(v.encode_utf8(&mut buf)))
    }

    fn serialize_str(self, v: &str) -> Result<bool, SerializeError> {
        self.leaf(Leaf::Str(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<bool, SerializeError> {
        if let Some(ty) = self.ty {
            let value = Value::Array(v.iter().map(|b| Value::from(*b)).collect());
            self.core.check_value(ty, &value);
        }
        Ok(false)
    }

    fn serialize_none(self) -> Result<bool, SerializeError> {
        self.null()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, SerializeError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<bool, SerializeError> {
        self.null()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<bool, SerializeError> {
        self.null()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<bool, SerializeError> {
        self.leaf(Leaf::Str(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<bool, SerializeError> {
        // A validated string or a date proved its rule when it was built: nothing to check
        // (nor to write out) where the schema expects a string, a date or a date-time.
        if name == super::newtype::CHECKED {
            let proven = match self.ty {
                None => true,
                Some(ty) => matches!(
                    self.core.schema.types[ty].kind,
                    Kind::Str { .. } | Kind::Date { .. } | Kind::DateTime { .. }
                ),
            };
            if proven {
                return Ok(false);
            }
        }
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<bool, SerializeError> {
        let core = self.core;
        match core.container(self.ty, Leaf::Object) {
            Target::Object(ty, fields) => {
                let unique = core.unique(ty);
                let mut object = Object::begin(core, Fields::Plain(fields), Some(ty), unique);
                let plan = object.key_static(core, variant);
                ser_entry(core, &mut object, plan, value)?;
                object.end(core);
            }
            Target::Map(values) => {
                let mut walk = MapWalk::begin(core, values);
                walk.key_static(core, variant);
                let start = core.out.len();
                value.serialize(Ser { core: &mut *core, ty: Some(values), null_ok: None })?;
                walk.done(core, start);
                walk.end(core);
            }
            Target::Buffer(ty) => {
                let v = serde_json::value::Serializer
                    .serialize_newtype_variant(name, index, variant, value)
                    .map_err(SerializeError::json)?;
                core.check_value(ty, &v);
            }
            Target::Skip | Target::Array(..) => {
                value.serialize(Ser { core, ty: None, null_ok: None })?;
            }
        }
        Ok(false)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqSer<'c, 's>, SerializeError> {
        let core = self.core;
        let items = match core.container(self.ty, Leaf::Array) {
            Target::Array(items, min, max) => Some((items, min, max)),
            _ => None,
        };
        let start = core.out.len();
        Ok(SeqSer { core, items, start, n: 0 })
    }

    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'c, 's>, SerializeError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqSer<'c, 's>, SerializeError> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        let inner = serde_json::value::Serializer
            .serialize_tuple_variant(name, index, variant, len)
            .map_err(SerializeError::json)?;
        Ok(Buffered { core: self.core, ty: self.ty, inner })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<MapSer<'c, 's>, SerializeError> {
        let core = self.core;
        let kind = match core.container(self.ty, Leaf::Object) {
            Target::Object(ty, fields) => {
                let unique = core.unique(ty);
                MapState::Object(Object::begin(core, Fields::Plain(fields), Some(ty), unique))
            }
            Target::Map(values) => MapState::Map(MapWalk::begin(core, values)),
            Target::Buffer(ty) => {
                MapState::Buffer(serde_json::value::Serializer.serialize_map(len).map_err(SerializeError::json)?, ty)
            }
            Target::Skip | Target::Array(..) => MapState::Skip,
        };
        let key = core.buffers.keys.pop().unwrap_or_default();
        Ok(MapSer { core, state: kind, key })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapSer<'c, 's>, SerializeError> {
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        let inner = serde_json::value::Serializer
            .serialize_struct_variant(name, index, variant, len)
            .map_err(SerializeError::json)?;
        Ok(Buffered { core: self.core, ty: self.ty, inner })
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<bool, SerializeError> {
        let mut text = std::mem::take(&mut self.core.buffers.text);
        text.clear();
        let written = write!(text, "{value}");
        if written.is_ok() {
            if let Some(ty) = self.ty {
                self.core.leaf(ty, Leaf::Str(&text));
            }
        }
        self.core.buffers.text = text;
        match written {
            Ok(()) => Ok(false),
            Err(_) => Err(SerializeError("a Display implementation returned an error".to_owned())),
        }
    }
}

/// Whether a value serializes as `null`, without serializing the rest of it: what is left of
/// the check of a value whose type proved every rule ([`Core::value`]).
struct NullProbe;

/// The compound states of [`NullProbe`]: elements and fields are not looked at.
struct Skip;

macro_rules! skip_compound {
    ($($trait:ident { $($method:ident($($arg:ident: $ty:ty),*)),* })*) => {$(
        impl ser::$trait for Skip {
            type Ok = bool;
            type Error = SerializeError;
            $(fn $method<T: Serialize + ?Sized>(&mut self, $(_: $ty,)* _: &T) -> Result<(), SerializeError> {
                Ok(())
            })*
            fn end(self) -> Result<bool, SerializeError> {
                Ok(false)
            }
        }
    )*};
}

skip_compound! {
    SerializeSeq { serialize_element() }
    SerializeTuple { serialize_element() }
    SerializeTupleStruct { serialize_field() }
    SerializeTupleVariant { serialize_field() }
    SerializeMap { serialize_key(), serialize_value() }
    SerializeStruct { serialize_field(key: &'static str) }
    SerializeStructVariant { serialize_field(key: &'static str) }
}

impl Serializer for NullProbe {
    type Ok = bool;
    type Error = SerializeError;
    type SerializeSeq = Skip;
    type SerializeTuple = Skip;
    type SerializeTupleStruct = Skip;
    type SerializeTupleVariant = Skip;
    type SerializeMap = Skip;
    type SerializeStruct = Skip;
    type SerializeStructVariant = Skip;

    fn serialize_bool(self, _: bool) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_i8(self, _: i8) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_i16(self, _: i16) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_i32(self, _: i32) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_i64(self, _: i64) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_i128(self, _: i128) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_u8(self, _: u8) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_u16(self, _: u16) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_u32(self, _: u32) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_u64(self, _: u64) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_u128(self, _: u128) -> Result<bool, SerializeError> {
        Ok(false)
    }
    // serde_json writes a non-finite float as `null`.
    fn serialize_f32(self, v: f32) -> Result<bool, SerializeError> {
        Ok(!v.is_finite())
    }
    fn serialize_f64(self, v: f64) -> Result<bool, SerializeError> {
        Ok(!v.is_finite())
    }
    fn serialize_char(self, _: char) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_str(self, _: &str) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_none(self) -> Result<bool, SerializeError> {
        Ok(true)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, SerializeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<bool, SerializeError> {
        Ok(true)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, SerializeError> {
        Ok(true)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<bool, SerializeError> {
        if name == super::newtype::CHECKED {
            return Ok(false);
        }
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, SerializeError> {
        Ok(false)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Skip, SerializeError> {
        Ok(Skip)
    }
    fn serialize_tuple(self, _: usize) -> Result<Skip, SerializeError> {
        Ok(Skip)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Skip, SerializeError> {
        Ok(Skip)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Skip, SerializeError> {
        Ok(Skip)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Skip, SerializeError> {
        Ok(Skip)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Skip, SerializeError> {
        Ok(Skip)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Skip, SerializeError> {
        Ok(Skip)
    }
}

/// An array (or tuple) as it serializes.
struct SeqSer<'c, 's> {
    core: &'c mut Core<'s>,
    /// Items, min, max; `None`: not checked.
    items: Option<(TypeId, Option<u64>, Option<u64>)>,
    start: usize,
    n: usize,
}

impl SeqSer<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
        match self.items {
            Some((items, _, _)) => {
                self.core.path().push_index(self.n);
                self.core.value(items, None, value)?;
                self.core.path().pop();
            }
            None => {
                value.serialize(Ser { core: &mut *self.core, ty: None, null_ok: None })?;
            }
        }
        self.n += 1;
        Ok(())
    }

    fn finish(self) -> Result<bool, SerializeError> {
        if let Some((_, min, max)) = self.items {
            self.core.counts(self.start, min, max, self.n);
        }
        Ok(false)
    }
}

/// The sequence-like compound states of [`SeqSer`]: each element is checked as an item.
macro_rules! seq_compound {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for SeqSer<'_, '_> {
            type Ok = bool;
            type Error = SerializeError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
                self.element(value)
            }

            fn end(self) -> Result<bool, SerializeError> {
                self.finish()
            }
        }
    )*};
}

seq_compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

enum MapState<'s> {
    Object(Object<'s, 's>),
    Map(MapWalk),
    Buffer(JsonMap, TypeId),
    Skip,
}

/// An object (a struct, or a map such as a flattened `extra`) as it serializes.
struct MapSer<'c, 's> {
    core: &'c mut Core<'s>,
    state: MapState<'s>,
    /// The pending key of `serialize_key`.
    key: String,
}

/// A key of an object being serialized: a struct field's name lives forever.
#[derive(Clone, Copy)]
enum KeyText<'k> {
    Static(&'static str),
    Borrowed(&'k str),
}

impl MapSer<'_, '_> {
    fn entry<T: Serialize + ?Sized>(&mut self, key: KeyText<'_>, value: &T) -> Result<(), SerializeError> {
        let core = &mut *self.core;
        match &mut self.state {
            MapState::Object(object) => {
                let plan = match key {
                    KeyText::Static(k) => object.key_static(core, k),
                    KeyText::Borrowed(k) => object.key(core, k),
                };
                ser_entry(core, object, plan, value)
            }
            MapState::Map(walk) => {
                match key {
                    KeyText::Static(k) => walk.key_static(core, k),
                    KeyText::Borrowed(k) => walk.key(core, k),
                }
                let start = core.out.len();
                core.value(walk.values, None, value)?;
                walk.done(core, start);
                Ok(())
            }
            MapState::Buffer(map, _) => {
                let key = match key {
                    KeyText::Static(k) => k,
                    KeyText::Borrowed(k) => k,
                };
                map.serialize_key(key).map_err(SerializeError::json)?;
                map.serialize_value(value).map_err(SerializeError::json)
            }
            MapState::Skip => {
                value.serialize(Ser { core, ty: None, null_ok: None })?;
                Ok(())
            }
        }
    }

    fn finish(self) -> Result<bool, SerializeError> {
        let MapSer { core, state, key } = self;
        core.buffers.keys.push(key);
        match state {
            MapState::Object(object) => object.end(core),
            MapState::Map(walk) => walk.end(core),
            MapState::Buffer(map, ty) => {
                let value = ser::SerializeMap::end(map).map_err(SerializeError::json)?;
                core.check_value(ty, &value);
            }
            MapState::Skip => {}
        }
        Ok(false)
    }
}

impl ser::SerializeMap for MapSer<'_, '_> {
    type Ok = bool;
    type Error = SerializeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerializeError> {
        self.key.clear();
        key.serialize(KeySer { out: &mut self.key })
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
        let key = std::mem::take(&mut self.key);
        let done = self.entry(KeyText::Borrowed(&key), value);
        self.key = key;
        done
    }

    fn end(self) -> Result<bool, SerializeError> {
        self.finish()
    }
}

impl ser::SerializeStruct for MapSer<'_, '_> {
    type Ok = bool;
    type Error = SerializeError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), SerializeError> {
        self.entry(KeyText::Static(key), value)
    }

    fn end(self) -> Result<bool, SerializeError> {
        self.finish()
    }
}

/// A tuple or struct variant, serialized into a `Value` and then checked by the `Value` walk.
struct Buffered<'c, 's, S> {
    core: &'c mut Core<'s>,
    ty: Option<TypeId>,
    inner: S,
}

impl<S> Buffered<'_, '_, S> {
    fn finish(self, value: Result<Value, serde_json::Error>) -> Result<bool, SerializeError> {
        let value = value.map_err(SerializeError::json)?;
        if let Some(ty) = self.ty {
            self.core.check_value(ty, &value);
        }
        Ok(false)
    }
}

impl ser::SerializeTupleVariant for Buffered<'_, '_, JsonTupleVariant> {
    type Ok = bool;
    type Error = SerializeError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerializeError> {
        ser::SerializeTupleVariant::serialize_field(&mut self.inner, value).map_err(SerializeError::json)
    }

    fn end(mut self) -> Result<bool, SerializeError> {
        let inner = std::mem::replace(&mut self.inner, placeholder_tuple_variant());
        let value = ser::SerializeTupleVariant::end(inner);
        self.finish(value)
    }
}

impl ser::SerializeStructVariant for Buffered<'_, '_, JsonStructVariant> {
    type Ok = bool;
    type Error = SerializeError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), SerializeError> {
        ser::SerializeStructVariant::serialize_field(&mut self.inner, key, value).map_err(SerializeError::json)
    }

    fn end(mut self) -> Result<bool, SerializeError> {
        let inner = std::mem::replace(&mut self.inner, placeholder_struct_variant());
        let value = ser::SerializeStructVariant::end(inner);
        self.finish(value)
    }
}

fn placeholder_tuple_variant() -> JsonTupleVariant {
    serde_json::value::Serializer.serialize_tuple_variant("", 0, "", 0).expect("the Value serializer never fails here")
}

fn placeholder_struct_variant() -> JsonStructVariant {
    serde_json::value::Serializer.serialize_struct_variant("", 0, "", 0).expect("the Value serializer never fails here")
}

/// A map key, written as `serde_json::to_value` writes it: strings as they are, other
/// scalars as `serde_json` turns them into keys (or refuses them).
struct KeySer<'k> {
    out: &'k mut String,
}

/// `{key: null}`: lets `serde_json` decide what a non-string key becomes.
struct OneKey<'a, K: ?Sized>(&'a K);

impl<K: Serialize + ?Sized> Serialize for OneKey<'_, K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &())?;
        map.end()
    }
}

impl KeySer<'_> {
    fn via_json<K: Serialize + ?Sized>(self, key: &K) -> Result<(), SerializeError> {
        match serde_json::to_value(OneKey(key)).map_err(SerializeError::json)? {
            Value::Object(map) => {
                if let Some(k) = map.keys().next() {
                    self.out.push_str(k);
                }
                Ok(())
            }
            _ => Err(not_a_string_key()),
        }
    }
}

fn not_a_string_key() -> SerializeError {
    SerializeError("key must be a string".to_owned())
}

impl Serializer for KeySer<'_> {
    type Ok = ();
    type Error = SerializeError;
    type SerializeSeq = Impossible<(), SerializeError>;
    type SerializeTuple = Impossible<(), SerializeError>;
    type SerializeTupleStruct = Impossible<(), SerializeError>;
    type SerializeTupleVariant = Impossible<(), SerializeError>;
    type SerializeMap = Impossible<(), SerializeError>;
    type SerializeStruct = Impossible<(), SerializeError>;
    type SerializeStructVariant = Impossible<(), SerializeError>;

    fn serialize_str(self, v: &str) -> Result<(), SerializeError> {
        self.out.push_str(v);
        Ok(())
    }

    fn serialize_bool(self, v: bool) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_i8(self, v: i8) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_i16(self, v: i16) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_i32(self, v: i32) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_i64(self, v: i64) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_i128(self, v: i128) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_u8(self, v: u8) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_u16(self, v: u16) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_u32(self, v: u32) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_u64(self, v: u64) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_f32(self, v: f32) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_f64(self, v: f64) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_char(self, v: char) -> Result<(), SerializeError> {
        self.via_json(&v)
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), SerializeError> {
        self.via_json(&serde_bytes_like(v))
    }

    fn serialize_none(self) -> Result<(), SerializeError> {
        self.via_json(&Option::<()>::None)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), SerializeError> {
        self.via_json(&Some(value))
    }

    fn serialize_unit(self) -> Result<(), SerializeError> {
        self.via_json(&())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), SerializeError> {
        self.via_json(&())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), SerializeError> {
        self.out.push_str(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), SerializeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), SerializeError> {
        Err(not_a_string_key())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, SerializeError> {
        Err(not_a_string_key())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, SerializeError> {
        Err(not_a_string_key())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, SerializeError> {
        Err(not_a_string_key())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerializeError> {
        Err(not_a_string_key())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, SerializeError> {
        Err(not_a_string_key())
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, SerializeError> {
        Err(not_a_string_key())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, SerializeError> {
        Err(not_a_string_key())
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), SerializeError> {
        write!(self.out, "{value}").map_err(|_| SerializeError("a Display implementation returned an error".to_owned()))
    }
}

/// Bytes as `serde` hands them to a serializer (`serialize_bytes`).
struct BytesKey<'a>(&'a [u8]);

impl Serialize for BytesKey<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

fn serde_bytes_like(v: &[u8]) -> BytesKey<'_> {
    BytesKey(v)
}

#[cfg(test)]
mod tests {
    //! The drivers against the `Value` walk on a schema that has every kind, every envelope
    //! form, cross-field rules, aliases, and field names two fields share (which a linted
    //! spec never has, so the bundled specs cannot exercise it).

    use std::borrow::Cow;

    use serde_json::{json, Value};

    use super::super::schema::{
        BodyPlacement, CrossKind, CrossRule, Direction, Envelope, Field, Kind, OperationSchema, Pattern, Schema, Table,
        TypeDef,
    };

    const ALL: [Direction; 3] = [Direction::Request, Direction::Response, Direction::StrictResponse];

    fn f(wire: &'static str, ty: usize, required: bool, nullable: bool) -> Field {
        Field { wire: Cow::Borrowed(wire), aliases: Cow::Borrowed(&[]), ty, required, nullable }
    }

    fn fa(wire: &'static str, aliases: &'static [Cow<'static, str>], ty: usize) -> Field {
        Field { wire: Cow::Borrowed(wire), aliases: Cow::Borrowed(aliases), ty, required: false, nullable: false }
    }

    fn t(name: &'static str, kind: Kind) -> TypeDef {
        TypeDef { name: Cow::Borrowed(name), kind }
    }

    fn s(v: &'static [&'static str]) -> Cow<'static, [Cow<'static, str>]> {
        Cow::Owned(v.iter().map(|x| Cow::Borrowed(*x)).collect())
    }

    fn types() -> Vec<TypeDef> {
        static E_ALIASES: [Cow<'static, str>; 2] = [Cow::Borrowed("E"), Cow::Borrowed("ee")];
        static P_ALIAS: [Cow<'static, str>; 1] = [Cow::Borrowed("p")];
        let body_fields = vec![
            f("id", 3, true, false),
            f("inner", 12, false, false),
            f("list", 13, false, true),
            f("map", 14, false, false),
            f("enc", 15, false, false),
            f("one", 16, false, false),
            f("coll", 17, false, false),
            f("when", 8, false, false),
            f("at", 9, false, false),
            f("price", 7, false, false),
            f("n", 6, false, false),
            f("flag", 1, false, false),
            f("anything", 0, false, false),
            f("e2", 11, false, false),
            f("status", 10, true, false),
            f("secret", 4, false, false),
        ];
        vec![
            t("any", Kind::Any),
            t("bool", Kind::Bool),
            t("str", Kind::Str { min_len: None, max_len: None, pattern: None, secret: false }),
            t("digits", Kind::Str { min_len: Some(2), max_len: Some(5), pattern: Some(0), secret: false }),
            t("secret", Kind::Str { min_len: None, max_len: Some(4), pattern: Some(1), secret: true }),
            t("int", Kind::Int { min: Some(0), max: Some(10), as_string: true }),
            t("num", Kind::Number { min: Some(-1.5), max: Some(100.0) }),
            t("dec", Kind::Decimal),
            t("date", Kind::Date { format: Cow::Borrowed("%Y-%m-%d") }),
            t("datetime", Kind::DateTime { format: Cow::Borrowed("%Y-%m-%dT%H:%M") }),
            t("letters", Kind::Enum { values: s(&["A", "B"]), integer: false, integer_as_string: false }),
            t("numbers", Kind::Enum { values: s(&["1", "2"]), integer: true, integer_as_string: true }),
            t(
                "Inner",
                Kind::Object {
                    fields: Cow::Owned(vec![
                        f("a", 3, true, false),
                        f("b", 5, false, false),
                        f("c", 11, false, true),
                        f("d", 10, false, false),
                        fa("e", &E_ALIASES, 2),
                    ]),
                },
            ),
            t("Inner[]", Kind::Array { items: 12, min_items: Some(1), max_items: Some(3) }),
            t("map", Kind::Map { values: 5 }),
            t("enc", Kind::Encrypted { plaintext: 12 }),
            t(
                "One",
                Kind::OneOf {
                    variants: Cow::Owned(vec![f("X", 12, false, false), f("Y", 14, false, false)]),
                    tag_field: Some(Cow::Borrowed("@type")),
                },
            ),
            t("Shared", Kind::Object { fields: Cow::Owned(vec![f("p", 3, false, false), fa("q", &P_ALIAS, 5)]) }),
            t("Body", Kind::Object { fields: Cow::Owned(body_fields.clone()) }),
            t("Reply", Kind::Object { fields: Cow::Owned(body_fields) }),
            t("Wrapped", Kind::Encrypted { plaintext: 16 }),
        ]
    }

    fn schema(envelopes: bool) -> Schema {
        let cross = vec![
            CrossRule { ty: 18, kind: CrossKind::AtLeastOne, fields: s(&["n", "price"]) },
            CrossRule { ty: 18, kind: CrossKind::ExactlyOne, fields: s(&["flag", "anything"]) },
            CrossRule {
                ty: 18,
                kind: CrossKind::Requires { present: Cow::Borrowed("when"), absent: Some(Cow::Borrowed("at")) },
                fields: s(&["price", "e2"]),
            },
            CrossRule {
                ty: 12,
                kind: CrossKind::Requires { present: Cow::Borrowed("b"), absent: None },
                fields: s(&["d"]),
            },
        ];
        let op = |name: &'static str, request, response| OperationSchema {
            name: Cow::Borrowed(name),
            request,
            response,
            path_params: None,
        };
        let (request_envelope, response_envelope) = if envelopes {
            (
                Envelope {
                    fields: Cow::Owned(vec![f("action", 2, true, false), f("key", 3, false, false)]),
                    body: BodyPlacement::Flatten,
                    operation_field: Some(Cow::Borrowed("action")),
                },
                Envelope {
                    fields: Cow::Owned(vec![f("status", 5, true, false), f("msg", 2, false, true)]),
                    body: BodyPlacement::Field { name: Cow::Borrowed("data"), required: false },
                    operation_field: None,
                },
            )
        } else {
            let none = || Envelope { fields: Cow::Owned(vec![]), body: BodyPlacement::Flatten, operation_field: None };
            (none(), none())
        };
        Schema {
            vendor: Cow::Borrowed("test"),
            types: Table::owned(types()),
            patterns: Table::owned(vec![Pattern::new(r"^\d+$"), Pattern::new(r"^[A-Z]{2}$")]),
            operations: Cow::Owned(vec![
                op("any", 0, 0),
                op("enc", 20, 15),
                op("list", 13, 14),
                op("one", 16, 16),
                op("op", 18, 19),
            ]),
            profile_rules: Table::owned(vec![]),
            cross_rules: Table::owned(cross),
            request_envelope,
            response_envelope,
        }
    }

    fn body() -> Value {
        json!({
            "id": "123",
            "inner": {"a": "12", "b": "3", "c": 1, "d": "A", "E": "x"},
            "list": [{"a": "1"}, {"a": "22", "ee": "y", "e": "z"}],
            "map": {"k": 1, "j": "2"},
            "enc": {"a": "99"},
            "one": {"X": {"a": "12"}},
            "coll": {"p": "12", "q": 3},
            "when": "2024-01-01",
            "at": "2024-01-01T10:00",
            "price": "12.5",
            "n": 5.5,
            "flag": true,
            "anything": {"z": [1]},
            "e2": "1",
            "status": "A",
            "secret": "AB"
        })
    }

    fn documents() -> Vec<Value> {
        let mut request = body();
        request["action"] = json!("op");
        request["key"] = json!("12");
        vec![
            request,
            json!({"status": 0, "msg": "ok", "data": body()}),
            json!({"status": "3", "msg": null}),
            json!({"@type": "Y", "k": 1}),
            json!({"Y": {"k": "x"}}),
            json!([{"a": "12"}, {"a": "1", "b": 11}]),
            json!({"action": "one", "X": {"a": "1"}}),
        ]
    }

    fn replacements() -> Vec<Value> {
        vec![
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(-7.25),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(""),
            json!("x"),
            json!("12"),
            json!("123456"),
            json!("ABC"),
            json!("2024-02-30"),
            json!("2024-02-29T23:59"),
            json!("1e3"),
            json!("QUJDRA=="),
            json!([]),
            json!([{"a": "1"}, {"a": "2"}, {"a": "3"}, {"a": "4"}]),
            json!({}),
            json!({"E": "y", "e": 1}),
            json!({"@type": "X", "a": 5}),
            json!({"X": {"a": "1"}, "Y": {}}),
            json!({"p": "1"}),
            json!({"q": 1, "p": 2}),
        ]
    }

    fn paths(value: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(here.clone());
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    here.push(k.clone());
                    paths(v, here, out);
                    here.pop();
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    here.push(i.to_string());
                    paths(v, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }

    fn at<'v>(value: &'v mut Value, path: &[String]) -> &'v mut Value {
        path.iter().fold(value, |v, seg| match v {
            Value::Object(m) => m.get_mut(seg.as_str()).expect("a path of the value"),
            Value::Array(a) => &mut a[seg.parse::<usize>().expect("an index")],
            _ => unreachable!(),
        })
    }

    fn mutations(doc: &Value) -> Vec<Value> {
        let mut all = Vec::new();
        paths(doc, &mut Vec::new(), &mut all);
        let mut out = vec![doc.clone()];
        for path in &all {
            for r in replacements() {
                let mut v = doc.clone();
                *at(&mut v, path) = r;
                out.push(v);
            }
            if let Some((last, parent)) = path.split_last() {
                let mut v = doc.clone();
                match at(&mut v, parent) {
                    Value::Object(m) => {
                        m.remove(last.as_str());
                        m.insert("zzUnknown".to_owned(), json!(1));
                        m.insert("AUnknown".to_owned(), json!(null));
                    }
                    Value::Array(a) => {
                        a.remove(last.parse::<usize>().expect("an index"));
                    }
                    _ => {}
                }
                out.push(v);
            }
        }
        out
    }

    /// `v` as JSON text: keys sorted, reversed, or each repeated after a wrong first value.
    fn text(v: &Value, layout: u8, out: &mut String) {
        match v {
            Value::Object(map) => {
                out.push('{');
                let mut entries: Vec<_> = map.iter().collect();
                if layout == 1 {
                    entries.reverse();
                }
                for (i, (k, v)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let key = Value::String(k.clone()).to_string();
                    if layout == 2 {
                        out.push_str(&key);
                        out.push_str(r#":[{"junk":1}],"#);
                    }
                    out.push_str(&key);
                    out.push(':');
                    text(v, layout, out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    text(item, layout, out);
                }
                out.push(']');
            }
            scalar => out.push_str(&scalar.to_string()),
        }
    }

    fn compare(schema: &Schema, doc: &Value, compared: &mut usize) {
        for layout in 0..3 {
            let mut t = String::new();
            text(doc, layout, &mut t);
            let parsed: Value = serde_json::from_str(&t).expect("valid JSON");
            for op in schema.operations.iter() {
                for dir in ALL {
                    let want = schema.check_wire(&op.name, &parsed, dir).unwrap();
                    assert_eq!(
                        schema.check_wire_slice(&op.name, t.as_bytes(), dir).unwrap(),
                        want,
                        "{} {dir:?} {t}",
                        op.name
                    );
                    *compared += 1;
                    if layout == 0 {
                        let got = schema.check_wire_reader(&op.name, t.as_bytes(), dir).unwrap();
                        assert_eq!(got, want, "{} {dir:?} {t}", op.name);
                    }
                }
            }
            let want = schema.check_error_wire(&parsed);
            assert_eq!(schema.check_error_wire_slice(t.as_bytes()).unwrap(), want, "error wire {t}");
            *compared += 1;
            // Kept paths read the same as in the whole document.
            let keep = [
                "data.inner.a",
                "*.a",
                "list[1]",
                "data.list[0].e",
                "status",
                "msg",
                "map.k",
                "*.X",
                "one.X.a",
                "anything.z[0]",
                "nope.x",
                "data[0]",
                "*",
                "coll.q",
                "action",
                "Y.k",
                "[1]",
                "a..b",
            ];
            for op in schema.operations.iter() {
                for dir in ALL {
                    let report = schema.check_wire_slice_keeping(&op.name, t.as_bytes(), dir, &keep).unwrap();
                    assert_eq!(report.violations, schema.check_wire(&op.name, &parsed, dir).unwrap(), "{t}");
                    for p in keep {
                        let (a, b) = (crate::jsonpath::get(&report.kept, p), crate::jsonpath::get(&parsed, p));
                        assert_eq!(a, b, "{} {dir:?} `{p}` in {t}, kept {}", op.name, report.kept);
                    }
                    *compared += 1;
                }
            }
            // Each type on its own: the sorted text covers them (the layouts matter in objects,
            // which the wire checks above already walk in every order).
            // Scalar types are checked inside these.
            for ty in (12..schema.types.len()).filter(|_| layout == 0) {
                for dir in ALL {
                    let want = schema.check(ty, &parsed, dir);
                    assert_eq!(schema.check_slice(ty, t.as_bytes(), dir).unwrap(), want, "type {ty} {dir:?} {t}");
                    assert_eq!(schema.check_serialized(ty, &parsed, dir).unwrap(), want, "serialized {ty} {dir:?} {t}");
                    *compared += 2;
                }
            }
        }
    }

    #[test]
    fn the_drivers_agree_with_the_value_walk() {
        // Unoptimised builds check every 7th mutation (7 is prime to the 27 changes made at
        // each path, so every change is still tried at many paths); release builds check all.
        let stride = if cfg!(debug_assertions) { 7 } else { 1 };
        let mut compared = 0;
        for envelopes in [true, false] {
            let schema = schema(envelopes);
            for doc in documents() {
                for m in mutations(&doc).iter().step_by(stride) {
                    compare(&schema, m, &mut compared);
                }
            }
        }
        assert!(compared > 100_000 / stride, "{compared}");
        eprintln!("{compared} comparisons");
    }

    /// `check_constructed` trusts what the generated types prove (a constrained string is a
    /// validated newtype) and still checks what they cannot (ranges), and `null`.
    #[test]
    fn constructed_values_skip_what_construction_proved() {
        let schema = schema(true);
        assert!(!schema.check_serialized(3, "x", Direction::Request).unwrap().is_empty());
        assert_eq!(schema.check_constructed(3, "x", Direction::Request).unwrap(), []);
        assert_eq!(schema.check_constructed(3, &None::<&str>, Direction::Request).unwrap().len(), 1);
        let range = schema.check_constructed(5, &42, Direction::Request).unwrap();
        assert_eq!(range, schema.check_serialized(5, &42, Direction::Request).unwrap());
        assert_eq!(range.len(), 1);
        // The body type has cross-field rules and ranges below it: walked.
        assert_eq!(schema.type_meta()[18] & super::META_PROVEN, 0);
        assert_ne!(schema.type_meta()[3] & super::META_PROVEN, 0);
    }

    #[test]
    fn typed_values_agree_with_the_value_walk() {
        use std::collections::BTreeMap;

        #[derive(serde::Serialize)]
        struct Inner {
            a: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<i64>,
            c: Option<u8>,
            #[serde(flatten)]
            extra: BTreeMap<String, Value>,
        }
        #[derive(serde::Serialize)]
        enum One {
            X(Inner),
            Y(BTreeMap<String, i32>),
        }
        #[derive(serde::Serialize)]
        struct Body {
            id: String,
            inner: Inner,
            list: Vec<Inner>,
            map: BTreeMap<u32, f64>,
            one: One,
            when: Date,
            n: f32,
            flag: (),
            status: char,
            e2: i128,
        }
        struct Date(u32);
        impl serde::Serialize for Date {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&format_args!("2024-02-{:02}", self.0))
            }
        }
        let inner = |a, b, extra: &[(&str, Value)]| Inner {
            a,
            b,
            c: None,
            extra: extra.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
        };
        let schema = schema(true);
        let bodies = [
            Body {
                id: "123".into(),
                inner: inner("12", Some(3), &[]),
                list: vec![inner("1", None, &[("e", json!("x"))])],
                map: [(1, 1.0)].into_iter().collect(),
                one: One::X(inner("12", None, &[])),
                when: Date(29),
                n: 5.5,
                flag: (),
                status: 'A',
                e2: 1,
            },
            Body {
                id: "x".into(),
                inner: inner("1", Some(30), &[("a", json!(5)), ("zz", json!(null)), ("E", json!(3))]),
                list: vec![],
                map: [(1, f64::NAN), (2, 11.5)].into_iter().collect(),
                one: One::Y([("k".to_owned(), 11)].into_iter().collect()),
                when: Date(30),
                n: f32::INFINITY,
                flag: (),
                status: 'C',
                e2: -3,
            },
        ];
        for body in &bodies {
            for ty in 0..schema.types.len() {
                for dir in ALL {
                    let value = serde_json::to_value(body).unwrap();
                    assert_eq!(
                        schema.check_serialized(ty, body, dir).unwrap(),
                        schema.check(ty, &value, dir),
                        "{ty} {dir:?} {value}"
                    );
                }
            }
        }
        // What `to_value` refuses, `check_serialized` refuses with the same message.
        let huge = Body { e2: i128::MAX, ..bodies.into_iter().next().unwrap() };
        let want = serde_json::to_value(&huge).unwrap_err().to_string();
        assert_eq!(schema.check_serialized(18, &huge, Direction::Request).unwrap_err().0, want);
        let keys: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into_iter().collect();
        let want = serde_json::to_value(&keys).unwrap_err().to_string();
        assert_eq!(schema.check_serialized(14, &keys, Direction::Request).unwrap_err().0, want);
    }
}
