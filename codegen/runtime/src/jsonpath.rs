//! The JSON paths a spec writes to say where a value sits in a wire body: `errorDetails.code`,
//! `data[0].sessionId`, `*.Result.Error`, `authentication.sign`.
//!
//! Segments are separated by `.`; a segment is a key, `*` (any one key: the first whose value
//! leads somewhere), or a key followed by `[n]` (an index). Nothing else: no filters, no
//! recursion. Reading never panics on any input; writing creates the objects and arrays a
//! path needs.

use serde_json::{Map, Value};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// An object key.
    Key(String),
    /// Any one key of an object.
    AnyKey,
    /// An array index.
    Index(usize),
}

/// Why a path is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{path}` is not a path such as `data[0].sessionId` or `*.Result.Error`: {why}")]
pub struct PathError {
    /// The path as written.
    pub path: String,
    /// What is wrong.
    pub why: &'static str,
}

/// Parses a path.
pub fn parse(path: &str) -> Result<Vec<Step>, PathError> {
    let err = |why| PathError { path: path.to_owned(), why };
    if path.is_empty() {
        return Err(err("it is empty"));
    }
    let mut steps = Vec::new();
    for segment in path.split('.') {
        let (key, mut rest) = match segment.find('[') {
            Some(i) => (&segment[..i], &segment[i..]),
            None => (segment, ""),
        };
        match key {
            "" if rest.is_empty() => return Err(err("a segment is empty")),
            "" => {}
            "*" => steps.push(Step::AnyKey),
            k if k.contains(['*', ']']) => return Err(err("`*` and `]` stand alone")),
            k => steps.push(Step::Key(k.to_owned())),
        }
        while !rest.is_empty() {
            let Some(end) = rest.find(']') else { return Err(err("a `[` is not closed")) };
            let index = rest[1..end].parse::<usize>().map_err(|_| err("an index is not a number"))?;
            steps.push(Step::Index(index));
            rest = &rest[end + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(err("text follows a `]`"));
            }
        }
    }
    Ok(steps)
}

/// The value at `path`, if there is one (a path that does not parse finds nothing).
pub fn get<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    get_steps(value, &parse(path).ok()?)
}

/// The value at parsed `steps`.
pub fn get_steps<'v>(value: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    let Some((first, rest)) = steps.split_first() else { return Some(value) };
    match (first, value) {
        (Step::Key(k), Value::Object(map)) => get_steps(map.get(k)?, rest),
        (Step::AnyKey, Value::Object(map)) => map.values().find_map(|v| get_steps(v, rest)),
        (Step::Index(i), Value::Array(items)) => get_steps(items.get(*i)?, rest),
        _ => None,
    }
}

/// A scalar at `path` as text: strings as they are, numbers and booleans as JSON text;
/// `None` for absent, `null`, objects and arrays.
pub fn text(value: &Value, path: &str) -> Option<String> {
    scalar_text(get(value, path)?)
}

/// A scalar as text (see [`text`]).
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Sets the value at `path`, creating objects and arrays on the way (an `*` step writes the
/// key `fill_any`). Existing values of the wrong kind are replaced.
pub fn set(target: &mut Value, path: &str, new: Value, fill_any: &str) -> Result<(), PathError> {
    let steps = parse(path)?;
    set_steps(target, &steps, new, fill_any);
    Ok(())
}

fn set_steps(target: &mut Value, steps: &[Step], new: Value, fill_any: &str) {
    let Some((first, rest)) = steps.split_first() else {
        *target = new;
        return;
    };
    match first {
        Step::Key(_) | Step::AnyKey => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            let key = match first {
                Step::Key(k) => k.clone(),
                _ => fill_any.to_owned(),
            };
            if let Value::Object(map) = target {
                set_steps(map.entry(key).or_insert(Value::Null), rest, new, fill_any);
            }
        }
        Step::Index(i) => {
            if !target.is_array() {
                *target = Value::Array(Vec::new());
            }
            if let Value::Array(items) = target {
                // Indexes in specs are small; refuse to allocate for a hostile one.
                let i = (*i).min(64);
                while items.len() <= i {
                    items.push(Value::Null);
                }
                set_steps(&mut items[i], rest, new, fill_any);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_keys_indexes_and_wildcards() {
        assert_eq!(
            parse("data[0].sessionId").unwrap(),
            vec![Step::Key("data".into()), Step::Index(0), Step::Key("sessionId".into())]
        );
        assert_eq!(parse("*.Result.Error").unwrap()[0], Step::AnyKey);
        for bad in ["", "a..b", "a[", "a[x]", "a]b", "a[0]b", "*x"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_and_writes() {
        let v = json!({"data": [{"sessionId": "s1"}], "X": {"Result": {"Error": [1]}}, "meta": {"ok": true}});
        assert_eq!(text(&v, "data[0].sessionId").as_deref(), Some("s1"));
        assert_eq!(get(&v, "*.Result.Error"), Some(&json!([1])));
        assert_eq!(text(&v, "meta.ok").as_deref(), Some("true"));
        assert_eq!(get(&v, "data[1].sessionId"), None);
        let mut out = Value::Null;
        set(&mut out, "data[0].sessionId", json!("t"), "").unwrap();
        set(&mut out, "*.Result.Error", json!([]), "Wrap").unwrap();
        assert_eq!(out, json!({"data": [{"sessionId": "t"}], "Wrap": {"Result": {"Error": []}}}));
    }
}
