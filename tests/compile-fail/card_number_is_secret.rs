// A card number is a `Secret`: it cannot be printed with `{}` and its `Debug` is `***`.
use flightapi::aerohub::set_payment_to_booking::{CardFields, CardNumber};

fn main() {
    let fields = CardFields::builder().card_number(CardNumber::try_from("4111111111111111").unwrap()).build();
    println!("{}", fields.card_number.unwrap());
}
