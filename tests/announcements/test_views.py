"""The pages: the staff page (curators and admins), members' home and list, the programme setting."""
from datetime import timedelta

from club.extensions import db
from club.models.announcements import Announcement
from club.models.base import utcnow
from club.models.club import RulesAcceptance
from club.models.membership import MemberProfile
from tests.events.factories import make_event
from tests.factories import count_queries, login, make_admin, make_curator, make_member, make_rules


def _post(client, title="Winter hours", body="We close at midnight.", pinned=False):
    data = {"title": title, "body": body}
    if pinned:
        data["pinned"] = "y"
    return client.post("/curation/announcements", data=data)


def _titles():
    db.session.expire_all()
    return list(db.session.scalars(db.select(Announcement.title).order_by(Announcement.id)))


def test_members_cannot_post_or_open_the_staff_page(client, ctx):
    login(client, make_member())
    assert client.get("/curation/announcements").status_code == 403
    assert _post(client).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Announcement)) == 0


def test_a_curator_posts_edits_and_removes_their_own_only(client, ctx):
    curator, other = make_curator(), make_curator()
    theirs = Announcement(title="Other's notice", body="…", author_id=other.id)
    db.session.add(theirs)
    db.session.commit()
    login(client, curator)
    r = _post(client, title="Garden party")
    assert r.status_code == 302
    mine = db.session.scalars(db.select(Announcement).where(Announcement.title == "Garden party")).one()
    page = client.get("/curation/announcements").get_data(as_text=True)
    assert f"/curation/announcements/{mine.id}/edit" in page and f"/curation/announcements/{theirs.id}/edit" not in page
    assert client.get(f"/curation/announcements/{theirs.id}/edit").status_code == 404
    assert client.post(f"/curation/announcements/{theirs.id}/edit",
                       data={"title": "Hijacked", "body": "x"}).status_code == 404
    assert client.post(f"/curation/announcements/{theirs.id}/remove").status_code == 404
    r = client.post(f"/curation/announcements/{mine.id}/edit", data={"title": "Garden party, moved", "body": "Now at 4."})
    assert r.status_code == 302
    db.session.refresh(mine)
    assert mine.title == "Garden party, moved"
    assert client.post(f"/curation/announcements/{mine.id}/remove").status_code == 302
    assert _titles() == ["Other's notice"]


def test_an_admin_edits_and_removes_anyones(client, ctx):
    curator = make_curator()
    notice = Announcement(title="Curator's notice", body="…", author_id=curator.id)
    db.session.add(notice)
    db.session.commit()
    login(client, make_admin())
    assert client.post(f"/curation/announcements/{notice.id}/edit",
                       data={"title": "Tidied", "body": "…", "pinned": "y"}).status_code == 302
    db.session.refresh(notice)
    assert (notice.title, notice.pinned) == ("Tidied", True)
    assert client.post(f"/curation/announcements/{notice.id}/remove").status_code == 302
    assert _titles() == []


def test_bad_input_keeps_what_was_typed_and_explains(client, ctx):
    login(client, make_curator())
    r = _post(client, title="", body="Kept words")
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Kept words" in body and "Give the announcement a title." in body
    r = _post(client, title="Bell\x07", body="Kept words")
    assert r.status_code == 400 and "Kept words" in r.get_data(as_text=True)
    r = _post(client, title="x" * 201, body="Kept words")
    assert r.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Announcement)) == 0


def test_links_are_safe_and_scripts_are_text(client, ctx):
    curator, member = make_curator(), make_member()
    login(client, curator)
    _post(client, title="<b>Bold</b> title", body="<script>alert(1)</script> See https://example.com/menu.")
    client.post("/logout")
    login(client, member)
    for url in ("/me", "/announcements"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert "<b>Bold</b>" not in body and "&lt;b&gt;Bold&lt;/b&gt; title" in body
        assert '<a href="https://example.com/menu" rel="nofollow noopener">https://example.com/menu</a>' in body


def test_home_shows_the_latest_three_with_mission_rules_and_this_months_evenings(client, ctx):
    admin, member, stranger = make_admin(), make_member(), make_member()
    rules = make_rules()
    db.session.add(RulesAcceptance(user_id=member.id, rules_version_id=rules.id))
    now = utcnow()
    for n, pinned in enumerate([True, False, False, False]):
        db.session.add(Announcement(title=f"Notice {n}", body="…", pinned=pinned, author_id=admin.id,
                                    created_at=now - timedelta(days=10 - n)))
    db.session.commit()
    make_event("Open Evening", starts_in=timedelta(minutes=30))
    make_event("Secret Dinner", starts_in=timedelta(minutes=40), visibility="invite_only", invited=[stranger])
    make_event("Draft Evening", starts_in=timedelta(minutes=50), state="draft")
    login(client, member)
    body = client.get("/me").get_data(as_text=True)
    assert "Notice 0" in body and "Notice 3" in body and "Notice 2" in body and "Notice 1" not in body
    assert body.index("Notice 0") < body.index("Notice 3") < body.index("Notice 2")  # pinned, then newest
    assert "A private members&#39; club" in body or "A private members' club" in body  # the mission
    assert "/me/rules" in body and "in force since" in body
    assert "Open Evening" in body and "Secret Dinner" not in body and "Draft Evening" not in body
    assert "/announcements" in body


def test_home_costs_the_same_whatever_the_number_of_announcements_and_evenings(client, ctx):
    admin, member = make_admin(), make_member()
    login(client, member)

    def queries():
        with count_queries() as counted:
            assert client.get("/me").status_code == 200
        return counted["n"]

    db.session.add(Announcement(title="One", body="…", author_id=admin.id))
    make_event("One Evening", starts_in=timedelta(minutes=30), tags=["wine"])
    few = queries()
    for n in range(6):
        db.session.add(Announcement(title=f"More {n}", body="…", author_id=admin.id, pinned=n % 2 == 0))
        make_event(f"Evening {n}", starts_in=timedelta(minutes=40 + n), tags=["wine", f"tag{n}"])
    assert queries() == few


def test_the_members_list_pages_and_is_for_members(client, ctx):
    admin = make_admin()
    for n in range(25):
        db.session.add(Announcement(title=f"Notice {n:02d}", body="…", author_id=admin.id,
                                    created_at=utcnow() - timedelta(hours=n)))
    db.session.commit()
    assert client.get("/announcements").status_code == 302  # to sign in
    login(client, make_member())
    first = client.get("/announcements").get_data(as_text=True)
    assert "Notice 00" in first and "Notice 24" not in first and "page=2" in first
    assert "Notice 24" in client.get("/announcements?page=2").get_data(as_text=True)
    client.post("/logout")
    login(client, make_member(state="lapsed"))
    assert client.get("/announcements").status_code == 403


def test_the_programme_setting_on_the_privacy_page(client, ctx):
    member = make_member()
    login(client, member)
    page = client.get("/me/privacy").get_data(as_text=True)
    assert 'id="programme-mail"' in page and 'name="wanted"' in page and "checked" in page
    assert client.post("/me/programme-mail", data={}).status_code == 302
    db.session.expire_all()
    assert db.session.get(MemberProfile, member.id).programme_mail is False
    page = client.get("/me/privacy").get_data(as_text=True)
    assert "no longer receive the monthly programme" in page
    client.post("/me/programme-mail", data={"wanted": "y"})
    db.session.expire_all()
    assert db.session.get(MemberProfile, member.id).programme_mail is True
    client.post("/logout")
    login(client, make_admin())
    assert client.post("/me/programme-mail", data={"wanted": "y"}).status_code == 404
