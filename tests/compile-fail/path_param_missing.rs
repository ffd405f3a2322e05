// A path parameter is required like any required field: the builder will not finish without it.
use flightapi::travelport::update_form_of_payment::{FormOfPaymentIdentifier, PathParams};

fn main() {
    let _params = PathParams::builder()
        .form_of_payment_identifier(FormOfPaymentIdentifier::try_from("formOfPayment_1").unwrap())
        .build();
}
