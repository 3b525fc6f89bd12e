"""Keep an IMAP `Poller` running: catch up, wait for mail, reconnect when the server goes away.

IDLE where the server advertises it, otherwise a plain wait; either way every `poll_interval` the
poller catches up with a UID search (IDLE is only a hint) and the connection proves it is alive
(`idle_done`/`NOOP` answer within the socket timeout, or the connection is dropped and made
anew). Network errors reconnect with exponential backoff and jitter; refused credentials log
one clear error and wait `login_retry` before the next attempt. Only the process holding the
folder's lease (`lease.py`) polls; the others wait and take over when it stops renewing.
"""

from __future__ import annotations

import logging
import random
import threading
import time

from privbot import lease
from privbot.config import ImapConfig
from privbot.errors import MailboxError, MailboxLoginError
from privbot.mail.imap import CycleReport, Poller
from privbot.mail.imap_connect import network

log = logging.getLogger(__name__)

_NEW_MAIL = (b"EXISTS", b"RECENT")


class Backoff:
    """Exponential delays with jitter: base·2ⁿ capped, each drawn from its upper half."""

    def __init__(
        self, base: float = 1.0, cap: float = 300.0, rng: random.Random | None = None
    ) -> None:
        self.base, self.cap, self.attempt = base, cap, 0
        self.rng = rng or random.Random()

    def next(self) -> float:
        ceiling = min(self.cap, self.base * 2**self.attempt)
        self.attempt = min(self.attempt + 1, 30)
        return self.rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.attempt = 0


def poll_once(
    poller: Poller, retry_for: float = 0.0, backoff: Backoff | None = None
) -> CycleReport:
    """One full cycle; network errors are retried with backoff for up to `retry_for` seconds.

    A refused login is raised at once: retrying a wrong password helps nobody.
    """
    backoff = backoff or Backoff(cap=poller.cfg.backoff_max)
    give_up = time.monotonic() + retry_for
    try:
        while True:
            try:
                return poller.cycle()
            except MailboxLoginError:
                raise
            except MailboxError as exc:
                poller.close()
                delay = backoff.next()
                if time.monotonic() + delay > give_up:
                    raise
                log.warning("%s; retrying in %.1f s", exc, delay)
                time.sleep(delay)
    finally:
        poller.close()


class Watcher:
    """The poller's loop for `privbot serve`: runs until `stopping` is set."""

    def __init__(
        self, poller: Poller, stopping: threading.Event, backoff: Backoff | None = None
    ) -> None:
        self.poller = poller
        self.cfg: ImapConfig = poller.cfg
        self.stopping = stopping
        self.backoff = backoff or Backoff(cap=self.cfg.backoff_max)
        self.login_failures = 0
        self.cycles = 0
        self.holder = lease.new_holder()
        self.holding = False

    def hold_lease(self) -> bool:
        """Take or renew this folder's lease; log when it changes hands."""
        held = lease.acquire(
            self.poller.engine, self.poller.lease_name, self.holder, self.cfg.lease_seconds
        )
        if held != self.holding:
            log.info("imap poller lease %s", "taken" if held else "held by another process")
            self.holding = held
        return held

    def run(self) -> None:
        try:
            self._run()
        finally:
            if self.holding:
                lease.release(self.poller.engine, self.poller.lease_name, self.holder)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                if not self.hold_lease():
                    self.poller.close()
                    self.stopping.wait(min(self.cfg.poll_interval, self.cfg.lease_seconds / 3))
                    continue
                report = self.poller.cycle()
                self.cycles += 1
                self.backoff.reset()
                if report.new or report.processed or report.quarantined:
                    log.info(
                        "imap cycle: %d new, %d known, %d moved, %d quarantined",
                        report.new,
                        report.known,
                        report.processed,
                        report.quarantined,
                    )
                self.wait_for_mail()
            except MailboxLoginError as exc:
                self.login_failures += 1
                self.poller.close()
                log.error("%s; next attempt in %.0f s", exc, self.cfg.login_retry)
                self.stopping.wait(self.cfg.login_retry)
            except MailboxError as exc:
                self.poller.close()
                delay = self.backoff.next()
                log.warning("%s; reconnecting in %.1f s", exc, delay)
                self.stopping.wait(delay)
            except (
                Exception
            ) as exc:  # the database, or a bug: keep polling, the spool keeps the mail
                self.poller.close()
                delay = self.backoff.next()
                log.error("imap cycle failed (%s); retrying in %.1f s", type(exc).__name__, delay)
                log.debug("imap cycle failure", exc_info=True)
                self.stopping.wait(delay)
        self.poller.close()

    def wait_for_mail(self) -> None:
        """Return when new mail may have arrived or `poll_interval` has passed.

        Raises MailboxError when the connection does not answer at the end of the wait.
        """
        client = self.poller.client
        if client is None:
            return
        # Back before a third of the lease has passed, to renew it.
        interval = min(self.cfg.poll_interval, self.cfg.idle_timeout, self.cfg.lease_seconds / 3)
        deadline = time.monotonic() + interval
        if not self.poller.can_idle:
            self.stopping.wait(interval)
            with network("noop", self.cfg):
                client.noop()
            return
        with network("idle", self.cfg):
            client.idle()
            try:
                while not self.stopping.is_set():
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    asked = time.monotonic()
                    responses = client.idle_check(timeout=min(1.0, left))
                    if any(len(r) > 1 and r[1] in _NEW_MAIL for r in responses):
                        break
                    if not responses and time.monotonic() - asked < min(1.0, left) / 2:
                        break  # readable but nothing to read: the server closed; idle_done will tell
                    if any(r and r[0] == b"BYE" for r in responses):
                        raise MailboxError(
                            "IMAP %s:%d: the server said BYE" % (self.cfg.host, self.cfg.port)
                        )
            finally:
                # Also the liveness check: a dead connection fails here within the socket timeout.
                client.idle_done()
