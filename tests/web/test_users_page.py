"""`/users`: supervisors add, disable, re-enable, reset and re-role staff; every change is
audited; passwords are generated and shown once; nobody locks themselves out."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.models import AuditEvent, Role, User
from tests.web.helpers import Browser

Client = Callable[..., Browser]


def shown_password(html: str) -> str:
    found = re.search(r'<code class="password">([^<]+)</code>', html)
    assert found, "no password shown"
    return found.group(1)


def actions(engine: Engine) -> list[tuple[str, str, str]]:
    with Session(engine) as session:
        events = session.exec(
            select(AuditEvent)
            .where(
                col(AuditEvent.action).in_(
                    (
                        "user_added",
                        "user_disabled",
                        "user_enabled",
                        "password_changed",
                        "role_changed",
                    )
                )
            )
            .order_by(col(AuditEvent.id))
        ).all()
        return [(e.action, e.actor, str(e.detail.get("user"))) for e in events if e.actor != "cli"]


def test_supervisor_manages_users_and_every_change_is_audited(
    client: Client, engine: Engine
) -> None:
    sara = client("sara")
    assert client("anna").get("/users").status_code == 403  # staff may not
    listing = sara.get("/users").text
    assert 'data-user="anna"' in listing and "Administrator" not in listing  # cannot grant admin

    added = sara.submit("/users", name="cecilia", role="staff")
    assert added.status_code == 200 and added.headers["cache-control"] == "no-store"
    first = shown_password(added.text)
    assert first not in sara.get("/users").text  # shown once
    cecilia = client()
    assert cecilia.sign_in("cecilia", first).status_code == 303

    assert sara.submit("/users/cecilia/role", role="supervisor").status_code == 303
    assert cecilia.get("/queues").status_code == 200  # the new role holds from the next request

    reset = sara.submit("/users/cecilia/password")
    second = shown_password(reset.text)
    assert second != first
    assert client().sign_in("cecilia", first).status_code == 401
    assert client().sign_in("cecilia", second).status_code == 303

    assert sara.submit("/users/cecilia/disable").status_code == 303
    assert cecilia.get("/inbox", follow_redirects=False).status_code == 303  # refused at once
    assert client().sign_in("cecilia", second).status_code == 401
    assert sara.submit("/users/cecilia/enable").status_code == 303
    assert client().sign_in("cecilia", second).status_code == 303

    assert actions(engine) == [
        ("user_added", "sara", "cecilia"),
        ("role_changed", "sara", "cecilia"),
        ("password_changed", "sara", "cecilia"),
        ("user_disabled", "sara", "cecilia"),
        ("user_enabled", "sara", "cecilia"),
    ]
    history = sara.get("/audit").text
    assert "disabled a user" in history and "changed a role" in history


def test_user_admin_refuses_what_it_must(client: Client, engine: Engine) -> None:
    sara = client("sara")
    assert sara.submit("/users/sara/disable").status_code == 403  # not yourself
    assert sara.submit("/users/sara/role", role="staff").status_code == 403
    assert sara.submit("/users/anna/role", role="admin").status_code == 403
    assert sara.submit("/users", name="root", role="admin").status_code == 403
    assert sara.submit("/users/nobody/disable").status_code == 404
    assert sara.post("/users/anna/disable", data={}).status_code == 403  # no CSRF token
    bad = sara.submit("/users", name="two words", role="staff")
    assert bad.status_code == 303 and "without spaces" in sara.get("/users").text
    again = sara.submit("/users", name="anna", role="staff")
    assert again.status_code == 303 and "already a user called anna" in sara.get("/users").text
    with Session(engine) as session:
        anna = session.exec(select(User).where(User.name == "anna")).one()
        assert anna.active and anna.role == Role.staff
        assert session.exec(select(User).where(User.name == "root")).first() is None
