"""What reply templates see about a case: the company facts, the case, template extras."""

from __future__ import annotations

from typing import Any

from privbot.config import Config
from privbot.mail.subject import base_subject
from privbot.models import Case


def case_context(case: Case, config: Config, **extra: Any) -> dict[str, Any]:
    """What reply templates see: the company facts, the case, and template-specific extras."""
    first_subject = extra.pop("subject", "")
    return {
        "company": config.company,
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
        },
        **extra,
    }
