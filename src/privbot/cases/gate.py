"""What a case's identity state allows: which intents need a verified requester, and which drafts
may be approved before that. Pure rules over a case and a draft, no I/O.

Rights that disclose or destroy data (access, portability, erasure, rectification) need
verification; marketing opt-out and consent withdrawal are fast-tracked without it.
`cases/identity.py` sends and checks the codes; `store.approve` asks `check_approvable`.
"""

from __future__ import annotations

from privbot.errors import StateError
from privbot.models import Case, Draft, Outcome

IDENTITY_INTENTS = frozenset({"access", "portability", "erasure", "rectification"})
FAST_TRACK_INTENTS = frozenset({"marketing_optout", "consent_withdrawal"})

# Drafts that ask, inform or decide without disclosing or destroying anything.
APPROVABLE_UNVERIFIED = frozenset(
    {
        "identity_request",
        "reminder_identity",
        "clarification_request",
        "extension_notice",
        "refusal",
        "closed_unverified",
    }
)

# Approving these drafts decides the case: (outcome, reason); None reason = the case's own.
CLOSING_TEMPLATES: dict[str, tuple[Outcome, str | None]] = {
    "refusal": (Outcome.denied, None),
    "closed_unverified": (Outcome.denied, "identity_not_verified"),
}


def requires_verification(intents: list[str] | tuple[str, ...]) -> bool:
    return any(i in IDENTITY_INTENTS for i in intents)


def awaits_verification(case: Case) -> bool:
    """True while the case needs a verified requester and has none."""
    return requires_verification(case.intents) and not case.identity_verified


def fast_tracked(case: Case) -> bool:
    return bool(case.intents) and all(i in FAST_TRACK_INTENTS for i in case.intents)


def check_approvable(case: Case, draft: Draft) -> None:
    """Refuse a fulfilling reply while the requester is unverified (the asking drafts pass)."""
    if awaits_verification(case) and draft.template not in APPROVABLE_UNVERIFIED:
        raise StateError(
            "%s: the requester's identity is not verified; a %s reply cannot be approved before "
            "(privbot verify %s CODE, or record another method with --how)"
            % (case.reference, draft.template, case.reference)
        )
