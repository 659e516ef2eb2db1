"""Private notes: who sees them, an empty one refused, one kept when sent twice, the admin's export."""
from club.curation.notes import add_note
from club.extensions import db
from club.models.club import AuditEntry
from club.models.curation import MemberNote
from tests.factories import login, make_admin, make_curator, make_member


def test_notes_are_seen_by_the_members_curator_and_admins_only(client, ctx):
    curator, other = make_curator(), make_curator()
    member = make_member(curator=curator)
    login(client, curator)
    r = client.post(f"/curation/members/{member.id}/notes", data={"note-body": "PRIVATE: prefers quiet tables."})
    assert r.status_code == 302
    assert "PRIVATE: prefers quiet tables." in client.get(f"/curation/members/{member.id}").get_data(as_text=True)
    client.post("/logout")

    login(client, other)
    assert client.get(f"/curation/members/{member.id}").status_code == 403
    assert client.post(f"/curation/members/{member.id}/notes", data={"note-body": "sneaky"}).status_code == 403
    client.post("/logout")

    login(client, member)
    assert client.get(f"/curation/members/{member.id}").status_code == 403
    for path in ("/me", "/members", f"/members/{member.id}", "/me/export"):
        assert "PRIVATE: prefers quiet tables." not in client.get(path).get_data(as_text=True)
    client.post("/logout")

    login(client, make_admin())
    assert "PRIVATE: prefers quiet tables." in client.get(f"/curation/members/{member.id}").get_data(as_text=True)
    export = client.get("/curation/notes/export")
    assert export.mimetype == "text/csv" and "PRIVATE: prefers quiet tables." in export.get_data(as_text=True)
    assert db.session.scalars(db.select(MemberNote)).one().author_id == curator.id


def test_only_admins_export_notes(client, ctx):
    login(client, make_curator())
    assert client.get("/curation/notes/export").status_code == 403


def test_an_empty_note_is_refused_next_to_its_field(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    login(client, curator)
    r = client.post(f"/curation/members/{member.id}/notes", data={"note-body": "  "})
    assert r.status_code == 400 and "Write the note first." in r.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberNote)) == 0


def test_the_notes_export_does_not_run_formulas_in_a_spreadsheet(client, ctx):
    curator = make_curator()
    member = make_member(curator=curator)
    add_note(member.id, curator, '=HYPERLINK("http://evil.example","x")')
    login(client, make_admin())
    body = client.get("/curation/notes/export").get_data(as_text=True)
    assert "'=HYPERLINK" in body
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "member.notes_exported")).one()


def test_the_same_note_sent_twice_is_kept_once(client, ctx):
    from club.models.curation import MemberNote
    from tests.factories import make_curator, make_member

    curator = make_curator()
    member = make_member(curator=curator)
    login(client, curator)
    for _ in range(2):
        client.post(f"/curation/members/{member.id}/notes", data={"note-body": "Prefers quiet tables."})
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberNote)) == 1
    client.post(f"/curation/members/{member.id}/notes", data={"note-body": "Loves Sebald."})
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberNote)) == 2


def test_the_same_note_sent_at_the_same_instant_is_kept_once(app, ctx):
    import threading

    from club.curation.notes import add_note
    from club.models.curation import MemberNote
    from club.models.user import User
    from tests.factories import make_curator, make_member

    curator = make_curator()
    member_id, curator_id = make_member(curator=curator).id, curator.id
    barrier = threading.Barrier(4, timeout=30)
    failures = []

    def send():
        with app.test_request_context():
            author = db.session.get(User, curator_id)
            barrier.wait()
            try:
                add_note(member_id, author, "Prefers quiet tables.")
            except Exception as exc:  # noqa: BLE001 - a "database is locked" would be a 500
                failures.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    db.session.commit()
    assert failures == []
    assert db.session.scalar(db.select(db.func.count()).select_from(MemberNote)) == 1
