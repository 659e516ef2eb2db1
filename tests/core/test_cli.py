from sqlalchemy import func

from club.extensions import db
from club.models.user import User


def _row_counts():
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = db.session.scalar(db.select(func.count()).select_from(table))
    return counts


def test_create_admin_asks_for_a_hidden_password(app, ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin"], input="owner@club.example\nOwen Owner\nlong enough password\nlong enough password\n")
    assert result.exit_code == 0, result.output
    assert "long enough password" not in result.output  # never echoed
    user = db.session.scalars(db.select(User).where(User.email == "owner@club.example")).one()
    assert user.is_admin


def test_create_admin_refuses_short_passwords_and_duplicates(app, ctx):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-admin", "--email", "a@b.example", "--name", "A", "--password", "short"])
    assert short.exit_code != 0 and "at least" in short.output
    ok = runner.invoke(args=["create-admin", "--email", "a@b.example", "--name", "A", "--password", "long enough pw"])
    assert ok.exit_code == 0
    again = runner.invoke(args=["create-admin", "--email", "a@b.example", "--name", "A", "--password", "long enough pw"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_seed_demo_creates_the_demo_and_running_it_twice_changes_nothing(app, ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    for email in ("admin@demo.club", "curator@demo.club", "member@demo.club"):
        assert email in first.output
    db.session.remove()
    before = _row_counts()
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    db.session.remove()
    assert _row_counts() == before


def test_demo_accounts_sign_in_with_the_demo_password(app, client, ctx):
    app.test_cli_runner().invoke(args=["seed-demo"])
    for email in ("admin@demo.club", "curator@demo.club", "member@demo.club"):
        r = client.post("/login", data={"email": email, "password": "demo-password"})
        assert r.status_code == 302, email
        client.post("/logout")
