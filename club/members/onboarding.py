"""The new member's welcome checklist. Pure rules: which steps are done, what comes next."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

RULES = "rules"
PROFILE = "profile"
DIRECTORY = "directory"
HELLO = "hello"
LABELS = {
    RULES: _l("Accept the club rules"),
    PROFILE: _l("Complete your profile"),
    DIRECTORY: _l("Choose what other members see"),
    HELLO: _l("Say hello to your curator"),
}


@dataclass(frozen=True)
class Step:
    key: str
    label: str  # a lazy string: read in the language of the page that shows it
    done: bool


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)


def profile_is_complete(profile) -> bool:
    """Bio, interests, languages and city; the photo is optional."""
    if profile is None:
        return False
    return bool((profile.bio or "").strip() and profile.interests and profile.languages and (profile.city or "").strip())


def checklist(*, rules_accepted: bool, profile_complete: bool, directory_chosen: bool, said_hello: bool,
              has_curator: bool = True) -> Checklist:
    steps = [
        Step(RULES, LABELS[RULES], rules_accepted),
        Step(PROFILE, LABELS[PROFILE], profile_complete),
        Step(DIRECTORY, LABELS[DIRECTORY], directory_chosen),
    ]
    if has_curator:  # nobody to greet until a curator is assigned
        steps.append(Step(HELLO, LABELS[HELLO], said_hello))
    return Checklist(tuple(steps))
