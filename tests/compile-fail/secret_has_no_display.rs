// A sensitive field cannot be formatted for display; its Debug prints `***`.
use flightapi::fr24::types::{Authentication, Timestamp};

fn main() {
    let auth = Authentication::builder()
        .sign("99dbfae1".to_owned())
        .timestamp(Timestamp::try_from("1671178033").unwrap())
        .build();
    println!("{}", auth.sign);
}
