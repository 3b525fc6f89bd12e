"""The web application: `create_app(config, engine)` builds it; nothing happens at import time.

Staff and supervisor pages are one router each in `web/pages/`; every staff router and the
`/api` router are included behind the one `current_staff` dependency (`web/deps.py`). Signing in,
the identity link and the data subjects' chat are the only public routes. Every response carries a strict
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
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import JSONResponse, Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from privbot.config import Config
from privbot.context import Context
from privbot.web.auth import SESSION_COOKIE, secret_key
from privbot.web.deps import STAFF, SignInRequired
from privbot.web.pages import (
    api,
    audit,
    case_list,
    cases,
    figures,
    inbox,
    login,
    queues,
    search,
    users,
    verify,
)
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
    https_only: bool | None = None,
    ctx: Context | None = None,
) -> FastAPI:
    """The app; `ctx` is the data `serve` loaded once at start-up (loaded here when absent)."""
    ctx = ctx or Context.load(config)
    app = FastAPI(title="privbot", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.config = config
    app.state.engine = engine
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
        max_age=int(config.session_hours * 3600),  # the server-side session decides; see auth.py
        same_site="strict",
        https_only=config.https_only if https_only is None else https_only,
    )

    @app.exception_handler(SignInRequired)
    async def to_login(request: Request, _exc: SignInRequired) -> Response:
        target = request.url.path if request.method == "GET" else "/"
        return RedirectResponse("/login?next=" + quote(target, safe="/"), status_code=303)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
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

    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static"
    )
    # Public: signing in, the requester's identity link, the data subjects' chat.
    app.include_router(login.router)
    app.include_router(verify.router)
    chat_page.install(app, config, engine, ctx)  # /chat, /api/chat, /chat/confirm/{token}
    # Everything else is for staff: one dependency on each router, never per route only.
    staff_routers = (
        inbox.router,
        case_list.router,  # /cases and /cases/export.csv before /cases/{reference}
        cases.router,
        queues.router,
        figures.router,
        audit.router,
        users.router,
        search.router,
    )
    for router in staff_routers:
        app.include_router(router, dependencies=[STAFF])
    app.include_router(api.router, dependencies=[STAFF])
    if config.trusted_proxies:  # outermost: routes and limits see the client behind the proxy
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(config.trusted_proxies))
    return app
