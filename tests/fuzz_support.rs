//! What each fuzz target does with one input, shared by the `cargo fuzz` targets in `fuzz/`
//! (included with `#[path]`) and by `tests/fuzz_regressions.rs`, which replays every seed and
//! every input a fuzzer found a crash with. Errors are expected results; a panic is a crash.
#![allow(dead_code)]

use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use flightapi::rt::{Direction, Validate};
use flightapi_codegen::load::parse_str;
use flightapi_codegen::model::{OperationFile, TypesFile, VendorFile};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// One fuzz target: what it does with an input, and how often the input got all the way through.
pub type Target = fn(&[u8]) -> usize;

/// The fuzz targets, by name (the file names under `fuzz/fuzz_targets/`). Each returns how often
/// the input got all the way through (rendered, valid, decoded), for the regression test to
/// check that the seeds reach the deep code; the fuzz targets ignore it.
pub const TARGETS: &[(&str, Target)] =
    &[("spec_load", spec_load), ("validate_json", validate_json), ("deserialize", deserialize)];

// ---------------------------------------------------------------------------------------------
// spec_load: one spec file (YAML) through the loader, then through the whole pipeline.
// ---------------------------------------------------------------------------------------------

/// The spec folder the fuzzed file is placed in: the `aero` vendor of the `basic` fixture
/// with one small operation (an envelope, a signature recipe, error tables and shared types,
/// so that a fuzzed file meets every kind of neighbour).
const BASE_VENDOR: &str = include_str!("fixtures/basic/spec/aero/vendor.yaml");
const BASE_TYPES: &str = include_str!("fixtures/basic/spec/aero/types.yaml");
const BASE_OPERATION: &str = include_str!("fixtures/basic/spec/aero/operations/notify.yaml");

/// Where a fuzzed file goes in the spec folder.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Vendor,
    Types,
    /// Beside the base operation, as a second one.
    Operation,
}

/// One scratch spec folder per process, reused by every input (a lock keeps concurrent test
/// threads apart).
struct Scratch {
    root: PathBuf,
    /// The diff report's reference: the base folder's IR.
    base_ir: Option<flightapi_codegen::lower::Ir>,
}

fn scratch() -> &'static Mutex<Scratch> {
    static SCRATCH: OnceLock<Mutex<Scratch>> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("flightapi-fuzz-spec-{}", std::process::id()));
        let scratch = Scratch { root, base_ir: None };
        reset(&scratch.root);
        let base_ir = generator(&scratch.root).lint().ok();
        Mutex::new(Scratch { base_ir, ..scratch })
    })
}

/// Removes the scratch folder (the next input writes it again).
pub fn remove_scratch() {
    let scratch = scratch().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let _ = std::fs::remove_dir_all(&scratch.root);
}

fn vendor_dir(root: &Path) -> PathBuf {
    root.join("spec").join("aero")
}

fn generator(root: &Path) -> flightapi_codegen::Generator {
    flightapi_codegen::Generator::new(root.join("spec"), root.join("out")).shown_as("spec")
}

/// Writes the base spec folder (and removes the fuzzed operation).
fn reset(root: &Path) {
    let dir = vendor_dir(root);
    std::fs::create_dir_all(dir.join("operations")).expect("scratch spec folder");
    std::fs::write(dir.join("vendor.yaml"), BASE_VENDOR).expect("write vendor.yaml");
    std::fs::write(dir.join("types.yaml"), BASE_TYPES).expect("write types.yaml");
    std::fs::write(dir.join("operations/notify.yaml"), BASE_OPERATION).expect("write notify.yaml");
    let _ = std::fs::remove_file(dir.join("operations/fuzzed.yaml"));
}

/// The file as each spec file model (the loader's parse step, positions included), then, for
/// every model it parses as, the whole pipeline on the base folder with the file in that place:
/// load → lower (→ `diff` against the base) → emit → render. Generated code that does not parse
/// (`Error::Format`) is a generator bug and counts as a crash.
pub fn spec_load(data: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(data) else { return 0 };
    let shown = "spec/aero/fuzzed.yaml".to_owned();
    let mut slots = Vec::new();
    if let Ok(loaded) = parse_str::<VendorFile>(text, shown.clone()) {
        let _ = loaded.locations.find("request_envelope.fields[0].name");
        slots.push(Slot::Vendor);
    }
    if let Ok(loaded) = parse_str::<TypesFile>(text, shown.clone()) {
        let _ = loaded.locations.find("types[0].fields[0]");
        slots.push(Slot::Types);
    }
    match parse_str::<OperationFile>(text, shown) {
        Ok(loaded) => {
            let _ = loaded.diag("request.fields[0].type", "probe").to_string();
            slots.push(Slot::Operation);
        }
        Err(diag) => {
            let _ = diag.to_string();
        }
    }
    slots.into_iter().filter(|slot| pipeline(*slot, text)).count()
}

/// Whether the folder rendered.
fn pipeline(slot: Slot, text: &str) -> bool {
    let scratch = scratch().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    reset(&scratch.root);
    let dir = vendor_dir(&scratch.root);
    let file = match slot {
        Slot::Vendor => dir.join("vendor.yaml"),
        Slot::Types => dir.join("types.yaml"),
        Slot::Operation => dir.join("operations/fuzzed.yaml"),
    };
    std::fs::write(&file, text).expect("write the fuzzed spec file");
    let generator = generator(&scratch.root);
    match generator.lint() {
        Ok(ir) => {
            if let Some(base) = &scratch.base_ir {
                let changes = flightapi_codegen::diff::compare(base, &ir);
                let _ = flightapi_codegen::diff::text(&changes);
                let _ = flightapi_codegen::diff::markdown(&changes);
                let _ = flightapi_codegen::diff::json(&changes);
            }
        }
        Err(diags) => {
            let _ = diags.to_string();
            return false;
        }
    }
    match generator.render() {
        Ok(_) => true,
        Err(flightapi_codegen::Error::Spec(_)) | Err(flightapi_codegen::Error::Io { .. }) => false,
        Err(e @ flightapi_codegen::Error::Format { .. }) => panic!("{slot:?}: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// validate_json: any JSON document through every check of every vendor's wire schema.
// ---------------------------------------------------------------------------------------------

const DIRECTIONS: [Direction; 3] = [Direction::Request, Direction::Response, Direction::StrictResponse];

/// The document as a whole wire body of every operation of every vendor, in every direction
/// (`check_wire`, `canonical_wire`), as an error answer (`check_error_wire`, the vendor's error
/// rule), as a bare request or response body (`check`, `check_profile`), and with the request
/// envelope taken off (`request_body`). Invalid JSON is skipped. Returns how many wire checks
/// found nothing wrong.
pub fn validate_json(data: &[u8]) -> usize {
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return 0 };
    let mut valid = 0;
    for vendor in flightapi::vendors() {
        let schema = vendor.schema;
        for op in vendor.operations {
            for direction in DIRECTIONS {
                let violations = schema.check_wire(op.name, &value, direction).expect("a listed operation");
                valid += usize::from(violations.is_empty());
                for v in &violations {
                    let _ = v.to_string();
                }
                let _ = schema.canonical_wire(op.name, &value, direction).expect("a listed operation");
            }
        }
        for op in schema.operations.iter() {
            let _ = schema.check(op.request, &value, Direction::Request);
            let _ = schema.check(op.response, &value, Direction::Response);
            let _ = schema.check(op.response, &value, Direction::StrictResponse);
            for profile in vendor.profiles {
                let _ = schema.check_profile(op.request, &value, profile);
            }
            if let Some(params) = op.path_params {
                let _ = schema.check(params, &value, Direction::Request);
            }
        }
        let _ = schema.check_error_wire(&value);
        let _ = schema.request_body(value.clone());
        if let Some(rule) = &vendor.errors {
            for status in [200, 400, 500] {
                if let Some(error) = rule.error_in(&value, status, vendor.error_tables) {
                    let _ = error.to_string();
                    let _ = error.advice();
                }
            }
        }
    }
    valid
}

// ---------------------------------------------------------------------------------------------
// deserialize: any bytes through the generated serde types.
// ---------------------------------------------------------------------------------------------

/// The bytes as every operation's request and response type (`serde_json::from_slice`); what
/// decodes is validated (request types) and written back with `serde_json::to_vec`, and what is
/// written back must decode again to an equal value. Then, when the bytes are JSON, as a whole
/// wire body of every operation (envelope included) through the generated decoders. Returns
/// how many types and decoders took it.
pub fn deserialize(data: &[u8]) -> usize {
    let mut decoded = TYPES.iter().filter(|(_, decode)| decode(data)).count();
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return decoded };
    for vendor in flightapi::vendors() {
        for op in vendor.operations {
            decoded += usize::from((op.request)(&value).is_ok());
            decoded += usize::from((op.response)(&value).is_ok());
        }
    }
    decoded
}

/// Decodes `T`; writes back what decoded and reads it again. Serialization may refuse a value
/// (a one-of read as `Unknown` cannot be sent typed), but what it writes must read back the same.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + Debug>(data: &[u8]) -> Option<T> {
    let decoded: T = serde_json::from_slice(data).ok()?;
    if let Ok(bytes) = serde_json::to_vec(&decoded) {
        let again: T = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            panic!(
                "{} does not read back what it wrote: {e}\nwritten: {}",
                std::any::type_name::<T>(),
                String::from_utf8_lossy(&bytes)
            )
        });
        assert_eq!(decoded, again, "{} changed on a write and read", std::any::type_name::<T>());
    }
    Some(decoded)
}

/// [`round_trip`], then `validate()`; whether it decoded.
fn checked<T: DeserializeOwned + Validate + PartialEq + Debug>(data: &[u8]) -> bool {
    let Some(decoded) = round_trip::<T>(data) else { return false };
    if let Err(violations) = decoded.validate() {
        let _ = violations.to_string();
    }
    true
}

/// [`round_trip`]; whether it decoded.
fn plain<T: DeserializeOwned + Serialize + PartialEq + Debug>(data: &[u8]) -> bool {
    round_trip::<T>(data).is_some()
}

/// `(type, decoder)` for the request and the response type of every operation: `checked` for
/// the types that implement `Validate` (requests; the response of a push), `plain` otherwise.
macro_rules! types {
    ($($vendor:ident :: $op:ident ($req:ident, $resp:ident);)*) => {
        &[$(
            (concat!(stringify!($vendor), "::", stringify!($op), "::Request"),
                $req::<flightapi::$vendor::$op::Request> as fn(&[u8]) -> bool),
            (concat!(stringify!($vendor), "::", stringify!($op), "::Response"),
                $resp::<flightapi::$vendor::$op::Response> as fn(&[u8]) -> bool),
        )*]
    };
}

/// Every generated request and response type.
/// Decodes an input as one generated type; whether it decoded.
pub type Decoder = fn(&[u8]) -> bool;

pub const TYPES: &[(&str, Decoder)] = types! {
    aerohub::air_pricing(checked, plain);
    aerohub::assign_seats(checked, plain);
    aerohub::commit(checked, plain);
    aerohub::confirm_cancellation(checked, plain);
    aerohub::get_availability(checked, plain);
    aerohub::get_booking_detail(checked, plain);
    aerohub::get_booking_detail_v1(checked, plain);
    aerohub::get_booking_payments(checked, plain);
    aerohub::get_cancellation_detail(checked, plain);
    aerohub::get_seat_availability(checked, plain);
    aerohub::get_ssr_availability(checked, plain);
    aerohub::search_date_change_options(checked, plain);
    aerohub::sell_ssr(checked, plain);
    aerohub::set_passengers(checked, plain);
    aerohub::set_payment_to_booking(checked, plain);
    aerohub::submit_cancellation(checked, plain);
    aerohub::upload_attachments(checked, plain);
    fr24::ancillary_booking(checked, plain);
    fr24::ancillary_order_detail(checked, plain);
    fr24::ancillary_purchase(checked, plain);
    fr24::booking(checked, plain);
    fr24::change_reshop(checked, plain);
    fr24::file_upload(checked, plain);
    fr24::order_change_informing(plain, checked);
    fr24::order_detail(checked, plain);
    fr24::pay_verify(checked, plain);
    fr24::postsale_ancillary_shopping(checked, plain);
    fr24::presale_ancillary_shopping(checked, plain);
    fr24::pricing(checked, plain);
    fr24::refund_confirming(checked, plain);
    fr24::refund_request(checked, plain);
    fr24::reissue_request(checked, plain);
    fr24::seat_map(checked, plain);
    fr24::select_balance(checked, plain);
    fr24::shopping(checked, plain);
    fr24::ticketing(checked, plain);
    fr24::void_request(checked, plain);
    travelport::add_form_of_payment(checked, plain);
    travelport::add_payment(checked, plain);
    travelport::delete_form_of_payment(checked, plain);
    travelport::update_form_of_payment(checked, plain);
};
