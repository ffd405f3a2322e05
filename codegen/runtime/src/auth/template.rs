//! Templates of the spec's recipes: text with `{input}` placeholders, such as
//! `{credential.app_key}{credential.app_secret}{timestamp}` or `{method}\n{path}\n{body}`.
//!
//! | input | value |
//! |---|---|
//! | `{credential.NAME}` | a credential the vendor file declares |
//! | `{timestamp}` | the request's timestamp, in the recipe's unit |
//! | `{nonce}` | a fresh random value (32 hex digits) |
//! | `{method}` | the HTTP method, upper case |
//! | `{path}` | the path below the base URL, as sent |
//! | `{query}` | the query parameters sorted by name, `a=1&b=2` |
//! | `{body}` | the body's bytes, exactly as sent |
//! | `{params}` | the body's top-level fields sorted by name, `a=1&b=2` (strings as they are, other values as JSON) |
//! | `{signature}` | the signature (only where a recipe says where to send it) |
//!
//! `{{` and `}}` write a brace.

use serde_json::Value;

use super::AuthError;
use crate::credentials::CredentialSet;

/// One piece of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'t> {
    /// Text as it is.
    Literal(&'t str),
    /// `{credential.NAME}`.
    Credential(&'t str),
    /// `{timestamp}`.
    Timestamp,
    /// `{nonce}`.
    Nonce,
    /// `{method}`.
    Method,
    /// `{path}`.
    Path,
    /// `{query}`.
    Query,
    /// `{body}`.
    Body,
    /// `{params}`.
    Params,
    /// `{signature}`.
    Signature,
}

/// Splits a template into its parts; the error names the unknown input.
pub fn parse(template: &str) -> Result<Vec<Part<'_>>, String> {
    let mut parts = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("{{") {
            parts.push(Part::Literal("{"));
            rest = after;
            continue;
        }
        if let Some(after) = rest.strip_prefix("}}") {
            parts.push(Part::Literal("}"));
            rest = after;
            continue;
        }
        if rest.starts_with('}') {
            return Err("a `}` without its `{` (write `}}` for a brace)".to_owned());
        }
        if let Some(after) = rest.strip_prefix('{') {
            let end = after.find('}').ok_or("a `{` is not closed (write `{{` for a brace)")?;
            let input = &after[..end];
            parts.push(match input {
                "timestamp" => Part::Timestamp,
                "nonce" => Part::Nonce,
                "method" => Part::Method,
                "path" => Part::Path,
                "query" => Part::Query,
                "body" => Part::Body,
                "params" => Part::Params,
                "signature" => Part::Signature,
                other => match other.strip_prefix("credential.") {
                    Some(name) if !name.is_empty() => Part::Credential(name),
                    _ => {
                        return Err(format!(
                            "unknown input `{{{other}}}` (known: credential.NAME, timestamp, nonce, method, path, \
                             query, body, params, signature)"
                        ))
                    }
                },
            });
            rest = &after[end + 1..];
            continue;
        }
        let end = rest.find(['{', '}']).unwrap_or(rest.len());
        parts.push(Part::Literal(&rest[..end]));
        rest = &rest[end..];
    }
    Ok(parts)
}

/// The values a template can use.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// The account.
    pub credentials: &'a CredentialSet,
    /// The timestamp as text.
    pub timestamp: Option<&'a str>,
    /// The nonce.
    pub nonce: Option<&'a str>,
    /// The HTTP method.
    pub method: &'a str,
    /// The path as sent.
    pub path: &'a str,
    /// The query parameters.
    pub query: &'a [(String, String)],
    /// The body's bytes.
    pub body: &'a [u8],
    /// The body as JSON, for `{params}`.
    pub body_value: Option<&'a Value>,
    /// Top-level body keys left out of `{params}` (where the signature itself goes).
    pub params_skip: &'a [&'a str],
    /// The signature.
    pub signature: Option<&'a str>,
}

/// The template with its inputs filled in, as bytes (a body may be any bytes).
pub fn render(template: &str, inputs: &Inputs<'_>) -> Result<Vec<u8>, AuthError> {
    let parts = parse(template).map_err(AuthError)?;
    let mut out = Vec::new();
    let missing = |what: &str| AuthError(format!("the template `{template}` needs {what}, which this request lacks"));
    for part in parts {
        match part {
            Part::Literal(s) => out.extend_from_slice(s.as_bytes()),
            Part::Credential(name) => out.extend_from_slice(super::credential(inputs.credentials, name)?.as_bytes()),
            Part::Timestamp => {
                out.extend_from_slice(inputs.timestamp.ok_or_else(|| missing("a timestamp"))?.as_bytes())
            }
            Part::Nonce => out.extend_from_slice(inputs.nonce.ok_or_else(|| missing("a nonce"))?.as_bytes()),
            Part::Method => out.extend_from_slice(inputs.method.to_ascii_uppercase().as_bytes()),
            Part::Path => out.extend_from_slice(inputs.path.as_bytes()),
            Part::Query => out.extend_from_slice(sorted_pairs(inputs.query.iter().cloned()).as_bytes()),
            Part::Body => out.extend_from_slice(inputs.body),
            Part::Params => {
                let pairs = match inputs.body_value {
                    Some(Value::Object(map)) => map
                        .iter()
                        .filter(|(k, _)| !inputs.params_skip.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), crate::jsonpath::scalar_text(v).unwrap_or_else(|| v.to_string())))
                        .collect(),
                    _ => Vec::new(),
                };
                out.extend_from_slice(sorted_pairs(pairs.into_iter()).as_bytes());
            }
            Part::Signature => {
                out.extend_from_slice(inputs.signature.ok_or_else(|| missing("the signature"))?.as_bytes())
            }
        }
    }
    Ok(out)
}

/// `a=1&b=2`, sorted by name (then value).
fn sorted_pairs(pairs: impl Iterator<Item = (String, String)>) -> String {
    let mut pairs: Vec<(String, String)> = pairs.collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_input_and_refuses_unknown_ones() {
        let parts = parse("{credential.key}&{timestamp}{{x}}").unwrap();
        assert_eq!(
            parts,
            vec![
                Part::Credential("key"),
                Part::Literal("&"),
                Part::Timestamp,
                Part::Literal("{"),
                Part::Literal("x"),
                Part::Literal("}")
            ]
        );
        assert!(parse("{secret}").unwrap_err().contains("unknown input `{secret}`"));
        assert!(parse("{timestamp").is_err());
        assert!(parse("a}b").is_err());
        assert!(parse("{credential.}").is_err());
    }

    #[test]
    fn renders_sorted_query_and_params() {
        let credentials = CredentialSet::new().with("key", "k");
        let body = serde_json::json!({"b": 2, "a": "x", "sign": "-"});
        let query = [("z".to_owned(), "1".to_owned()), ("a".to_owned(), "2".to_owned())];
        let inputs = Inputs {
            credentials: &credentials,
            timestamp: Some("1"),
            nonce: None,
            method: "post",
            path: "/p",
            query: &query,
            body: b"{}",
            body_value: Some(&body),
            params_skip: &["sign"],
            signature: None,
        };
        let out = render("{method} {path}?{query}|{params}|{credential.key}{timestamp}{body}", &inputs).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "POST /p?a=2&z=1|a=x&b=2|k1{}");
        assert!(render("{nonce}", &inputs).unwrap_err().0.contains("needs a nonce"));
        assert!(render("{credential.other}", &inputs).unwrap_err().0.contains("`other` credential is not set"));
    }
}
