"""Nonces in an SQLite file: one store shared by every worker process of a machine.

The standard library's sqlite3 only. Recording is one ``INSERT`` on a primary key, so of two
processes that record the same nonce at once the database lets exactly one succeed (the other gets
an integrity error: a replay). Rows whose expiry has passed are deleted as the store is used, so
the file stays as small as the traffic of one timestamp window.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from .nonces import nonce_key

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS oauth_nonces ("
    " key TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS oauth_nonces_expiry ON oauth_nonces (expires_at)",
)
PURGE_EVERY = 256
"""Expired rows are deleted on one call in this many (and on the first): a DELETE per request
would double the writes for nothing, and a row that outlived its expiry is ignored anyway."""


class SQLiteNonces:
    """A :class:`~oauth_debug.server.nonces.NonceStore` in the SQLite file at ``path``.

    Each thread gets its own connection (sqlite3 connections are not shared across threads); the
    file is opened in WAL mode so that readers do not wait for writers, with a busy timeout so
    that concurrent writers queue instead of failing.
    """

    def __init__(self, path: str | Path, *, timeout: float = 10.0) -> None:
        self.path = str(path)
        self._timeout = timeout
        self._local = threading.local()
        self._calls = 0
        with self._connect() as connection:
            for statement in _SCHEMA:
                connection.execute(statement)

    def _connect(self) -> sqlite3.Connection:
        # Per thread, and per process: a connection must not cross a fork (gunicorn --preload
        # forks workers after the app, and this store, were made), so a child opens its own.
        held: tuple[int, sqlite3.Connection] | None = getattr(self._local, "connection", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        connection = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        self._local.connection = (os.getpid(), connection)
        return connection

    def use(
        self, consumer_key: str, token: str | None, nonce: str, *, now: float, expires_at: float
    ) -> bool:
        connection = self._connect()
        key = nonce_key(consumer_key, token, nonce)
        purge = self._calls % PURGE_EVERY == 0
        self._calls += 1
        # One transaction: the expired row of this very key (if any) goes, then the insert either
        # takes the key or fails on it. BEGIN IMMEDIATE takes the write lock first, so the two
        # statements are not interleaved with another process's.
        connection.execute("BEGIN IMMEDIATE")
        try:
            if purge:
                connection.execute("DELETE FROM oauth_nonces WHERE expires_at < ?", (now,))
            else:
                connection.execute(
                    "DELETE FROM oauth_nonces WHERE key = ? AND expires_at < ?", (key, now)
                )
            connection.execute(
                "INSERT INTO oauth_nonces (key, expires_at) VALUES (?, ?)", (key, expires_at)
            )
        except sqlite3.IntegrityError:
            connection.execute("ROLLBACK")
            return False
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return True

    def __len__(self) -> int:
        """The rows held, expired or not (for tests and monitoring)."""
        row = self._connect().execute("SELECT COUNT(*) FROM oauth_nonces").fetchone()
        return int(row[0])
