"""Connecting to the IMAP server: TLS as configured, login, and network failures as `MailboxError`.

A refused login is `MailboxLoginError`, naming the server and user and how to fix it, never the
password; an RFC 5530 `[UNAVAILABLE]` refusal is the server's trouble and retried like a network
error. What to do with the connection is `mail/imap.py`'s and `mail/imap_move.py`'s.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from privbot.config import ImapConfig
from privbot.errors import MailboxError, MailboxLoginError

NETWORK_ERRORS: tuple[type[BaseException], ...] = (OSError, imaplib.IMAP4.abort, EOFError)


@contextmanager
def network(what: str, cfg: ImapConfig) -> Iterator[None]:
    """Turn a broken connection into MailboxError, naming the server but never the password."""
    try:
        yield
    except MailboxError:
        raise
    except NETWORK_ERRORS as exc:
        raise MailboxError(
            "IMAP %s:%d: connection lost during %s (%s)"
            % (cfg.host, cfg.port, what, type(exc).__name__)
        ) from None


def _tls_context(cfg: ImapConfig) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=cfg.ca_file or None)


def _quiet(client: IMAPClient) -> None:
    """Let imaplib format nothing for a log that drops it.

    imapclient sets imaplib's debug level to 5 and hands its messages to the
    `imapclient.imaplib` logger, so imaplib formats every response it reads (each message's
    bytes as a repr, then a fetch's whole answer again) whether or not that logger writes
    anything: on a poller's fetch this cost twice the CPU of the fetch itself. privbot keeps
    the logger at WARNING (`cli.py`: the conversation holds addresses and headers); where
    someone has turned it on for debugging, imaplib goes on feeding it."""
    if not logging.getLogger("imapclient.imaplib").isEnabledFor(logging.DEBUG):
        client._imap.debug = 0


def connect(cfg: ImapConfig) -> IMAPClient:
    """A logged-in client. MailboxLoginError when the server refuses the credentials."""
    with network("connect", cfg):
        try:
            if cfg.tls == "imaps":
                client = IMAPClient(
                    cfg.host, cfg.port, ssl=True, ssl_context=_tls_context(cfg), timeout=cfg.timeout
                )
                _quiet(client)
            else:
                client = IMAPClient(cfg.host, cfg.port, ssl=False, timeout=cfg.timeout)
                _quiet(client)
                if cfg.tls == "starttls":
                    client.starttls(_tls_context(cfg))
        except IMAPClientError as exc:
            raise MailboxError(
                "IMAP %s:%d: connect failed (%s)" % (cfg.host, cfg.port, type(exc).__name__)
            ) from None
        try:
            client.login(cfg.user, cfg.password)
        except LoginError as exc:
            close(client)
            if isinstance(
                exc.__context__, NETWORK_ERRORS
            ):  # imapclient wraps a dropped connection too
                raise MailboxError(
                    "IMAP %s:%d: connection lost during login" % (cfg.host, cfg.port)
                ) from None
            said = str(exc).replace(cfg.password, "***") if cfg.password else str(exc)
            if "UNAVAILABLE" in said.upper():  # RFC 5530: the server's auth backend is down, not us
                raise MailboxError(
                    "IMAP %s:%d: login temporarily unavailable" % (cfg.host, cfg.port)
                ) from None
            raise MailboxLoginError(
                "IMAP %s:%d refused the login of user %r (%s); %s: check them there"
                % (
                    cfg.host,
                    cfg.port,
                    cfg.user,
                    said[:200],
                    cfg.credentials_from or "credentials from PRIVBOT_IMAP_USER/PASSWORD",
                )
            ) from None
        if client.has_capability("QRESYNC"):
            # Expunges (the mover's, seen again on the poller's connection) are then reported
            # as one VANISHED range per command instead of an EXPUNGE line per message.
            client.enable("QRESYNC")
    return client


def close(client: IMAPClient) -> None:
    """Log out if the connection still answers, otherwise just drop it."""
    try:
        client.logout()
    except Exception:  # the connection is already gone; nothing to act on
        try:
            client.shutdown()
        except Exception:  # noqa: S110  (closing a dead socket)
            pass
