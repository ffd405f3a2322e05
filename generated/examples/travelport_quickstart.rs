//! Travelport end to end against the embedded mock server (which also serves the token
//! endpoint): add a card for an NDC booking, replace it with cash on a GDS booking, delete it.
//!
//! `cargo run -p flightapi --example travelport_quickstart`
//!
//! Against Travelport, drop the mock and build the client with `travelport::Client::from_env()`
//! (TRAVELPORT_CLIENT_ID, TRAVELPORT_CLIENT_SECRET, TRAVELPORT_USERNAME, TRAVELPORT_PASSWORD,
//! TRAVELPORT_ACCESS_GROUP, and optionally TRAVELPORT_BASE_URL and TRAVELPORT_TOKEN_URL).

use flightapi::rt::client::Config;
use flightapi::rt::mock::MockServer;
use flightapi::rt::Validate;
use flightapi::travelport::{self, add_form_of_payment as add, delete_form_of_payment as delete, types};
use flightapi::travelport::{update_form_of_payment as update, ContentSource};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mock = MockServer::spawn(&travelport::VENDOR).await?;
    println!("mock Travelport listening on {} (tokens at {})", mock.url(), mock.token_url());
    let credentials = travelport::Credentials::builder()
        .client_id("mock-client")
        .client_secret("mock-client-secret")
        .username("mock-user")
        .password("mock-password")
        .access_group("mock-access-group")
        .build();
    let config = Config::new(credentials).base_url(mock.url()).token_url(mock.token_url());
    let client = travelport::Client::new(config)?;
    let workbench = "cfa7a3a6-fefa-47e7-87a7-5c5cbde146cf";

    // 1. A card for an NDC booking: NDC demands the CVV in SeriesCode, so check for NDC first.
    let mut card = types::PaymentCard::builder()
        .at_type("PaymentCardDetail")
        .card_type("Credit")
        .card_code(types::CardCode::try_from("VI")?)
        .card_number(types::SecureValue::builder().plain_text("4111111111111111").build())
        .expire_date(types::ExpireDate::try_from("0530")?)
        .card_holder_name("JANE DOE")
        .build();
    let fop = |card: types::PaymentCard| -> Result<types::FormOfPayment, Box<dyn std::error::Error>> {
        Ok(types::FormOfPayment::FormOfPaymentPaymentCard(
            types::FormOfPaymentPaymentCard::builder()
                .id(types::FopId::try_from("formOfPayment_1")?)
                .payment_card(card)
                .build(),
        ))
    };
    if let Err(violations) = fop(card.clone())?.validate_in(ContentSource::Ndc) {
        println!("1. refused before sending:\n{violations}");
    }
    card.series_code = Some(types::SecureValue::builder().plain_text("737").build());
    let card_fop = fop(card)?;
    card_fop.validate_in(ContentSource::Ndc)?;
    println!("1. card (printed redacted): {card_fop:?}");
    let params = add::PathParams::builder().workbench_id(add::WorkbenchId::try_from(workbench)?).build();
    let added = client.add_form_of_payment(&params, &card_fop).await?;
    let status = added.form_of_payment_response.and_then(|r| r.reservation_status);
    println!("1. added: reservation status {status:?}");

    // 2. Replace it with cash (GDS only): 204 No Content.
    let cash = types::FormOfPayment::FormOfPaymentCash(
        types::FormOfPaymentCash::builder().id(types::FopId::try_from("formOfPayment_1")?).build(),
    );
    cash.validate_in(ContentSource::Gds)?;
    let params = update::PathParams::builder()
        .workbench_id(update::WorkbenchId::try_from(workbench)?)
        .form_of_payment_identifier(update::FormOfPaymentIdentifier::try_from("formOfPayment_1")?)
        .build();
    client.update_form_of_payment(&params, &cash).await?;
    println!("2. replaced with cash");

    // 3. Delete it (no body either way).
    let params = delete::PathParams::builder()
        .workbench_id(delete::WorkbenchId::try_from(workbench)?)
        .form_of_payment_identifier(delete::FormOfPaymentIdentifier::try_from("formOfPayment_1")?)
        .build();
    client.delete_form_of_payment(&params, &delete::Request::builder().build()).await?;
    println!("3. deleted; token requests: {}", mock.token_requests());
    Ok(())
}
