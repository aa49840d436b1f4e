"""A local fake of the few Stripe API endpoints we use, speaking Stripe's wire format: form-encoded
requests with bracketed keys, JSON answers, ``{"error": {...}}`` errors with Stripe's statuses,
idempotency keys replayed (and refused when reused with other parameters), bearer API keys. It
completes checkouts by sending signed webhooks, optionally duplicated and shuffled.

Stateful and in memory; started by the tests on 127.0.0.1 with a free port."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes import stripe as wire

API_KEY = "sk_test_wizamart_suite"


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``metadata[vendor_id]=1&line_items[0][price]=p`` -> nested dicts (lists as index dicts)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


class FakeStripe:
    def __init__(self, webhook_secret: str) -> None:
        self.webhook_secret = webhook_secret
        self.customers: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.prices: dict[str, int] = {}  # price id -> unit amount in cents (2900 when not set)
        self.requests: list[tuple[str, str]] = []
        self._idempotency: dict[str, tuple[dict[str, Any], int, dict[str, Any]]] = {}
        self._failures: list[tuple[int, float]] = []  # (status, delay) for the next requests
        self._lock = threading.Lock()
        self._clock = int(time.time())
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ----------------------------------------------------------------- control
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeStripe:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, status: int, times: int = 1, delay: float = 0.0) -> None:
        """The next ``times`` requests answer ``status`` (after ``delay`` seconds)."""
        self._failures.extend([(status, delay)] * times)

    def complete_checkout(self, session_id: str, deliver: Callable[[bytes, str], Any], *,
                          duplicate: bool = False, shuffle: bool = False, seed: int = 0) -> str:
        """The vendor paid: create the subscription and send Stripe's webhooks for it."""
        session = self.sessions[session_id]
        vendor_id = int(session["metadata"]["vendor_id"])
        sub_id = f"sub_{len(self.subscriptions) + 1}"
        price = session["line_items"]["0"]["price"]
        start = self._tick()
        subscription = wire.subscription(sub_id, vendor_id=vendor_id, status="active", price=price,
                                         start=start, end=start + 30 * 86400)
        subscription["customer"] = session["customer"]
        self.subscriptions[sub_id] = subscription
        session.update(status="complete", subscription=sub_id)
        invoice = wire.invoice(f"in_{len(self.invoices) + 1}", number=f"WZM-{len(self.invoices) + 1:04d}",
                               customer=session["customer"], subscription=sub_id, vendor_id=vendor_id,
                               amount=self.prices.get(price, 2900), start=start, end=start + 30 * 86400)
        self.invoices[invoice["id"]] = invoice
        events = [
            wire.event("checkout.session.completed", dict(session), created=self._tick()),
            wire.event("customer.subscription.created", dict(subscription), created=self._tick()),
            wire.event("invoice.finalized", dict(invoice), created=self._tick()),
            wire.event("invoice.paid", {**invoice, "status": "paid"}, created=self._tick()),
        ]
        invoice["status"] = "paid"
        self._send(events, deliver, duplicate=duplicate, shuffle=shuffle, seed=seed)
        return sub_id

    def change_silently(self, sub_id: str, **fields: Any) -> None:
        """Change a subscription without sending its webhook (a lost event: drift to repair)."""
        self.subscriptions[sub_id].update(fields)

    def _send(self, events: list[dict[str, Any]], deliver: Callable[[bytes, str], Any], *,
              duplicate: bool, shuffle: bool, seed: int) -> None:
        deliveries = events * 2 if duplicate else list(events)
        if shuffle:
            random.Random(seed).shuffle(deliveries)
        for event in deliveries:
            raw = wire.body(event)
            deliver(raw, wire.sign(raw, self.webhook_secret))

    def _tick(self) -> int:
        self._clock += 1
        return self._clock

    # ---------------------------------------------------------------- the API
    def _handle(self, method: str, path: str, query: str, headers: Any, body: bytes) -> tuple[int, dict[str, Any]]:
        self.requests.append((method, path))
        if headers.get("Authorization") != f"Bearer {API_KEY}":
            return 401, _error("invalid_request_error", "Invalid API Key provided", code="api_key_invalid")
        if self._failures:
            status, delay = self._failures.pop(0)
            time.sleep(delay)
            return status, _error("api_error", "Something went wrong on Stripe's end (fake).")
        params = _nest(parse_qsl(query if method == "GET" else body.decode(), keep_blank_values=True))
        key = headers.get("Idempotency-Key")
        if method == "POST" and key:
            with self._lock:
                if key in self._idempotency:
                    first_params, status, answer = self._idempotency[key]
                    if first_params != params:
                        return 400, _error("idempotency_error", "Keys for idempotent requests can only be used "
                                           "with the same parameters they were first used with.")
                    return status, answer
                status, answer = self._route(method, path, params)
                self._idempotency[key] = (params, status, answer)
                return status, answer
        return self._route(method, path, params)

    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if (method, path) == ("POST", "/v1/customers"):
            cid = f"cus_{len(self.customers) + 1}"
            self.customers[cid] = {"id": cid, "object": "customer", "name": params.get("name"),
                                   "metadata": params.get("metadata", {})}
            return 200, self.customers[cid]
        if (method, path) == ("POST", "/v1/checkout/sessions"):
            if params.get("customer") not in self.customers:
                return 400, _error("invalid_request_error", "No such customer", param="customer")
            sid = f"cs_{len(self.sessions) + 1}"
            self.sessions[sid] = {"id": sid, "object": "checkout.session", "mode": params.get("mode"),
                                  "customer": params["customer"], "status": "open",
                                  "url": f"https://checkout.stripe.test/c/pay/{sid}",
                                  "metadata": params.get("metadata", {}), "line_items": params.get("line_items", {}),
                                  "subscription": None}
            return 200, self.sessions[sid]
        if (method, path) == ("POST", "/v1/billing_portal/sessions"):
            return 200, {"id": "bps_1", "object": "billing_portal.session", "customer": params.get("customer"),
                         "url": f"https://billing.stripe.test/p/session/{params.get('customer')}"}
        if (method, path) == ("GET", "/v1/invoices"):
            found = [i for i in self.invoices.values() if i["customer"] == params.get("customer")]
            found = sorted(found, key=lambda i: i["created"], reverse=True)[: int(params.get("limit", 10))]
            return 200, {"object": "list", "url": "/v1/invoices", "has_more": False, "data": found}
        if path.startswith("/v1/subscriptions/"):
            sub = self.subscriptions.get(path.rsplit("/", 1)[1])
            if sub is None:
                return 404, _error("invalid_request_error", "No such subscription", code="resource_missing")
            if method == "POST" and "cancel_at_period_end" in params:
                sub["cancel_at_period_end"] = params["cancel_at_period_end"] == "true"
            return 200, sub
        return 404, _error("invalid_request_error", f"Unrecognized request URL ({method}: {path})")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                path, _, query = self.path.partition("?")
                status, answer = fake._handle(method, path, query, self.headers, self.rfile.read(length))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Request-Id", f"req_{len(fake.requests)}")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def do_DELETE(self) -> None:  # noqa: N802
                self._serve("DELETE")

            def log_message(self, *args: Any) -> None:
                return None

        return Handler


def _error(kind: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message, **extra}}
