"""Demo data for the member's side: who is in the directory, accepted rules, a curator thread, two
conversations with the club (one answered, one waiting).

Margot (member@demo.club) has finished her welcome; Theo (second@demo.club) is listed in the
directory with his interests, so "find a member who sails" works, but has not yet greeted his
curator, so his home page still shows the checklist. The applicant from the applications demo
starts from scratch once approved and paid.
"""
from __future__ import annotations

from datetime import timedelta

from club.core import settings
from club.extensions import db
from club.members import request_states as rs
from club.membership import states
from club.members.profile_service import profile_of
from club.models.base import utcnow
from club.models.club import RulesAcceptance
from club.models.membership import MemberProfile, Membership
from club.models.user import User
from club.models.members import ClubFeedback, ClubFeedbackMessage, CuratorRequest, RequestMessage
from club.models.members import Introduction


def seed_demo(people: dict[str, User]) -> None:
    member, second, curator = people["member"], people["second"], people["curator"]
    now = utcnow()
    rules = settings.current_rules()
    _profile(member, occupation="Furniture designer", company="Ellery Studio",
             bio="I design chairs and read too many novels. Looking for people to argue about both with.",
             links=["https://example.com/ellery-studio"], languages=["English", "French"],
             fields=["photo", "work", "city", "interests", "bio"], chosen=now - timedelta(days=390))
    _profile(second, occupation="Software engineer", company="Tidewater Labs",
             bio="I sail a small wooden sloop out of Harwich most weekends, and build software for harbours.",
             links=[], languages=["English", "Swedish"], fields=["work", "city", "interests", "bio"],
             chosen=now - timedelta(days=30))
    # The members the events demo adds share their city and interests, nothing more.
    fillers = db.session.scalars(
        db.select(MemberProfile).join(Membership, Membership.user_id == MemberProfile.user_id)
        .where(MemberProfile.user_id.not_in([member.id, second.id]), MemberProfile.directory_chosen_at.is_(None),
               Membership.state.in_(sorted(states.ACCESS_STATES)))
    )
    for profile in fillers:
        profile.directory_listed, profile.directory_fields = True, ["city", "interests"]
        profile.directory_chosen_at = now - timedelta(days=100)

    if rules is not None:
        for user in (member, second):
            db.session.add(RulesAcceptance(user_id=user.id, rules_version_id=rules.id,
                                           accepted_at=now - timedelta(days=20)))

    _thread(member, curator, rs.HELLO, rs.DONE, now - timedelta(days=395), [
        (member, "Hello Julian, thank you for the warm welcome last night. I'm glad to be here."),
        (curator, "Lovely to have you, Margot. Come to the Thursday suppers; I'll seat you with the bookish lot."),
    ])
    _thread(member, curator, "introduction", rs.IN_PROGRESS, now - timedelta(days=2), [
        (member, "I'd love to meet someone who sails: I'm designing a folding deck chair and need an honest critic."),
        (curator, "Theo Lindqvist sails most weekends and has opinions on everything aboard. "
                  "He's at the Autumn Supper on the 28th; shall I seat you together?"),
    ])
    _introduction(member, second, curator, now)
    _club_feedback(member, second, people["admin"], now)
    db.session.flush()


def _profile(user: User, *, occupation, company, bio, links, languages, fields, chosen) -> None:
    profile = profile_of(user)
    profile.occupation, profile.company, profile.bio = occupation, company, bio
    profile.links, profile.languages = links, languages
    profile.directory_listed, profile.directory_fields, profile.directory_chosen_at = True, fields, chosen


def _thread(member: User, curator: User, topic: str, state: str, start, messages) -> None:
    request = CuratorRequest(member_id=member.id, topic=topic, state=state, created_at=start,
                             updated_at=start + timedelta(hours=len(messages)),
                             closed_at=start + timedelta(days=1) if state == rs.DONE else None)
    for n, (author, body) in enumerate(messages):
        request.messages.append(RequestMessage(author_id=author.id, body=body, created_at=start + timedelta(hours=3 * n)))
    db.session.add(request)


def _introduction(member: User, second: User, curator: User, now) -> None:
    """Julian proposed that Margot and Theo meet; Margot accepted, Theo has yet to answer."""
    a, b = sorted((member.id, second.id))
    intro = Introduction(member_a_id=a, member_b_id=b, kind="proposed", asked_by_id=curator.id, curator_id=curator.id,
                         state="accepted_by_one", created_at=now - timedelta(days=1),
                         updated_at=now - timedelta(hours=20),
                         note="Margot is designing a folding deck chair; Theo sails most weekends. "
                              "I think you would get on.")
    if a == member.id:
        intro.a_accepted_at = intro.updated_at
    else:
        intro.b_accepted_at = intro.updated_at
    db.session.add(intro)


def _club_feedback(member: User, second: User, admin: User, now) -> None:
    """Feedback to the club: Margot's question answered by the admin; Theo's idea waiting for one."""
    start = now - timedelta(days=6)
    answered = ClubFeedback(member_id=member.id, subject="The library on Sundays", state="answered",
                            created_at=start, updated_at=start + timedelta(hours=5))
    answered.messages.append(ClubFeedbackMessage(
        author_id=member.id, created_at=start,
        body="Could the library stay open on Sunday afternoons? It is the one quiet day I have to read there."))
    answered.messages.append(ClubFeedbackMessage(
        author_id=admin.id, created_at=start + timedelta(hours=5),
        body="From next month, yes: Sundays from noon to five. Thank you for asking."))
    waiting = ClubFeedback(member_id=second.id, subject="A sailing weekend", state="open",
                           created_at=now - timedelta(hours=20), updated_at=now - timedelta(hours=20))
    waiting.messages.append(ClubFeedbackMessage(
        author_id=second.id, created_at=waiting.created_at,
        body="Would the club hire a boat for a weekend in June? I would gladly skipper."))
    db.session.add_all([answered, waiting])
