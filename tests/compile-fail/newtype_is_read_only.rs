// A validated newtype cannot be changed in place after it was checked.
use flightapi::fr24::types::OrderNo;

fn main() {
    let mut order: OrderNo = "123".parse().unwrap();
    order.push_str("abc");
}
