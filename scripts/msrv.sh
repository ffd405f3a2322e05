#!/usr/bin/env bash
# Builds the `flightapi` crate with one vendor on the oldest Rust the workspace declares
# (`rust-version` in Cargo.toml), with dependencies resolved for that version: a copy of the
# tracked files gets a lockfile from Cargo's MSRV-aware resolver, so the checked-in lockfile
# (newest versions) is left alone. Installs the toolchain with rustup when it is missing.
#
#   scripts/msrv.sh            # from anywhere in the workspace
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
[ -n "$msrv" ] || { echo "no rust-version in Cargo.toml" >&2; exit 1; }
rustup toolchain list | grep -q "^$msrv" || rustup toolchain install "$msrv" --profile minimal
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
git ls-files -z | xargs -0 tar -cf - | tar -xf - -C "$copy"
cd "$copy"
CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo update --quiet
echo "building flightapi (feature fr24) with Rust $msrv"
CARGO_TARGET_DIR="${MSRV_TARGET_DIR:-$copy/target}" cargo "+$msrv" build --quiet -p flightapi --no-default-features --features fr24
echo "flightapi builds with Rust $msrv"
