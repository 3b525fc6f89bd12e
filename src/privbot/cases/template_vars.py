"""What reply templates see about a case: the company facts, the case, template extras."""

from __future__ import annotations

from typing import Any

from privbot import mailboxes
from privbot.cases.third_party import whole_domain
from privbot.config import Config
from privbot.models import Case
from privbot.text import base_subject


def consents(classification: dict[str, Any]) -> list[str]:
    """What a withdrawn consent was for, as a stored classification names it: its `objects`
    for consent_withdrawal ("newsletter", "calls", "surveys", "recording", "cookies")."""
    objects = classification.get("objects", {})
    found = objects.get("consent_withdrawal", []) if isinstance(objects, dict) else []
    return [str(c) for c in found] if isinstance(found, list) else []


def case_context(case: Case, config: Config, **extra: Any) -> dict[str, Any]:
    """What reply templates see: the company facts (of the case's mailbox), the case, and
    template-specific extras."""
    first_subject = extra.pop("subject", "")
    first = extra.pop("first_message", None)
    return {
        "company": mailboxes.of_case(config, case).company,
        "case": {
            "reference": case.reference,
            "received": case.received_at,
            "due": case.due,
            "extended_due": case.extended_due,
            "intents": list(case.intents),
            "language": case.language,
            "requester_name": case.requester_name,
            "requester_email": case.requester_email,
            "needs_review": case.needs_review,
            "identity_verified": case.identity_verified,
            "subject": base_subject(first_subject),  # "SV: {{ case.subject }}", not "SV: Re: SV: …"
            "third_party": case.third_party,
            # a request for everyone at a domain ("alla på @firma.se"): that domain, else ""
            "others_domain": whole_domain(first.text) if case.third_party and first else "",
            # what a withdrawn consent was for, as the classifier found it (newsletter, calls,
            # surveys, recording, cookies); empty when it did not say
            "consents": consents(first.classification) if first else [],
        },
        **extra,
    }
