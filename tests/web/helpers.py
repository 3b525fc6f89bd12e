"""What the web tests share: the test users' password, a Swedish erasure request, and a
TestClient that signs in and posts forms with the page's CSRF token."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"

# Our own test mail (not from any corpus): a Swedish erasure request carrying a personnummer
# (a valid Luhn test number) and a small attachment.
ERASURE_BODY = """\
Hej!

Jag vill att ni raderar alla personuppgifter ni har om mig. Mitt personnummer
är 19811218-9876 om ni behöver hitta mig i kundregistret.

Vänliga hälsningar
Greta Holm
"""


def erasure_mail(
    message_id: str = "<web-erasure-1@example.se>", pnr_in_name: bool = False
) -> bytes:
    msg = EmailMessage()
    msg["From"] = (
        "Greta Holm <greta.holm@example.se>"
        if not pnr_in_name
        else "Greta 811218-9876 Holm <greta.holm@example.se>"
    )
    msg["To"] = "dataskydd@it-team.se"
    msg["Subject"] = "Radera mina uppgifter"
    msg["Message-ID"] = message_id
    msg["Date"] = "Thu, 26 Nov 2026 09:30:00 +0100"
    msg.set_content(ERASURE_BODY)
    msg.add_attachment(
        b"<html><script>alert('attachment')</script></html>",
        maintype="text",
        subtype="html",
        filename="kvitto.html",
    )
    return msg.as_bytes()


def csrf_of(html: str) -> str:
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


class Browser(TestClient):
    """A TestClient that signs in and posts forms with the page's CSRF token."""

    csrf = ""

    def sign_in(self, name: str, password: str = PASSWORD) -> Any:
        self.csrf = csrf_of(self.get("/login").text)
        response = self.post(
            "/login",
            data={"name": name, "password": password, "csrf": self.csrf},
            follow_redirects=False,
        )
        if response.status_code == 303:
            self.csrf = csrf_of(self.get("/inbox").text)
        return response

    def submit(self, path: str, **data: Any) -> Any:
        return self.post(path, data={"csrf": self.csrf, **data}, follow_redirects=False)
