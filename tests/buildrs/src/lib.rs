//! Types generated at build time from `tests/fixtures/basic/spec` by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/api/mod.rs"));

#[cfg(test)]
mod tests {
    use flightapi::rt::Validate;

    #[test]
    fn types_generated_by_the_build_script_work() {
        let wire = serde_json::json!({"amount": 146.52, "currency": "EUR"});
        let money: super::aero::types::Money = serde_json::from_value(wire.clone()).unwrap();
        assert!(money.validate().is_ok());
        assert_eq!(serde_json::to_value(&money).unwrap(), wire);
        assert_eq!(super::vendors().iter().map(|v| v.name).collect::<Vec<_>>(), ["aero", "travel"]);
        assert_eq!(<super::aero::set_payment::SetPayment as flightapi::rt::Operation>::PATH, "/flight/booking");
    }
}
