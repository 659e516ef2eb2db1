"""An admin reassigns a member to another curator, with a reason; everyone concerned is told."""
from club.extensions import db
from club.models.club import AuditEntry
from club.models.membership import Membership
from club.models.curation import CuratorAssignment
from tests.factories import login, make_admin, make_curator, make_member


def test_an_admin_reassigns_a_member_and_everyone_is_told(client, ctx, outbox):
    old, new = make_curator(name="Olga Old"), make_curator(name="Nils New")
    member = make_member(curator=old, name="Mo Member")
    admin = make_admin()
    login(client, admin)
    r = client.post(f"/curation/members/{member.id}/curator",
                    data={"reassign-curator_id": str(new.id), "reassign-reason": "Moved to Paris."})
    assert r.status_code == 302
    membership = db.session.scalars(db.select(Membership).where(Membership.user_id == member.id)).one()
    assert membership.curator_id == new.id
    assignment = db.session.scalars(db.select(CuratorAssignment)).one()
    assert (assignment.previous_curator_id, assignment.curator_id, assignment.reason) == (old.id, new.id, "Moved to Paris.")
    assert "Nils New" in outbox.to(member.email)[0].get_content()
    assert "Moved to Paris." in outbox.to(new.email)[0].get_content()
    assert "Nils New" in outbox.to(old.email)[0].get_content()
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "curator.reassigned")).one()
    assert entry.details["old_curator_id"] == old.id and entry.details["new_curator_id"] == new.id
    # the old curator no longer sees the member; the new one does
    client.post("/logout")
    login(client, old)
    assert client.get(f"/curation/members/{member.id}").status_code == 403


def test_reassignment_needs_a_reason_and_an_admin(client, ctx, outbox):
    old, new = make_curator(), make_curator()
    member = make_member(curator=old)
    login(client, old)
    assert client.post(f"/curation/members/{member.id}/curator",
                       data={"reassign-curator_id": str(new.id), "reassign-reason": "x"}).status_code == 403
    client.post("/logout")
    login(client, make_admin())
    r = client.post(f"/curation/members/{member.id}/curator", data={"reassign-curator_id": str(new.id), "reassign-reason": ""})
    assert r.status_code == 400 and "Say why" in r.get_data(as_text=True)
    r = client.post(f"/curation/members/{member.id}/curator", data={"reassign-curator_id": str(old.id), "reassign-reason": "same"})
    assert r.status_code == 400 and "already this member" in r.get_data(as_text=True)
    assert db.session.scalars(db.select(Membership).where(Membership.user_id == member.id)).one().curator_id == old.id
    assert outbox.messages == []
