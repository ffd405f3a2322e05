#!/usr/bin/env bash
# Runs the `cargo fuzz` targets in fuzz/ for a bounded time each and reports, per target, the
# executions run and the crashes found. Exits 1 when any target crashed (or timed out, or ran
# out of memory), 2 when a target could not be built or run.
#
#   scripts/fuzz.sh                          # every target, 60 s each
#   FUZZ_SECONDS=600 scripts/fuzz.sh         # longer
#   scripts/fuzz.sh spec_load deserialize    # some targets only
#
# Needs a nightly toolchain (`rustup toolchain install nightly`; FUZZ_TOOLCHAIN names another)
# and installs cargo-fuzz when it is missing. Each target reads its committed seeds from
# fuzz/seeds/<target>/ and grows its corpus in fuzz/corpus/<target>/ (not committed); a
# crashing input is written to fuzz/artifacts/<target>/. docs/fuzzing.md explains how to turn
# one into a regression test.
set -uo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
toolchain="${FUZZ_TOOLCHAIN:-nightly}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(spec_load validate_json deserialize)

max_len() { # the largest input worth trying: spec files are up to ~32 KiB, JSON bodies ~1 KiB
  case "$1" in
    spec_load) echo 32768 ;;
    *) echo 4096 ;;
  esac
}

dict() { # the keys and tokens the inputs are made of
  case "$1" in
    spec_load) echo fuzz/dicts/spec_load.dict ;;
    *) echo fuzz/dicts/json.dict ;;
  esac
}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked || exit 2
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
summary=()
crashed=0
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  artifacts="fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  before="$logs/$target.before"
  ls "$artifacts" >"$before"
  log="$logs/$target.log"
  # Built again only if a source changed since; the clock starts after the build.
  cargo "+$toolchain" fuzz build "$target" 2>"$log" || { cat "$log" >&2; exit 2; }
  echo "== $target: ${seconds} s" >&2
  start=$(date +%s)
  cargo "+$toolchain" fuzz run "$target" "$corpus" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -max_len="$(max_len "$target")" -timeout=30 \
    -dict="$(dict "$target")" -print_final_stats=1 >"$log" 2>&1
  status=$?
  ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  [ -n "$ran" ] || ran=$(($(date +%s) - start)) # a crash: the wall time
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  if [ -z "$execs" ]; then # no final stats (a crash): the last status line's count
    execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  fi
  new=$(ls "$artifacts" | grep -vxF -f "$before" | grep -E '^(crash|leak|timeout|oom)-' || true)
  found=$(printf '%s' "$new" | grep -c . || true)
  if [ "$status" -ne 0 ] && [ "$found" -eq 0 ]; then
    tail -40 "$log" >&2
    echo "$target: cargo fuzz run failed (exit $status) without a crash artifact" >&2
    exit 2
  fi
  if [ "$found" -gt 0 ]; then
    crashed=1
    grep -E -m3 "panicked at|ERROR: (libFuzzer|AddressSanitizer)|^SUMMARY" "$log" >&2 || true
    for a in $new; do echo "   $artifacts/$a" >&2; done
  fi
  line="$(printf '%-14s %6s s %12s execs %8s execs/s %6s new units %3s crash(es)' \
    "$target" "$ran" "${execs:-?}" "${rate:-?}" "${added:-?}" "$found")"
  echo "$line" >&2
  summary+=("$line")
done

echo
printf '%s\n' "${summary[@]}"
if [ "$crashed" -ne 0 ]; then
  echo "crashes found: reproduce with 'cargo +$toolchain fuzz run <target> <artifact>'," \
    "minimize with 'cargo +$toolchain fuzz tmin <target> <artifact>' (docs/fuzzing.md)"
  exit 1
fi
