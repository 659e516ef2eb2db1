"""Every request the gateway sends is valid for Stripe's published API description.

The gateway runs every use case against the fake Stripe; each recorded request (method, path,
form or query parameters, their types and enums) is checked against Stripe's OpenAPI file in
``../shared/stripe-openapi/``. Skipped when that folder is absent: it is not part of the project.

That description is API version 2023-08-16; the SDK pins a newer version in the Stripe-Version
header. None of the parameters we send is newer, so there is nothing to allow beyond it: a
parameter that is missing there fails the test.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from club.billing.cancellation import cancel_membership
from club.extensions import db
from club.membership.access import membership_of
from tests.billing.conftest import deliver, event
from tests.billing.factories import make_applicant, make_stripe_member
from tests.factories import login

SPEC_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "stripe-openapi"
SPEC_FILE = SPEC_DIR / "spec3.2023-09-12.from-yaml.json"
pytestmark = pytest.mark.skipif(not SPEC_FILE.exists(), reason="Stripe's OpenAPI description is not beside the project")

# Parameters the 2023-08-16 description lacks that we knowingly send: none.
ALLOWED_NEWER: set[tuple[str, str, str]] = set()


@pytest.fixture(scope="module")
def spec():
    return json.loads(SPEC_FILE.read_text())


def _resolve(spec, schema):
    while isinstance(schema, dict) and "$ref" in schema:
        node = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _variants(spec, schema):
    schema = _resolve(spec, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [v for option in schema[key] for v in _variants(spec, option)]
    return [schema]


def _check_value(spec, schema, parts, value, where):
    """Walk bracketed form keys (``line_items[0][price]``) down the schema; check the leaf's type."""
    problems = []
    for variant in _variants(spec, schema):
        if not parts:
            kind = variant.get("type")
            if kind == "integer" and not re.fullmatch(r"-?\d+", value):
                continue
            if kind == "boolean" and value not in ("true", "false"):
                continue
            if "enum" in variant and value not in variant["enum"] and value != "":
                continue
            if kind in ("object", "array") and value != "":
                continue
            return []
        head, rest = parts[0], parts[1:]
        if variant.get("type") == "array" and (head.isdigit() or head == ""):
            if not _check_value(spec, variant.get("items", {}), rest, value, where):
                return []
        elif variant.get("type") == "object" or "properties" in variant:
            props = variant.get("properties", {})
            if head in props:
                if not _check_value(spec, props[head], rest, value, where):
                    return []
            elif isinstance(variant.get("additionalProperties"), dict) and not rest:
                return []
        problems.append(variant.get("type"))
    return [f"{where}: {'/'.join(parts)} = {value!r} does not fit {problems}"]


def _find_operation(spec, method, path):
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    return None, None


def validate(spec, recorded):
    problems = []
    for r in recorded:
        template, operation = _find_operation(spec, r.method, r.path)
        if operation is None:
            problems.append(f"{r.method} {r.path}: no such operation")
            continue
        if r.method == "GET":
            params = {p["name"]: p["schema"] for p in operation.get("parameters", []) if p["in"] == "query"}
            top_schema = {"type": "object", "properties": params}
        else:
            content = operation.get("requestBody", {}).get("content", {})
            top_schema = content.get("application/x-www-form-urlencoded", {}).get("schema", {"properties": {}})
        for key, value in r.params.items():
            parts = re.findall(r"[^\[\]]+|(?<=\[)(?=\])", key)
            if (r.method, template, parts[0]) in ALLOWED_NEWER:
                continue
            if parts[0] not in _resolve(spec, top_schema).get("properties", {}):
                problems.append(f"{r.method} {template}: unknown parameter {parts[0]}")
                continue
            problems += _check_value(spec, top_schema, parts, value, f"{r.method} {template}")
    return problems


def test_the_validator_catches_a_wrong_parameter(spec):
    from tests.billing.fake_stripe import Recorded

    bad = [Recorded("POST", "/v1/checkout/sessions", {"mode": "weekly", "line_items[0][prize]": "x"}, None),
           Recorded("POST", "/v1/subscriptions/sub_1", {"cancel_at_period_end": "soon"}, None),
           Recorded("GET", "/v1/prices", {"lookup_key": "x"}, None)]
    assert len(validate(spec, bad)) == 4


def test_every_request_the_gateway_sends_is_valid_for_stripes_api(spec, app, ctx, client, stripe_on):
    from tests.billing.factories import make_plan

    plan = make_plan()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["stripe-sync"]).exit_code == 0
    # Checkout with the initiation fee, the success page, the portal.
    user = make_applicant()
    login(client, user)
    from club.core import settings
    settings.update({"promotion_codes": True})
    db.session.commit()
    assert client.post("/billing/checkout", data={"plan": "monthly"}).status_code == 303
    assert client.post("/billing/checkout", data={"plan": "annual"}).status_code == 303  # expires the first
    membership = membership_of(user)
    sub = stripe_on.add_subscription(customer=membership.stripe_customer_id, membership_id=membership.id,
                                     initiation=True)
    session = stripe_on.add_checkout_session(customer=membership.stripe_customer_id, membership_id=membership.id,
                                             subscription=sub["id"])
    client.get(f"/billing/success?session_id={session['id']}")
    assert client.post("/billing/portal").status_code == 303
    # Webhooks re-read sessions, subscriptions and invoices.
    invoice = stripe_on.add_invoice(customer=membership.stripe_customer_id, subscription=sub["id"], amount_paid=1)
    for evt in (event("checkout.session.completed", session), event("invoice.paid", invoice),
                event("customer.subscription.updated", sub)):
        assert deliver(client, evt).status_code == 200
    # A fee change replaces and archives a price; a member cancels; the nightly repair.
    plan.monthly_cents = 17500
    db.session.commit()
    assert runner.invoke(args=["stripe-sync"]).exit_code == 0
    # The admin moves the member to the new price and retires the plan; a second subscription is
    # retired by the nightly repair.
    from club.billing import plans
    from tests.factories import make_admin
    admin = make_admin()
    plans.move_member(membership.id, plan.id, actor=admin)
    plans.set_active(plan.id, False, actor=admin)
    stripe_on.add_subscription(customer=membership.stripe_customer_id, membership_id=membership.id,
                               status="past_due")
    cancel_membership(user, actor=user)
    assert runner.invoke(args=["sync-billing"]).exit_code == 0
    # Deleting the account deletes the Stripe customer.
    from club.billing.cancellation import close_at_stripe
    stripe_on.add_checkout_session(customer=membership.stripe_customer_id, membership_id=membership.id,
                                   subscription=None, status="open")
    close_at_stripe(user)

    used = {(r.method, _find_operation(spec, r.method, r.path)[0]) for r in stripe_on.requests}
    assert {("POST", "/v1/checkout/sessions"), ("POST", "/v1/customers"), ("GET", "/v1/prices"),
            ("POST", "/v1/prices"), ("POST", "/v1/prices/{price}"), ("GET", "/v1/products/{id}"),
            ("POST", "/v1/products"), ("GET", "/v1/checkout/sessions/{session}"),
            ("POST", "/v1/billing_portal/sessions"), ("GET", "/v1/invoices/{invoice}"),
            ("POST", "/v1/subscriptions/{subscription_exposed_id}"),
            ("GET", "/v1/subscriptions/{subscription_exposed_id}"), ("GET", "/v1/subscriptions"),
            ("DELETE", "/v1/subscriptions/{subscription_exposed_id}"), ("GET", "/v1/checkout/sessions"),
            ("POST", "/v1/checkout/sessions/{session}/expire"), ("DELETE", "/v1/customers/{customer}"),
            ("POST", "/v1/products/{id}")} <= used
    moved = [r for r in stripe_on.calls("POST", "/v1/subscriptions/") if "items[0][price]" in r.params]
    assert moved and any(r.params.get("allow_promotion_codes") == "true"
                         for r in stripe_on.calls("POST", "/v1/checkout/sessions"))
    assert validate(spec, stripe_on.requests) == []
