from club.core import settings
from club.extensions import db
from club.models.club import AuditEntry, RulesVersion
from tests.factories import login, make_admin


def _form(**overrides):
    data = {"club-club_name": "The Harbour Club", "club-mission": "Good company.", "club-timezone": "Europe/Paris",
            "club-invite_quota": "4", "club-required_endorsements": "2", "club-curator_capacity": "20",
            "club-grace_days": "7", "club-retention_days": "180",
            "club-former_member_retention_days": "365", "club-submit": "1"}
    data.update(overrides)
    return data


def test_admin_changes_club_settings_and_the_landing_shows_them(app, client, ctx):
    login(client, make_admin())
    assert client.post("/admin/settings", data=_form()).status_code == 302
    landing = app.test_client().get("/").get_data(as_text=True)
    assert "The Harbour Club" in landing and "Good company." in landing
    entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "settings.changed")).one()
    assert entry.details["changes"]["invite_quota"] == {"old": 3, "new": 4}


def test_invalid_timezone_is_refused_and_values_kept(client, ctx):
    login(client, make_admin())
    r = client.post("/admin/settings", data=_form(**{"club-timezone": "Mars/Olympus"}))
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert "Use a time zone name" in body and "The Harbour Club" in body
    assert settings.get("timezone") == "Europe/London"


def test_publishing_rules_creates_a_new_version_only_when_changed(client, ctx):
    login(client, make_admin())
    client.post("/admin/settings", data={"rules-body": "Rule one: kindness, always, to everyone.", "rules-submit": "1"})
    client.post("/admin/settings", data={"rules-body": "Rule one: kindness, always, to everyone.", "rules-submit": "1"})
    assert db.session.scalar(db.select(db.func.count()).select_from(RulesVersion)) == 1


def test_the_former_members_retention_is_a_setting_the_admin_edits(client, ctx):
    login(client, make_admin())
    assert settings.get("former_member_retention_days") == 365
    r = client.post("/admin/settings", data=_form(**{"club-former_member_retention_days": "0"}))
    assert r.status_code == 400 and 'id="club-former_member_retention_days-error"' in r.get_data(as_text=True)
    assert client.post("/admin/settings", data=_form(**{"club-former_member_retention_days": "400"})).status_code == 302
    from club.models.club import ClubSetting

    assert db.session.get(ClubSetting, "former_member_retention_days").value == 400
