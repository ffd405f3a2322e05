// Money is rust_decimal::Decimal: an f64 amount does not compile.
use flightapi::fr24::ancillary_purchase::Request;

fn main() {
    let _request = Request::builder()
        .total_price(45.0_f64)
        .build();
}
