"""The exported OpenAPI documents against outside validators.

For every vendor of spec/:

1. `openapi-spec-validator` accepts generated/openapi/<vendor>.json (OpenAPI 3.1);
2. every operation of the spec is in the document (a path, an action of a shared path, or a
   webhook);
3. every example of every operation, as written in the YAML, validates with `jsonschema`
   (Draft 2020-12, formats asserted) against the exported schemas: a request against
   `<operation>.Request`, a response against `<operation>.Response` (the error component for
   `error: true` examples), and against the schema the operation documents for the example's
   HTTP status.

Usage: python3 tests/python/check_openapi.py [WORKSPACE]. Exit 0 when everything passes, 1
listing every problem, 2 when a package is missing.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

try:
    import jsonschema
    import referencing
    import referencing.jsonschema
    from openapi_spec_validator import validate as validate_openapi

    import specyaml
except ImportError as e:
    print(
        f"missing Python package ({e.name}): pip install -r tests/python/requirements.txt",
        file=sys.stderr,
    )
    sys.exit(2)


def validator_for(document, base):
    """A Draft 2020-12 validator factory whose `$ref`s resolve inside `document`."""
    resource = referencing.Resource(contents=document, specification=referencing.jsonschema.DRAFT202012)
    registry = referencing.Registry().with_resource(base, resource)

    def validate(instance, ref):
        schema = {"$ref": base + ref}
        v = jsonschema.Draft202012Validator(
            schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        return sorted(v.iter_errors(instance), key=lambda e: list(e.absolute_path))

    return validate


def describe(errors):
    lines = []
    for e in errors[:5]:
        path = "$" + "".join(f"[{p!r}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
        lines.append(f"      {path}: {e.message[:300]}")
    if len(errors) > 5:
        lines.append(f"      ... and {len(errors) - 5} more")
    return "\n".join(lines)


def operation_objects(document):
    """Wire name → (operation object that serves it, its responses)."""
    out = {}
    items = list(document.get("paths", {}).values()) + list(document.get("webhooks", {}).values())
    for item in items:
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            names = list(op.get("x-flightapi-actions", {})) or [op.get("operationId")]
            for name in names:
                out[name] = op
    return out


def check_vendor(root, vendor_dir, problems):
    name = vendor_dir.name
    path = root / "generated" / "openapi" / f"{name}.json"
    if not path.is_file():
        problems.append(f"{name}: {path.relative_to(root)} is missing (run `cargo codegen`)")
        return 0
    document = json.loads(path.read_text(encoding="utf-8"))
    try:
        validate_openapi(document)
    except Exception as e:  # the validator raises its own exception types
        problems.append(f"{name}: openapi-spec-validator refuses the document: {str(e)[:2000]}")
    base = f"urn:flightapi:openapi:{name}"
    validate = validator_for(document, base)
    schemas = document.get("components", {}).get("schemas", {})
    error_ref = document.get("x-flightapi-error-schema", {}).get("$ref", "#/components/schemas/Error")
    served = operation_objects(document)
    checked = 0
    for op in specyaml.operations(vendor_dir):
        wire = op["operation"]
        key = specyaml.component_key(wire)
        if wire not in served:
            problems.append(f"{name} {wire}: the operation is not in the document")
            continue
        for what in ("Request", "Response"):
            if f"{key}.{what}" not in schemas:
                problems.append(f"{name} {wire}: no component {key}.{what}")
        responses = served[wire]["responses"]
        for example in op.get("examples", []):
            label = f"{name} {wire} example `{example['name']}`"
            if "request" in example:
                errors = validate(example["request"], f"#/components/schemas/{key}.Request")
                checked += 1
                if errors:
                    problems.append(f"{label}: the request does not validate against {key}.Request\n{describe(errors)}")
            if "response" in example:
                ref = error_ref if example.get("error") else f"#/components/schemas/{key}.Response"
                errors = validate(example["response"], ref)
                checked += 1
                if errors:
                    problems.append(f"{label}: the response does not validate against {ref}\n{describe(errors)}")
                status = str(example.get("status", 200))
                documented = responses.get(status)
                if documented is None:
                    problems.append(f"{label}: the operation documents no response with status {status}")
                    continue
                media = documented.get("content", {})
                if not media:
                    problems.append(f"{label}: the operation documents no body with status {status}")
                    continue
                for media_type, content in media.items():
                    # The response's schema, addressed inside the document.
                    ref = find_pointer(document, content["schema"])
                    if ref is None:
                        continue
                    errors = validate(example["response"], ref)
                    checked += 1
                    if errors:
                        problems.append(
                            f"{label}: the response does not validate against the documented {status} "
                            f"response ({media_type})\n{describe(errors)}"
                        )
    return checked


def find_pointer(document, target):
    """The JSON pointer (`#/...`) of `target` (an object of `document`, by identity)."""
    stack = [(document, "#")]
    while stack:
        node, pointer = stack.pop()
        if node is target:
            return pointer
        if isinstance(node, dict):
            for k, v in node.items():
                stack.append((v, f"{pointer}/{str(k).replace('~', '~0').replace('/', '~1')}"))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                stack.append((v, f"{pointer}/{i}"))
    return None


def main():
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE.parent.parent
    problems = []
    for vendor_dir in specyaml.vendors(root):
        checked = check_vendor(root, vendor_dir, problems)
        print(f"{vendor_dir.name}: document valid; {checked} example validation(s)")
    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
