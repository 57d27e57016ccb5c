"""One SQLite file shared by threads and by worker processes: the nonce store's and the sandbox's.

sqlite3 connections may not be shared across threads, and one must not cross a fork (gunicorn
``--preload`` forks workers after the app, and its stores, were made), so each thread of each
process opens its own. The file is in WAL mode, so that readers do not wait for writers, with a
busy timeout, so that concurrent writers queue instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


class SQLiteFile:
    """Connections to the SQLite file at ``path``, one per thread and per process."""

    def __init__(self, path: str | Path, timeout: float) -> None:
        self.path = str(path)
        self._timeout = timeout
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        """This thread's connection (opened in this process)."""
        held: tuple[int, sqlite3.Connection] | None = getattr(self._local, "connection", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        connection = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        self._local.connection = (os.getpid(), connection)
        return connection

    def write(self, statements: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``statements`` in one write transaction (BEGIN IMMEDIATE takes the lock first, so
        they are not interleaved with another process's); any exception rolls it back."""
        connection = self.get()
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = statements(connection)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return result
