"""The web application: `create_app(config, engine)` builds it; nothing happens at import time.

Staff and supervisor pages are one router each in `web/pages/`, registered one line per router
below; the data subjects' chat is another router. Every response carries a strict
Content-Security-Policy and no-store caching, since pages hold personal data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response

from privbot.config import Config
from privbot.models import Case
from privbot.pipeline import Context
from privbot.web.auth import SESSION_COOKIE, SESSION_SECONDS, Throttle, secret_key
from privbot.web.deps import SignInRequired
from privbot.web.pages import audit, cases, figures, inbox, login, queues, verify
from privbot.web.pages import chat as chat_page
from privbot.web.render import page

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def create_app(
    config: Config,
    engine: Engine,
    secret: str | None = None,
    https_only: bool = False,
    ctx: Context | None = None,
) -> FastAPI:
    """The app; `ctx` is the data `serve` loaded once at start-up (loaded here when absent)."""
    ctx = ctx or Context.load(config)
    app = FastAPI(title="privbot", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.config = config
    app.state.engine = engine
    app.state.throttle = Throttle()
    app.state.replies = ctx.replies

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or secret_key(config),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="strict",
        https_only=https_only,
    )

    @app.exception_handler(SignInRequired)
    async def to_login(request: Request, _exc: SignInRequired) -> Response:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse("/login?next=" + quote(target, safe="/"), status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return page(
            request,
            "error.html",
            status_code=exc.status_code,
            message=str(exc.detail),
            user=getattr(request.state, "user", None),
        )

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/cases")
    def api_cases(request: Request) -> list[dict[str, Any]]:
        if not isinstance(request.session.get("uid"), int):
            raise HTTPException(status_code=401, detail="sign in first")
        with Session(engine) as session:
            rows = session.exec(select(Case).order_by(col(Case.due)).limit(1000)).all()
            return [
                {
                    "reference": c.reference,
                    "status": c.status.value,
                    "intents": c.intents,
                    "due": c.due.isoformat(),
                }
                for c in rows
            ]

    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static"
    )
    app.include_router(login.router)
    app.include_router(inbox.router)
    app.include_router(cases.router)
    app.include_router(queues.router)
    app.include_router(figures.router)
    app.include_router(audit.router)
    app.include_router(verify.router)  # the requester's identity link, public
    chat_page.install(app, config, engine, ctx)  # /chat, /api/chat, /chat/confirm/{token}
    return app
