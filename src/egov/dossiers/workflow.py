"""The dossier lifecycle: which action is allowed from which status, and by whom.

``TRANSITIONS[action]`` lists the statuses the action may start from and the status it
leads to (``None``: the dossier keeps its status, e.g. a handover between steps).  The
services consult it before anything changes (a forbidden transition is a 409); the
screens use ``allowed_actions`` to show only the buttons that make sense.

Who may act (``Actor``):

* ``DESK``: a desk clerk (role ``desk_clerk``) of the receiving agency's unit;
* ``HANDLER``: the staff member who holds an active step of the internal process;
* ``MANAGER``: a department head or leader in the competent agency's unit (reassigns,
  re-appoints, decides on withdrawals);
* ``APPLICANT``: the citizen's own account (online submission, supplement, withdrawal);
* ``OPINION``: staff of an agency asked for its opinion.

National status of every internal status: ``constants.NATIONAL_STATUS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from egov.dossiers.constants import Action, Status


class Actor(StrEnum):
    DESK = "desk"
    HANDLER = "handler"
    MANAGER = "manager"
    APPLICANT = "applicant"
    OPINION = "opinion"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status | None
    actors: frozenset[Actor]


def _t(sources: set[Status], target: Status | None, *actors: Actor) -> Transition:
    return Transition(frozenset(sources), target, frozenset(actors))


_RUNNING = {Status.RECEIVED, Status.IN_PROGRESS}
_OPEN = {
    Status.SUBMITTED,
    Status.INTAKE_INCOMPLETE,
    Status.RECEIVED,
    Status.IN_PROGRESS,
    Status.AWAITING_SUPPLEMENT,
    Status.AWAITING_PAYMENT,
}

TRANSITIONS: dict[Action, Transition] = {
    # Intake.  ``receive`` (at the desk) creates the dossier, so it has no source status.
    Action.SUBMIT: _t(set(), Status.SUBMITTED, Actor.APPLICANT, Actor.DESK),
    Action.RECEIVE: _t(set(), Status.RECEIVED, Actor.DESK),
    Action.ACCEPT: _t({Status.SUBMITTED}, Status.RECEIVED, Actor.DESK),
    Action.REFUSE: _t({Status.SUBMITTED, Status.INTAKE_INCOMPLETE}, Status.REFUSED, Actor.DESK),
    # At intake (submitted online): T11, no pause.  While processing: a pause (T10).
    Action.REQUEST_SUPPLEMENT: _t(
        {Status.SUBMITTED, Status.IN_PROGRESS}, None, Actor.DESK, Actor.HANDLER
    ),
    Action.SUPPLEMENT: _t(
        {Status.INTAKE_INCOMPLETE, Status.AWAITING_SUPPLEMENT},
        None,
        Actor.DESK,
        Actor.HANDLER,
        Actor.APPLICANT,
    ),
    # Inside "in progress": the internal process.
    Action.FORWARD: _t(_RUNNING, Status.IN_PROGRESS, Actor.HANDLER),
    Action.SEND_BACK: _t({Status.IN_PROGRESS}, Status.IN_PROGRESS, Actor.HANDLER),
    Action.REASSIGN: _t(_RUNNING | {Status.RESOLVED}, None, Actor.HANDLER, Actor.MANAGER),
    Action.REQUEST_OPINIONS: _t({Status.IN_PROGRESS}, None, Actor.HANDLER),
    Action.GIVE_OPINION: _t(
        {Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT},
        None,
        Actor.OPINION,
    ),
    Action.TRANSFER: _t({Status.IN_PROGRESS}, None, Actor.HANDLER),
    Action.SUB_COMPLETED: _t(
        {Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT},
        None,
        Actor.HANDLER,
    ),
    Action.REQUEST_PAYMENT: _t({Status.IN_PROGRESS}, Status.AWAITING_PAYMENT, Actor.HANDLER),
    Action.CONFIRM_PAYMENT: _t(
        {Status.AWAITING_PAYMENT}, Status.IN_PROGRESS, Actor.HANDLER, Actor.DESK
    ),
    # Late: one apology and new date (C5, T12).
    Action.RESCHEDULE: _t(
        {Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_PAYMENT},
        None,
        Actor.HANDLER,
        Actor.MANAGER,
    ),
    # Withdrawal and stop (C6).
    Action.REQUEST_WITHDRAWAL: _t(_OPEN, Status.WITHDRAWAL_REQUESTED, Actor.DESK, Actor.APPLICANT),
    Action.DECLINE_WITHDRAWAL: _t({Status.WITHDRAWAL_REQUESTED}, None, Actor.DESK, Actor.MANAGER),
    Action.STOP: _t({Status.WITHDRAWAL_REQUESTED}, Status.STOPPED, Actor.DESK, Actor.MANAGER),
    # The end.
    Action.RESOLVE: _t({Status.IN_PROGRESS}, Status.RESOLVED, Actor.HANDLER),
    Action.RETURN_RESULT: _t({Status.RESOLVED}, Status.RETURNED, Actor.DESK),
}

#: Actions the API exposes at ``POST /dossiers/{code}/actions/{action}``.
API_ACTIONS: tuple[Action, ...] = (
    Action.ACCEPT,
    Action.REFUSE,
    Action.REQUEST_SUPPLEMENT,
    Action.SUPPLEMENT,
    Action.FORWARD,
    Action.SEND_BACK,
    Action.REASSIGN,
    Action.REQUEST_OPINIONS,
    Action.GIVE_OPINION,
    Action.REQUEST_PAYMENT,
    Action.CONFIRM_PAYMENT,
    Action.REQUEST_WITHDRAWAL,
    Action.DECLINE_WITHDRAWAL,
    Action.STOP,
    Action.RESCHEDULE,
    Action.RESOLVE,
    Action.RETURN_RESULT,
    Action.TRANSFER,
)


def can_transition(action: Action, status: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and status in transition.sources


def target_status(action: Action, status: str) -> Status:
    """The status after ``action`` from ``status`` (the same one when the action keeps it)."""
    transition = TRANSITIONS[action]
    return transition.target if transition.target is not None else Status(status)


def actions_from(status: str) -> list[Action]:
    """Every action whose transition starts at ``status`` (before the actor is considered)."""
    return [a for a, t in TRANSITIONS.items() if status in t.sources]
