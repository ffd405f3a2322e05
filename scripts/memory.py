#!/usr/bin/env python3
"""Peak memory of validating a large response body, as a multiple of its size.

Builds a valid FR24 `shopping` response wire body of about 50 MB (the offers, legs and
segments of the spec's examples, repeated with distinct ids), writes it to a temporary file
and validates it, each run in its own child process, with:

- `flightapi validate fr24 shopping response <file>` (the command line: the body checked
  while it is read);
- the same with `--typed` (then also read into the generated Rust types, which hold the
  whole response);
- `validate_file ... --value` (the `benches` example: the `Value` walk alone,
  `Schema::check_wire`);
- `validate_file ...` (the streaming validator, `Schema::check_wire_reader`).

Each child's peak resident set (`ru_maxrss` from `os.wait4`) is reported in bytes and as a
ratio to the input size. Standard library only.

    scripts/memory.py                 # from anywhere; builds the release binaries first
    scripts/memory.py --size-mb 10 --no-build --json
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
CLI = os.path.join(TARGET, "release", "flightapi")
EXAMPLE = os.path.join(TARGET, "release", "examples", "validate_file")

BUILDS = {
    CLI: ["cargo", "build", "--release", "-p", "flightapi", "--features", "cli", "--bin", "flightapi"],
    EXAMPLE: ["cargo", "build", "--release", "-p", "flightapi-benches", "--example", "validate_file"],
}


def offer(i):
    """One offer, after the spec's `doc` and `doc-v2-response` examples (spec/fr24/operations/shopping.yaml)."""
    return {
        "offerId": "a17f56079af111ca6278d721%08d" % i,
        "legId": "L%d" % i,
        "currency": "USD",
        "platingCarrier": "CX",
        "pricePerPax": [
            {
                "paxType": "ADT",
                "baseFare": 250.00 + i % 100,
                "totalTax": 56.20,
                "taxBreakdown": [{"taxType": "SG", "taxAmount": 41.20}, {"taxType": "YR", "taxAmount": 15.00}],
            }
        ],
        "cabin": ["Y"],
        "fareBasis": [None],
        "availability": ["9"],
        "extraInfo": {
            "freeBaggageAllowance": [
                {
                    "segmentId": "S%d" % i,
                    "cabinBagPc": "e-e-e",
                    "cabinBagSize": "e-e-e",
                    "cabinBagWeight": "e-e-e",
                    "checkedBagPc": "e-e-e",
                    "checkedBagSize": "e-e-e",
                    "checkedBagWeight": "20-e-e",
                }
            ]
        },
        "eligibilityFlag": False,
        "rules": {
            "refund": [{"paxType": "ADT", "couponStatus": 0, "refundPolicy": "airlinePolicyApplied"}],
            "change": [{"paxType": "ADT", "couponStatus": 0, "changePolicy": "airlinePolicyApplied"}],
        },
        "productType": "AAA",
    }


def leg(i):
    return {"legId": "L%d" % i, "segmentIds": ["S%d" % i]}


def segment(i):
    return {
        "segmentId": "S%d" % i,
        "duration": 235,
        "carrier": "CX",
        "flightNo": "714",
        "codeShare": False,
        "depAirport": "SIN",
        "depTerminal": "T4",
        "depTime": "2025-11-15T08:05",
        "arrAirport": "HKG",
        "arrTerminal": "T1",
        "arrTime": "2025-11-15T12:00",
    }


def write_body(path, size):
    """Writes a shopping response of about `size` bytes to `path`; returns its exact size."""
    head = '{"traceId":"shop_202410101503481394","code":"000000","message":"success","processingTime":812,"data":{'
    per = len(json.dumps(offer(0), separators=(",", ":"))) + len(json.dumps(leg(0), separators=(",", ":")))
    per += len(json.dumps(segment(0), separators=(",", ":"))) + 3
    n = max(1, size // per)
    with open(path, "w", encoding="utf-8") as out:
        out.write(head)
        for name, item in (("offers", offer), ("legs", leg), ("segments", segment)):
            out.write('"%s":[' % name if name == "offers" else ',"%s":[' % name)
            for i in range(n):
                if i:
                    out.write(",")
                out.write(json.dumps(item(i), separators=(",", ":")))
            out.write("]")
        out.write("}}")
    return os.path.getsize(path), n


def build(paths):
    """Builds the binaries (cargo does nothing when they are up to date)."""
    for path in paths:
        print("building %s ..." % os.path.relpath(path, ROOT), file=sys.stderr)
        subprocess.run(BUILDS[path], cwd=ROOT, check=True)


def measure(command):
    """Runs `command` as a child; returns (exit status, peak RSS in bytes, seconds, last output line)."""
    with tempfile.TemporaryFile() as out:
        start = time.monotonic()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    # Linux reports ru_maxrss in KiB (macOS in bytes).
    rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return child.returncode, rss, seconds, (lines[-1] if lines else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=50.0, help="input size in MB (default 50)")
    parser.add_argument("--no-build", action="store_true", help="use the binaries as they are (no cargo build)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--keep", metavar="FILE", help="write the body to FILE and keep it")
    args = parser.parse_args()

    runs = [
        ("flightapi validate (command line)", CLI, lambda f: [CLI, "validate", "fr24", "shopping", "response", f]),
        (
            "flightapi validate --typed",
            CLI,
            lambda f: [CLI, "validate", "fr24", "shopping", "response", f, "--typed"],
        ),
        ("Value walk (validate_file --value)", EXAMPLE, lambda f: [EXAMPLE, "fr24", "shopping", "response", f, "--value"]),
        ("streaming (validate_file)", EXAMPLE, lambda f: [EXAMPLE, "fr24", "shopping", "response", f]),
    ]
    if not args.no_build:
        build(sorted({binary for _, binary, _ in runs}))

    handle, path = (None, args.keep) if args.keep else tempfile.mkstemp(suffix=".json", prefix="flightapi-memory-")
    if handle is not None:
        os.close(handle)
    try:
        size, offers = write_body(path, int(args.size_mb * 1_000_000))
        results = []
        for name, binary, command in runs:
            if not os.path.exists(binary):
                results.append({"run": name, "skipped": "%s is not built" % os.path.relpath(binary, ROOT)})
                continue
            status, rss, seconds, last = measure(command(path))
            results.append(
                {
                    "run": name,
                    "exit": status,
                    "peak_rss_bytes": rss,
                    "ratio": round(rss / size, 2),
                    "seconds": round(seconds, 2),
                    "output": last,
                }
            )
    finally:
        if not args.keep:
            os.unlink(path)

    if args.json:
        print(json.dumps({"input_bytes": size, "offers": offers, "results": results}, indent=2))
        return
    print("input: %d bytes (%.1f MB), FR24 shopping response with %d offers" % (size, size / 1e6, offers))
    print("%-38s %14s %8s %8s  %s" % ("run", "peak RSS", "ratio", "seconds", "result"))
    for r in results:
        if "skipped" in r:
            print("%-38s %s" % (r["run"], r["skipped"]))
            continue
        print(
            "%-38s %14d %7.2fx %8.2f  exit %d: %s"
            % (r["run"], r["peak_rss_bytes"], r["ratio"], r["seconds"], r["exit"], r["output"][:80])
        )


if __name__ == "__main__":
    main()
