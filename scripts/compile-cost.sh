#!/usr/bin/env bash
# Compile cost for users of the `flightapi` crate: a clean build with one vendor, with every
# vendor, and the incremental `cargo check` after a spec edit and `cargo codegen`.
# Prints one line per measurement and the ratios; uses its own target folder.
#
#   scripts/compile-cost.sh            # from the workspace root
set -euo pipefail
cd "$(dirname "$0")/.."
target="${COMPILE_COST_TARGET:-$(mktemp -d)}"
export CARGO_TARGET_DIR="$target"

seconds() { # runs "$@" and prints the wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

clean_build() { # features: build once so the dependencies exist with these features, then
  # time a rebuild of flightapi alone (what a user pays for the crate itself)
  cargo build --release -p flightapi --no-default-features --features "$1" >/dev/null 2>&1
  cargo clean --release -p flightapi >/dev/null 2>&1 || true
  seconds cargo build --release -p flightapi --no-default-features --features "$1"
}

one=$(clean_build fr24)
one_client=$(clean_build fr24,client)
all=$(clean_build fr24,aerohub,travelport)
all_client=$(clean_build fr24,aerohub,travelport,client,mock)

# Incremental: touch one spec file, regenerate, check.
cargo check -p flightapi --all-features >/dev/null 2>&1
cargo build --quiet -p flightapi-codegen >/dev/null 2>&1
spec=spec/fr24/operations/select_balance.yaml
cp "$spec" "$target/spec.bak"
trap 'cp "$target/spec.bak" "$spec"; cargo run --quiet -p flightapi-codegen >/dev/null 2>&1 || true' EXIT
sed -i 's/summary: \(.*\)$/summary: \1 (edited)/' "$spec"
regen=$(seconds cargo run --quiet -p flightapi-codegen)
check=$(seconds cargo check -p flightapi --all-features)

printf '%-52s %8s s\n' \
  "clean build, fr24 only (types)" "$one" \
  "clean build, fr24 + client" "$one_client" \
  "clean build, all three vendors (types)" "$all" \
  "clean build, all vendors + client + mock" "$all_client" \
  "cargo codegen after a spec edit" "$regen" \
  "cargo check after the regeneration" "$check"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "ratio all vendors / fr24 only (types): $(ratio "$all" "$one")"
echo "ratio all + client + mock / fr24 + client: $(ratio "$all_client" "$one_client")"
