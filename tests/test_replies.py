"""Tests for replies.py and the shipped templates in replies/ over the shipped company.toml."""

from __future__ import annotations

import copy
import itertools
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from jinja2.exceptions import SecurityError

from privbot.errors import ConfigError
from privbot.replies import TEMPLATES, Rendered, Replies, format_date
from privbot.staffnotes import problems

ROOT = Path(__file__).resolve().parents[1]
REPLIES = ROOT / "replies"
INTENTS = [
    "access",
    "rectification",
    "erasure",
    "restriction",
    "portability",
    "objection",
    "marketing_optout",
    "consent_withdrawal",
    "complaint",
    "question",
    "other",
]
LANGUAGES = ["sv", "en"]
REFERENCE = "DS-2026-0042"
DUE = date(2026, 12, 28)
DUE_TEXT = {"sv": "28 december 2026", "en": "28 December 2026"}
EXTENDED = date(2027, 2, 26)
EXTENDED_TEXT = {"sv": "26 februari 2027", "en": "26 February 2027"}
STAFF_NOTE = {"sv": "[OBS till handläggaren:", "en": "[NOTE TO STAFF:"}
IDENTITY_INTENTS = {"access", "portability", "erasure", "rectification"}
REFUSAL_REASONS = ["manifestly_unfounded", "excessive", "identity_not_verified", "no_match"]


@pytest.fixture(scope="module")
def replies() -> Replies:
    return Replies.load(REPLIES)


@pytest.fixture(scope="module")
def company() -> dict[str, object]:
    with open(ROOT / "company.toml", "rb") as f:
        return tomllib.load(f)


def make_case(**overrides: object) -> dict[str, object]:
    case: dict[str, object] = {
        "reference": REFERENCE,
        "received": datetime(2026, 11, 26, 9, 30),
        "due": DUE,
        "extended_due": None,
        "intents": ["erasure"],
        "language": "sv",
        "requester_name": "Anna Svensson",
        "requester_email": "anna.svensson@example.se",
        "needs_review": False,
        "identity_verified": False,
        "subject": "Radera mina uppgifter",
    }
    case.update(overrides)
    return case


def context(company: dict[str, object], **overrides: object) -> dict[str, object]:
    case_overrides = overrides.pop("case", {})
    assert isinstance(case_overrides, dict)
    ctx: dict[str, object] = {
        "company": company,
        "case": make_case(**case_overrides),
        "verification_code": "482913",
        "verification_url": "https://privbot.example/verify/abc123",
        "extension_reason": "Vi behöver hämta uppgifter ur flera system.",
        "refusal_reason": "no_match",
        "received": datetime(2026, 11, 26, 9, 30),  # breach_alert: local times
        "notify_by": datetime(2026, 11, 29, 9, 30),
        "case_url": "https://privbot.example/cases/" + REFERENCE,
        "due_soon": [{"reference": "DS-2026-0040", "intents": ["access"], "due": DUE}],
        "overdue": [
            {
                "reference": "DS-2026-0031",
                "intents": ["erasure", "access"],
                "due": date(2026, 11, 20),
            }
        ],
    }
    ctx.update(overrides)
    return ctx


def assert_clean(rendered: Rendered) -> None:
    assert isinstance(rendered, Rendered)
    for marker in STAFF_NOTE.values():  # notes go beside the draft, never into the text
        assert marker not in rendered.body and marker not in rendered.subject
    assert rendered.subject and "\n" not in rendered.subject and "\r" not in rendered.subject
    for marker in ("{{", "}}", "{%", "%}", "{#", "#}", "Undefined", "None"):
        assert marker not in rendered.body, marker
        assert marker not in rendered.subject, marker
    assert rendered.body.endswith("\n") and not rendered.body.endswith("\n\n")
    assert "\n\n\n" not in rendered.body
    assert not rendered.body.startswith("\n")


def copy_replies(tmp_path: Path) -> Path:
    target = tmp_path / "replies"
    shutil.copytree(REPLIES, target)
    return target


# --- every template, every language -------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_renders(replies: Replies, company: dict, name: str, language: str) -> None:
    ctx = context(company, case={"extended_due": EXTENDED, "language": language})
    out = replies.render(name, language, ctx)
    assert_clean(out)
    if name != "supervisor_digest":
        assert f"[{REFERENCE}]" in out.subject
        assert REFERENCE in out.body
    if name not in ("supervisor_digest", "breach_alert"):  # internal mail has no signature
        assert company["signature"][language][0] in out.body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("verified", [False, True])
@pytest.mark.parametrize("intent", INTENTS)
def test_reply_for_each_intent(
    replies: Replies, company: dict, intent: str, verified: bool, language: str
) -> None:
    ctx = context(company, case={"intents": [intent], "identity_verified": verified})
    out = replies.render("reply", language, ctx)
    assert_clean(out)
    assert f"[{REFERENCE}]" in out.subject
    assert REFERENCE in out.body
    assert DUE_TEXT[language] in out.body
    assert not out.body.startswith(STAFF_NOTE[language])


COMBINATIONS = [list(c) for c in itertools.combinations(INTENTS, 2)] + [
    ["access", "erasure", "marketing_optout"],
    INTENTS,
    ["erasure", "no_such_intent"],
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("intents", COMBINATIONS, ids="+".join)
def test_reply_for_combinations(
    replies: Replies, company: dict, intents: list, language: str
) -> None:
    out = replies.render("reply", language, context(company, case={"intents": intents}))
    assert_clean(out)
    assert REFERENCE in out.body and DUE_TEXT[language] in out.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_combined_reply_has_one_section_per_intent_main_first(
    replies: Replies, company: dict, language: str
) -> None:
    ctx = context(company, case={"intents": ["erasure", "access"]})
    body = replies.render("reply", language, ctx).body
    erasure = body.index("17")  # "artikel 17" / "Article 17"
    access = body.index("15")
    assert erasure < access
    # identity is explained once, not once per intent
    marker = {"sv": "bekräftelsekod", "en": "confirmation code"}[language]
    assert body.count(marker) == 1
    # the erasure section knows a copy comes first
    assert {"sv": "efter att du har fått kopian", "en": "after you have received your copy"}[
        language
    ] in body


# --- content that the law or the brief asks for -------------------------------------------


def test_swedish_erasure_names_bookkeeping_law_reference_and_due(
    replies: Replies, company: dict
) -> None:
    out = replies.render("reply", "sv", context(company, case={"intents": ["erasure"]}))
    assert "bokföringslagen" in out.body
    assert "7 kap. 2 §" in out.body
    assert "sju år" in out.body
    assert "Skatteverket" in out.body  # why it is kept
    assert REFERENCE in out.body and REFERENCE in out.subject
    assert "28 december 2026" in out.body
    assert out.body.startswith("Hej Anna,\n")


def test_english_erasure_explains_what_is_kept(replies: Replies, company: dict) -> None:
    out = replies.render("reply", "en", context(company, case={"intents": ["erasure"]}))
    assert "Bookkeeping Act" in out.body and "seven years" in out.body
    assert "28 December 2026" in out.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_complaint_names_imy_with_contact(replies: Replies, company: dict, language: str) -> None:
    out = replies.render("reply", language, context(company, case={"intents": ["complaint"]}))
    authority = company["authority"]
    assert "Integritetsskyddsmyndigheten" in out.body and "IMY" in out.body
    for fact in (
        authority["email"],
        authority["website"],
        authority["phone"][language],
        *authority["address"],
    ):
        assert fact in out.body
    assert "Datainspektionen" not in out.body
    assert out.body.startswith({"sv": "Hej Anna,\n", "en": "Dear Anna,\n"}[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_access_lists_every_article_15_item(replies: Replies, company: dict, language: str) -> None:
    out = replies.render("reply", language, context(company, case={"intents": ["access"]}))
    body = out.body
    headings = {
        "sv": [
            "Varför vi behandlar uppgifterna",  # purposes
            "Vilka uppgifter vi behandlar",  # categories
            "Vilka vi lämnar ut uppgifterna till",  # recipients
            "Hur länge vi sparar uppgifterna",  # retention
            "Dina rättigheter",  # rights incl. complaint
            "Varifrån uppgifterna kommer",  # source
            "utanför EU/EES",  # transfers
            "Profilering",
        ],
        "en": [
            "Why we process the data",
            "What data we process",
            "Who we share the data with",
            "How long we keep the data",
            "Your rights",
            "Where the data comes from",
            "outside the EU/EEA",
            "Profiling",
        ],
    }[language]
    for heading in headings:
        assert heading in body, heading
    for group in company["groups"]:
        for category in company["categories"][group][language]:
            assert category in body
        for purpose in company["purposes"][group][language]:
            assert purpose in body
        assert company["retention"][group][language] in body
    for recipient in company["recipients"][language]:
        assert recipient in body
    assert company["transfers"][language] in body
    assert company["source"][language] in body
    assert company["authority"]["website"] in body
    # the copy follows verification
    assert {"sv": "Kopian av uppgifterna skickar vi", "en": "We will send you the copy"}[
        language
    ] in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_verified_access_asks_staff_to_attach_the_copy(
    replies: Replies, company: dict, language: str
) -> None:
    ctx = context(company, case={"intents": ["access"], "identity_verified": True})
    out = replies.render("reply", language, ctx)
    assert {"sv": "Bifoga kopian", "en": "Attach the copy"}[language] in " ".join(out.notes)
    assert STAFF_NOTE[language] not in out.body
    assert {"sv": "bekräftelsekod", "en": "confirmation code"}[language] not in out.body


def test_english_case_gets_english(replies: Replies, company: dict) -> None:
    ctx = context(
        company, case={"language": "en", "intents": ["access"], "subject": "Data request"}
    )
    out = replies.render("reply", "en", ctx)
    assert out.body.startswith("Dear Anna,\n")
    assert "Kind regards" in out.body and "Data Protection Team" in out.body
    assert "Hej" not in out.body and "Vänliga hälsningar" not in out.body
    assert out.subject == f"[{REFERENCE}] Re: Data request"


@pytest.mark.parametrize("language", ["other", "de", "", "SV"])
def test_unknown_language_falls_back_to_swedish(
    replies: Replies, company: dict, language: str
) -> None:
    out = replies.render("receipt", language, context(company))
    assert out.body.startswith("Hej Anna,\n")


@pytest.mark.parametrize("language", LANGUAGES)
def test_needs_review_note_comes_first_and_stays_out_of_the_text(
    replies: Replies, company: dict, language: str
) -> None:
    ctx = context(company, case={"needs_review": True, "intents": ["question", "erasure"]})
    out = replies.render("reply", language, ctx)
    assert STAFF_NOTE[language] not in out.body and not out.body.startswith("[")
    first = out.notes[0]
    assert not first.startswith("[") and not first.endswith("]")
    assert {"sv": "osäker", "en": "uncertain"}[language] in first
    assert {"sv": "fråga, radering", "en": "question, erasure"}[language] in first


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("intent", INTENTS)
def test_identity_step_only_where_needed(
    replies: Replies, company: dict, intent: str, language: str
) -> None:
    body = replies.render("reply", language, context(company, case={"intents": [intent]})).body
    marker = {"sv": "din begäran kom från", "en": "your request came from"}[language]
    assert (marker in body) == (intent in IDENTITY_INTENTS)
    if intent in IDENTITY_INTENTS:
        # asks for nothing more than a reply; never a personnummer or ID copy by email
        sentence = {
            "sv": "Du behöver inte skicka personnummer eller kopia på id-handling",
            "en": "You do not need to send us your personal identity number or a copy of an ID",
        }[language]
        assert sentence in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_receipt_says_only_reference_next_steps_and_deadline(
    replies: Replies, company: dict, language: str
) -> None:
    ctx = context(company, case={"intents": ["erasure", "access"], "subject": "Radera allt om mig"})
    out = replies.render("receipt", language, ctx)
    assert REFERENCE in out.subject and REFERENCE in out.body
    assert DUE_TEXT[language] in out.body
    assert out.body.startswith({"sv": "Hej Anna,\n", "en": "Dear Anna,\n"}[language])
    for leak in (
        "anna.svensson@example.se",
        "Radera allt",
        "bokför",
        "Bookkeeping",
        "artikel",
        "Article",
    ):
        assert leak not in out.body and leak not in out.subject


@pytest.mark.parametrize("language", LANGUAGES)
def test_greeting_without_name(replies: Replies, company: dict, language: str) -> None:
    body = replies.render("receipt", language, context(company, case={"requester_name": ""})).body
    assert body.startswith({"sv": "Hej,\n", "en": "Hello,\n"}[language])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("reason", REFUSAL_REASONS)
def test_refusal_gives_reason_imy_and_court(
    replies: Replies, company: dict, reason: str, language: str
) -> None:
    body = replies.render("refusal", language, context(company, refusal_reason=reason)).body
    assert REFERENCE in body
    assert company["authority"]["email"] in body and company["authority"]["website"] in body
    assert {"sv": "domstol", "en": "court"}[language] in body
    assert {"sv": "artiklarna 77 och 79", "en": "Articles 77 and 79"}[language] in body
    expected = {
        "manifestly_unfounded": {"sv": "uppenbart ogrundad", "en": "manifestly unfounded"},
        "excessive": {"sv": "orimlig", "en": "excessive"},
        "identity_not_verified": {
            "sv": "inte har kunnat bekräfta",
            "en": "not been able to confirm",
        },
        "no_match": {
            "sv": "inte hittat några personuppgifter",
            "en": "not found any personal data",
        },
    }[reason][language]
    assert expected in body
    if reason == "no_match":
        assert "anna.svensson@example.se" in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_refusal_with_unknown_reason_leaves_a_note(
    replies: Replies, company: dict, language: str
) -> None:
    out = replies.render("refusal", language, context(company, refusal_reason="other"))
    assert out.notes and STAFF_NOTE[language] not in out.body
    assert problems(out.body)  # a placeholder for the reason: approval is refused until filled


@pytest.mark.parametrize("language", LANGUAGES)
def test_extension_notice(replies: Replies, company: dict, language: str) -> None:
    ctx = context(company, case={"extended_due": EXTENDED})
    body = replies.render("extension_notice", language, ctx).body
    assert EXTENDED_TEXT[language] in body and DUE_TEXT[language] in body
    assert "Vi behöver hämta uppgifter ur flera system." in body
    assert "12.3" in body or "12(3)" in body
    assert {"sv": "26 november 2026", "en": "26 November 2026"}[language] in body  # received


@pytest.mark.parametrize("language", LANGUAGES)
def test_extended_due_is_the_deadline_once_set(
    replies: Replies, company: dict, language: str
) -> None:
    ctx = context(company, case={"extended_due": EXTENDED})
    body = replies.render("reply", language, ctx).body
    assert EXTENDED_TEXT[language] in body and DUE_TEXT[language] not in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["identity_request", "chat_verification", "reminder_identity"])
@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://privbot.example/v/x1", "482913"),
        ("https://privbot.example/v/x1", ""),
        ("", "482913"),
        ("", ""),
    ],
)
def test_verification_mails(
    replies: Replies, company: dict, name: str, url: str, code: str, language: str
) -> None:
    out = replies.render(
        name, language, context(company, verification_url=url, verification_code=code)
    )
    assert_clean(out)
    if url:
        assert url in out.body
    if code:
        assert code in out.body
    if not url and not code:  # a reply from the address of record is the confirmation
        wording = {
            "sv": ["svara på det här mejlet"],
            "en": ["reply to this email", "replying to this email"],
        }
        assert any(w in out.body.lower() for w in wording[language])


@pytest.mark.parametrize("language", LANGUAGES)
def test_reminder_without_verification_values(
    replies: Replies, company: dict, language: str
) -> None:
    ctx = context(company)
    del ctx["verification_url"], ctx["verification_code"]
    assert_clean(replies.render("reminder_identity", language, ctx))


@pytest.mark.parametrize("language", LANGUAGES)
def test_supervisor_digest_lists_cases_without_personal_data(
    replies: Replies, company: dict, language: str
) -> None:
    @dataclass
    class CaseRow:
        reference: str
        intents: list[str]
        due: date
        extended_due: date | None = None
        requester_email: str = "secret.person@example.se"
        requester_name: str = "Hemlig Person"
        subject: str = "Mitt personnummer 19900101-1234"

    overdue = [CaseRow("DS-2026-0031", ["erasure", "access"], date(2026, 11, 20))]
    due_soon = [
        CaseRow("DS-2026-0040", ["access"], date(2026, 12, 1)),
        CaseRow("DS-2026-0041", ["portability"], date(2026, 12, 2), extended_due=date(2027, 1, 29)),
    ]
    ctx = {"company": company, "overdue": overdue, "due_soon": due_soon}
    out = replies.render("supervisor_digest", language, ctx)
    assert_clean(out)
    for row in overdue + due_soon:
        assert row.reference in out.body
    assert {"sv": "20 november 2026", "en": "20 November 2026"}[language] in out.body
    assert {"sv": "29 januari 2027", "en": "29 January 2027"}[language] in out.body
    assert "1" in out.subject and "2" in out.subject
    for secret in ("secret.person", "Hemlig", "19900101"):
        assert secret not in out.body and secret not in out.subject
    empty = replies.render(
        "supervisor_digest", language, {"company": company, "overdue": [], "due_soon": []}
    )
    assert {"sv": "- Inga.", "en": "- None."}[language] in empty.body


def test_case_may_be_an_object(replies: Replies, company: dict) -> None:
    @dataclass
    class Case:
        reference: str = REFERENCE
        received: datetime = datetime(2026, 11, 26, 9, 30)
        due: date = DUE
        extended_due: date | None = None
        intents: list[str] = field(default_factory=lambda: ["erasure"])
        language: str = "sv"
        requester_name: str = ""
        requester_email: str = "a@example.se"
        needs_review: bool = False
        identity_verified: bool = True
        subject: str = ""

    out = replies.render("reply", "sv", {"company": company, "case": Case()})
    assert_clean(out)
    assert out.subject == f"[{REFERENCE}] SV: Ditt ärende om personuppgifter"


# --- subjects -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize(
    "subject",
    [
        "Radera\r\nBcc: victim@example.com",
        "Radera\nX-Injected: 1",
        "Radera\rmig",
        "a\u2028b\u0085c\x0bd\x0ce",
        "\r\n",
    ],
)
def test_subject_is_one_line_despite_injection(
    replies: Replies, company: dict, name: str, subject: str, language: str
) -> None:
    ctx = context(
        company,
        case={
            "subject": subject,
            "requester_name": "Eve\r\nBcc: x@example.com",
            "extended_due": EXTENDED,
        },
    )
    out = replies.render(name, language, ctx)
    assert len(out.subject.splitlines()) == 1
    for char in "\r\n\x0b\x0c\x85\u2028\u2029":
        assert char not in out.subject
    if name != "supervisor_digest":
        assert out.subject.startswith(f"[{REFERENCE}] ")


def test_reference_not_repeated_in_reply_subject(replies: Replies, company: dict) -> None:
    ctx = context(company, case={"subject": f"Re: [{REFERENCE}] Radera mina uppgifter"})
    out = replies.render("reply", "sv", ctx)
    assert out.subject.count(REFERENCE) == 1
    assert out.subject == f"[{REFERENCE}] SV: Re: Radera mina uppgifter"


def test_reference_added_when_template_leaves_it_out(tmp_path: Path, company: dict) -> None:
    directory = copy_replies(tmp_path)
    path = directory / "sv" / "receipt.j2"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("[{{ case.reference }}] ", ""), encoding="utf-8")
    out = Replies.load(directory).render("receipt", "sv", context(company))
    assert out.subject == f"[{REFERENCE}] Vi har tagit emot ditt meddelande"


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (date(2026, 12, 26), "sv", "26 december 2026"),
        (date(2026, 12, 26), "en", "26 December 2026"),
        (date(2027, 3, 1), "sv", "1 mars 2027"),
        (date(2027, 5, 3), "sv", "3 maj 2027"),
        (datetime(2026, 10, 31, 23, 59), "sv", "31 oktober 2026"),
        ("2026-06-19", "en", "19 June 2026"),
    ],
)
def test_format_date(value: object, language: str, expected: str) -> None:
    assert format_date(value, language) == expected


# --- sandbox and validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ company.__class__ }}",
        "{{ case.items.__self__.__class__ }}",
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ company.update({'name': 'x'}) }}",
    ],
)
def test_sandbox_refuses_unsafe_access(tmp_path: Path, company: dict, payload: str) -> None:
    directory = copy_replies(tmp_path)
    path = directory / "sv" / "receipt.j2"
    path.write_text(
        "{% block subject %}[{{ case.reference }}] x{% endblock %}\n"
        "{% block body %}\n" + payload + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    replies = Replies.load(directory)
    with pytest.raises(ConfigError) as info:
        replies.render("receipt", "sv", context(company))
    assert isinstance(info.value.__cause__, SecurityError)
    assert "receipt.j2:3" in str(info.value)


def test_broken_template_names_file_and_line(tmp_path: Path) -> None:
    directory = copy_replies(tmp_path)
    path = directory / "sv" / "intents" / "erasure.j2"
    path.write_text("Rad ett\nRad två\n{% if case.intents %}\nutan slut\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Replies.load(directory)
    assert str(path) in str(info.value)
    assert f"{path}:" in str(info.value)


def test_unclosed_expression_names_file(tmp_path: Path) -> None:
    directory = copy_replies(tmp_path)
    path = directory / "en" / "refusal.j2"
    path.write_text(
        path.read_text(encoding="utf-8").replace("{{ case.reference }}", "{{ case.reference", 1)
    )
    with pytest.raises(ConfigError, match=r"en/refusal\.j2:\d+"):
        Replies.load(directory)


def test_missing_template_is_a_config_error(tmp_path: Path) -> None:
    directory = copy_replies(tmp_path)
    (directory / "en" / "refusal.j2").unlink()
    with pytest.raises(ConfigError, match=r"en/refusal\.j2"):
        Replies.load(directory)


def test_missing_block_is_a_config_error(tmp_path: Path) -> None:
    directory = copy_replies(tmp_path)
    (directory / "sv" / "receipt.j2").write_text("Hej!\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"sv/receipt\.j2.*subject"):
        Replies.load(directory)


def test_include_of_missing_file_is_a_config_error(tmp_path: Path) -> None:
    directory = copy_replies(tmp_path)
    (directory / "sv" / "_signature.j2").unlink()
    with pytest.raises(ConfigError, match=r"_signature\.j2"):
        Replies.load(directory)


def test_missing_swedish_set_is_a_config_error(tmp_path: Path) -> None:
    directory = copy_replies(tmp_path)
    shutil.rmtree(directory / "sv")
    with pytest.raises(ConfigError, match="sv"):
        Replies.load(directory)


def test_undefined_variable_at_render_names_file_and_line(tmp_path: Path, company: dict) -> None:
    directory = copy_replies(tmp_path)
    path = directory / "sv" / "intents" / "question.j2"
    path.write_text("Rad ett\n{{ company.no_such_fact }}\n", encoding="utf-8")
    replies = Replies.load(directory)
    with pytest.raises(ConfigError) as info:
        replies.render("reply", "sv", context(company, case={"intents": ["question"]}))
    assert f"{path}:2" in str(info.value)


def test_unknown_template_name(replies: Replies, company: dict) -> None:
    with pytest.raises(ConfigError):
        replies.render("../company", "sv", context(company))


# --- data, not code -----------------------------------------------------------------------


def test_languages_have_the_same_templates() -> None:
    def names(language: str) -> set[str]:
        return {
            p.relative_to(REPLIES / language).as_posix() for p in (REPLIES / language).rglob("*.j2")
        }

    assert names("sv") == names("en")
    assert {f"intents/{intent}.j2" for intent in INTENTS} <= names("sv")


def test_no_company_fact_in_templates(company: dict) -> None:
    facts = [
        company["name"],
        company["short_name"],
        company["org_number"],
        company["email"],
        company["phone"],
        company["address"]["street"],
        company["authority"]["email"],
        company["authority"]["phone"]["sv"],
        "Box 8114",
        "bokföringslagen",
        "1999:1078",
    ]
    for path in REPLIES.rglob("*.j2"):
        source = path.read_text(encoding="utf-8").lower()
        for fact in facts:
            assert fact.lower() not in source, (path, fact)


def test_another_company_can_run_on_its_own_facts(replies: Replies, company: dict) -> None:
    other = copy.deepcopy(company)
    other["name"] = "Exempelbolaget AB"
    other["signature"] = {
        "sv": ["Dataskydd", "Exempelbolaget AB"],
        "en": ["Privacy", "Exempelbolaget AB"],
    }
    other["policy_url"] = "https://exempel.se/integritet"
    del other["retention"]["legal_holds"]
    del other["legal_bases"]["consent"]
    ctx = context(other, case={"intents": ["erasure", "consent_withdrawal", "question"]})
    body = replies.render("reply", "sv", ctx).body
    assert "Exempelbolaget AB" in body and "IT-team" not in body
    assert "bokföringslagen" not in body
    assert "https://exempel.se/integritet" in body
    assert_clean(replies.render("receipt", "en", ctx))


def test_company_toml_has_the_reference_facts(company: dict) -> None:
    assert company["org_number"] == "556691-7455"
    assert company["email"] == "dataskydd@it-team.se"
    assert company["phone"] == "+46 8 410 91 000"
    assert company["address"]["street"] == "Domnarvsgatan 11"
    assert company["authority"]["short_name"] == "IMY"
    assert "Integritetsskyddsmyndigheten" in company["authority"]["name"]["sv"]
    hold = company["retention"]["legal_holds"][0]
    assert "7 kap. 2 §" in hold["law"]["sv"]
    assert "sju år" in hold["period"]["sv"]
    assert set(company["categories"]) == set(company["groups"]) == set(company["purposes"])
    for group in company["groups"]:
        assert len(company["categories"][group]["sv"]) == len(company["categories"][group]["en"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_clarification_request_with_and_without_question(
    replies: Replies, company: dict, language: str
) -> None:
    asked = replies.render(
        "clarification_request", language, context(company, question="Vilket år?")
    )
    assert "Vilket år?" in asked.body and not asked.notes and not problems(asked.body)
    blank = replies.render("clarification_request", language, context(company))
    assert blank.notes and STAFF_NOTE[language] not in blank.body and problems(blank.body)
