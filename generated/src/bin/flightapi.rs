//! `flightapi`: validate wire bodies against the bundled specs. See `flightapi --help`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = flightapi::cli::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
