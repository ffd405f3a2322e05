"""Authenticates Schemathesis cases from an exported document's own recipes.

The document says how calls are authenticated: API keys and credential headers are security
schemes carrying `x-flightapi-credential`; an OAuth2 recipe is the `oauth2` scheme (with
`x-flightapi-oauth2`); a signature recipe is `x-flightapi-auth.signature` (how the string to
sign is built, the algorithm, where each value goes, body paths included). `Signer.sign`
applies them to a case with the spec's sample credentials, so the mock server accepts it.
"""

import base64
import hashlib
import hmac
import re
import secrets
import time
from urllib.parse import urlsplit

import requests


class Unsupported(Exception):
    """A recipe this hook does not implement."""


class Signer:
    def __init__(self, document, credentials, base_url):
        self.recipes = document.get("x-flightapi-auth", {})
        self.schemes = document.get("components", {}).get("securitySchemes", {})
        self.credentials = credentials
        self.base_url = base_url
        self.token = None
        self.token_expiry = 0.0
        if "session" in self.recipes:
            raise Unsupported("session logins are not implemented by this hook")

    def credential(self, name):
        if name not in self.credentials:
            raise Unsupported(f"the spec declares no sample or mock value for the credential `{name}`")
        return self.credentials[name]

    def sign(self, case, spoil=False):
        """Authenticates `case`; with `spoil`, with a wrong signature, token or key."""
        headers = dict(case.headers or {})
        query = dict(case.query or {})
        for scheme in self.schemes.values():
            name = scheme.get("x-flightapi-credential")
            if scheme.get("type") == "apiKey" and name:
                place = headers if scheme["in"] == "header" else query
                place[scheme["name"]] = self.credential(name)
        if "oauth2" in self.recipes:
            token = "spoiled-token" if spoil else self.bearer(self.recipes["oauth2"])
            headers["Authorization"] = f"Bearer {token}"
        recipe = self.recipes.get("signature")
        if recipe:
            self.signature(recipe, case, headers, query, spoil)
        elif spoil and "oauth2" not in self.recipes:
            for scheme in self.schemes.values():
                if scheme.get("type") == "apiKey" and scheme.get("x-flightapi-credential"):
                    place = headers if scheme["in"] == "header" else query
                    place[scheme["name"]] = "spoiled-" + place[scheme["name"]]
        case.headers = headers
        if query:
            case.query = query

    # ----- OAuth2 ------------------------------------------------------------------------------

    def bearer(self, recipe):
        if self.token and time.monotonic() < self.token_expiry:
            return self.token
        params = {
            "grant_type": recipe["grant"],
            "client_id": self.credential(recipe["client_id"]),
            "client_secret": self.credential(recipe["client_secret"]),
        }
        for key in ("username", "password"):
            if recipe.get(key):
                params[key] = self.credential(recipe[key])
        if recipe.get("scope"):
            params["scope"] = recipe["scope"]
        url = self.base_url + urlsplit(recipe["token_url"]).path
        if recipe.get("body") == "json":
            answer = requests.post(url, json=params, timeout=30)
        else:
            answer = requests.post(url, data=params, timeout=30)
        answer.raise_for_status()
        token = answer.json()
        self.token = token["access_token"]
        lifetime = float(token.get("expires_in") or recipe.get("lifetime_seconds") or 3600)
        self.token_expiry = time.monotonic() + lifetime / 2
        return self.token

    # ----- signatures --------------------------------------------------------------------------

    def signature(self, recipe, case, headers, query, spoil=False):
        now = time.time()
        timestamp = str(int(now * 1000) if recipe.get("timestamp") == "milliseconds" else int(now))
        inputs = {"timestamp": timestamp, "nonce": secrets.token_hex(16), "method": case.method.upper()}
        inputs["path"] = case.formatted_path
        signed = digest(recipe, self.expand(recipe["sign"], inputs), self.expand(recipe.get("key"), inputs))
        # A spoiled signature: the right shape, another value.
        inputs["signature"] = signed[::-1] if spoil else signed
        for place in recipe["send"]:
            value = self.expand(place["value"], inputs)
            if place.get("header"):
                headers[place["header"]] = value
            elif place.get("query"):
                query[place["query"]] = value
            elif place.get("body") and isinstance(case.body, dict):
                body = dict(case.body)
                put(body, place["body"], int(value) if place.get("integer") else value)
                case.body = body

    def expand(self, template, inputs):
        if template is None:
            return None

        def one(match):
            name = match.group(1)
            if name.startswith("credential."):
                return self.credential(name.removeprefix("credential."))
            if name in inputs:
                return inputs[name]
            raise Unsupported(f"the template input `{{{name}}}` is not implemented by this hook")

        text = template.replace("{{", "\0").replace("}}", "\1")
        text = re.sub(r"\{([^{}]+)\}", one, text)
        return text.replace("\0", "{").replace("\1", "}")


def put(body, path, value):
    """Writes `value` at a dotted JSON path of `body`, creating objects on the way."""
    keys = path.split(".")
    node = body
    for key in keys[:-1]:
        child = node.get(key)
        child = dict(child) if isinstance(child, dict) else {}
        node[key] = child
        node = child
    node[keys[-1]] = value


def digest(recipe, text, key):
    data = text.encode("utf-8")
    algorithm = recipe["algorithm"]
    if algorithm in ("sha256", "sha512", "md5"):
        raw = hashlib.new(algorithm, data).digest()
    elif algorithm in ("hmac_sha256", "hmac_sha512"):
        raw = hmac.new(key.encode("utf-8"), data, algorithm.removeprefix("hmac_")).digest()
    elif algorithm == "aes_cbc":
        raw = aes_cbc(key.encode("utf-8"), data, recipe.get("iv", "zero"), recipe.get("padding", "pkcs7"))
    else:
        raise Unsupported(f"the signature algorithm `{algorithm}` is not implemented by this hook")
    output = recipe.get("output", "hex")
    if output == "hex":
        return raw.hex()
    if output == "hex_upper":
        return raw.hex().upper()
    return base64.b64encode(raw).decode("ascii")


def aes_cbc(key, data, iv_rule, padding):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    iv = key[:16] if iv_rule == "key_prefix" else bytes(16)
    if padding == "zero":
        data = data + bytes(-len(data) % 16)
    else:
        n = 16 - len(data) % 16
        data = data + bytes([n]) * n
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()
