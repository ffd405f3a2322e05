// A validated newtype cannot be changed in place after it was checked: it derefs to `&str`
// only, never to `&mut str`.
use flightapi::fr24::types::OrderNo;

fn main() {
    let order: OrderNo = "123".parse().unwrap();
    order.make_ascii_lowercase();
}
