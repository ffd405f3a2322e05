// A validated newtype has no public constructor that skips its pattern check.
use flightapi::fr24::types::OrderNo;

fn main() {
    let _order = OrderNo("not digits".to_owned());
}
