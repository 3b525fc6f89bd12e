"""Readable names for what the database stores as codes: statuses, intents, outcomes, channels,
roles, reasons and audit actions.

The names here are English message ids marked with `N_` so Babel extracts them into the
catalogs (`web/locale/`); templates show them translated through `label(kind, code)`. A code
without a name (one added elsewhere later) is shown with its underscores as spaces, never as
the bare code.
"""

from __future__ import annotations

from privbot.classify.result import Intent
from privbot.models import Channel, Outcome, Role, Status


def N_(message: str) -> str:
    """Mark a message id for extraction; it is translated where it is shown."""
    return message


STATUS: dict[str, str] = {
    Status.new: N_("New"),
    Status.awaiting_identity: N_("Awaiting identity"),
    Status.in_progress: N_("In progress"),
    Status.awaiting_requester: N_("Awaiting the requester"),
    Status.draft_ready: N_("Draft ready"),
    Status.approved: N_("Approved"),
    Status.sent: N_("Sent"),
    Status.closed: N_("Closed"),
}

INTENT: dict[str, str] = {
    Intent.access: N_("Access to personal data"),
    Intent.rectification: N_("Rectification"),
    Intent.erasure: N_("Erasure"),
    Intent.restriction: N_("Restriction of processing"),
    Intent.portability: N_("Data portability"),
    Intent.objection: N_("Objection to processing"),
    Intent.marketing_optout: N_("Marketing opt-out"),
    Intent.consent_withdrawal: N_("Consent withdrawal"),
    Intent.complaint: N_("Complaint"),
    Intent.question: N_("Question"),
    Intent.breach: N_("Personal data breach"),
    Intent.other: N_("Other"),
}

OUTCOME: dict[str, str] = {
    Outcome.fulfilled: N_("Fulfilled"),
    Outcome.denied: N_("Denied"),
    Outcome.withdrawn: N_("Withdrawn"),
    Outcome.duplicate: N_("Duplicate"),
}

CHANNEL: dict[str, str] = {
    Channel.email: N_("Email"),
    Channel.chat: N_("Chat"),
}

LANGUAGE: dict[str, str] = {
    "sv": N_("Swedish"),
    "en": N_("English"),
}

ROLE: dict[str, str] = {
    Role.staff: N_("Staff"),
    Role.supervisor: N_("Supervisor"),
    Role.admin: N_("Administrator"),
}

REASON: dict[str, str] = {  # denial and refusal reasons (cases/actions.py, cases/refusal.py)
    "no_match": N_("No data about the requester"),
    "identity_not_verified": N_("Identity not verified"),
    "manifestly_unfounded": N_("Manifestly unfounded"),
    "excessive": N_("Excessive"),
    "not_privacy_matter": N_("Not a privacy matter"),
    "other": N_("Other reason"),
}

VERIFY_METHOD: dict[str, str] = {  # web/pages/cases.py VERIFY_METHODS
    "reply from the address of record": N_("Reply from the address of record"),
    "one-time code to the address of record": N_("One-time code to the address of record"),
    "identity document": N_("Identity document"),
    "other": N_("Other method"),
}

ACTION: dict[str, str] = {  # audit actions
    "assigned": N_("assigned"),
    "audit_exported": N_("exported the audit log"),
    "case_closed": N_("closed the case"),
    "case_merged": N_("merged the case"),
    "case_opened": N_("opened the case"),
    "case_viewed": N_("viewed the case"),
    "cases_exported": N_("exported the case list"),
    "clarification_drafted": N_("drafted a clarification request"),
    "closed_unverified_notice": N_("closed as unverified"),
    "deadline_extended": N_("extended the deadline"),
    "draft_approved": N_("approved the draft"),
    "draft_created": N_("wrote a draft"),
    "draft_edited": N_("edited the draft"),
    "draft_rejected": N_("rejected the draft"),
    "identity_code_failed": N_("wrong identity code"),
    "identity_code_requested": N_("asked for an identity code"),
    "identity_code_sent": N_("sent an identity code"),
    "identity_code_skipped": N_("sent no identity code"),
    "identity_required": N_("identity required"),
    "identity_verified": N_("identity verified"),
    "intents_corrected": N_("corrected the intents"),
    "login": N_("signed in"),
    "login_failed": N_("failed sign-in"),
    "logout": N_("signed out"),
    "message_threaded": N_("a message joined the case"),
    "note": N_("note"),
    "receipt_queued": N_("receipt queued"),
    "receipt_skipped": N_("no receipt sent"),
    "register_exported": N_("exported the register"),
    "status_changed": N_("changed the status"),
    "third_party_flagged": N_("flagged as made for someone else"),
    "user_added": N_("added a user"),
    "user_disabled": N_("disabled a user"),
    "user_enabled": N_("re-enabled a user"),
    "password_changed": N_("changed a password"),
    "role_changed": N_("changed a role"),
    "language_chosen": N_("chose a language"),
}

TEMPLATE: dict[str, str] = {  # reply templates (replies/<lang>/*.j2)
    "reply": N_("Reply"),
    "clarification_request": N_("Clarification request"),
    "extension_notice": N_("Extension notice"),
    "refusal": N_("Refusal"),
    "identity_request": N_("Identity request"),
    "closed_unverified": N_("Closed unverified"),
    "reminder_identity": N_("Identity reminder"),
    "receipt": N_("Receipt"),
}

KINDS: dict[str, dict[str, str]] = {
    "status": STATUS,
    "intent": INTENT,
    "outcome": OUTCOME,
    "channel": CHANNEL,
    "language": LANGUAGE,
    "role": ROLE,
    "reason": REASON,
    "verify": VERIFY_METHOD,
    "action": ACTION,
    "template": TEMPLATE,
}


def message_id(kind: str, code: object) -> str:
    """The English message id naming `code` (an enum member or its string value)."""
    value = str(getattr(code, "value", code) or "")
    return KINDS[kind].get(value) or value.replace("_", " ")
