"""privbot's long-running roles: intake (SMTP intake and IMAP poller), worker (pipeline, sender,
periodic jobs) and web. `privbot serve` runs all three in one process; `privbot intake`, `worker`
and `web` run one each, any number of them on one PostgreSQL (work is claimed with SKIP LOCKED,
each mailbox's poller holds a lease).

The worker wakes when intake spools a message and on a timer, processes pending spool entries
and delivers the outbox. With `[imap] host` set, the IMAP poller runs in a thread of its own
(`mail/watch.py`) and runs the pipeline through `process_pending` before it moves mail, under
the same lock as the worker. Periodic jobs (reminders, retention) are `(interval, function)` pairs.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import replace

import uvicorn
from fastapi import FastAPI

from privbot.cases import outbox
from privbot.config import Config
from privbot.context import Context
from privbot.datadir import secure_home
from privbot.db import make_engine
from privbot.mail.imap import Poller
from privbot.mail.send import recover_interrupted
from privbot.mail.smtp import Intake
from privbot.mail.watch import Watcher
from privbot.pipeline import run

log = logging.getLogger(__name__)

ROLES = ("intake", "worker", "web")


class Service:
    def __init__(
        self,
        config: Config,
        smtp_port: int | None = None,
        web_port: int | None = None,
        interval: float = 5.0,
        roles: tuple[str, ...] = ROLES,
    ) -> None:
        if web_port is not None:  # links (public_url's default) point at the port really served
            config = replace(config, web_port=web_port)
        self.roles = frozenset(roles)
        self.config = config
        secure_home(config.home)
        self.engine = make_engine(config.database_url)
        self.ctx = Context.load(config)
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.interval = interval
        self.intake = (
            Intake(self.engine, config, port=smtp_port, on_spooled=self.wake.set)
            if "intake" in self.roles
            else None
        )
        self.web_port = config.web_port
        self.jobs: list[tuple[float, Callable[[], object]]] = []
        self.jobs.append(
            (3600.0, self.privacy_hourly)
        )  # identity reminders/closing; the day's digest once
        self.jobs.append((86400.0, self.retention_daily))
        self._threads: list[threading.Thread] = []
        self._pipeline_lock = (
            threading.Lock()
        )  # SQLite has no SKIP LOCKED: one pipeline run at a time
        self.watchers: list[Watcher] = []  # one poller per mailbox with an IMAP account
        if "intake" in self.roles:
            # Beside a worker, the pipeline runs before mail is moved, so quarantined mail goes
            # to the quarantine folder; an intake alone moves mail once it is spooled.
            process = self.process_pending if "worker" in self.roles else None
            for box in config.mailboxes:
                if box.imap is not None:
                    poller = Poller(
                        self.engine,
                        box.imap,
                        config.max_message_bytes,
                        process=process,
                        mailbox=box.key,
                    )
                    self.watchers.append(Watcher(poller, self.stopping))

    def process_pending(self) -> dict[str, int]:
        """Run the pipeline over every pending spool entry (the worker's and the poller's way in)."""
        total: dict[str, int] = {}
        with self._pipeline_lock:
            while counts := run(self.engine, self.ctx):
                for outcome, count in counts.items():
                    total[outcome] = total.get(outcome, 0) + count
        if total:
            log.info("pipeline: %s", total)
            self.wake.set()  # receipts may be waiting in the outbox
        return total

    def work_once(self) -> bool:
        """One pipeline run and one batch of sending; True when more mail may be due now."""
        self.process_pending()
        batch = 50
        return outbox.deliver(self.engine, self.config, limit=batch) == batch

    def privacy_hourly(self) -> None:
        from privbot.cases.digest import send_digest, today_in_sweden
        from privbot.cases.identity import sweep
        from privbot.db import session_scope

        with session_scope(self.engine) as session:
            counts = sweep(session, self.config, self.ctx.replies)
            send_digest(
                session, self.config, self.ctx.replies, today_in_sweden()
            )  # once per day: DigestRun
        if any(counts.values()):
            log.info("identity sweep: %s", counts)
        self.wake.set()

    def retention_daily(self) -> None:
        from privbot.db import session_scope
        from privbot.retention import purge

        with session_scope(self.engine) as session:
            purge(session, self.config)

    def _worker(self) -> None:
        self.ctx.warm()
        more = False
        while not self.stopping.is_set():
            if not more:
                self.wake.wait(self.interval)
            self.wake.clear()
            more = False
            try:
                more = self.work_once()
            except Exception as exc:  # keep serving; the entry-level errors are already recorded
                log.error("worker cycle failed (%s)", type(exc).__name__)
                log.debug("worker failure", exc_info=True)

    def _job(self, interval: float, fn: Callable[[], object]) -> None:
        while not self.stopping.wait(interval):
            try:
                fn()
            except Exception as exc:
                log.error(
                    "periodic job %s failed (%s)", getattr(fn, "__name__", fn), type(exc).__name__
                )

    def start(self) -> None:
        threads: list[threading.Thread] = []
        if "worker" in self.roles:
            recovered = recover_interrupted(self.engine)
            if recovered:
                log.warning("%d interrupted send(s) marked uncertain for staff", recovered)
            threads.append(threading.Thread(target=self._worker, daemon=True))
            threads += [
                threading.Thread(target=self._job, args=(i, f), daemon=True) for i, f in self.jobs
            ]
        if self.intake is not None:
            self.intake.start()
            log.info(
                "smtp intake on %s:%d for %d address(es)",
                self.config.intake_host,
                self.intake.port,
                len(self.config.addresses),
            )
        for watcher in self.watchers:
            cfg = watcher.poller.cfg
            log.info("imap poller for %s:%d (%s)", cfg.host, cfg.port, watcher.poller.mailbox)
            threads.append(threading.Thread(target=watcher.run, daemon=True))
        for thread in threads:
            thread.start()
            self._threads.append(thread)
        self.wake.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()
        if self.intake is not None:
            self.intake.stop()
        for thread in self._threads:
            thread.join(timeout=10)

    def run_forever(self) -> None:
        """Run until SIGTERM or Ctrl-C (uvicorn handles both where the web role runs)."""
        from privbot.web.app import create_app

        self.start()
        try:
            if "web" in self.roles:
                log.info("web on http://%s:%d/", self.config.web_host, self.web_port)
                # Pages and the chat wake this process's worker, which sends and processes.
                wake = self.wake.set if "worker" in self.roles else None
                app = create_app(self.config, self.engine, ctx=self.ctx, wake=wake)
                serve_web(app, self.config)
            else:
                signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
                try:
                    while not self.stopping.wait(3600):
                        pass
                except KeyboardInterrupt:
                    pass
        finally:
            self.stop()


def serve_web(app: FastAPI, config: Config) -> None:
    """Run the web app under uvicorn until stopped.

    uvicorn's own loggers propagate to the root handlers that `cli` set up, so the masking
    filter sees them too (`log_config=None`: no handlers of uvicorn's own). No access log:
    paths carry one-time tokens. Proxy headers are not read here; the app reads them only from
    `[web] trusted_proxies` (`web/app.py`).
    """
    verbose = logging.getLogger().isEnabledFor(logging.DEBUG)
    uvicorn.run(
        app,
        host=config.web_host,
        port=config.web_port,
        log_config=None,
        log_level="info" if verbose else "warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )
