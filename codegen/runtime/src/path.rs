//! Path parameters: `{workbenchID}` placeholders filled with percent-encoded values.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// Characters that cannot stand in a path segment unencoded (RFC 3986 `pchar` complement).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The values of an operation's path parameters; `()` for operations without any.
pub trait PathParams {
    /// `(placeholder name, value)` for every parameter.
    fn values(&self) -> Vec<(&'static str, String)>;
}

impl PathParams for () {
    fn values(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// `template` with every `{name}` replaced by its percent-encoded value.
pub fn render(template: &str, params: &impl PathParams) -> String {
    let values: Vec<(String, String)> = params.values().into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
    render_values(template, &values)
}

/// [`render`] with the values as `(name, value)` pairs (the command line's `--param`).
pub fn render_values(template: &str, values: &[(String, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => out.extend(utf8_percent_encode(v, SEGMENT)),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct P(&'static str, &'static str);
    impl PathParams for P {
        fn values(&self) -> Vec<(&'static str, String)> {
            vec![("workbenchID", self.0.to_owned()), ("id", self.1.to_owned())]
        }
    }

    #[test]
    fn placeholders_are_filled_and_encoded() {
        let path = render("/payment/reservationworkbench/{workbenchID}/formofpayment/{id}", &P("cfa7/a3a6 ?", "fop_1"));
        assert_eq!(path, "/payment/reservationworkbench/cfa7%2Fa3a6%20%3F/formofpayment/fop_1");
        assert_eq!(render("/api/new/x.do", &()), "/api/new/x.do");
    }
}
