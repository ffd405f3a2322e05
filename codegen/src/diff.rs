//! The change report between two versions of a spec (`cargo codegen diff`): every change to
//! the contract, each classified twice, for the wire (does it break existing callers?) and for
//! the Rust API of the generated crate under semver.
//!
//! Both versions are lowered first, so the comparison sees resolved types (a named type's
//! change shows in every operation that uses it, at the JSON path where it is used). The wire
//! classification is asymmetric the way oasdiff reasons: what a caller sends may only get
//! looser, what it reads may only get richer.

use std::collections::{BTreeMap, BTreeSet};

use crate::rt::schema::{Kind, Schema, TypeId};
use serde::Serialize;

use crate::lower::{HeaderValueIr, Ir, OperationIr, VendorIr};

/// Whether a change breaks existing callers on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Wire {
    /// Existing callers break (a request they send is refused, a response they read changes).
    Breaking,
    /// Existing callers keep working.
    Compatible,
}

/// The semver impact on the generated crate's Rust API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rust {
    /// Code that compiled may not compile.
    Major,
    /// New API, nothing removed.
    Minor,
    /// Documentation or behaviour within the same API.
    Patch,
}

/// Which side of an operation a change is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The request (what callers send).
    Request,
    /// The response (what callers read).
    Response,
    /// The operation or the vendor as a whole.
    Operation,
}

/// One change to the contract.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The vendor.
    pub vendor: String,
    /// The operation's wire name (`*` for the vendor as a whole).
    pub operation: String,
    /// Which side.
    pub direction: Direction,
    /// The JSON path (`$.passengers[].birthday`), `$` for the whole body.
    pub path: String,
    /// What changed, in a few words (`field added`, `now required`).
    pub change: String,
    /// The wire classification.
    pub wire: Wire,
    /// The Rust classification.
    pub rust: Rust,
    /// Old and new values.
    pub detail: String,
}

/// Every change from `old` to `new`, sorted (breaking first within each vendor/operation).
pub fn compare(old: &Ir, new: &Ir) -> Vec<Change> {
    let mut out = Vec::new();
    let names: BTreeSet<&str> = old.vendors.iter().chain(&new.vendors).map(|v| v.name.as_str()).collect();
    for name in names {
        let o = old.vendors.iter().find(|v| v.name == name);
        let n = new.vendors.iter().find(|v| v.name == name);
        match (o, n) {
            (Some(o), Some(n)) => vendor(o, n, &mut out),
            (None, Some(_)) => out.push(change(
                name,
                "*",
                Direction::Operation,
                "$",
                "vendor added",
                Wire::Compatible,
                Rust::Minor,
                String::new(),
            )),
            (Some(_), None) => out.push(change(
                name,
                "*",
                Direction::Operation,
                "$",
                "vendor removed",
                Wire::Breaking,
                Rust::Major,
                String::new(),
            )),
            (None, None) => {}
        }
    }
    out.sort_by(|a, b| {
        (&a.vendor, &a.operation, a.wire, a.rust, &a.path, &a.change).cmp(&(
            &b.vendor,
            &b.operation,
            b.wire,
            b.rust,
            &b.path,
            &b.change,
        ))
    });
    out
}

#[allow(clippy::too_many_arguments)]
fn change(
    vendor: &str,
    op: &str,
    direction: Direction,
    path: &str,
    what: &str,
    wire: Wire,
    rust: Rust,
    detail: String,
) -> Change {
    Change {
        vendor: vendor.to_owned(),
        operation: op.to_owned(),
        direction,
        path: path.to_owned(),
        change: what.to_owned(),
        wire,
        rust,
        detail,
    }
}

fn vendor<'a>(o: &'a VendorIr, n: &'a VendorIr, out: &mut Vec<Change>) {
    let v = o.name.as_str();
    let mut push = |what: &str, wire: Wire, rust: Rust, detail: String| {
        out.push(change(v, "*", Direction::Operation, "$", what, wire, rust, detail));
    };
    // Protocol: compared as lowered, defaults filled in (the recipes are data for the runtime).
    if o.auth != n.auth {
        push("auth changed", Wire::Breaking, Rust::Major, "the authentication recipes differ".to_owned());
    }
    let cred = |v: &VendorIr| -> BTreeMap<String, (bool, bool)> {
        v.credentials.iter().map(|c| (c.name.clone(), (c.optional, c.sensitive))).collect()
    };
    let (oc, nc) = (cred(o), cred(n));
    for (name, (optional, _)) in &nc {
        if !oc.contains_key(name) {
            let (wire, rust) = if *optional { (Wire::Compatible, Rust::Minor) } else { (Wire::Breaking, Rust::Major) };
            push("credential added", wire, rust, name.clone());
        }
    }
    for name in oc.keys().filter(|k| !nc.contains_key(*k)) {
        push("credential removed", Wire::Compatible, Rust::Major, name.clone());
    }
    let headers = |v: &'a VendorIr| -> BTreeMap<&'a str, &'a HeaderValueIr> {
        v.headers.iter().map(|h| (h.name.as_str(), &h.value)).collect()
    };
    let (oh, nh) = (headers(o), headers(n));
    for (name, how) in &nh {
        match oh.get(name) {
            None => push("header added", Wire::Compatible, Rust::Minor, name.to_string()),
            Some(old) if old != how => push("header changed", Wire::Breaking, Rust::Minor, name.to_string()),
            Some(_) => {}
        }
    }
    for name in oh.keys().filter(|k| !nh.contains_key(*k)) {
        push("header removed", Wire::Breaking, Rust::Major, name.to_string());
    }
    let rule =
        |v: &'a VendorIr| v.errors.as_ref().map(|e| (&e.list, &e.code, &e.message, &e.trace, &e.status, &e.success));
    if rule(o) != rule(n) {
        push("error rule changed", Wire::Breaking, Rust::Patch, "where errors are read, or what success is".to_owned());
    }
    let tables = |v: &VendorIr| -> BTreeSet<String> {
        v.errors
            .iter()
            .flat_map(|e| &e.tables)
            .flat_map(|t| {
                t.entries.iter().map(|e| {
                    let code = e.code.as_deref().unwrap_or("-");
                    let status = e.status.map_or(String::new(), |s| format!(" (HTTP {s})"));
                    format!("{code}{status}: {}", e.meaning)
                })
            })
            .collect()
    };
    let (ot, nt) = (tables(o), tables(n));
    for row in nt.difference(&ot) {
        push("error code added", Wire::Compatible, Rust::Patch, row.clone());
    }
    for row in ot.difference(&nt) {
        push("error code removed", Wire::Compatible, Rust::Patch, row.clone());
    }
    for env in ["request_envelope", "response_envelope"] {
        let (oe, ne) = if env == "request_envelope" {
            (&o.schema.request_envelope, &n.schema.request_envelope)
        } else {
            (&o.schema.response_envelope, &n.schema.response_envelope)
        };
        let direction = if env == "request_envelope" { Direction::Request } else { Direction::Response };
        let mut of = BTreeMap::new();
        let mut nf = BTreeMap::new();
        for f in oe.fields.iter() {
            walk(&o.schema, f.ty, &format!("$.{}", f.wire), f.required, f.nullable, &mut of, &mut Vec::new());
        }
        for f in ne.fields.iter() {
            walk(&n.schema, f.ty, &format!("$.{}", f.wire), f.required, f.nullable, &mut nf, &mut Vec::new());
        }
        fields(v, "*", direction, &of, &nf, out);
    }
    let ops: BTreeSet<&str> = o.operations.iter().chain(&n.operations).map(|op| op.wire.as_str()).collect();
    for name in ops {
        let a = o.operations.iter().find(|op| op.wire == name);
        let b = n.operations.iter().find(|op| op.wire == name);
        match (a, b) {
            (Some(a), Some(b)) => operation(o, n, a, b, out),
            (None, Some(_)) => out.push(change(
                v,
                name,
                Direction::Operation,
                "$",
                "operation added",
                Wire::Compatible,
                Rust::Minor,
                String::new(),
            )),
            (Some(_), None) => out.push(change(
                v,
                name,
                Direction::Operation,
                "$",
                "operation removed",
                Wire::Breaking,
                Rust::Major,
                String::new(),
            )),
            (None, None) => {}
        }
    }
}

fn operation(ov: &VendorIr, nv: &VendorIr, a: &OperationIr, b: &OperationIr, out: &mut Vec<Change>) {
    let (v, name) = (ov.name.as_str(), a.wire.as_str());
    let mut push = |what: &str, wire: Wire, rust: Rust, detail: String| {
        out.push(change(v, name, Direction::Operation, "$", what, wire, rust, detail));
    };
    if a.method != b.method {
        push("method changed", Wire::Breaking, Rust::Patch, format!("{} → {}", a.method.as_str(), b.method.as_str()));
    }
    if a.path != b.path {
        push("path changed", Wire::Breaking, Rust::Patch, format!("{} → {}", a.path, b.path));
    }
    if a.safe_to_retry != b.safe_to_retry {
        push(
            "safe_to_retry changed",
            Wire::Compatible,
            Rust::Patch,
            format!("{} → {}", a.safe_to_retry, b.safe_to_retry),
        );
    }
    if a.undocumented != b.undocumented {
        push(
            "body typing changed",
            Wire::Compatible,
            Rust::Major,
            format!("undocumented {} → {}", a.undocumented, b.undocumented),
        );
    }
    if a.doc.url != b.doc.url {
        push("doc.url changed", Wire::Compatible, Rust::Patch, format!("{} → {}", a.doc.url, b.doc.url));
    }
    if a.doc.modified != b.doc.modified {
        push("doc.modified changed", Wire::Compatible, Rust::Patch, format!("{} → {}", a.doc.modified, b.doc.modified));
    }
    let (Some(oa), Some(nb)) = (ov.schema.operation(&a.wire), nv.schema.operation(&b.wire)) else { return };
    for (direction, ot, nt) in
        [(Direction::Request, oa.request, nb.request), (Direction::Response, oa.response, nb.response)]
    {
        let (mut of, mut nf) = (BTreeMap::new(), BTreeMap::new());
        walk(&ov.schema, ot, "$", true, false, &mut of, &mut Vec::new());
        walk(&nv.schema, nt, "$", true, false, &mut nf, &mut Vec::new());
        fields(v, name, direction, &of, &nf, out);
        let rules = |s: &Schema, ty: TypeId| -> BTreeSet<String> {
            s.cross_rules
                .iter()
                .filter(|r| r.ty == ty)
                .map(|r| {
                    let fields = r.fields.join(", ");
                    match &r.kind {
                        crate::rt::schema::CrossKind::AtLeastOne => format!("at least one of {fields}"),
                        crate::rt::schema::CrossKind::ExactlyOne => format!("exactly one of {fields}"),
                        crate::rt::schema::CrossKind::Requires { present, absent } => match absent {
                            Some(a) => format!("{fields} required when {present} is present and {a} is not"),
                            None => format!("{fields} required when {present} is present"),
                        },
                    }
                })
                .collect()
        };
        let (or, nr) = (rules(&ov.schema, ot), rules(&nv.schema, nt));
        let request = direction == Direction::Request;
        for r in nr.difference(&or) {
            let wire = if request { Wire::Breaking } else { Wire::Compatible };
            out.push(change(v, name, direction, "$", "cross-field rule added", wire, Rust::Patch, r.clone()));
        }
        for r in or.difference(&nr) {
            out.push(change(
                v,
                name,
                direction,
                "$",
                "cross-field rule removed",
                Wire::Compatible,
                Rust::Patch,
                r.clone(),
            ));
        }
    }
}

/// What the report compares of one field.
#[derive(Debug, Clone, PartialEq)]
struct Info {
    required: bool,
    nullable: bool,
    /// The kind, without constraints (`string`, `integer`, `object`, `date %Y-%m-%d`, ...).
    kind: String,
    enum_values: Vec<String>,
    pattern: Option<String>,
    length: (Option<u64>, Option<u64>),
    range: (Option<f64>, Option<f64>),
    items: (Option<u64>, Option<u64>),
    sensitive: bool,
}

/// Every field under `ty`, by JSON path (`$.a.b[]`); `$` is the body itself.
fn walk(
    s: &Schema,
    ty: TypeId,
    path: &str,
    required: bool,
    nullable: bool,
    out: &mut BTreeMap<String, Info>,
    seen: &mut Vec<TypeId>,
) {
    let kind = &s.types[ty].kind;
    let mut info = Info {
        required,
        nullable,
        kind: String::new(),
        enum_values: Vec::new(),
        pattern: None,
        length: (None, None),
        range: (None, None),
        items: (None, None),
        sensitive: false,
    };
    info.kind = match kind {
        Kind::Any => "any".to_owned(),
        Kind::Bool => "boolean".to_owned(),
        Kind::Str { min_len, max_len, pattern, secret } => {
            info.length = (*min_len, *max_len);
            info.pattern = pattern.map(|p| s.patterns[p].source().to_owned());
            info.sensitive = *secret;
            "string".to_owned()
        }
        Kind::Int { min, max, .. } => {
            info.range = (min.map(|m| m as f64), max.map(|m| m as f64));
            "integer".to_owned()
        }
        Kind::Number { min, max } => {
            info.range = (*min, *max);
            "number".to_owned()
        }
        Kind::Decimal => "decimal".to_owned(),
        Kind::Date { format } => format!("date {format}"),
        Kind::DateTime { format } => format!("datetime {format}"),
        Kind::Enum { values, integer, .. } => {
            info.enum_values = values.iter().map(|v| v.to_string()).collect();
            if *integer {
                "integer enum".to_owned()
            } else {
                "enum".to_owned()
            }
        }
        Kind::Object { .. } => "object".to_owned(),
        Kind::Array { min_items, max_items, .. } => {
            info.items = (*min_items, *max_items);
            "array".to_owned()
        }
        Kind::OneOf { .. } => "one_of".to_owned(),
        Kind::Map { .. } => "map".to_owned(),
        Kind::Encrypted { .. } => "encrypted".to_owned(),
    };
    out.insert(path.to_owned(), info);
    if seen.contains(&ty) || seen.len() > 16 {
        return;
    }
    seen.push(ty);
    match kind {
        Kind::Object { fields } => {
            for f in fields.iter() {
                walk(s, f.ty, &format!("{path}.{}", f.wire), f.required, f.nullable, out, seen);
            }
        }
        Kind::OneOf { variants, .. } => {
            for f in variants.iter() {
                walk(s, f.ty, &format!("{path}.{}", f.wire), false, false, out, seen);
            }
        }
        Kind::Array { items, .. } => walk(s, *items, &format!("{path}[]"), true, false, out, seen),
        Kind::Map { values } => walk(s, *values, &format!("{path}.*"), true, false, out, seen),
        Kind::Encrypted { plaintext } => walk(s, *plaintext, path, required, nullable, &mut BTreeMap::new(), seen),
        _ => {}
    }
    seen.pop();
}

fn fields(
    v: &str,
    op: &str,
    direction: Direction,
    old: &BTreeMap<String, Info>,
    new: &BTreeMap<String, Info>,
    out: &mut Vec<Change>,
) {
    let request = direction == Direction::Request;
    let mut push = |path: &str, what: &str, wire: Wire, rust: Rust, detail: String| {
        out.push(change(v, op, direction, path, what, wire, rust, detail));
    };
    // A whole subtree added or removed is reported once, at its root.
    let under = |map: &BTreeMap<String, Info>, path: &str| {
        let parent = path.rfind(['.', '[']).map(|i| &path[..i]).unwrap_or("$");
        parent != "$" && !map.contains_key(parent) && parent != path
    };
    // A field removed and one added beside it with the same type, alone of their kind under
    // that parent: a rename.
    let parent = |p: &str| p.rfind(['.', '[']).map_or("$".to_owned(), |i| p[..i].to_owned());
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    {
        let added: Vec<&String> = new.keys().filter(|p| !old.contains_key(*p)).collect();
        let removed: Vec<&String> = old.keys().filter(|p| !new.contains_key(*p)).collect();
        for r in &removed {
            let twins: Vec<&&String> = added
                .iter()
                .filter(|a| parent(a) == parent(r) && new[a.as_str()].kind == old[r.as_str()].kind)
                .collect();
            let rivals = removed
                .iter()
                .filter(|x| parent(x) == parent(r) && old[x.as_str()].kind == old[r.as_str()].kind)
                .count();
            if let ([a], 1) = (twins.as_slice(), rivals) {
                renamed.insert((**r).clone(), (**a).clone());
            }
        }
    }
    for (from, to) in &renamed {
        let n = &new[to];
        let wire = if request && !n.required { Wire::Compatible } else { Wire::Breaking };
        let last = |p: &str| p.rfind(['.', '[']).map_or(p.to_owned(), |i| p[i + 1..].to_owned());
        push(to, "field renamed", wire, Rust::Major, format!("{} → {}", last(from), last(to)));
    }
    let renamed_to: BTreeSet<&String> = renamed.values().collect();
    // Below a field whose type changed, nothing more is reported.
    let mut retyped: Vec<String> = Vec::new();
    let inside = |retyped: &[String], path: &str| {
        retyped.iter().any(|r| {
            path.len() > r.len() && path.starts_with(r.as_str()) && matches!(path.as_bytes()[r.len()], b'.' | b'[')
        })
    };
    for (path, n) in new {
        if inside(&retyped, path) {
            continue;
        }
        let Some(o) = old.get(path) else {
            if under(old, path) || renamed_to.contains(path) {
                continue;
            }
            let (wire, rust) = match (request, n.required) {
                (true, true) => (Wire::Breaking, Rust::Major),
                (true, false) => (Wire::Compatible, Rust::Minor),
                (false, _) => (Wire::Compatible, Rust::Minor),
            };
            let what = if n.required { "required field added" } else { "optional field added" };
            push(path, what, wire, rust, n.kind.clone());
            continue;
        };
        if o.kind != n.kind {
            push(path, "type changed", Wire::Breaking, Rust::Major, format!("{} → {}", o.kind, n.kind));
            retyped.push(path.clone());
            continue;
        }
        if o.required != n.required && path != "$" {
            let (what, wire) = match (request, n.required) {
                (true, true) => ("now required", Wire::Breaking),
                (true, false) => ("now optional", Wire::Compatible),
                (false, true) => ("now always present", Wire::Compatible),
                (false, false) => ("now optional", Wire::Breaking),
            };
            push(path, what, wire, Rust::Major, format!("required {} → {}", o.required, n.required));
        }
        if o.nullable != n.nullable {
            let wire = if request == n.nullable { Wire::Compatible } else { Wire::Breaking };
            push(
                path,
                if n.nullable { "now nullable" } else { "no longer nullable" },
                wire,
                Rust::Patch,
                String::new(),
            );
        }
        if o.sensitive != n.sensitive {
            push(
                path,
                if n.sensitive { "now sensitive" } else { "no longer sensitive" },
                Wire::Compatible,
                Rust::Major,
                String::new(),
            );
        }
        let (ov, nv): (BTreeSet<&String>, BTreeSet<&String>) =
            (o.enum_values.iter().collect(), n.enum_values.iter().collect());
        for added in nv.difference(&ov) {
            // A request enum gains a choice; a response enum is open (Unknown keeps new values).
            push(path, "enum value added", Wire::Compatible, Rust::Minor, format!("{added:?}"));
        }
        for removed in ov.difference(&nv) {
            let wire = if request { Wire::Breaking } else { Wire::Compatible };
            push(path, "enum value removed", wire, Rust::Major, format!("{removed:?}"));
        }
        if o.pattern != n.pattern {
            let wire = if request && n.pattern.is_some() { Wire::Breaking } else { Wire::Compatible };
            let show = |p: &Option<String>| p.clone().unwrap_or_else(|| "none".to_owned());
            push(path, "pattern changed", wire, Rust::Patch, format!("{} → {}", show(&o.pattern), show(&n.pattern)));
        }
        bounds(path, "length", o.length, n.length, request, &mut push);
        bounds(
            path,
            "range",
            (o.range.0.map(|x| x as i128), o.range.1.map(|x| x as i128)),
            (n.range.0.map(|x| x as i128), n.range.1.map(|x| x as i128)),
            request,
            &mut push,
        );
        bounds(path, "items", o.items, n.items, request, &mut push);
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        if under(new, path) || inside(&retyped, path) || renamed.contains_key(path) {
            continue;
        }
        let wire = if request { Wire::Compatible } else { Wire::Breaking };
        push(path, "field removed", wire, Rust::Major, old[path].kind.clone());
    }
}

/// A `[min, max]` bound: tightened or loosened.
fn bounds<T: PartialOrd + Copy + std::fmt::Debug>(
    path: &str,
    what: &str,
    old: (Option<T>, Option<T>),
    new: (Option<T>, Option<T>),
    request: bool,
    push: &mut impl FnMut(&str, &str, Wire, Rust, String),
) {
    if old == new {
        return;
    }
    let min_tighter = match (old.0, new.0) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b > a,
        _ => false,
    };
    let max_tighter = match (old.1, new.1) {
        (None, Some(_)) => true,
        (Some(a), Some(b)) => b < a,
        _ => false,
    };
    let tightened = min_tighter || max_tighter;
    let wire = if request && tightened { Wire::Breaking } else { Wire::Compatible };
    let label = format!("{what} {}", if tightened { "tightened" } else { "loosened" });
    let show = |b: (Option<T>, Option<T>)| {
        format!(
            "{}..{}",
            b.0.map_or(String::new(), |x| format!("{x:?}")),
            b.1.map_or(String::new(), |x| format!("{x:?}"))
        )
    };
    push(path, &label, wire, Rust::Patch, format!("{} → {}", show(old), show(new)));
}

/// One line per change: `<vendor> <operation> <direction> <path>: <change> [wire: …] [rust: …]`.
pub fn text(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let detail = if c.detail.is_empty() { String::new() } else { format!(" ({})", c.detail) };
        out.push_str(&format!(
            "{} {} {} {}: {}{detail} [wire: {}] [rust: {}]\n",
            c.vendor,
            c.operation,
            name(&c.direction),
            c.path,
            c.change,
            name(&c.wire),
            name(&c.rust)
        ));
    }
    out
}

/// A changelog section grouped by vendor and operation, breaking changes first.
pub fn markdown(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "No contract changes.\n".to_owned();
    }
    let mut out = String::from("## Spec changes\n");
    let breaking = changes.iter().filter(|c| c.wire == Wire::Breaking).count();
    let major = changes.iter().filter(|c| c.rust == Rust::Major).count();
    out.push_str(&format!(
        "\n{} change(s): {breaking} breaking on the wire, {major} major for the Rust API.\n",
        changes.len()
    ));
    let mut vendor = "";
    let mut op = "";
    for c in changes {
        if c.vendor != vendor {
            vendor = &c.vendor;
            op = "";
            out.push_str(&format!("\n### {vendor}\n"));
        }
        if c.operation != op {
            op = &c.operation;
            out.push_str(&format!("\n#### {}\n\n", if op == "*" { "(vendor)" } else { op }));
        }
        let mark = if c.wire == Wire::Breaking { "**breaking**" } else { "compatible" };
        let detail = if c.detail.is_empty() { String::new() } else { format!(": {}", c.detail) };
        out.push_str(&format!(
            "- {mark}, rust {}: {} `{}` {}{detail}\n",
            name(&c.rust),
            name(&c.direction),
            c.path,
            c.change
        ));
    }
    out
}

/// The changes as a JSON array.
pub fn json(changes: &[Change]) -> String {
    let mut text = serde_json::to_string_pretty(changes).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
