//! A vendor's error-code tables, as data from the spec, and what a code means.

/// What a caller should do about an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The code (or the code digits the table looks at).
    pub code: &'static str,
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

#[cfg(test)]
mod tests {
    use super::*;

    static TABLES: &[ErrorTable] = &[
        ErrorTable {
            name: "exact",
            digits: None,
            code_len: None,
            entries: &[ErrorEntry { code: "1006", meaning: "busy", advice: Advice::RetryNow }],
        },
        ErrorTable {
            name: "resolution",
            digits: Some((1, 2)),
            code_len: Some(8),
            entries: &[ErrorEntry { code: "06", meaning: "retry after 10 minutes", advice: Advice::RetryLater }],
        },
    ];

    #[test]
    fn whole_codes_and_digit_slices() {
        assert_eq!(lookup(TABLES, "1006").unwrap().advice, Advice::RetryNow);
        assert_eq!(lookup(TABLES, "10601002").unwrap().advice, Advice::RetryLater);
        assert!(lookup(TABLES, "106").is_none());
        assert!(lookup(TABLES, "11301002").is_none());
    }
}
