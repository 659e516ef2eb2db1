"""Common and guessable passwords are refused wherever a password is set (club/core/passwords.py)."""
import pytest
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from club.auth import service
from club.core.passwords import GUESSABLE_MESSAGE, password_weakness
from tests.applications.factories import current_rules, make_interests, make_invitation, submit
from tests.factories import make_user


@pytest.mark.parametrize("password, refused", [
    ("password1234", True),         # accepted before: the attack's example
    ("Password123!", True),
    ("qwertyuiop12", True),
    ("1q2w3e4r5t6y", True),
    ("football2023", True),
    ("iloveyou2024", True),
    ("aaaaaaaaaaaa", True),
    ("abcdefghijk", True),
    ("trustno1trustno1", True),
    ("short", True),
    ("correct horse battery", False),
    ("a brand new passphrase", False),
    ("Tr0ub4dor&3xyz", False),
    ("x" * 60 + "but then words", False),   # longer than zxcvbn reads is fine
])
def test_guessable_passwords_are_refused(password, refused):
    assert (password_weakness(password) is not None) is refused


def test_the_list_behind_it_holds_the_most_common_passwords_offline():
    common = FREQUENCY_LISTS["passwords"]
    assert len(common) >= 10_000
    long_enough = [p for p in common[:10_000] if len(p) >= 10]  # shorter ones fail the length rule anyway
    assert long_enough and all(password_weakness(p) for p in long_enough)


def test_a_password_built_on_ones_own_name_or_email_is_refused():
    assert password_weakness("marguerite lafontaine") is None
    assert password_weakness("marguerite lafontaine", ("Marguerite Lafontaine", "m@example.org")) is not None
    assert password_weakness("lafontaine.marguerite", ("someone@example.org", "marguerite.lafontaine@example.org"))


def test_a_password_reset_refuses_a_common_password(client, ctx):
    user = make_user()
    token = service.make_reset_token(user)
    r = client.post(f"/password/reset/{token}", data={"password": "password1234", "confirm": "password1234"})
    assert r.status_code == 200 and GUESSABLE_MESSAGE in r.get_data(as_text=True)
    assert service.user_for_reset_token(token)  # the link still works: nothing was changed


def test_a_password_reset_refuses_the_persons_own_name(client, ctx):
    user = make_user(name="Marguerite Lafontaine")
    token = service.make_reset_token(user)
    r = client.post(f"/password/reset/{token}",
                    data={"password": "marguerite lafontaine", "confirm": "marguerite lafontaine"})
    assert GUESSABLE_MESSAGE in r.get_data(as_text=True)


def test_an_applicant_cannot_choose_a_common_password(client, ctx):
    rules = current_rules()
    make_interests()
    invitation = make_invitation()
    r = submit(client, invitation, rules.id, password="password1234", confirm="password1234")
    assert r.status_code == 400 and GUESSABLE_MESSAGE in r.get_data(as_text=True)
    assert "Bookbinder" in r.get_data(as_text=True)  # what was typed is kept


def test_create_admin_refuses_a_common_password(app, ctx):
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", "owner@club.example", "--name", "Owen",
                                                "--password", "password1234"])
    assert result.exit_code != 0 and GUESSABLE_MESSAGE in result.output
