"""The sandbox's state in one SQLite file, shared by every worker process of a machine.

``create_app(state="sandbox.sqlite")`` (or ``oauth-debug sandbox --state FILE``) keeps the used
nonces (:class:`oauth_debug.server.SQLiteNonces`, RFC 5849 3.3), the jobs and the OAuth 2 tokens
in that file, so that gunicorn's workers see one Gallery: a nonce used on one worker is refused by
every other, a job created on one is listed by all, and its id is never issued twice. The file
outlives the processes, so jobs survive a restart.

The standard library's sqlite3 only. A job id is built from the row's ``AUTOINCREMENT`` number,
which SQLite never hands out twice in one file (not even after the row is deleted), so ids are
unique across workers and restarts. A job's outcome is not stored: running a sandbox workflow is
pure and quick, so the stored answers give it back on every read.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..server.sqlite_file import SQLiteFile
from .auth import IssuedToken
from .jobs import AcceptedJob, job_id_for
from .published import SandboxWorkflow

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS sandbox_jobs ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, app_id TEXT NOT NULL, created REAL NOT NULL,"
    " priority INTEGER NOT NULL, answers TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sandbox_jobs_app ON sandbox_jobs (app_id, seq)",
    "CREATE INDEX IF NOT EXISTS sandbox_jobs_created ON sandbox_jobs (created, seq)",
    "CREATE TABLE IF NOT EXISTS sandbox_tokens ("
    " key TEXT PRIMARY KEY, expires_at REAL NOT NULL) WITHOUT ROWID",
)


def open_state(path: str | Path, timeout: float = 30.0) -> SQLiteFile:
    """The state file at ``path``, created with its tables when it does not exist."""
    connections = SQLiteFile(str(path), timeout)
    connections.write(lambda db: [db.execute(statement) for statement in _SCHEMA])
    return connections


class SQLiteJobStore:
    """:class:`~oauth_debug.sandbox.jobs.JobStore`'s interface on the state file.

    Bounded as the memory store is: past ``max_jobs``, the oldest finished jobs are deleted first
    (in the transaction that adds the new job, so every worker keeps the one bound), and an
    unfinished job is never deleted.
    """

    def __init__(
        self,
        connections: SQLiteFile,
        workflows: Mapping[str, SandboxWorkflow],
        clock: Callable[[], float],
        job_seconds: float = 0.0,
        max_jobs: int | None = None,
    ) -> None:
        self._db = connections
        self._workflows = workflows
        self._clock = clock
        self._job_seconds = job_seconds
        self._max_jobs = max_jobs

    def submit(
        self, workflow: SandboxWorkflow, answers: Sequence[tuple[str, Any]], priority: int
    ) -> AcceptedJob:
        """Run ``workflow`` with ``answers`` and keep the job; the id is unique in the file."""
        result = workflow.run(answers)
        kept = tuple((str(name), str(value)) for name, value in answers)
        now = self._clock()

        def insert(db: sqlite3.Connection) -> int:
            cursor = db.execute(
                "INSERT INTO sandbox_jobs (app_id, created, priority, answers) VALUES (?,?,?,?)",
                (workflow.id, now, priority, json.dumps(kept)),
            )
            self._evict(db, now)
            assert cursor.lastrowid is not None
            return cursor.lastrowid

        seq = self._db.write(insert)
        return AcceptedJob(job_id_for(now, seq), workflow.id, now, priority, kept, result)

    def _evict(self, db: sqlite3.Connection, now: float) -> None:
        if self._max_jobs is None:
            return
        (count,) = db.execute("SELECT COUNT(*) FROM sandbox_jobs").fetchone()
        excess = int(count) - self._max_jobs
        if excess > 0:
            # Finished exactly when created <= now - job_seconds (jobs.status_at).
            db.execute(
                "DELETE FROM sandbox_jobs WHERE seq IN (SELECT seq FROM sandbox_jobs"
                " WHERE created <= ? ORDER BY created, seq LIMIT ?)",
                (now - self._job_seconds, excess),
            )

    def _job(self, row: tuple[int, str, float, int, str]) -> AcceptedJob | None:
        seq, app_id, created, priority, answers = row
        workflow = self._workflows.get(app_id)
        if workflow is None:  # a file written by a sandbox with other workflows
            return None
        kept = tuple((str(name), str(value)) for name, value in json.loads(answers))
        return AcceptedJob(
            job_id_for(created, seq), app_id, created, priority, kept, workflow.run(kept)
        )

    def _select(self, where: str = "", args: tuple[Any, ...] = ()) -> list[AcceptedJob]:
        rows = self._db.get().execute(
            "SELECT seq, app_id, created, priority, answers FROM sandbox_jobs "
            f"{where} ORDER BY seq",
            args,
        )
        return [job for job in map(self._job, rows) if job is not None]

    def __len__(self) -> int:
        (count,) = self._db.get().execute("SELECT COUNT(*) FROM sandbox_jobs").fetchone()
        return int(count)

    def get(self, job_id: str) -> AcceptedJob | None:
        if len(job_id) != 24:
            return None
        try:
            seq = int(job_id[8:], 16)
        except ValueError:
            return None
        found = self._select("WHERE seq = ?", (seq,))
        return found[0] if found and found[0].id == job_id else None

    def all(self) -> list[AcceptedJob]:
        """Every job kept, in the order they were accepted."""
        return self._select()

    def for_workflow(self, app_id: str) -> list[AcceptedJob]:
        """The jobs of one workflow, in the order they were accepted."""
        return self._select("WHERE app_id = ?", (app_id,))

    def run_counts(self) -> dict[str, int]:
        """How many jobs the file keeps for each workflow (absent: none)."""
        rows = self._db.get().execute("SELECT app_id, COUNT(*) FROM sandbox_jobs GROUP BY app_id")
        return {str(app_id): int(count) for app_id, count in rows}


def _token_key(token: str) -> str:
    # Only a hash of a bearer token is stored: the file is not a list of credentials.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SQLiteTokenStore:
    """:class:`~oauth_debug.sandbox.auth.TokenStore`'s interface on the state file."""

    def __init__(self, connections: SQLiteFile, lifetime: float) -> None:
        self._db = connections
        self._lifetime = lifetime

    def issue(self, token: str, now: float) -> IssuedToken:
        def insert(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM sandbox_tokens WHERE expires_at <= ?", (now,))
            db.execute(
                "INSERT OR REPLACE INTO sandbox_tokens (key, expires_at) VALUES (?, ?)",
                (_token_key(token), now + self._lifetime),
            )

        self._db.write(insert)
        return IssuedToken(token, int(self._lifetime))

    def problem(self, token: str, now: float) -> str | None:
        """None for a live token, else why it is refused."""
        row = (
            self._db.get()
            .execute("SELECT expires_at FROM sandbox_tokens WHERE key = ?", (_token_key(token),))
            .fetchone()
        )
        if row is None:
            return "The access token is unknown. Get one from POST /webapi/oauth2/token."
        if float(row[0]) <= now:
            return "The access token has expired. Get a new one from POST /webapi/oauth2/token."
        return None
