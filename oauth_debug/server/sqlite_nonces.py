"""Nonces in an SQLite file: one store shared by every worker process of a machine.

The standard library's sqlite3 only. Recording is one ``INSERT`` on a primary key, so of two
processes that record the same nonce at once the database lets exactly one succeed (the other gets
an integrity error: a replay). Rows whose expiry has passed are deleted as the store is used, so
the file stays as small as the traffic of one timestamp window.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .nonces import nonce_key
from .sqlite_file import SQLiteFile

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
        self._file = SQLiteFile(path, timeout)
        self.path = self._file.path
        self._calls = 0
        self._file.write(lambda db: [db.execute(statement) for statement in _SCHEMA])

    def use(
        self, consumer_key: str, token: str | None, nonce: str, *, now: float, expires_at: float
    ) -> bool:
        key = nonce_key(consumer_key, token, nonce)
        purge = self._calls % PURGE_EVERY == 0
        self._calls += 1

        # One transaction: the expired row of this very key (if any) goes, then the insert either
        # takes the key or fails on it.
        def record(db: sqlite3.Connection) -> None:
            if purge:
                db.execute("DELETE FROM oauth_nonces WHERE expires_at < ?", (now,))
            else:
                db.execute("DELETE FROM oauth_nonces WHERE key = ? AND expires_at < ?", (key, now))
            db.execute(
                "INSERT INTO oauth_nonces (key, expires_at) VALUES (?, ?)", (key, expires_at)
            )

        try:
            self._file.write(record)
        except sqlite3.IntegrityError:
            return False  # the key is there and not expired: the nonce was used
        return True

    def __len__(self) -> int:
        """The rows held, expired or not (for tests and monitoring)."""
        row = self._file.get().execute("SELECT COUNT(*) FROM oauth_nonces").fetchone()
        return int(row[0])
