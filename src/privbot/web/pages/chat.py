"""The data subjects' chat on the web: the page `/chat`, `POST /api/chat`, the confirmation link.

Routes only translate HTTP to `ChatBot` calls and back; the conversation is `chat/bot.py`'s. The
page is static HTML plus a small script (no inline code, a strict Content-Security-Policy), and
every text reaches the page through escaping: Jinja autoescape, `textContent` in the script.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from privbot.cases import outbox
from privbot.chat.bot import ChatBot
from privbot.config import Config
from privbot.context import Context

log = logging.getLogger(__name__)
WEB = Path(__file__).resolve().parents[1]
templates = Jinja2Templates(directory=WEB / "templates")
router = APIRouter()
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the confirmation link's token must not leak
    "Cache-Control": "no-store",
}


class ChatIn(BaseModel):
    session_id: Annotated[str | None, Field(default=None, max_length=100)] = None
    message: Annotated[str, Field(max_length=20_000)]


def install(app: FastAPI, config: Config, engine: Engine, ctx: Context) -> None:
    """Load the chat (a bad data file stops start-up) and add its routes."""
    app.state.chat = ChatBot.load(config, engine, ctx)
    app.include_router(router)


def _bot(request: Request) -> ChatBot:
    bot: ChatBot = request.app.state.chat
    return bot


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _page(
    request: Request, name: str, context: dict[str, object], status: int = 200
) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(HEADERS)
    return response


@router.get("/chat", response_class=HTMLResponse)
def chat_page(request: Request, lang: str = "sv") -> HTMLResponse:
    bot = _bot(request)
    language = "en" if lang == "en" else "sv"
    ui = {code: bot.texts.ui(code) for code in ("sv", "en")}
    return _page(
        request,
        "chat.html",
        {
            "language": language,
            "ui": ui[language],
            "ui_all": ui,
            "welcome": bot.welcome(language),
            "max_chars": bot.settings.max_chars,
        },
    )


@router.post("/api/chat")
def api_chat(body: ChatIn, request: Request, background: BackgroundTasks) -> JSONResponse:
    bot = _bot(request)
    reply = bot.handle(body.session_id, body.message, _client(request))
    if reply.mail_queued:
        background.add_task(outbox.deliver, bot.engine, bot.config)
    return JSONResponse(
        reply.as_json(), status_code=reply.status, headers={"Cache-Control": "no-store"}
    )


@router.get("/chat/confirm/{token}", response_class=HTMLResponse)
def confirm_page(token: str, request: Request) -> HTMLResponse:
    """Show a button, not confirm: mail scanners open links, people press buttons."""
    bot = _bot(request)
    language = bot.link_is_valid(token)
    ui = bot.texts.ui(language or "sv")
    return _page(
        request,
        "chat_confirm.html",
        {
            "language": language or "sv",
            "ui": ui,
            "valid": language is not None,
            "done": "",
            "token": token,
        },
        200 if language else 404,
    )


@router.post("/chat/confirm/{token}", response_class=HTMLResponse)
def confirm(token: str, request: Request, background: BackgroundTasks) -> HTMLResponse:
    bot = _bot(request)
    confirmation = bot.confirm_link(token)
    if confirmation is None:
        return _page(
            request,
            "chat_confirm.html",
            {"language": "sv", "ui": bot.texts.ui("sv"), "valid": False, "done": "", "token": ""},
            404,
        )
    background.add_task(outbox.deliver, bot.engine, bot.config)
    return _page(
        request,
        "chat_confirm.html",
        {
            "language": confirmation.language,
            "ui": bot.texts.ui(confirmation.language),
            "valid": True,
            "done": confirmation.text,
            "token": "",
        },
    )


@router.get("/chat/static/{name}")
def static(name: str) -> Response:
    types = {"chat.js": "text/javascript", "chat.css": "text/css"}
    if name not in types:
        return Response(status_code=404)
    return FileResponse(
        WEB / "static" / "chat" / name,
        media_type=types[name],
        headers={"X-Content-Type-Options": "nosniff"},
    )
