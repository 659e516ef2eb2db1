"""The audit log: the database itself refuses to change it, and it holds no typed words."""
from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from club import create_app
from club.core import audit
from club.extensions import db
from club.models.club import AuditEntry

ATTEMPTS = {
    "bulk update": lambda: db.session.execute(db.update(AuditEntry).values(action="forged")),
    "bulk delete": lambda: db.session.execute(db.delete(AuditEntry)),
    "raw update": lambda: db.session.execute(text("UPDATE audit_log SET details = '{}', actor_id = NULL")),
    "raw delete": lambda: db.session.execute(text("DELETE FROM audit_log WHERE id > 0")),
}


def _one_entry() -> int:
    entry = audit.record("role.granted", role="curator")
    db.session.commit()
    return entry.id


@pytest.mark.parametrize("attempt", sorted(ATTEMPTS))
def test_the_database_refuses_to_change_the_audit_log(ctx, attempt):
    entry_id = _one_entry()
    with pytest.raises(DBAPIError, match="append-only"):
        ATTEMPTS[attempt]()
    db.session.rollback()
    db.session.expire_all()
    entry = db.session.get(AuditEntry, entry_id)
    assert (entry.action, entry.details) == ("role.granted", {"role": "curator"})


def test_postgresql_refuses_truncate_too(ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    _one_entry()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("TRUNCATE audit_log"))
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 1


def test_appending_still_works_and_other_tables_are_not_guarded(ctx):
    _one_entry()
    _one_entry()
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 2
    db.session.execute(text("UPDATE club_settings SET value = value"))  # no trigger elsewhere
    db.session.rollback()


def test_a_schema_built_by_the_migrations_refuses_it_as_well(app, tmp_path):
    """The triggers come from the migration on a real deployment, not from create_all."""
    main_url = app.config["SQLALCHEMY_DATABASE_URI"]
    if main_url.startswith("postgresql"):
        with app.app_context(), db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS audit_guard_check CASCADE"))
            conn.execute(text("CREATE SCHEMA audit_guard_check"))
        sep = "&" if "?" in main_url else "?"
        url = f"{main_url}{sep}options=-csearch_path%3Daudit_guard_check"
    else:
        url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    scratch = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with scratch.app_context():
        upgrade(revision="heads")  # other branches may be waiting to be chained
        db.engine.dispose()
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO audit_log (at, action, details) VALUES (CURRENT_TIMESTAMP, 'x', '{}')"))
        for statement in ("UPDATE audit_log SET action = 'y'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(statement))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT action FROM audit_log")).scalars().all() == ["x"]
    finally:
        engine.dispose()
        if main_url.startswith("postgresql"):
            with app.app_context(), db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS audit_guard_check CASCADE"))


def test_words_an_admin_or_curator_types_never_reach_the_audit_log(client, ctx):
    """Comps, suspensions, reinstatements, decisions (and overrides), reopening and reassignment:
    each reason is kept on its own record, and the audit log names that record by id only."""
    from club.membership.access import membership_of
    from club.models.curation import ApplicationDecision, CuratorAssignment
    from club.models.membership import MembershipReason
    from tests.curation.factories import decide_by_form, make_application
    from tests.factories import login, make_admin, make_curator, make_member

    admin, other_curator = make_admin(), make_curator()
    member = make_member(curator=make_curator())
    mid = membership_of(member).id
    waitlisted = make_application(endorsements=2)
    short = make_application(endorsements=1)
    login(client, admin)
    typed = {
        "comp": "SECRET-comp Founding patron, owes us nothing",
        "suspend": "SECRET-suspend Harassed a guest at the May dinner",
        "reinstate": "SECRET-reinstate Apologised in writing",
        "waitlist": "SECRET-waitlist Not this season",
        "reopen": "SECRET-reopen A place opened",
        "decide": "SECRET-decide Exactly the person we hoped for",
        "override": "SECRET-override The second endorser is abroad",
        "reassign": "SECRET-reassign Moved to Paris after the divorce",
    }
    posts = [
        (f"/admin/billing/{mid}/complimentary", {"comp-reason": typed["comp"]}),
        (f"/admin/billing/{mid}/suspension", {"action": "suspend", "suspend-reason": typed["suspend"]}),
        (f"/admin/billing/{mid}/suspension", {"action": "reinstate", "suspend-reason": typed["reinstate"]}),
        (f"/curation/members/{member.id}/curator",
         {"reassign-curator_id": str(other_curator.id), "reassign-reason": typed["reassign"]}),
    ]
    for path, data in posts:
        assert client.post(path, data=data).status_code in (302, 303), path
    assert decide_by_form(client, waitlisted, "waitlisted", reason=typed["waitlist"]).status_code == 302
    assert client.post(f"/curation/applications/{waitlisted.id}/reopen",
                       data={"reopen-reason": typed["reopen"]}).status_code == 302
    assert decide_by_form(client, short, "approved", reason=typed["decide"],
                          override_reason=typed["override"]).status_code == 302

    db.session.expire_all()
    # Each reason is on the record it explains ...
    kept = [r.reason for r in db.session.scalars(db.select(MembershipReason))]
    kept += [d.reason for d in db.session.scalars(db.select(ApplicationDecision))]
    kept += [d.override_reason for d in db.session.scalars(db.select(ApplicationDecision)) if d.override_reason]
    kept += [a.reason for a in db.session.scalars(db.select(CuratorAssignment))]
    assert set(typed.values()) <= set(kept)
    # ... and none of it is in the audit log, which records every one of these changes.
    entries = db.session.scalars(db.select(AuditEntry)).all()
    actions = {e.action for e in entries}
    assert {"billing.complimentary_granted", "membership.state_changed", "curator.reassigned",
            "application.decided", "application.reopened"} <= actions
    assert not [(e.action, e.details) for e in entries if "SECRET" in str(e.details)]
    comp = next(e for e in entries if e.action == "billing.complimentary_granted")
    assert db.session.get(MembershipReason, comp.details["reason_id"]).reason == typed["comp"]
