"""The demo: the second demo member pays the club offline, with their payments on file."""
from club.extensions import db
from club.membership import states


def test_the_demo_has_an_offline_payer(app, ctx):
    from club.demo import seed
    from club.models.billing import Payment

    assert seed()
    payments = db.session.scalars(db.select(Payment)).all()
    assert {p.source for p in payments} == {"offline"} and len(payments) == 2
    assert payments[0].membership.kind == "offline" and payments[0].membership.state == states.ACTIVE
