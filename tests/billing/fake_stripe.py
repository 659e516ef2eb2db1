"""A local stand-in for Stripe's API: a threaded HTTP server that records every request.

The real gateway code runs through the real ``stripe`` SDK against it (``STRIPE_API_BASE``), so
tests see the exact paths, form parameters and idempotency keys the SDK sends, and can make
Stripe answer with errors (card declined, 500, connection refused) or change its mind about a
subscription between events, as it does in real life.
"""
from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, str]  # flat form keys as sent, e.g. "line_items[0][price]"
    idempotency_key: str | None
    headers: dict[str, str] = field(default_factory=dict)


def _error(status: int, type_: str, message: str, code: str | None = None, **extra: Any) -> tuple[int, dict]:
    return status, {"error": {"type": type_, "message": message, "code": code, **extra}}


class FakeStripe:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.objects: dict[str, dict] = {}
        self.failures: list[tuple[int, dict]] = []  # answered, in order, before anything else
        self._replies: dict[str, tuple[int, dict]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                split = urlsplit(self.path)
                raw = split.query if self.command in ("GET", "DELETE") else body
                params = dict(parse_qsl(raw, keep_blank_values=True))
                status, payload = fake.handle(self.command, split.path, params, self.headers.get("Idempotency-Key"),
                                              dict(self.headers))
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{next(fake._ids)}")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # serve_forever() notices shutdown() only between polls, and close() waits for that: at
        # the default 0.5 s poll that was half a second per billing test. A 10 ms poll costs an
        # idle select() a hundred times a second while a test runs, nothing worth measuring.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # Test helpers --------------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}"

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    def add_price(self, lookup_key: str, amount: int, interval: str | None, currency: str = "eur",
                  product: str = "club_membership") -> dict:
        price = {"id": self.new_id("price"), "object": "price", "active": True, "currency": currency,
                 "lookup_key": lookup_key, "product": product, "unit_amount": amount, "livemode": False,
                 "type": "recurring" if interval else "one_time",
                 "recurring": {"interval": interval, "interval_count": 1, "usage_type": "licensed"} if interval else None}
        self.objects[price["id"]] = price
        return price

    def add_subscription(self, *, customer: str, status: str = "active", cancel_at_period_end: bool = False,
                         period_end: int | None = None, interval: str = "month", membership_id: int | None = None,
                         initiation: bool = False, sub_id: str | None = None, price: dict | None = None,
                         plan_id: int | None = None) -> dict:
        now = int(time.time())
        end = period_end or now + 30 * 86400
        sub = {
            "id": sub_id or self.new_id("sub"), "object": "subscription", "customer": customer, "status": status,
            "cancel_at_period_end": cancel_at_period_end, "created": now, "livemode": False,
            "metadata": {"membership_id": str(membership_id), "initiation": "yes" if initiation else "no",
                         **({"plan_id": str(plan_id)} if plan_id else {})}
            if membership_id else {},
            "items": {"object": "list", "has_more": False, "url": "/v1/subscription_items", "data": [{
                "id": self.new_id("si"), "object": "subscription_item", "current_period_start": end - 30 * 86400,
                "current_period_end": end, "quantity": 1, "metadata": {},
                "price": price or {"id": self.new_id("price"), "object": "price", "currency": "eur",
                                   "unit_amount": 15000, "recurring": {"interval": interval, "interval_count": 1}},
            }]},
        }
        self.objects[sub["id"]] = sub
        return sub

    def add_customer(self, customer_id: str, *, email: str = "", name: str = "") -> dict:
        customer = {"id": customer_id, "object": "customer", "email": email, "name": name, "livemode": False,
                    "metadata": {}}
        self.objects[customer_id] = customer
        return customer

    def complete_checkout(self, session_id: str, *, status: str = "active", period_end: int | None = None) -> dict:
        """The member pays on Stripe's page: the session completes with a new subscription."""
        session = self.objects[session_id]
        interval = session.get("_interval") or "month"
        membership_id = int(session["client_reference_id"])
        plan_id = session["metadata"].get("plan_id")
        sub = self.add_subscription(customer=session["customer"], status=status, membership_id=membership_id,
                                    initiation=session["metadata"].get("initiation") == "yes", interval=interval,
                                    period_end=period_end, price=self.objects.get(session.get("_price") or ""),
                                    plan_id=int(plan_id) if plan_id else None)
        session.update(status="complete", payment_status="paid", subscription=sub["id"])
        return sub

    def live_subscriptions(self, customer: str) -> list[dict]:
        return [o for o in self.objects.values() if o.get("object") == "subscription" and o["customer"] == customer
                and o["status"] not in ("canceled", "incomplete_expired")]

    def set_subscription(self, sub_id: str, **changes: Any) -> dict:
        sub = self.objects[sub_id]
        period_end = changes.pop("period_end", None)
        sub.update(changes)
        if period_end is not None:
            sub["items"]["data"][0]["current_period_end"] = period_end
        return sub

    def add_invoice(self, *, customer: str, subscription: str | None, amount_paid: int = 0, status: str = "paid",
                    amount_due: int | None = None,
                    period_start: int | None = None, period_end: int | None = None) -> dict:
        now = int(time.time())
        invoice = {
            "id": self.new_id("in"), "object": "invoice", "number": f"CLUB-{next(self._ids):04d}",
            "customer": customer, "status": status, "amount_paid": amount_paid, "amount_due": amount_due if amount_due is not None else amount_paid,
            "currency": "eur",
            "livemode": False,
            "parent": {"type": "subscription_details", "quote_details": None,
                       "subscription_details": {"subscription": subscription, "metadata": {}}} if subscription else None,
            "lines": {"object": "list", "has_more": False, "url": "/v1/invoices/x/lines", "data": [{
                "id": self.new_id("il"), "object": "line_item", "amount": amount_paid, "currency": "eur",
                "period": {"start": period_start or now, "end": period_end or now + 30 * 86400}}]},
            "status_transitions": {"paid_at": now if status == "paid" else None, "finalized_at": now},
        }
        self.objects[invoice["id"]] = invoice
        return invoice

    def add_checkout_session(self, *, customer: str, membership_id: int, subscription: str | None,
                             status: str = "complete") -> dict:
        session = {"id": self.new_id("cs_test"), "object": "checkout.session", "mode": "subscription",
                   "customer": customer, "client_reference_id": str(membership_id), "status": status,
                   "payment_status": "paid" if status == "complete" else "unpaid", "subscription": subscription,
                   "url": None, "livemode": False, "metadata": {}}
        self.objects[session["id"]] = session
        return session

    # The API --------------------------------------------------------------------------------
    def handle(self, method: str, path: str, params: dict[str, str], idempotency_key: str | None,
               headers: dict[str, str]) -> tuple[int, dict]:
        with self._lock:
            self.requests.append(Recorded(method, path, params, idempotency_key, headers))
            if self.failures:
                return self.failures.pop(0)
            if idempotency_key and method == "POST" and idempotency_key in self._replies:
                return self._replies[idempotency_key]
            reply = self._route(method, path, params)
            if idempotency_key and method == "POST":
                self._replies[idempotency_key] = reply
            return reply

    def _route(self, method: str, path: str, p: dict[str, str]) -> tuple[int, dict]:
        parts = path.strip("/").split("/")[1:]  # drop "v1"
        resource, object_id = "/".join(parts[:2]) if parts[0] in ("checkout", "billing_portal") else parts[0], None
        rest = parts[2:] if parts[0] in ("checkout", "billing_portal") else parts[1:]
        if rest:
            object_id = rest[0]
        if object_id is not None:
            obj = self.objects.get(object_id)
            if obj is None or obj.get("deleted"):
                return _error(404, "invalid_request_error", f"No such object: '{object_id}'", "resource_missing")
            if resource == "checkout/sessions" and rest[1:] == ["expire"] and method == "POST":
                if obj["status"] != "open":
                    return _error(400, "invalid_request_error", "Only open sessions can be expired.")
                obj.update(status="expired", url=None)
                return 200, obj
            if resource == "subscriptions" and method == "DELETE":
                if obj["status"] in ("canceled", "incomplete_expired"):
                    return _error(400, "invalid_request_error", "This subscription is already canceled.")
                obj.update(status="canceled", canceled_at=int(time.time()))
                return 200, obj
            if resource == "customers" and method == "DELETE":
                obj["deleted"] = True
                for sub in self.live_subscriptions(object_id):
                    sub.update(status="canceled", canceled_at=int(time.time()))
                return 200, {"id": object_id, "object": "customer", "deleted": True}
            if method == "POST":
                for key, value in p.items():
                    if key in ("active", "cancel_at_period_end"):
                        obj[key] = value == "true"
                    elif key == "name":
                        obj[key] = value
                    elif key.startswith("metadata["):
                        obj.setdefault("metadata", {})[key[9:-1]] = value
                    elif key == "items[0][price]" and obj.get("object") == "subscription":
                        item = next(i for i in obj["items"]["data"] if i["id"] == p.get("items[0][id]"))
                        item["price"] = self.objects[value]
            return 200, obj
        if resource == "customers" and method == "POST":
            customer = {"id": self.new_id("cus"), "object": "customer", "email": p.get("email"),
                        "name": p.get("name"), "livemode": False,
                        "metadata": {k[9:-1]: v for k, v in p.items() if k.startswith("metadata[")}}
            self.objects[customer["id"]] = customer
            return 200, customer
        if resource == "products" and method == "POST":
            product = {"id": p.get("id") or self.new_id("prod"), "object": "product", "name": p["name"],
                       "active": p.get("active", "true") == "true", "livemode": False}
            self.objects[product["id"]] = product
            return 200, product
        if resource == "prices" and method == "GET":
            keys = {v for k, v in p.items() if k.startswith("lookup_keys[")}
            data = [o for o in self.objects.values() if o.get("object") == "price" and o.get("lookup_key") in keys
                    and (p.get("active") != "true" or o["active"])]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/prices"}
        if resource == "prices" and method == "POST":
            if p.get("transfer_lookup_key") == "true":
                for other in self.objects.values():
                    if other.get("object") == "price" and other.get("lookup_key") == p["lookup_key"]:
                        other["lookup_key"] = None
            price = self.add_price(p["lookup_key"], int(p["unit_amount"]), p.get("recurring[interval]"),
                                   p["currency"], p["product"])
            return 200, price
        if resource == "subscriptions" and method == "GET":
            data = [o for o in reversed(list(self.objects.values())) if o.get("object") == "subscription"
                    and o["customer"] == p.get("customer")
                    and (p.get("status") == "all" or o["status"] not in ("canceled", "incomplete_expired"))]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/subscriptions"}
        if resource == "checkout/sessions" and method == "GET":
            data = [o for o in reversed(list(self.objects.values())) if o.get("object") == "checkout.session"
                    and o["customer"] == p.get("customer")][:int(p.get("limit") or 10)]
            return 200, {"object": "list", "data": data, "has_more": False, "url": "/v1/checkout/sessions"}
        if resource == "checkout/sessions" and method == "POST":
            session_id = self.new_id("cs_test")
            price = self.objects.get(p.get("line_items[0][price]") or "") or {}
            session = {"id": session_id, "object": "checkout.session", "mode": p.get("mode"),
                       "allow_promotion_codes": p.get("allow_promotion_codes") == "true",
                       "customer": p.get("customer"), "client_reference_id": p.get("client_reference_id"),
                       "status": "open", "payment_status": "unpaid", "subscription": None,
                       "url": f"https://checkout.stripe.com/c/pay/{session_id}", "livemode": False,
                       "metadata": {k[9:-1]: v for k, v in p.items() if k.startswith("metadata[")},
                       "_interval": (price.get("recurring") or {}).get("interval", "month"),
                       "_price": price.get("id")}
            self.objects[session_id] = session
            return 200, session
        if resource == "billing_portal/sessions" and method == "POST":
            return 200, {"id": self.new_id("bps"), "object": "billing_portal.session", "customer": p["customer"],
                         "return_url": p.get("return_url"), "livemode": False,
                         "url": f"https://billing.stripe.com/p/session/test_{next(self._ids)}"}
        return _error(404, "invalid_request_error", f"Unrecognized request URL ({method}: {path})")

    # Canned failures ------------------------------------------------------------------------
    def decline_next(self) -> None:
        self.failures.append(_error(402, "card_error", "Your card was declined.", "card_declined",
                                    decline_code="generic_decline"))

    def break_next(self, times: int = 1) -> None:
        for _ in range(times):
            self.failures.append(_error(500, "api_error", "Something went wrong on Stripe's end."))
