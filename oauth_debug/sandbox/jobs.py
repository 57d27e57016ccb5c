"""Jobs: accepted at once, then Queued -> Running -> Completed as the sandbox's clock moves.

A job's status is a pure function of its creation time and "now", so no background thread moves
jobs along and a test that sets the clock sees each state deterministically (DESIGN.md,
principle 2). The work itself is done when the job is accepted; its outcome is only revealed once
the job is Completed, as on a real Gallery.
"""

from __future__ import annotations

import datetime as dt
import heapq
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..gallery_wire import JobOutput
from .published import RunResult, SandboxWorkflow, gallery_date

PRIORITIES = {"low": 0, "medium": 1, "high": 2, "critical": 3}


class PriorityError(ValueError):
    """A priority that is not "0".."3" (or low/medium/high/critical), since Server 2018.3."""


def parse_priority(raw: Any) -> int:
    """The run call's ``priority``: "0".."3", the names, or absent (0)."""
    if raw is None or raw == "":
        return 0
    text = str(raw).strip().lower()
    if text in PRIORITIES:
        return PRIORITIES[text]
    if text in ("0", "1", "2", "3"):
        return int(text)
    raise PriorityError(f"priority {raw!r} is not one of 0, 1, 2, 3 (low, medium, high, critical)")


def job_id_for(created: float, counter: int) -> str:
    """24 hex digits like Alteryx's MongoDB ids: the creation second, then a counter that the
    store never hands out twice."""
    return f"{int(created) & 0xFFFFFFFF:08x}{counter:016x}"


@dataclass(frozen=True)
class AcceptedJob:
    """One job as accepted: what was asked, when, and what running it produced (the wire
    model's Job is what job_to_json makes of it at a given moment)."""

    id: str
    app_id: str
    created: float
    priority: int
    answers: tuple[tuple[str, str], ...]
    result: RunResult

    def output_id(self, index: int) -> str:
        """Output ids are ObjectId-like too: the job's counter (its last 16 hex digits, unique in
        the store) and the index."""
        return f"{self.id[8:]}{index:08x}"

    def output(self, output_id: str) -> int | None:
        """The index of the output called ``output_id``, or None."""
        for index in range(len(self.result.outputs)):
            if self.output_id(index) == output_id:
                return index
        return None


def status_at(job: AcceptedJob, now: float, job_seconds: float) -> str:
    """Queued for the first half of ``job_seconds``, Running for the second, then Completed."""
    elapsed = max(now, job.created) - job.created  # a request that started before the job did
    if elapsed >= job_seconds:
        return "Completed"
    return "Running" if elapsed >= job_seconds / 2 else "Queued"


def job_to_json(job: AcceptedJob, now: float, job_seconds: float) -> dict[str, Any]:
    """The job object (research notes): disposition "None", no outputs and no messages until the
    job is Completed."""
    status = status_at(job, now, job_seconds)
    done = status == "Completed"
    outputs = []
    if done:
        for index, output in enumerate(job.result.outputs):
            shown = JobOutput(job.output_id(index), output.name, output.formats, output.name)
            outputs.append(shown.to_json())
    created = dt.datetime.fromtimestamp(job.created, dt.timezone.utc)
    return {
        "id": job.id,
        "appId": job.app_id,
        "createDate": gallery_date(created, digits=7),
        "status": status,
        "disposition": job.result.disposition if done else "None",
        "outputs": outputs,
        "messages": [message.to_json() for message in job.result.messages] if done else [],
        "priority": job.priority,
        "workerTag": None,
        "runWithE2": False,
    }


class JobStore:
    """The jobs the sandbox accepted, at most ``max_jobs`` of them finished; safe to use from the
    server's threads.

    Past the bound, the oldest finished jobs are forgotten first: a forgotten id answers 404 as
    an id never issued does, which is what a client polling a long-gone job should expect. A
    queued or running job is never forgotten (its client is still waiting for it), so the store
    holds more than ``max_jobs`` only while more than that many are unfinished, and shrinks back
    as they finish and new jobs arrive. Run counts per workflow are kept as jobs come and go, so
    listing workflows costs nothing per job.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        job_seconds: float = 0.0,
        max_jobs: int | None = None,
    ) -> None:
        self._clock = clock
        self._job_seconds = job_seconds
        self._max_jobs = max_jobs
        self._lock = threading.Lock()
        self._jobs: dict[str, AcceptedJob] = {}
        # Jobs by workflow, oldest first: the workflow's job list and its run count, unscanned.
        self._by_workflow: dict[str, dict[str, AcceptedJob]] = {}
        # Eviction order: a job is finished exactly when created <= now - job_seconds, so the
        # finished jobs are always the ones with the smallest creation times, whatever order the
        # threads (or a test's clock) added them in: a heap on that time finds them.
        self._oldest: list[tuple[float, int, str]] = []
        self._counter = 0

    def submit(
        self, workflow: SandboxWorkflow, answers: Sequence[tuple[str, Any]], priority: int
    ) -> AcceptedJob:
        """Run ``workflow`` with ``answers`` and keep the job; the id is unique per store."""
        result = workflow.run(answers)  # pure and quick: done outside the lock
        now = self._clock()
        with self._lock:
            self._counter += 1
            job_id = job_id_for(now, self._counter)
            job = AcceptedJob(
                job_id,
                workflow.id,
                now,
                priority,
                tuple((str(name), str(value)) for name, value in answers),
                result,
            )
            self._jobs[job_id] = job
            self._by_workflow.setdefault(job.app_id, {})[job_id] = job
            heapq.heappush(self._oldest, (job.created, self._counter, job_id))
            self._evict(now)
        return job

    def _evict(self, now: float) -> None:
        """Forget the oldest finished jobs while the store is over its bound (lock held)."""
        if self._max_jobs is None:
            return
        while len(self._jobs) > self._max_jobs and self._oldest:
            job_id = self._oldest[0][2]
            job = self._jobs[job_id]
            if status_at(job, now, self._job_seconds) != "Completed":
                return  # the oldest job is unfinished, so every other one is too
            heapq.heappop(self._oldest)
            del self._jobs[job_id]
            of_workflow = self._by_workflow[job.app_id]
            del of_workflow[job_id]
            if not of_workflow:
                del self._by_workflow[job.app_id]

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)

    def get(self, job_id: str) -> AcceptedJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def all(self) -> list[AcceptedJob]:
        """Every job kept, in the order they were accepted."""
        with self._lock:
            return list(self._jobs.values())

    def for_workflow(self, app_id: str) -> list[AcceptedJob]:
        """The jobs of one workflow, in the order they were accepted."""
        with self._lock:
            return list(self._by_workflow.get(app_id, {}).values())

    def run_counts(self) -> dict[str, int]:
        """How many jobs the store keeps for each workflow (absent: none), without a scan."""
        with self._lock:
            return {app_id: len(jobs) for app_id, jobs in self._by_workflow.items()}
