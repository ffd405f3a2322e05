//! Validation results: a JSON path and a message.

use std::fmt;

/// One broken rule, located by its JSON path (`$.passengers[0].birthday`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where: a JSON path starting at `$`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every violation found in one value; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

impl Violations {
    /// `Ok(())` when `list` is empty.
    pub fn into_result(list: Vec<Violation>) -> Result<(), Violations> {
        if list.is_empty() {
            Ok(())
        } else {
            Err(Violations(list))
        }
    }
}

#[derive(Debug, Clone)]
enum Segment {
    Key(String),
    Index(usize),
}

/// A JSON path under construction.
#[derive(Debug, Clone, Default)]
pub struct JsonPath(Vec<Segment>);

impl JsonPath {
    /// `$`.
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// Descends into an object key.
    pub fn push_key(&mut self, key: &str) {
        self.0.push(Segment::Key(key.to_owned()));
    }

    /// Descends into an array item.
    pub fn push_index(&mut self, index: usize) {
        self.0.push(Segment::Index(index));
    }

    /// Goes back up one level.
    pub fn pop(&mut self) {
        self.0.pop();
    }

    /// A violation at this path.
    pub fn violation(&self, message: String) -> Violation {
        Violation { path: self.to_string(), message }
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for seg in &self.0 {
            match seg {
                Segment::Index(i) => write!(f, "[{i}]")?,
                Segment::Key(k) if is_plain_key(k) => write!(f, ".{k}")?,
                Segment::Key(k) => write!(f, "[{}]", serde_json::Value::String(k.clone()))?,
            }
        }
        Ok(())
    }
}

fn is_plain_key(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == '@')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Turns a `serde_path_to_error`-style path (`passengers[0].birthday`) into a JSON path.
pub fn json_path_from_serde(path: &str) -> String {
    match path {
        "" | "." => "$".to_owned(),
        p if p.starts_with('[') => format!("${p}"),
        p => format!("$.{p}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_quote_keys_that_are_not_identifiers() {
        let mut p = JsonPath::root();
        p.push_key("passengers");
        p.push_index(0);
        p.push_key("birthday");
        assert_eq!(p.to_string(), "$.passengers[0].birthday");
        p.pop();
        p.push_key("accountCurency'");
        assert_eq!(p.to_string(), "$.passengers[0][\"accountCurency'\"]");
    }
}
