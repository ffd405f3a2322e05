"""A stand-in for the login_vendor API, written from the vendor's wire contract (its docs, as
summarised in spec/login_vendor/vendor.yaml) and independently of the Rust runtime and its mock,
so that a mistake shared by the generated client and the in-repo mock shows up against it.

The contract:
- every call carries the static API key in `X-API-KEY`, else HTTP 401 with code VAL-003;
- `POST /api/v1/auth/login` with JSON `{userName, password, companyCode}` opens a session,
  returned at `data[0].sessionId`; wrong credentials give HTTP 401 VAL-003;
- every other call names a live session in the `sessionId` header, else HTTP 401 VAL-002
  (expired), answered before the call is processed;
- a body that is not JSON, or misses a required field, gives HTTP 422 VAL-001;
- successes are `{"meta": {"success": true, "statusCode": 0}, "data": ...}`, errors are
  `{"meta": {"success": false, "statusCode": <negative>, "statusMessage": ...},
    "errorDetails": {"code": ..., "message": ..., "documentationUrl": ...}}`;
- every response carries a fresh `retriveId` header and `Content-Type: application/json`.

Test hooks (no API key needed): `POST /__control/expire` forgets every session;
`GET /__control/log` lists the vendor calls received so far: method, path, headers (lowercased
names), parsed body (null when not JSON), and what was answered (status, retriveId, response).

Run: `python3 login_vendor_server.py` prints `listening on http://127.0.0.1:PORT` and serves
until killed. Standard library only.
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_KEY = "key-123"
ACCOUNT = {"userName": "agent", "password": "pass-456", "companyCode": "ACME"}
DOCS = "https://login-vendor.example.test/docs/errors#"

# The documented request bodies: field -> the JSON types it may have.
STRING, NUMBER = (str,), (int, float)
BODIES = {
    "/api/v1/auth/login": {"userName": STRING, "password": STRING, "companyCode": STRING},
    "/api/v1/search": {"origin": STRING, "destination": STRING, "date": STRING},
    "/api/v1/pay": {"bookingRef": STRING, "amount": NUMBER},
}

lock = threading.Lock()
sessions = set()
log = []


class VendorError(Exception):
    def __init__(self, http_status, code, message, status_code=-1):
        super().__init__(message)
        self.http_status, self.code, self.message, self.status_code = http_status, code, message, status_code

    def body(self):
        return {
            "meta": {"success": False, "statusCode": self.status_code, "statusMessage": self.message},
            "errorDetails": {"code": self.code, "message": self.message, "documentationUrl": DOCS + self.code},
        }


def ok(data):
    return 200, {"meta": {"success": True, "statusCode": 0}, "data": data}


def handle(method, path, headers, body):
    """The vendor proper: returns (HTTP status, JSON body) or raises VendorError."""
    if headers.get("x-api-key") != API_KEY:
        raise VendorError(401, "VAL-003", "Unauthorized: wrong API key")
    if method != "POST" or path not in BODIES:
        raise VendorError(404, "VAL-404", "Not found")
    if path != "/api/v1/auth/login":
        with lock:
            live = headers.get("sessionid") in sessions
        if not live:
            raise VendorError(401, "VAL-002", "Invalid or expired session", status_code=-2)
    if not isinstance(body, dict):
        raise VendorError(422, "VAL-001", "Invalid parameter: the body is not a JSON object")
    for field, types in BODIES[path].items():
        value = body.get(field)
        if value is None or isinstance(value, bool) or not isinstance(value, types):
            raise VendorError(422, "VAL-001", f"Invalid parameter: {field}")
    if path == "/api/v1/auth/login":
        if any(body[k] != v for k, v in ACCOUNT.items()):
            raise VendorError(401, "VAL-003", "Unauthorized: wrong credentials")
        session = f"py-session-{uuid.uuid4()}"
        with lock:
            sessions.add(session)
        return ok([{"sessionId": session}])
    if path == "/api/v1/search":
        return ok({"offers": [{"offerId": "OF-PY", "price": 99.90}]})
    return ok({"paymentId": "PAY-PY"})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.serve()

    def do_POST(self):
        self.serve()

    def serve(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?", 1)[0]
        if path == "/__control/expire" and self.command == "POST":
            with lock:
                sessions.clear()
            return self.reply(200, {"expired": True})
        if path == "/__control/log" and self.command == "GET":
            with lock:
                entries = list(log)
            return self.reply(200, entries)
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        try:
            status, answer = handle(self.command, path, headers, body)
        except VendorError as e:
            status, answer = e.http_status, e.body()
        retrive_id = f"py-retrive-{uuid.uuid4()}"
        with lock:  # logged before answering, so the log is complete once the caller has its answer
            log.append({"method": self.command, "path": path, "headers": headers, "body": body,
                        "status": status, "retriveId": retrive_id, "response": answer})
        self.reply(status, answer, retrive_id)

    def reply(self, status, payload, retrive_id=None):
        data = json.dumps(payload).encode()
        retrive_id = retrive_id or f"py-retrive-{uuid.uuid4()}"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("retriveId", retrive_id)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass  # quiet: the test reads /__control/log instead


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()
