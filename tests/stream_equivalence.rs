//! The checkers that work without a `serde_json::Value` of the whole document give exactly
//! the violations of the `Value` walk (same paths, messages and order):
//!
//! - wire bytes checked while parsed (`check_wire_slice`, `check_wire_reader`,
//!   `check_error_wire_*`, `check_slice`, `check_reader`) against `check_wire`,
//!   `check_error_wire` and `check` on the parsed `Value`;
//! - typed values checked while serialized (`check_serialized`, behind `validate()`) against
//!   `check` on `serde_json::to_value` of the same value.
//!
//! On every example of every vendor (the bundled specs and the test fixtures) and on mutations
//! of each: other JSON types, missing required keys, unknown keys, bad patterns, strings too
//! long, numbers out of range, extra array items, several errors at once; each document also
//! written with its keys in reverse order and with every key repeated (a first, wrong value
//! that the second replaces, as in a `Value`).

#[allow(warnings, clippy::all)]
#[rustfmt::skip]
#[path = "fixtures/basic/expected.rs"]
pub mod basic_fixture;

#[allow(warnings, clippy::all)]
#[rustfmt::skip]
#[path = "fixtures/hostile/expected.rs"]
pub mod hostile_fixture;

mod support;

use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use flightapi::rt::schema::BodyPlacement;
use flightapi::rt::{Direction, Operation, Schema, TypeId, Validate, Vendor, Violation, Violations};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

const ALL: [Direction; 3] = [Direction::Request, Direction::Response, Direction::StrictResponse];

// ---------------------------------------------------------------------------------------------
// Documents: texts with other key orders and repeated keys; mutations.
// ---------------------------------------------------------------------------------------------

/// How a document is written.
#[derive(Clone, Copy, Debug)]
enum Layout {
    /// As `serde_json` writes a `Value` (keys sorted).
    Sorted,
    /// Every object's keys in reverse order.
    Reversed,
    /// Every key twice: first with a wrong value, then with its own.
    Repeated,
}

fn write(v: &Value, layout: Layout, out: &mut String) {
    match v {
        Value::Object(map) => {
            out.push('{');
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if let Layout::Reversed = layout {
                entries.reverse();
            }
            let mut first = true;
            for (k, v) in entries {
                let key = serde_json::to_string(k).unwrap();
                if let Layout::Repeated = layout {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    out.push_str(&key);
                    out.push_str(r#":{"junk":[1,"x",null]}"#);
                }
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&key);
                out.push(':');
                write(v, layout, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, layout, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn text(v: &Value, layout: Layout) -> String {
    let mut out = String::new();
    write(v, layout, &mut out);
    out
}

/// One way to break a document at one place.
#[derive(Clone, Debug)]
enum Change {
    Replace(Value),
    /// Remove the key (or item) and add an unknown key to the parent object.
    Remove,
    /// Append copies of the first item until there are `n` more.
    Grow(usize),
    /// Strings: append text; numbers: scale.
    Append(&'static str),
    Repeat(usize),
    Scale(f64),
}

fn replacements() -> Vec<Value> {
    vec![
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!(u64::MAX),
        json!(i64::MIN),
        json!(""),
        json!("x"),
        json!("2024-02-30"),
        json!("2024-02-29T24:00"),
        json!("12.50"),
        json!("١٢٣"),
        json!("QUJD"),
        json!("x".repeat(300)),
        json!([]),
        json!([null]),
        json!({}),
        json!({"unknownKey": 1}),
    ]
}

fn at<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, seg| match v {
        Value::Object(m) => m.get_mut(seg.as_str()),
        Value::Array(a) => a.get_mut(seg.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Applies `change` at `path`; `false` when the path is gone or the change does not apply.
fn apply(doc: &mut Value, path: &[String], change: &Change) -> bool {
    if let Change::Remove = change {
        let Some((last, parent)) = path.split_last() else { return false };
        return match at(doc, parent) {
            Some(Value::Object(m)) => {
                m.remove(last.as_str());
                m.insert("unknownKey".to_owned(), json!(1));
                true
            }
            Some(Value::Array(a)) => match last.parse::<usize>() {
                Ok(i) if i < a.len() => {
                    a.remove(i);
                    true
                }
                _ => false,
            },
            _ => false,
        };
    }
    let Some(target) = at(doc, path) else { return false };
    match (change, &mut *target) {
        (Change::Replace(v), _) => *target = v.clone(),
        (Change::Grow(n), Value::Array(a)) if !a.is_empty() => {
            let first = a[0].clone();
            a.extend(std::iter::repeat_n(first, *n));
        }
        (Change::Append(s), Value::String(t)) => t.push_str(s),
        (Change::Repeat(n), Value::String(t)) if !t.is_empty() => *t = t.repeat(*n),
        (Change::Scale(f), Value::Number(n)) => *target = json!(n.as_f64().unwrap_or(0.0) * f),
        _ => return false,
    }
    true
}

/// The example and its mutations: every change at every place, then, for nested errors,
/// several changes at once (chosen by a fixed sequence, so runs are repeatable).
fn mutations(example: &Value) -> Vec<Value> {
    let mut all_paths = Vec::new();
    support::collect_paths(example, &mut Vec::new(), &mut all_paths);
    let mut changes: Vec<Change> = replacements().into_iter().map(Change::Replace).collect();
    changes.extend([
        Change::Remove,
        Change::Grow(120),
        Change::Append("!"),
        Change::Append(" "),
        Change::Repeat(40),
        Change::Scale(1000.0),
        Change::Scale(-1.0),
        Change::Scale(0.5),
    ]);
    let mut out = vec![example.clone()];
    let mut singles = Vec::new();
    for path in &all_paths {
        for change in &changes {
            let mut doc = example.clone();
            if apply(&mut doc, path, change) {
                out.push(doc);
                singles.push((path.clone(), change.clone()));
            }
        }
    }
    // Several errors at once, at different depths.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    for _ in 0..singles.len().min(200) {
        let mut doc = example.clone();
        let mut applied = 0;
        for _ in 0..3 {
            let (path, change) = &singles[next(singles.len())];
            applied += usize::from(apply(&mut doc, path, change));
        }
        if applied > 1 {
            out.push(doc);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The comparisons.
// ---------------------------------------------------------------------------------------------

fn show(list: &[Violation]) -> String {
    list.iter().map(|v| format!("\n    {v}")).collect()
}

struct Tally {
    compared: AtomicUsize,
    failures: Mutex<Vec<String>>,
}

impl Tally {
    fn new() -> Self {
        Tally { compared: AtomicUsize::new(0), failures: Mutex::new(Vec::new()) }
    }

    fn same(&self, what: impl FnOnce() -> String, want: &[Violation], got: &[Violation]) {
        self.compared.fetch_add(1, Ordering::Relaxed);
        if want != got {
            let mut failures = self.failures.lock().unwrap();
            if failures.len() < 12 {
                failures.push(format!("{}\n  Value walk:{}\n  streamed:{}", what(), show(want), show(got)));
            }
        }
    }

    fn finish(self, at_least: usize, what: &str) {
        let compared = self.compared.into_inner();
        let failures = self.failures.into_inner().unwrap();
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
        eprintln!("{what}: {compared} comparisons");
        assert!(compared >= at_least, "{what}: only {compared} comparisons");
    }
}

/// Every wire check of `doc` (as `check_wire`, `check_error_wire`, `check`) in `directions`,
/// streamed from each layout of its text, against the `Value` walk; and the API error the
/// vendor's error rule reads from the values `check_wire_slice_keeping` keeps, against the one
/// it reads from the whole document.
fn compare_wire(tally: &Tally, vendor: &Vendor, op: &str, doc: &Value, directions: &[Direction], reader: bool) {
    let schema = vendor.schema;
    let layouts = [Layout::Sorted, Layout::Reversed, Layout::Repeated];
    let operation = schema.operation(op).expect("a listed operation");
    for layout in layouts {
        let text = text(doc, layout);
        let parsed: Value = serde_json::from_str(&text).unwrap();
        let where_ = |kind: &str, dir: Option<Direction>| format!("{op} {kind} {dir:?} {layout:?}: {text}");
        for &dir in directions {
            let want = schema.check_wire(op, &parsed, dir).unwrap();
            let got = schema.check_wire_slice(op, text.as_bytes(), dir).unwrap();
            tally.same(|| where_("check_wire_slice", Some(dir)), &want, &got);
            if let (Some(rule), true) = (&vendor.errors, dir != Direction::Request) {
                let paths = flightapi::rt::stream::error_rule_paths(rule);
                let report = schema.check_wire_slice_keeping(op, text.as_bytes(), dir, &paths).unwrap();
                tally.same(|| where_("check_wire_slice_keeping", Some(dir)), &want, &report.violations);
                for status in [200, 400, 500] {
                    let (a, b) = (vendor.error_in(&parsed, status), vendor.error_in(&report.kept, status));
                    if a != b {
                        tally.failures.lock().unwrap().push(format!(
                            "{}: API error (HTTP {status}) {a:?} read from the kept values {} as {b:?}",
                            where_("keeping", Some(dir)),
                            report.kept
                        ));
                    }
                }
            }
            if reader {
                let got = schema.check_wire_reader(op, text.as_bytes(), dir).unwrap();
                tally.same(|| where_("check_wire_reader", Some(dir)), &want, &got);
            }
            let ty = if dir == Direction::Request { operation.request } else { operation.response };
            let want = schema.check(ty, &parsed, dir);
            let got = schema.check_slice(ty, text.as_bytes(), dir).unwrap();
            tally.same(|| where_("check_slice", Some(dir)), &want, &got);
            if reader {
                let got = schema.check_reader(ty, text.as_bytes(), dir).unwrap();
                tally.same(|| where_("check_reader", Some(dir)), &want, &got);
            }
        }
        let want = schema.check_error_wire(&parsed);
        let got = schema.check_error_wire_slice(text.as_bytes()).unwrap();
        tally.same(|| where_("check_error_wire_slice", None), &want, &got);
        if reader {
            let got = schema.check_error_wire_reader(text.as_bytes()).unwrap();
            tally.same(|| where_("check_error_wire_reader", None), &want, &got);
        }
    }
}

/// `check_serialized` of `value` against `check` of its `to_value`, in every direction.
fn compare_serialized<T: Serialize + ?Sized>(
    tally: &Tally,
    schema: &Schema,
    ty: TypeId,
    value: &T,
    what: &dyn Fn() -> String,
) {
    for dir in ALL {
        let want = serde_json::to_value(value).map(|v| schema.check(ty, &v, dir)).map_err(|e| e.to_string());
        let got = schema.check_serialized(ty, value, dir).map_err(|e| e.0);
        match (want, got) {
            (Ok(want), Ok(got)) => tally.same(|| format!("{} check_serialized {dir:?}", what()), &want, &got),
            (Err(a), Err(b)) if a == b => {
                tally.compared.fetch_add(1, Ordering::Relaxed);
            }
            (a, b) => tally
                .failures
                .lock()
                .unwrap()
                .push(format!("{}: {dir:?}: to_value {a:?}, check_serialized {b:?}", what())),
        }
    }
}

/// The operation body inside a whole wire body.
fn body(schema: &Schema, wire: &Value, direction: Direction) -> Option<Value> {
    let envelope = if direction == Direction::Request { &schema.request_envelope } else { &schema.response_envelope };
    match &envelope.body {
        BodyPlacement::Field { name, .. } => wire.get(name.as_ref()).cloned(),
        BodyPlacement::Flatten => {
            let mut map = wire.as_object()?.clone();
            for f in envelope.fields.iter() {
                map.remove(f.wire.as_ref());
                for a in f.aliases.iter() {
                    map.remove(a.as_ref());
                }
            }
            Some(Value::Object(map))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Typed values: every operation's request and response types.
// ---------------------------------------------------------------------------------------------

/// `validate()` (checked while serializing) against the `Value` walk it replaced, for types
/// that implement `Validate` (picked at compile time by autoref: [`NoValidate`] otherwise).
struct Probe<T>(PhantomData<T>);

type OldNew = (Result<(), Violations>, Result<(), Violations>);

trait ViaValidate {
    fn old_new(&self, body: &Value) -> Option<OldNew>;
}

impl<T: Validate + DeserializeOwned> ViaValidate for Probe<T> {
    fn old_new(&self, body: &Value) -> Option<OldNew> {
        let typed: T = serde_json::from_value(body.clone()).ok()?;
        let old = match serde_json::to_value(&typed) {
            Ok(v) => Violations::into_result(T::schema().check(T::TYPE, &v, Direction::Request)),
            Err(e) => {
                Err(Violations(vec![Violation { path: "$".to_owned(), message: format!("cannot be serialized: {e}") }]))
            }
        };
        Some((old, typed.validate()))
    }
}

trait NoValidate {
    fn old_new(&self, _body: &Value) -> Option<OldNew> {
        None
    }
}

impl<T> NoValidate for &Probe<T> {}

/// Decodes a body as an operation's request (`true`) or response type and compares the checks.
type Compare = fn(&Tally, &Schema, TypeId, bool, &Value, &dyn Fn() -> String) -> bool;

/// One operation's typed checks on one body.
struct Typed {
    vendor: &'static str,
    name: &'static str,
    /// Decodes the body as the request (`true`) or response type and compares the checks;
    /// returns whether it decoded.
    compare: Compare,
    /// `validate()` old and new, request and response types.
    validate: [fn(&Value) -> Option<OldNew>; 2],
}

fn compare_typed<Op: Operation>(
    tally: &Tally,
    schema: &Schema,
    ty: TypeId,
    request: bool,
    body: &Value,
    what: &dyn Fn() -> String,
) -> bool {
    fn one<T: Serialize + DeserializeOwned>(
        tally: &Tally,
        schema: &Schema,
        ty: TypeId,
        body: &Value,
        what: &dyn Fn() -> String,
    ) -> bool {
        match serde_json::from_value::<T>(body.clone()) {
            Ok(typed) => {
                compare_serialized(tally, schema, ty, &typed, what);
                true
            }
            Err(_) => false,
        }
    }
    if request {
        one::<Op::Request>(tally, schema, ty, body, what)
    } else {
        one::<Op::Response>(tally, schema, ty, body, what)
    }
}

macro_rules! typed {
    ($vendor:expr => $($op:ty),* $(,)?) => {
        vec![$(Typed {
            vendor: $vendor,
            name: <$op as Operation>::NAME,
            compare: compare_typed::<$op>,
            validate: [
                |body| (&Probe::<<$op as Operation>::Request>(PhantomData)).old_new(body),
                |body| (&Probe::<<$op as Operation>::Response>(PhantomData)).old_new(body),
            ],
        }),*]
    };
}

fn typed_operations() -> Vec<Typed> {
    use flightapi::{aerohub as ah, fr24, travelport as tp};
    let mut all = typed!("fr24" =>
        fr24::AncillaryBooking, fr24::AncillaryOrderDetail, fr24::AncillaryPurchase, fr24::Booking,
        fr24::ChangeReshop, fr24::FileUpload, fr24::OrderChangeInforming, fr24::OrderDetail, fr24::PayVerify,
        fr24::PostsaleAncillaryShopping, fr24::PresaleAncillaryShopping, fr24::Pricing, fr24::RefundConfirming,
        fr24::RefundRequest, fr24::ReissueRequest, fr24::SeatMap, fr24::SelectBalance, fr24::Shopping,
        fr24::Ticketing, fr24::VoidRequest,
    );
    all.extend(typed!("aerohub" =>
        ah::AirPricing, ah::AssignSeats, ah::Commit, ah::ConfirmCancellation, ah::GetAvailability,
        ah::GetBookingDetail, ah::GetBookingDetailV1, ah::GetBookingPayments, ah::GetCancellationDetail,
        ah::GetSsrAvailability, ah::GetSeatAvailability, ah::SearchDateChangeOptions, ah::SellSsr,
        ah::SetPassengers, ah::SetPaymentToBooking, ah::SubmitCancellation, ah::UploadAttachments,
    ));
    all.extend(typed!("travelport" =>
        tp::AddFormOfPayment, tp::AddPayment, tp::DeleteFormOfPayment, tp::UpdateFormOfPayment,
    ));
    all.extend(typed!("aero" =>
        basic_fixture::aero::Lookup, basic_fixture::aero::Notify, basic_fixture::aero::SetPayment,
    ));
    all.extend(typed!("travel" =>
        basic_fixture::travel::AddFormOfPayment, basic_fixture::travel::DeleteFormOfPayment,
        basic_fixture::travel::UpdateFormOfPayment,
    ));
    all.extend(typed!("hostile" => hostile_fixture::hostile::Type));
    all
}

fn all_vendors() -> Vec<&'static Vendor> {
    let mut vendors = flightapi::vendors();
    vendors.extend(basic_fixture::vendors());
    vendors.extend(hostile_fixture::vendors());
    vendors
}

/// Every example document: vendor, operation, whole wire body, the side it is.
fn examples() -> Vec<(&'static Vendor, &'static str, Value, Direction)> {
    let mut out = Vec::new();
    for vendor in all_vendors() {
        for op in vendor.operations {
            for ex in op.examples {
                for (text, dir) in [(ex.request, Direction::Request), (ex.response, Direction::Response)] {
                    if let Some(text) = text {
                        out.push((vendor, op.name, serde_json::from_str(text).expect("example JSON"), dir));
                    }
                }
            }
        }
    }
    out
}

/// Runs `f` on every item, on every core.
fn parallel<T: Sync>(items: &[T], f: impl Fn(&T) + Sync) {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).min(8);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                f(item);
            });
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_example_streams_to_the_same_violations() {
    let tally = Tally::new();
    let examples = examples();
    assert!(examples.len() > 60, "only {} examples", examples.len());
    parallel(&examples, |(vendor, op, doc, _)| compare_wire(&tally, vendor, op, doc, &ALL, true));
    tally.finish(1000, "examples");
}

/// Unoptimised builds check every 5th mutated document (a stride, so each kind of change is
/// still tried at many paths); release builds check all of them.
const STRIDE: usize = if cfg!(debug_assertions) { 5 } else { 1 };

#[test]
fn mutated_examples_stream_to_the_same_violations() {
    let tally = Tally::new();
    let examples = examples();
    let documents = AtomicUsize::new(0);
    parallel(&examples, |(vendor, op, doc, side)| {
        let directions: &[Direction] = match side {
            Direction::Request => &[Direction::Request],
            _ => &[Direction::Response, Direction::StrictResponse],
        };
        for (i, m) in mutations(doc).iter().enumerate().step_by(STRIDE) {
            documents.fetch_add(1, Ordering::Relaxed);
            // The reader shares everything with the slice but the input: a sample is enough.
            compare_wire(&tally, vendor, op, m, directions, i % 16 == 0);
        }
    });
    eprintln!("{} mutated documents", documents.into_inner());
    tally.finish(100_000 / STRIDE, "mutations");
}

#[test]
fn typed_values_check_the_same_while_serializing() {
    let typed = typed_operations();
    let vendors = all_vendors();
    let tally = Tally::new();
    let validated = AtomicUsize::new(0);
    let decoded = AtomicUsize::new(0);
    let covered = Mutex::new(std::collections::BTreeSet::new());
    let examples = examples();
    parallel(&examples, |(vendor, op, doc, side)| {
        let Some(t) = typed.iter().find(|t| t.vendor == vendor.name && t.name == *op) else { return };
        covered.lock().unwrap().insert((vendor.name, *op));
        let schema = vendor.schema;
        let operation = schema.operation(op).unwrap();
        let (ty, request) = match side {
            Direction::Request => (operation.request, true),
            _ => (operation.response, false),
        };
        for (i, m) in mutations(doc).iter().enumerate() {
            let Some(body) = body(schema, m, *side) else { continue };
            let what = || format!("{} {op} {side:?} mutation {i}: {body}", vendor.name);
            if (t.compare)(&tally, schema, ty, request, &body, &what) {
                decoded.fetch_add(1, Ordering::Relaxed);
            }
            // Any JSON value is a typed value too: its own `Serialize` drives the checker.
            compare_serialized(&tally, schema, ty, &body, &what);
            if let Some((old, new)) = (t.validate[usize::from(!request)])(&body) {
                validated.fetch_add(1, Ordering::Relaxed);
                if old != new {
                    tally.failures.lock().unwrap().push(format!("{}: validate() {old:?} became {new:?}", what()));
                }
            }
        }
    });
    let covered = covered.into_inner().unwrap();
    for vendor in &vendors {
        for op in vendor.operations.iter().filter(|o| !o.examples.is_empty()) {
            assert!(covered.contains(&(vendor.name, op.name)), "{} {} has no typed entry here", vendor.name, op.name);
        }
    }
    eprintln!(
        "{} typed values decoded, {} validate() compared",
        decoded.into_inner(),
        validated.load(Ordering::Relaxed)
    );
    assert!(validated.into_inner() > 1000);
    tally.finish(50_000, "typed");
}

#[test]
fn hand_picked_cases_agree() {
    use basic_fixture::aero::set_payment::{Card, CardNumber, PaymentCode, Request, SessionId};
    use basic_fixture::aero::types::{CardType, Currency, Money};
    use flightapi::rt::{IsoMinutes, LocalDateTime};
    let tally = Tally::new();
    let aero = basic_fixture::aero::VENDOR.schema;
    let travel = basic_fixture::travel::VENDOR.schema;

    // Strict responses, unknown keys, the action field (repeated, too), one-of card codes.
    let cases: Vec<(&Schema, &str, &str, Vec<Direction>)> = vec![
        (
            aero,
            "SetPayment",
            r#"{"status": 0, "balanceDue": 1, "orderStatus": "REFUNDED", "orderNum": "x1", "extraKey": true}"#,
            ALL.to_vec(),
        ),
        (
            aero,
            "SetPayment",
            r#"{"action": "Commit", "key": "k", "signature": "s", "timestamp": 1, "request": {}}"#,
            ALL.to_vec(),
        ),
        (
            aero,
            "SetPayment",
            r#"{"action": "Commit", "action": "SetPayment", "key": "k", "signature": "s", "timestamp": "1", "request": null}"#,
            ALL.to_vec(),
        ),
        (
            aero,
            "SetPayment",
            r#"{"action": "SetPayment", "action": 7, "key": null, "request": {"paymentCode": "CC", "paymentCode": "XX"}}"#,
            ALL.to_vec(),
        ),
        (
            travel,
            "AddFormOfPayment",
            r#"{"FormOfPaymentPaymentCard": {"id": "f", "PaymentCard": {"CardCode": "visa", "CardNumber": {"PlainText": "4111111111111111"}}}}"#,
            ALL.to_vec(),
        ),
        (travel, "AddFormOfPayment", r#"{"@type": "FormOfPaymentCash", "id": 5, "bogus": []}"#, ALL.to_vec()),
        (travel, "AddFormOfPayment", r#"[{"FormOfPaymentCash": {"id": "x"}}]"#, ALL.to_vec()),
    ];
    for (schema, op, text, dirs) in cases {
        let value: Value = serde_json::from_str(text).unwrap();
        for dir in dirs {
            let want = schema.check_wire(op, &value, dir).unwrap();
            let got = schema.check_wire_slice(op, text.as_bytes(), dir).unwrap();
            tally.same(|| format!("{op} {dir:?} {text}"), &want, &got);
        }
    }

    // Documents that are not objects, for every operation of every vendor.
    for vendor in all_vendors() {
        for op in vendor.operations {
            for text in ["[]", "[1, {\"a\": null}]", "1", "-2.5", "\"x\"", "null", "true", "{}"] {
                let value: Value = serde_json::from_str(text).unwrap();
                for dir in ALL {
                    let want = vendor.schema.check_wire(op.name, &value, dir).unwrap();
                    let got = vendor.schema.check_wire_reader(op.name, text.as_bytes(), dir).unwrap();
                    tally.same(|| format!("{} {} {dir:?} {text}", vendor.name, op.name), &want, &got);
                }
            }
        }
    }

    // Invalid JSON and unknown operations are errors, not violations.
    let fr24 = flightapi::fr24::VENDOR.schema;
    assert!(matches!(
        fr24.check_wire_slice("shopping", b"{\"data\": ", Direction::Response),
        Err(flightapi::rt::StreamError::Json(_))
    ));
    assert!(matches!(
        fr24.check_wire_slice("shopping", b"{} {}", Direction::Response),
        Err(flightapi::rt::StreamError::Json(_))
    ));
    assert!(matches!(
        fr24.check_wire_slice("nope", b"{}", Direction::Response),
        Err(flightapi::rt::StreamError::UnknownOperation(_))
    ));

    // validate(): the fixture's documented violations, and a value that cannot be serialized.
    let mut req = Request::builder()
        .session_id(SessionId::try_from("e7b9e00ee26a8df4").unwrap())
        .payment_code(PaymentCode::Card)
        .total(
            Money::builder()
                .amount(rust_decimal::Decimal::new(14652, 2))
                .currency(Currency::try_from("EUR").unwrap())
                .build(),
        )
        .departs(LocalDateTime::<IsoMinutes>::parse("2025-04-22T14:25").unwrap())
        .comment(None)
        .card(
            Card::builder()
                .card_number(CardNumber::try_from("4111111111111111").unwrap())
                .cvv("123".to_owned())
                .card_type(CardType::Uatp)
                .build(),
        )
        .build();
    req.count = Some(12);
    req.tags = Some(vec![]);
    let old = Violations::into_result(Request::schema().check(
        Request::TYPE,
        &serde_json::to_value(&req).unwrap(),
        Direction::Request,
    ));
    assert_eq!(req.validate(), old);
    assert_eq!(req.validate().unwrap_err().0.len(), 2);
    // A date that formats outside the format's four-digit year.
    req.departs = LocalDateTime::from(chrono_like_far_future());
    let old = Violations::into_result(Request::schema().check(
        Request::TYPE,
        &serde_json::to_value(&req).unwrap(),
        Direction::Request,
    ));
    assert_eq!(req.validate(), old);
    assert!(old.is_err());

    // Profiles: validate_in keeps its rules.
    {
        use flightapi::rt::Profile;
        use flightapi::travelport::types::FormOfPayment;
        use flightapi::travelport::ContentSource;
        let vendor = &flightapi::travelport::VENDOR;
        for op in vendor.operations {
            for ex in op.examples.iter().filter_map(|e| e.request) {
                let body = vendor.schema.request_body(serde_json::from_str(ex).unwrap());
                let Ok(typed) = serde_json::from_value::<FormOfPayment>(body) else { continue };
                for profile in [ContentSource::Ndc, ContentSource::Gds] {
                    let v = serde_json::to_value(&typed).unwrap();
                    let schema = FormOfPayment::schema();
                    let mut want = schema.check(FormOfPayment::TYPE, &v, Direction::Request);
                    want.extend(schema.check_profile(FormOfPayment::TYPE, &v, profile.name()));
                    assert_eq!(typed.validate_in(profile), Violations::into_result(want));
                    tally.compared.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
    tally.finish(300, "hand-picked");
}

fn chrono_like_far_future() -> flightapi::rt::chrono::NaiveDateTime {
    flightapi::rt::chrono::NaiveDate::from_ymd_opt(12025, 4, 22).unwrap().and_hms_opt(14, 25, 0).unwrap()
}
