//! Reading envelopes whose body sits beside the envelope's own fields.

use serde::de::{DeserializeOwned, Deserializer, Error};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Reads one JSON object as the envelope's fields (`head_keys`, with their aliases) and the
/// body (every other key). Both parts are read strictly by their own types, so a key neither
/// knows is an error rather than silently dropped.
pub fn split<'de, D, H, T>(d: D, head_keys: &[&str]) -> Result<(H, T), D::Error>
where
    D: Deserializer<'de>,
    H: DeserializeOwned,
    T: DeserializeOwned,
{
    let mut body = Map::deserialize(d)?;
    let mut head = Map::new();
    for key in head_keys {
        if let Some((k, v)) = body.remove_entry(*key) {
            head.insert(k, v);
        }
    }
    let head = H::deserialize(Value::Object(head)).map_err(D::Error::custom)?;
    let body = T::deserialize(Value::Object(body)).map_err(D::Error::custom)?;
    Ok((head, body))
}
