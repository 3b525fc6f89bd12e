"""In-process rate limits: a sliding window of recent events per key (session, client, address).

Kept in memory on purpose (no table, nothing to purge); the counts reset when the process
restarts and are not shared between processes, which is documented in `settings.py`.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, max_keys: int = 50_000) -> None:
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys
        self._longest = 0.0

    def allow(self, key: str, limit: int, window: float) -> bool:
        """Record an event for `key` and say whether it is within `limit` per `window` seconds."""
        now = time.monotonic()
        with self._lock:
            self._longest = max(self._longest, window)
            if len(self._events) > self._max_keys:
                self._prune(now, self._longest)
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - window:
                events.popleft()
            if len(events) >= limit:
                return False
            events.append(now)
            return True

    def _prune(self, now: float, window: float) -> None:
        for key in [k for k, v in self._events.items() if not v or v[-1] <= now - window]:
            del self._events[key]
