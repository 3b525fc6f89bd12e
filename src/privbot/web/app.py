"""The web application: `create_app(config, engine)` builds it; nothing happens at import time.

Pages for staff and supervisors, the data subjects' chat and the JSON API are routers added
here. This first version serves a health check and the case list as JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from privbot.config import Config
from privbot.models import Case
from privbot.web.pages import chat as chat_page


def create_app(config: Config, engine: Engine) -> FastAPI:
    app = FastAPI(title="privbot", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.config = config
    app.state.engine = engine

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/cases")
    def api_cases() -> list[dict[str, Any]]:
        with Session(engine) as session:
            rows = session.exec(select(Case).order_by(col(Case.due))).all()
            return [{"reference": c.reference, "status": c.status.value, "intents": c.intents, "due": c.due.isoformat()} for c in rows]

    chat_page.install(app, config, engine)  # /chat, /api/chat, /chat/confirm/{token}
    return app
