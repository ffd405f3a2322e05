//! How a vendor says a response failed ([`ErrorRule`], from the spec's `errors:`), and its
//! error-code tables: what a code means and what to do about it.

use serde_json::Value;

use super::jsonpath;

/// What a caller should do about an error code (in a spec's error table, its snake_case name:
/// `retry_now`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Advice {
    /// The request is wrong: fix it, do not resend as is.
    FixRequest,
    /// Check the documents or data the request refers to.
    CheckDocuments,
    /// An account setting or restriction: contact the vendor's account manager.
    ContactVendor,
    /// A temporary failure: the same request may be sent again now.
    RetryNow,
    /// A temporary failure: the same request may be sent again later (minutes).
    RetryLater,
    /// The offer is gone: start again from search.
    SearchAgain,
    /// Nothing to retry: try other flights or dates.
    TryAlternatives,
    /// The feature or scenario is not supported.
    Unsupported,
    /// The table says nothing actionable.
    None,
}

impl Advice {
    /// Whether the advice allows sending the same request again.
    pub fn is_retryable(self) -> bool {
        matches!(self, Advice::RetryNow | Advice::RetryLater)
    }
}

/// One row of an error table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorEntry {
    /// The code (or the code digits the table looks at); empty for a row keyed by HTTP status only.
    pub code: &'static str,
    /// The HTTP status the row comes with, when the vendor documents one.
    pub status: Option<u16>,
    /// What the vendor says it means.
    pub meaning: &'static str,
    /// What to do about it.
    pub advice: Advice,
}

/// A table of codes; `digits` selects which characters of the code it is keyed by.
#[derive(Debug, Clone, Copy)]
pub struct ErrorTable {
    /// The table's name in the spec (`resolution`).
    pub name: &'static str,
    /// `Some((start, len))`: the table is keyed by `code[start..start + len]`;
    /// `None`: by the whole code.
    pub digits: Option<(usize, usize)>,
    /// Only codes of this many characters are looked up (`None`: any length).
    pub code_len: Option<usize>,
    /// The rows.
    pub entries: &'static [ErrorEntry],
}

impl ErrorTable {
    /// The row for `code`, if any.
    pub fn lookup(&self, code: &str) -> Option<&'static ErrorEntry> {
        if self.code_len.is_some_and(|n| code.chars().count() != n) {
            return None;
        }
        let key = match self.digits {
            Some((start, len)) => code.get(start..start + len)?,
            None => code,
        };
        self.entries.iter().find(|e| e.code == key)
    }
}

/// The first row any of `tables` has for `code`.
pub fn lookup(tables: &'static [ErrorTable], code: &str) -> Option<&'static ErrorEntry> {
    tables.iter().find_map(|t| t.lookup(code))
}

/// The row for `code`, else the first row keyed by `http_status` alone.
pub fn lookup_with_status(tables: &'static [ErrorTable], code: &str, http_status: u16) -> Option<&'static ErrorEntry> {
    lookup(tables, code)
        .or_else(|| tables.iter().flat_map(|t| t.entries).find(|e| e.code.is_empty() && e.status == Some(http_status)))
}

/// What makes a response a success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Success {
    /// The code (at the rule's `code` path) is one of these.
    Codes(&'static [&'static str]),
    /// The field at `path` holds `equals` (JSON text: `true`, `0`, `"OK"`).
    Field {
        /// The JSON path.
        path: &'static str,
        /// The value, as JSON text.
        equals: &'static str,
    },
    /// The HTTP status is 2xx.
    Http,
}

/// How a vendor's responses say they failed: where code, message, trace id and status sit
/// (JSON paths into the whole wire body, or into each item of an error list), and what
/// success looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorRule {
    /// Errors are the items of the list at this path (`*.Result.Error`).
    pub list: Option<&'static str>,
    /// The code.
    pub code: Option<&'static str>,
    /// The message.
    pub message: Option<&'static str>,
    /// A trace id (read from the whole body).
    pub trace: Option<&'static str>,
    /// The vendor's own status value (read from the whole body).
    pub status: Option<&'static str>,
    /// What success looks like.
    pub success: Success,
}

/// An error that a vendor reported in a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The vendor's code, as text (the HTTP status when the vendor gives no code).
    pub code: String,
    /// The vendor's message.
    pub message: Option<String>,
    /// The vendor's trace id.
    pub trace_id: Option<String>,
    /// The vendor's own status value, when its spec names one (`meta.statusCode`).
    pub status: Option<String>,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// What the vendor's error tables say about the code, if it is listed.
    pub entry: Option<&'static ErrorEntry>,
    /// The other errors of the same response, when the vendor lists several.
    pub others: Vec<ErrorItem>,
}

/// One more error of a response that lists several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorItem {
    /// The vendor's code, as text.
    pub code: String,
    /// The vendor's message.
    pub message: Option<String>,
}

impl ApiError {
    /// What the vendor's error tables advise for this code (`None` when the code is not listed).
    pub fn advice(&self) -> Option<Advice> {
        self.entry.map(|e| e.advice)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "code {}", self.code)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        if let Some(t) = &self.trace_id {
            write!(f, " (traceId {t})")?;
        }
        if !(200..300).contains(&self.http_status) {
            write!(f, " (HTTP {})", self.http_status)?;
        }
        if let Some(e) = self.entry {
            write!(f, " [{}]", e.meaning)?;
        }
        for other in &self.others {
            write!(f, "; also code {}", other.code)?;
            if let Some(m) = &other.message {
                write!(f, ": {m}")?;
            }
        }
        Ok(())
    }
}

impl ErrorRule {
    /// The error a response carries, or `None` when it reports success. A non-2xx response
    /// without the rule's fields is left to the caller (an HTTP status error).
    pub fn error_in(&self, body: &Value, http_status: u16, tables: &'static [ErrorTable]) -> Option<ApiError> {
        let http_ok = (200..300).contains(&http_status);
        let read = |v: &Value, path: Option<&str>| path.and_then(|p| jsonpath::text(v, p));
        let build = |code: Option<String>, message: Option<String>, others: Vec<ErrorItem>| {
            let status = read(body, self.status);
            let code = code.or_else(|| status.clone()).unwrap_or_else(|| http_status.to_string());
            Some(ApiError {
                entry: lookup_with_status(tables, &code, http_status),
                trace_id: read(body, self.trace),
                status,
                http_status,
                code,
                message,
                others,
            })
        };
        if let Some(list) = self.list {
            let items: Vec<&Value> = match jsonpath::get(body, list) {
                Some(Value::Array(items)) => items.iter().filter(|i| !i.is_null()).collect(),
                _ => Vec::new(),
            };
            let mut items = items.into_iter().map(|item| ErrorItem {
                code: read(item, self.code).unwrap_or_else(|| "unknown".to_owned()),
                message: read(item, self.message),
            });
            let Some(first) = items.next() else {
                return match self.success {
                    Success::Http if !http_ok => build(None, None, Vec::new()),
                    _ => None,
                };
            };
            if let Success::Codes(codes) = self.success {
                if codes.contains(&first.code.as_str()) {
                    return None;
                }
            }
            return build(Some(first.code), first.message, items.collect());
        }
        let code = read(body, self.code);
        let failed = match self.success {
            Success::Codes(codes) => match &code {
                Some(c) => !codes.contains(&c.as_str()),
                None => !http_ok && read(body, self.message).is_some(),
            },
            Success::Field { path, equals } => match jsonpath::get(body, path) {
                Some(v) => serde_json::from_str::<Value>(equals).map_or(true, |want| *v != want),
                None => !http_ok && (code.is_some() || read(body, self.message).is_some()),
            },
            Success::Http => !http_ok,
        };
        if failed {
            build(code, read(body, self.message), Vec::new())
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TABLES: &[ErrorTable] = &[
        ErrorTable {
            name: "exact",
            digits: None,
            code_len: None,
            entries: &[
                ErrorEntry { code: "1006", status: None, meaning: "busy", advice: Advice::RetryNow },
                ErrorEntry { code: "", status: Some(429), meaning: "too many requests", advice: Advice::RetryLater },
            ],
        },
        ErrorTable {
            name: "resolution",
            digits: Some((1, 2)),
            code_len: Some(8),
            entries: &[ErrorEntry {
                code: "06",
                status: None,
                meaning: "retry after 10 minutes",
                advice: Advice::RetryLater,
            }],
        },
    ];

    #[test]
    fn whole_codes_and_digit_slices() {
        assert_eq!(lookup(TABLES, "1006").unwrap().advice, Advice::RetryNow);
        assert_eq!(lookup(TABLES, "10601002").unwrap().advice, Advice::RetryLater);
        assert!(lookup(TABLES, "106").is_none());
        assert!(lookup(TABLES, "11301002").is_none());
        assert_eq!(lookup_with_status(TABLES, "x", 429).unwrap().advice, Advice::RetryLater);
    }

    #[test]
    fn errors_at_nested_paths_with_a_success_flag() {
        let rule = ErrorRule {
            list: None,
            code: Some("errorDetails.code"),
            message: Some("errorDetails.message"),
            trace: None,
            status: Some("meta.statusCode"),
            success: Success::Field { path: "meta.success", equals: "true" },
        };
        let error = serde_json::json!({
            "meta": {"success": false, "statusCode": -2, "statusMessage": "Session expired"},
            "errorDetails": {"code": "VAL-002", "message": "Invalid session", "documentationUrl": "https://x"}
        });
        let e = rule.error_in(&error, 401, &[]).unwrap();
        assert_eq!(
            (e.code.as_str(), e.message.as_deref(), e.status.as_deref(), e.http_status),
            ("VAL-002", Some("Invalid session"), Some("-2"), 401)
        );
        let ok = serde_json::json!({"meta": {"success": true, "statusCode": 0}, "data": []});
        assert_eq!(rule.error_in(&ok, 200, &[]), None);
        // A 200 whose flag says failure is an error all the same.
        assert!(rule.error_in(&error, 200, &[]).is_some());
    }

    #[test]
    fn error_lists_codes_and_http_status() {
        let list = ErrorRule {
            list: Some("*.Result.Error"),
            code: Some("StatusCode"),
            message: Some("Message"),
            trace: None,
            status: None,
            success: Success::Http,
        };
        let body = serde_json::json!({"XResponse": {"Result": {"Error": [{"StatusCode": 400, "Message": "bad"}, {"StatusCode": 401}]}}});
        let e = list.error_in(&body, 400, &[]).unwrap();
        assert_eq!((e.code.as_str(), e.others.len()), ("400", 1));
        assert_eq!(list.error_in(&serde_json::json!({"XResponse": {}}), 200, &[]), None);
        assert_eq!(list.error_in(&serde_json::json!({}), 503, &[]).unwrap().code, "503");
        let codes = ErrorRule {
            list: None,
            code: Some("code"),
            message: Some("message"),
            trace: Some("traceId"),
            status: None,
            success: Success::Codes(&["000000", "0"]),
        };
        assert_eq!(codes.error_in(&serde_json::json!({"code": "000000"}), 200, &[]), None);
        let e = codes
            .error_in(&serde_json::json!({"code": "10101001", "message": "no", "traceId": "t"}), 200, TABLES)
            .unwrap();
        assert_eq!((e.code.as_str(), e.trace_id.as_deref()), ("10101001", Some("t")));
    }
}
