"""Schemathesis against `flightapi mock <vendor>`, for every vendor, from the exported documents.

For each vendor: start the mock binary on a free port, load generated/openapi/<vendor>.json,
and for every operation send a bounded number of cases: generated valid and invalid ones, the
spec's examples, and two refusal probes (a valid case with an unknown field, one with a spoiled
signature or token). `auth.py` authenticates each from the document's own recipes
(`x-flightapi-auth`) and the spec's sample credentials. Two checks per answer:
`not_a_server_error` (no 5xx) and `response_schema_conformance` (the answer, success or error,
conforms to the document).

Usage: python3 tests/python/schemathesis_mock.py --mock-bin PATH [--root DIR] [--max-examples N]
       [--negative-examples N] [--seed N] [--vendor NAME]... [--summary FILE]

Exit 0 when no check fails, 1 listing every failure (one per operation and check, with the
request and the answer), 2 when a package is missing or a mock does not start.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# Hypothesis keeps caches in ./.hypothesis unless told otherwise: not in the workspace.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "flightapi-hypothesis"))

try:
    import hypothesis
    import requests
    import schemathesis
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error, response_schema_conformance

    import auth
    import check_openapi
    import specyaml
except ImportError as e:
    print(f"missing Python package ({e.name}): pip install -r tests/python/requirements.txt", file=sys.stderr)
    sys.exit(2)


CHECKS = [not_a_server_error, response_schema_conformance]


class Mock:
    """`flightapi mock <vendor>` on a free loopback port."""

    def __init__(self, binary, vendor, credential_envs):
        env = {k: v for k, v in os.environ.items() if k not in credential_envs}
        self.process = subprocess.Popen(
            [binary, "mock", vendor, "--addr", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"`flightapi mock {vendor}` did not start: {line!r} {self.process.stderr.read()[:500]}")
        self.url = line.removeprefix("listening on ")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def short(value, limit=600):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def lookup(value, path):
    """The values at a dotted JSON path (`*` is any key)."""
    nodes = [value]
    for key in path.split("."):
        nxt = []
        for node in nodes:
            if isinstance(node, dict):
                nxt.extend(node.values() if key == "*" else [node[key]] if key in node else [])
        nodes = nxt
    return nodes


def outcome(rule, response):
    """`success`, or `code <vendor code>` / `status <HTTP status>` of a refusal."""
    if response.status_code == 204:
        return "success"
    try:
        body = response.json()
    except ValueError:
        return f"status {response.status_code} (not JSON)"
    if rule.get("list"):
        items = [i for found in lookup(body, rule["list"]) if isinstance(found, list) for i in found]
        codes = [c for i in items for c in lookup(i, rule.get("code", "code"))]
        return f"code {codes[0]}" if codes else ("success" if response.status_code < 300 else f"status {response.status_code}")
    found = lookup(body, rule["code"]) if rule.get("code") else []
    success = [str(c) for c in (rule.get("success") or {}).get("codes", [])]
    if found and str(found[0]) not in success:
        return f"code {found[0]}"
    return "success" if response.status_code < 300 else f"status {response.status_code}"


def why_not_an_error(document, response):
    """Why an answer is not the document's error answer either (the likeliest intent of a
    refusal that conforms to nothing)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    ref = document.get("x-flightapi-error-schema", {}).get("$ref")
    if not ref:
        return ""
    errors = check_openapi.validator_for(document, "urn:flightapi:mock")(body, ref)
    if not errors:
        return ""
    return f"\n    against {ref.rsplit('/', 1)[-1]}:\n{check_openapi.describe(errors)}"


def prober(probe, field, action):
    """Turns a generated valid case into a refusal probe for one operation."""

    def apply(case):
        if isinstance(case.body, dict):
            body = dict(case.body)
            if field and action:
                body[field] = action
            if probe == "invalid":
                body["flightapiProbe"] = True
            case.body = body
        return case, probe == "unauthorized"

    return apply


def run_vendor(args, root, vendor_dir):
    name = vendor_dir.name
    document = json.loads((root / "generated" / "openapi" / f"{name}.json").read_text(encoding="utf-8"))
    credentials = specyaml.credential_values(vendor_dir)
    envs = {c.get("env") for c in document.get("x-flightapi-credentials", [])}
    mock = Mock(args.mock_bin, name, envs)
    failures = {}
    counts = {"cases": 0, "operations": 0, "spec_operations": 0, "status": {}, "answers": {}, "refused_valid": {}, "accepted_invalid": {}}
    errors_rule = specyaml.load(vendor_dir / "vendor.yaml").get("errors") or {}
    try:
        schema = schemathesis.openapi.from_dict(document)
        signer = auth.Signer(document, credentials, mock.url)
        session = requests.Session()
        for result in schema.get_all_operations():
            operation = result.ok()
            counts["operations"] += 1
            counts["spec_operations"] += max(1, len(operation.definition.raw.get("x-flightapi-actions", {})))
            label = f"{operation.method.upper()} {operation.path}"
            # A shared path serves several operations (told apart by a body field): each gets
            # the budget of an operation.
            share = max(1, len(operation.definition.raw.get("x-flightapi-actions", {})))
            strategies = [
                (GenerationMode.POSITIVE, operation.as_strategy(GenerationMode.POSITIVE), args.max_examples * share),
                (GenerationMode.NEGATIVE, operation.as_strategy(GenerationMode.NEGATIVE), args.negative_examples * share),
            ]
            examples = schema.get_strategies_from_examples(operation)
            if examples:
                strategies.append(("examples", st.one_of(examples), len(examples) * 2))
            # Refusal probes: for every operation a generated valid case with an unknown field
            # (an invalid request) and one with spoiled credentials (an unauthorized one), so
            # every operation's error answers are checked too.
            actions = list(operation.definition.raw.get("x-flightapi-actions", {})) or [None]
            field = operation.definition.raw.get("x-flightapi-operation-field")
            positive = operation.as_strategy(GenerationMode.POSITIVE)
            for action in actions:
                for probe in ("invalid", "unauthorized"):
                    strategies.append((f"probe: {probe}", positive.map(prober(probe, field, action)), 1))

            def exercise(case, mode, spoil):
                signer.sign(case, spoil=spoil)
                counts["cases"] += 1
                try:
                    response = case.call(base_url=mock.url, session=session, timeout=30)
                except requests.RequestException as e:
                    failures.setdefault((label, "transport"), f"{label}: {e}")
                    return
                status = counts["status"].setdefault(str(response.status_code), 0)
                counts["status"][str(response.status_code)] = status + 1
                tally = counts["answers"].setdefault(str(mode), {})
                answer = outcome(errors_rule, response)
                tally[answer] = tally.get(answer, 0) + 1
                if mode in (GenerationMode.POSITIVE, "examples") and answer != "success":
                    counts["refused_valid"].setdefault(label, []).append(
                        f"{answer}: {short(case.body, 300)} -> {short(response.text, 400)}"
                    )
                if mode == GenerationMode.NEGATIVE and answer == "success":
                    counts["accepted_invalid"].setdefault(label, []).append(
                        f"{short(case.headers, 300)} {short(case.path_parameters, 200)} {short(case.body, 400)}"
                    )
                try:
                    case.validate_response(response, checks=CHECKS)
                except (Exception, BaseExceptionGroup) as e:  # Schemathesis' FailureGroup is a BaseExceptionGroup
                    for failure in getattr(e, "exceptions", None) or [e]:
                        title = getattr(failure, "title", type(failure).__name__)
                        key = (label, title)
                        if key in failures:
                            continue
                        body = case.body if not isinstance(case.body, bytes) else case.body[:300]
                        message = getattr(failure, "message", str(failure)).split("\n\nSchema:")[0]
                        failures[key] = (
                            f"{label} ({mode}): {title}: {short(message, 600)}\n"
                            f"    request: {case.method.upper()} {case.formatted_path} {short(body)}\n"
                            f"    answer {response.status_code}: {short(response.text)}"
                            + why_not_an_error(document, response)
                        )

            for mode, strategy, budget in strategies:
                if budget <= 0:
                    continue

                @settings(
                    max_examples=budget,
                    deadline=None,
                    database=None,
                    derandomize=args.seed is None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=False,
                )
                @hypothesis.given(drawn=strategy)
                def test(drawn):
                    case, spoil = drawn if isinstance(drawn, tuple) else (drawn, False)
                    exercise(case, mode, spoil)

                if args.seed is not None:
                    test = hypothesis.seed(args.seed)(test)
                test()
    finally:
        mock.stop()
    return counts, list(failures.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mock-bin", required=True, help="the `flightapi` binary (built with --features cli)")
    parser.add_argument("--root", default=str(HERE.parent.parent), help="the workspace")
    parser.add_argument("--max-examples", type=int, default=20, help="generated valid cases per operation")
    parser.add_argument("--negative-examples", type=int, default=10, help="generated invalid cases per operation")
    parser.add_argument("--seed", type=int, default=None, help="a Hypothesis seed (default: derandomized)")
    parser.add_argument("--vendor", action="append", help="only this vendor (repeatable)")
    parser.add_argument("--summary", help="write the figures as JSON to this file")
    parser.add_argument(
        "--verbose", action="store_true", help="show valid cases the mock refused and invalid ones it accepted"
    )
    args = parser.parse_args()
    root = Path(args.root).resolve()
    summary = {}
    all_failures = []
    for vendor_dir in specyaml.vendors(root):
        if args.vendor and vendor_dir.name not in args.vendor:
            continue
        started = time.monotonic()
        try:
            counts, failures = run_vendor(args, root, vendor_dir)
        except (RuntimeError, auth.Unsupported) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        counts["failures"] = len(failures)
        counts["seconds"] = round(time.monotonic() - started, 1)
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(counts["status"].items()))
        print(
            f"{vendor_dir.name}: {counts['cases']} case(s) over {counts['operations']} path operation(s) "
            f"({counts['spec_operations']} spec operation(s)) "
            f"in {counts['seconds']} s; answers by status {{{statuses}}}; {len(failures)} failure(s)"
        )
        for mode, tally in sorted(counts["answers"].items()):
            print(f"  {mode}: " + ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())))
        if args.verbose:
            for label, refused in sorted(counts["refused_valid"].items()):
                print(f"  valid case refused, {label}:")
                for r in refused[:3]:
                    print(f"    {r}")
            for label, accepted in sorted(counts["accepted_invalid"].items()):
                print(f"  invalid case accepted, {label}:")
                for r in accepted[:3]:
                    print(f"    {r}")
        counts["refused_valid"] = sum(len(v) for v in counts["refused_valid"].values())
        counts["accepted_invalid"] = sum(len(v) for v in counts["accepted_invalid"].values())
        summary[vendor_dir.name] = counts
        all_failures.extend(f"{vendor_dir.name} {f}" for f in failures)
    if args.summary:
        Path(args.summary).write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    if all_failures:
        print(f"\n{len(all_failures)} failure(s):", file=sys.stderr)
        for f in all_failures:
            print(f"  {f}\n", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
