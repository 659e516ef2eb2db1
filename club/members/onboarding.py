"""The new member's welcome checklist. Pure rules: which steps are done, what comes next."""
from __future__ import annotations

from dataclasses import dataclass

RULES = "rules"
PROFILE = "profile"
DIRECTORY = "directory"
HELLO = "hello"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
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
        Step(RULES, "Accept the club rules", rules_accepted),
        Step(PROFILE, "Complete your profile", profile_complete),
        Step(DIRECTORY, "Choose what other members see", directory_chosen),
    ]
    if has_curator:  # nobody to greet until a curator is assigned
        steps.append(Step(HELLO, "Say hello to your curator", said_hello))
    return Checklist(tuple(steps))
