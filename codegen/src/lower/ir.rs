//! The IR: everything `emit` needs, with every name decided. Doc text is kept as the spec
//! wrote it; `emit` escapes it for rustdoc, once.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::model::{self, DecimalWire};
use crate::rt::schema::{Schema, TypeId};

/// The lowered spec: everything `emit` needs, with every name decided.
#[derive(Debug, Clone)]
pub struct Ir {
    /// Vendors, sorted by name.
    pub vendors: Vec<VendorIr>,
}

/// One vendor.
#[derive(Debug, Clone)]
pub struct VendorIr {
    /// Spec name and cargo feature.
    pub name: String,
    /// Rust module name.
    pub module: String,
    /// `vendor.yaml` as written.
    pub spec: model::VendorFile,
    /// Named types (module `types`).
    pub types: Vec<Item>,
    /// Inline types of the envelopes (vendor root).
    pub root_items: Vec<Item>,
    /// The request envelope.
    pub request_envelope: EnvelopeIr,
    /// The response envelope.
    pub response_envelope: EnvelopeIr,
    /// Operations, sorted by wire name.
    pub operations: Vec<OperationIr>,
    /// The wire schema.
    pub schema: Schema,
    /// Which module holds each schema entry, so generated tables are addressed per module.
    pub layout: SchemaLayout,
    /// Date formats that need a marker type in the vendor root: format → type name.
    pub formats: BTreeMap<String, String>,
}

/// Where the schema's entries live in the generated code: each spec file (the vendor file, the
/// named types, each operation) owns the entries written in it, and its module holds them as one
/// part of the vendor's tables. A spec edit to one operation then renumbers only its own part.
#[derive(Debug, Clone, Default)]
pub struct SchemaLayout {
    /// The module of each entry of [`Schema::types`].
    pub types: Vec<Loc>,
    /// The module of each entry of [`Schema::patterns`].
    pub patterns: Vec<Loc>,
    /// Named types by schema entry (so other modules refer to them by name).
    pub named: BTreeMap<TypeId, String>,
}

/// An envelope around bodies.
#[derive(Debug, Clone)]
pub struct EnvelopeIr {
    /// Doc text.
    pub doc: Vec<String>,
    /// The envelope's fields.
    pub fields: Vec<FieldIr>,
    /// `None`: the body is flattened; `Some((wire, rust, required))`: the body is this field.
    pub body_field: Option<(String, String, bool)>,
    /// Lenient (a response envelope).
    pub inbound: bool,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// Wire name (`refundRequest`).
    pub wire: String,
    /// Module name (`refund_request`).
    pub module: String,
    /// The marker type implementing `rt::Operation` (`RefundRequest`).
    pub marker: String,
    /// The spec as written.
    pub spec: model::OperationFile,
    /// The request body.
    pub request: BodyIr,
    /// The response body.
    pub response: BodyIr,
    /// The `PathParams` struct, when the path has parameters.
    pub path_params: Option<StructIr>,
    /// Inline types of this operation.
    pub items: Vec<Item>,
    /// Examples as JSON.
    pub examples: Vec<ExampleIr>,
}

/// One example, as JSON.
#[derive(Debug, Clone)]
pub struct ExampleIr {
    /// Name.
    pub name: String,
    /// Request wire body.
    pub request: Option<Value>,
    /// Response wire body.
    pub response: Option<Value>,
    /// The response is an error answer.
    pub error: bool,
    /// The response's HTTP status.
    pub status: u16,
}

/// A request or response body.
#[derive(Debug, Clone)]
pub enum BodyIr {
    /// Its own struct (`Request`, `Response`).
    Struct(StructIr),
    /// Not described by the docs: a raw JSON object (`pub type Request = rt::RawObject;`).
    Raw {
        /// Its schema type (`any`).
        schema_id: TypeId,
    },
    /// A named type (`pub type Request = super::types::FormOfPayment;`).
    Named {
        /// The alias's doc lines.
        doc: Vec<String>,
        /// The named type.
        ty: RustTy,
        /// Its schema type.
        schema_id: TypeId,
    },
}

impl BodyIr {
    /// The body's schema type.
    pub fn schema_id(&self) -> TypeId {
        match self {
            BodyIr::Struct(s) => s.schema_id,
            BodyIr::Named { schema_id, .. } | BodyIr::Raw { schema_id } => *schema_id,
        }
    }
}

/// A generated Rust item.
#[derive(Debug, Clone)]
pub enum Item {
    /// A struct.
    Struct(StructIr),
    /// An enum.
    Enum(EnumIr),
    /// A validated string newtype.
    Newtype(NewtypeIr),
    /// A one-of enum.
    OneOf(OneOfIr),
}

/// A one-of enum: one alternative of several, each wrapped under its name.
#[derive(Debug, Clone)]
pub struct OneOfIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: keeps values naming no known alternative.
    pub inbound: bool,
    /// The key that names the alternative in the flat form.
    pub tag_field: Option<String>,
    /// `(wrapping key, Rust variant, payload type, doc)`.
    pub variants: Vec<(String, String, RustTy, String)>,
    /// Schema type.
    pub schema_id: TypeId,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: lenient, keeps unknown fields.
    pub inbound: bool,
    /// Fields in wire order.
    pub fields: Vec<FieldIr>,
    /// Schema type.
    pub schema_id: TypeId,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct FieldIr {
    /// Wire name.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Other wire spellings accepted on input.
    pub aliases: Vec<String>,
    /// Rust type without the `Option`.
    pub ty: RustTy,
    /// Must be present.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// How a decimal is written, when the field is a decimal.
    pub decimal: Option<DecimalWire>,
    /// Doc lines.
    pub doc: Vec<String>,
}

impl FieldIr {
    /// Whether the Rust type is `Option<_>`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// An enum.
#[derive(Debug, Clone)]
pub struct EnumIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Response-side: keeps unknown values.
    pub inbound: bool,
    /// Wire values are integers.
    pub integer: bool,
    /// Integer values are also read from strings.
    pub integer_as_string: bool,
    /// Variants.
    pub variants: Vec<VariantIr>,
}

/// An enum variant.
#[derive(Debug, Clone)]
pub struct VariantIr {
    /// Wire value.
    pub wire: String,
    /// Rust name.
    pub rust: String,
    /// Doc line.
    pub doc: String,
}

/// A validated string newtype.
#[derive(Debug, Clone)]
pub struct NewtypeIr {
    /// Rust name.
    pub name: String,
    /// Doc lines.
    pub doc: Vec<String>,
    /// Schema type holding its rule.
    pub schema_id: TypeId,
}

/// Where an item is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loc {
    /// The vendor module.
    Root,
    /// The vendor's `types` module.
    Types,
    /// An operation module (index into `operations`).
    Op(usize),
}

/// A Rust type.
#[derive(Debug, Clone, PartialEq)]
pub enum RustTy {
    /// `String`.
    String,
    /// `i64`.
    I64,
    /// `rt::LooseInt`: an `i64` also read from a string holding the number.
    LooseI64,
    /// `serde_json::Number`.
    Number,
    /// `bool`.
    Bool,
    /// `rust_decimal::Decimal`.
    Decimal,
    /// `LocalDate<F>`; the format's marker.
    Date(FormatRef),
    /// `LocalDateTime<F>`.
    DateTime(FormatRef),
    /// `serde_json::Value`.
    Any,
    /// `Vec<T>`.
    Vec(Box<RustTy>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustTy>),
    /// `Secret<T>`.
    Secret(Box<RustTy>),
    /// `Box<T>`, for a type that contains itself.
    Boxed(Box<RustTy>),
    /// `Encrypted<T>`: sent as ciphertext, handled as `T`.
    Encrypted(Box<RustTy>),
    /// `serde_json::Map<String, Value>`: an undocumented body.
    RawObject,
    /// A generated item.
    Named(Loc, String),
}

/// A date format marker type.
#[derive(Debug, Clone, PartialEq)]
pub enum FormatRef {
    /// One of the runtime's (`IsoDate`).
    Runtime(&'static str),
    /// Generated in the vendor root.
    Vendor(String),
}
