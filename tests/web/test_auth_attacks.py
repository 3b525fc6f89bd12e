"""Issue 11's web-side attacks, performed against `privbot serve` running as a subprocess on
loopback and against the `privbot users` CLI: racing the sign-in throttle (also across two
processes), keeping a session after logout, disabling or a new password, API access of a
disabled user, spoofed X-Forwarded-For, the Secure flag behind a TLS proxy, links on the port
really served, an empty cookie secret, and uvicorn's own log lines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select, update

from privbot.config import Config
from privbot.db import make_engine, session_scope
from privbot.models import AuditEvent, WebSession, utcnow
from privbot.web.auth import MAX_CLIENT_ATTEMPTS, MAX_USER_ATTEMPTS
from tests.helpers import Catcher, free_port
from tests.web.helpers import PASSWORD, csrf_of

NEW_PASSWORD = "a different passphrase entirely"


class Served:
    """One `privbot serve` process on loopback with its own data directory and config file."""

    def __init__(
        self, home: Path, config_toml: str = "", args: tuple[str, ...] = (), database_url: str = ""
    ) -> None:
        self.home = home
        self.port = free_port()
        cfg = home.parent / ("privbot-%d.toml" % self.port)
        cfg.write_text(config_toml, encoding="utf-8")
        self.env = {**os.environ, "PRIVBOT_HOME": str(home), "PRIVBOT_CONFIG": str(cfg)}
        if database_url:
            self.env["PRIVBOT_DATABASE_URL"] = database_url
        self.url = "http://127.0.0.1:%d" % self.port
        self.log = home.parent / ("serve-%d.log" % self.port)
        self._log = self.log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "privbot", "serve", "--smtp-port", str(free_port())]
            + ["--web-port", str(self.port), *args],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> Served:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("privbot serve exited: %s" % self.output())
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError("privbot serve did not answer: %s" % self.output())

    def output(self) -> str:
        self._log.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIVBOT_HOME": str(home)}
    env.pop("PRIVBOT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "privbot", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def add_user(engine: Engine, name: str, role: str = "staff", password: str = PASSWORD) -> None:
    """Straight into the served database (the CLI's own commands are attacked below)."""
    from privbot import users

    with session_scope(engine) as session:
        users.add_user(session, name, role, password)


@pytest.fixture
def serve(home: Path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(
        config_toml: str = "",
        args: tuple[str, ...] = (),
        ready: bool = True,
        database_url: str = "",
    ) -> Served:
        served = Served(home, config_toml, args, database_url)
        started.append(served)
        return served.wait_ready() if ready else served

    yield start
    for served in started:
        served.stop()


@pytest.fixture(name="db")
def db_fixture(home: Path) -> Iterator[Engine]:
    engine = make_engine("sqlite:///%s" % (home / "privbot.db"))
    yield engine
    engine.dispose()


class Visitor(httpx.Client):
    """An HTTP client that keeps the CSRF token of the last form it was given."""

    csrf = ""
    opened: list[httpx.Client] = []

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        Visitor.opened.append(self)


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    yield
    while Visitor.opened:
        Visitor.opened.pop().close()


def browser(url: str) -> Visitor:
    """A client holding the sign-in form's cookie and CSRF token."""
    client = Visitor(base_url=url, timeout=120)
    client.csrf = csrf_of(client.get("/login").text)
    return client


def sign_in(client: Visitor, name: str, password: str = PASSWORD) -> httpx.Response:
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": client.csrf},
        follow_redirects=False,
    )


def signed_in(url: str, name: str) -> Visitor:
    client = browser(url)
    assert sign_in(client, name).status_code == 303
    client.csrf = csrf_of(client.get("/inbox").text)
    return client


def copy_of_cookie(client: httpx.Client, url: str) -> httpx.Client:
    """What an attacker holds after stealing the session cookie."""
    thief = Visitor(base_url=url, timeout=60)
    thief.cookies.set("privbot_session", client.cookies["privbot_session"])
    return thief


def refused(response: httpx.Response) -> bool:
    """Sent to the sign-in page (pages) or 401 (API): the session is not accepted."""
    return response.status_code == 401 or (
        response.status_code == 303 and response.headers["location"].startswith("/login")
    )


# --- break 3: the login throttle could be raced ------------------------------------------------


def test_forty_parallel_guesses_across_two_processes_only_the_limit_is_checked(
    serve: Callable[..., Served], any_engine: tuple[Engine, Config]
) -> None:
    db, config = any_engine
    add_user(db, "anna")
    # two processes, one database (SQLite, then PostgreSQL)
    servers = [serve(database_url=config.database_url) for _ in range(2)]
    clients = [browser(servers[i % 2].url) for i in range(40)]
    barrier = threading.Barrier(len(clients))

    def guess(index: int) -> int:
        barrier.wait()
        return sign_in(clients[index], "anna", "wrong guess %d!" % index).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        codes = list(pool.map(guess, range(len(clients))))
    assert sorted(set(codes)) == [401, 429]
    assert codes.count(401) == MAX_USER_ATTEMPTS  # checked against the hash; the rest never were
    assert codes.count(429) == 40 - MAX_USER_ATTEMPTS
    assert sign_in(browser(servers[0].url), "anna").status_code == 429  # even the right one
    with Session(db) as session:
        failed = session.exec(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert len(failed) == MAX_USER_ATTEMPTS


def test_argon2_hashes_run_a_bounded_number_at_once(db: Engine, home: Path) -> None:
    from privbot import users

    with Session(db) as session:
        users.add_user(session, "bo", "staff", PASSWORD)
        session.commit()
    users.hash_gate.peak = 0
    barrier = threading.Barrier(16)

    def check(index: int) -> object:
        barrier.wait()
        with Session(db) as session:
            return users.authenticate(session, "bo", "wrong %d" % index)

    with ThreadPoolExecutor(16) as pool:
        assert list(pool.map(check, range(16))) == [None] * 16
    assert 1 <= users.hash_gate.peak <= users.HASH_SLOTS < 16


# --- break 4: sessions could not be revoked ---------------------------------------------------


def test_logout_ends_a_stolen_copy_of_the_cookie(
    home: Path, serve: Callable[..., Served], db: Engine
) -> None:
    add_user(db, "anna")
    server = serve()
    anna = signed_in(server.url, "anna")
    thief = copy_of_cookie(anna, server.url)
    assert thief.get("/inbox").status_code == 200 and thief.get("/api/cases").status_code == 200
    out = anna.post("/logout", data={"csrf": anna.csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert refused(thief.get("/inbox", follow_redirects=False))
    assert thief.get("/api/cases").status_code == 401
    with Session(db) as session:
        assert session.exec(select(WebSession)).all() == []


def test_a_new_password_from_the_cli_ends_every_session(
    home: Path, serve: Callable[..., Served], db: Engine
) -> None:
    add_user(db, "anna")
    server = serve()
    sessions = [signed_in(server.url, "anna") for _ in range(2)]
    secret = home.parent / "new-pw"
    secret.write_text(NEW_PASSWORD, encoding="utf-8")
    done = cli(home, "users", "password", "anna", "--password-file", str(secret))
    assert done.returncode == 0, done.stderr
    for client in sessions:
        assert refused(client.get("/inbox", follow_redirects=False))
    assert sign_in(browser(server.url), "anna").status_code == 401
    assert sign_in(browser(server.url), "anna", NEW_PASSWORD).status_code == 303
    with Session(db) as session:
        [event] = session.exec(
            select(AuditEvent).where(AuditEvent.action == "password_changed")
        ).all()
    assert event.actor == "cli" and event.detail == {"user": "anna", "sessions_ended": 2}


def test_idle_and_absolute_lifetimes(home: Path, serve: Callable[..., Served], db: Engine) -> None:
    add_user(db, "anna")
    server = serve("[web]\nsession_hours = 10\nsession_idle_minutes = 30\n")
    idle = signed_in(server.url, "anna")
    with Session(db) as session:  # the clock moves on: 31 minutes without a request
        session.exec(update(WebSession).values(last_seen=utcnow() - timedelta(minutes=31)))
        session.commit()
    assert refused(idle.get("/inbox", follow_redirects=False))
    busy = signed_in(server.url, "anna")
    with Session(db) as session:  # in use a minute ago, but signed in 10 hours ago
        session.exec(
            update(WebSession).values(
                created_at=utcnow() - timedelta(hours=10, minutes=1),
                expires_at=utcnow() - timedelta(minutes=1),
                last_seen=utcnow() - timedelta(minutes=1),
            )
        )
        session.commit()
    assert refused(busy.get("/inbox", follow_redirects=False))
    assert busy.get("/api/cases").status_code == 401


def test_secure_cookie_behind_a_tls_proxy(serve: Callable[..., Served], db: Engine) -> None:
    add_user(db, "anna")
    plain = serve()
    behind_tls = serve('[web]\npublic_url = "https://privbot.example.se"\n')
    for server, secure in ((plain, False), (behind_tls, True)):
        form = httpx.get(server.url + "/login")
        # A TLS proxy would carry a Secure cookie back; over plain loopback we carry it by hand.
        cookie = form.headers["set-cookie"].split(";", 1)[0]
        response = httpx.post(
            server.url + "/login",
            data={"name": "anna", "password": PASSWORD, "csrf": csrf_of(form.text)},
            headers={"cookie": cookie},
        )
        assert response.status_code == 303
        flags = response.headers["set-cookie"].lower()
        assert "httponly" in flags and "samesite=strict" in flags
        assert ("; secure" in flags) is secure


# --- break 10: a disabled user kept API access -------------------------------------------------

PUBLIC = {"/login", "/logout", "/healthz", "/chat", "/api/chat", "/chat/static/{name}"}


def routes_with_guards() -> Iterator[tuple[APIRoute, str, set[object]]]:
    """Every route of the app with its full path and every dependency it runs, including those
    of the routers it is included through (newer FastAPI keeps included routers nested)."""
    from privbot.config import load_config
    from privbot.web.app import create_app

    def calls(dependant: object) -> set[object]:
        found = {getattr(dependant, "call", None)}
        for sub in getattr(dependant, "dependencies", []):
            found |= calls(sub)
        return found

    def walk(
        routes: list[Any], prefix: str, inherited: set[object]
    ) -> Iterator[tuple[APIRoute, str, set[object]]]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield route, prefix + route.path, inherited | calls(route.dependant)
            elif getattr(route, "original_router", None) is not None:
                context = route.include_context
                guards = {d.dependency for d in context.dependencies}
                yield from walk(
                    route.original_router.routes, prefix + context.prefix, inherited | guards
                )

    config = load_config(env={"PRIVBOT_HOME": "/nonexistent"})
    app = create_app(config, make_engine("sqlite://"), secret="s" * 40)
    yield from walk(app.routes, "", set())


def is_public(path: str) -> bool:
    return path in PUBLIC or path.startswith(("/verify/", "/chat/confirm/"))


def staff_paths() -> list[str]:
    """Every GET path of the app that is not public, with its parameters filled in."""
    return [
        re.sub(r"\{[^}]+\}", "1", path.replace("{reference}", "DS-2026-0001"))
        for route, path, _ in routes_with_guards()
        if "GET" in route.methods and not is_public(path)
    ]


def test_every_staff_route_goes_through_the_one_staff_dependency() -> None:
    from privbot.web.deps import current_staff

    staff = [(path, guards) for _, path, guards in routes_with_guards() if not is_public(path)]
    assert len(staff) > 10 and "/api/cases" in dict(staff)
    for path, guards in staff:
        assert current_staff in guards, path


def test_a_disabled_user_loses_every_staff_route_and_the_api_at_once(
    home: Path, serve: Callable[..., Served], db: Engine
) -> None:
    add_user(db, "anna")
    add_user(db, "sara", "supervisor")
    server = serve()
    anna, sara = signed_in(server.url, "anna"), signed_in(server.url, "sara")
    assert anna.get("/api/cases").status_code == 200
    paths = staff_paths()
    assert "/api/cases" in paths and "/audit" in paths and "/inbox" in paths
    done = cli(home, "users", "disable", "anna")
    assert done.returncode == 0, done.stderr
    for path in paths:
        assert refused(anna.get(path, follow_redirects=False)), path
    posted = anna.post(
        "/cases/DS-2026-0001/note",
        data={"csrf": anna.csrf, "text": "still here?"},
        follow_redirects=False,
    )
    assert refused(posted)
    assert sign_in(browser(server.url), "anna").status_code == 401
    assert sara.get("/api/cases").status_code == 200  # other users are untouched
    assert cli(home, "users", "enable", "anna").returncode == 0
    assert sign_in(browser(server.url), "anna").status_code == 303
    with Session(db) as session:
        actions = session.exec(
            select(AuditEvent.action).where(col(AuditEvent.action).like("user_%"))
        ).all()
    assert actions.count("user_disabled") == 1 and actions.count("user_enabled") == 1
    listed = cli(home, "users", "list").stdout
    assert re.search(r"anna\s+staff\s+active", listed)


def test_users_cli_refuses_unknown_names_and_roles_clearly(home: Path, db: Engine) -> None:
    add_user(db, "anna")
    for args in (("disable", "nobody"), ("enable", "nobody"), ("role", "anna", "emperor")):
        done = cli(home, "users", *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr.startswith("privbot: ")


# --- break 11: X-Forwarded-For was trusted from loopback -------------------------------------


def test_spoofed_forwarded_for_does_not_escape_the_client_limits(
    home: Path, serve: Callable[..., Served]
) -> None:
    server = serve("[chat]\nper_client_per_minute = 3\n")
    codes = []
    for index in range(MAX_CLIENT_ATTEMPTS + 5):  # a new user name and a new "address" each time
        client = browser(server.url)
        client.headers["x-forwarded-for"] = "203.0.113.%d" % (index + 1)
        codes.append(sign_in(client, "user%d" % index, "guess").status_code)
    assert codes == [401] * MAX_CLIENT_ATTEMPTS + [429] * 5
    chats = [
        httpx.post(
            server.url + "/api/chat",
            json={"message": "Hur länge sparar ni mina uppgifter?"},
            headers={"x-forwarded-for": "198.51.100.%d" % (index + 1)},
        ).status_code
        for index in range(5)
    ]
    assert chats == [200, 200, 200, 429, 429]


def test_forwarded_for_counts_from_a_trusted_proxy(
    home: Path, serve: Callable[..., Served]
) -> None:
    server = serve('[web]\ntrusted_proxies = ["127.0.0.1"]\n')
    codes = []
    for index in range(MAX_CLIENT_ATTEMPTS + 5):
        client = browser(server.url)
        client.headers["x-forwarded-for"] = "203.0.113.%d" % (index + 1)
        codes.append(sign_in(client, "user%d" % index, "guess").status_code)
    assert codes == [401] * (MAX_CLIENT_ATTEMPTS + 5)  # each address behind the proxy counts alone


def test_a_bad_trusted_proxies_setting_is_a_clear_error(home: Path) -> None:
    cfg = home.parent / "bad.toml"
    cfg.write_text('[web]\ntrusted_proxies = ["proxy.internal"]\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "privbot", "users", "list"],
        env={**os.environ, "PRIVBOT_HOME": str(home), "PRIVBOT_CONFIG": str(cfg)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "trusted_proxies" in done.stderr


# --- also from the review ---------------------------------------------------------------------


def chat_request(url: str) -> None:
    session_id = None
    for text in ("Jag vill att ni raderar mina uppgifter.", "Karin Holm", "karin.holm@example.se"):
        reply = httpx.post(url + "/api/chat", json={"session_id": session_id, "message": text})
        assert reply.status_code == 200
        session_id = reply.json()["session_id"]


def test_chat_link_points_at_the_port_really_served(
    home: Path, serve: Callable[..., Served], relay: tuple[Catcher, int]
) -> None:
    catcher, relay_port = relay
    # The config says port 8000; `serve --web-port` serves another one.
    server = serve('[web]\nport = 8000\n[relay]\nhost = "127.0.0.1"\nport = %d\n' % relay_port)
    chat_request(server.url)
    [mail] = catcher.wait(1, timeout=60)
    link = re.search(r"https?://\S+/chat/confirm/[\w-]+", mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert link is not None and link.group(0).startswith(server.url + "/chat/confirm/")
    assert httpx.get(link.group(0)).status_code == 200


def test_chat_link_uses_public_url(
    home: Path, serve: Callable[..., Served], relay: tuple[Catcher, int]
) -> None:
    catcher, relay_port = relay
    server = serve(
        '[web]\npublic_url = "https://privbot.example.se/"\n'
        '[relay]\nhost = "127.0.0.1"\nport = %d\n' % relay_port
    )
    chat_request(server.url)
    [mail] = catcher.wait(1, timeout=60)
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "https://privbot.example.se/chat/confirm/" in text


def test_an_empty_secret_key_file_is_refused(home: Path, serve: Callable[..., Served]) -> None:
    home.mkdir(parents=True)
    (home / "web-secret.key").write_text("\n", encoding="ascii")
    server = serve(ready=False)
    try:
        server.proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail("privbot serve started with an empty cookie secret")
    output = server.output()
    assert server.proc.returncode == 2 and "Traceback" not in output
    assert "privbot: the web secret" in output and "empty" in output


UVICORN_SCRIPT = """
import sys
from privbot import cli
from privbot.config import load_config
from privbot.config import Config
from privbot.db import make_engine, session_scope
from privbot.service import serve_web
from privbot.web.app import create_app

cli._setup_logging()
config = load_config(web_port=int(sys.argv[1]))
app = create_app(config, make_engine(config.database_url))

@app.get("/boom")
def boom() -> None:
    raise RuntimeError("lookup failed for 19811218-9876 <greta.holm@example.se>")

serve_web(app, config)
"""


def test_uvicorn_log_lines_are_masked(home: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", UVICORN_SCRIPT, str(port)],
        env={**os.environ, "PRIVBOT_HOME": str(home)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get("http://127.0.0.1:%d/boom" % port, timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.1)
        assert response.status_code == 500
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=30)
    assert "Exception in ASGI application" in stderr  # uvicorn's own logger wrote it ...
    assert "uvicorn.error" in stderr  # ... through privbot's handler
    assert "9876" not in stderr and "greta.holm@example.se" not in stderr
    assert "<address>" in stderr
