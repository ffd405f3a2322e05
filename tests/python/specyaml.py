"""Reading spec/ the way the generator does: YAML 1.2 core schema.

PyYAML implements YAML 1.1, where `no` is false, `2024-11-27` a date, `12:30` the integer 750
and `017` octal. The generator (serde_yaml) reads YAML 1.2, where all of these are strings or
decimal integers; this loader resolves plain scalars the YAML 1.2 way so examples compare
equal to what the generator read.
"""

import re
from pathlib import Path

import yaml


class Yaml12Loader(yaml.SafeLoader):
    """A safe loader with the YAML 1.2 core schema's implicit types."""


Yaml12Loader.yaml_implicit_resolvers = {}


def _resolver(tag, pattern, first):
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), list(first))


_resolver("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolver("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_resolver("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789")
_resolver(
    "tag:yaml.org,2002:float",
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    "-+0123456789.",
)


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


def _construct_bool(loader, node):
    return loader.construct_scalar(node).lower() == "true"


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def load(path):
    """One YAML file."""
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Yaml12Loader)


def vendors(root):
    """The vendor folders of `root/spec`, sorted."""
    spec = Path(root) / "spec"
    return sorted(p for p in spec.iterdir() if (p / "vendor.yaml").is_file())


def operations(vendor_dir):
    """Every operation file of a vendor folder, parsed, sorted by file name."""
    return [load(p) for p in sorted((Path(vendor_dir) / "operations").glob("*.yaml"))]


def credential_values(vendor_dir):
    """The credential values the mock server accepts: each credential's `mock:` value, else
    its `sample:`."""
    out = {}
    for c in load(Path(vendor_dir) / "vendor.yaml").get("credentials", []):
        value = c.get("mock", c.get("sample"))
        if value is not None:
            out[c["name"]] = str(value)
    return out


def component_key(name):
    """The OpenAPI component key of a name, as the exporter writes it."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)
