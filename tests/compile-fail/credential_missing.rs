// A vendor's credentials are typed from its spec: a required one left out does not compile,
// and a secret has no Display to print it with.
fn main() {
    let credentials = flightapi::fr24::Credentials::builder().app_key("test").build();
    let full = flightapi::fr24::Credentials::builder().app_key("test").app_secret("123456").build();
    println!("{}", full.app_secret);
    let _ = credentials;
}
