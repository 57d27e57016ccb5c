"""The Gallery's JSON shapes are defined once (oauth_debug.gallery_wire): the sandbox writes them,
the live client reads them, and what one writes the other reads back unchanged."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

import oauth_debug
from oauth_debug import gallery_wire
from oauth_debug.gallery_wire import Item, Job, JobMessage, JobOutput, Question, Workflow
from oauth_debug.live import results
from oauth_debug.sandbox import WORKFLOWS
from oauth_debug.sandbox.jobs import JobStore, job_to_json

_TEXT = st.text(max_size=20)
_NAME = st.text(min_size=1, max_size=20)
_ITEMS = st.lists(st.builds(Item, _TEXT, _TEXT), max_size=4).map(tuple)


@given(st.builds(Question, _TEXT, _TEXT, _TEXT, _ITEMS, st.booleans()))
def test_a_question_reads_back_as_written(question: Question) -> None:
    assert Question.from_json(question.to_json()) == question


@given(st.builds(Workflow, _TEXT, _NAME, _TEXT, _TEXT, _TEXT, st.integers(0, 10**6), _TEXT, _TEXT))
def test_a_workflow_reads_back_as_written(workflow: Workflow) -> None:
    # A nameless workflow reads as its file name (servers leave metaInfo.name out): named here.
    assert Workflow.from_json(workflow.to_json()) == workflow


@given(
    st.builds(JobMessage, st.integers(0, 50), _TEXT, st.integers(0, 99)),
    st.builds(JobOutput, _TEXT, _TEXT, st.lists(_TEXT, max_size=3).map(tuple), _TEXT),
)
def test_job_messages_and_outputs_read_back_as_written(
    message: JobMessage, output: JobOutput
) -> None:
    assert JobMessage.from_json(message.to_json()) == message
    assert JobOutput.from_json(output.to_json()) == output


def test_what_the_sandbox_serves_is_what_the_client_reads() -> None:
    for published in WORKFLOWS:
        read = Workflow.from_json(published.to_json(7))
        assert read == published.shown(7)
        assert (read.name, read.run_count) == (published.name, 7)
        for asked in published.questions:
            assert Question.from_json(asked.shown.to_json()) == asked.shown


def test_a_finished_sandbox_job_reads_as_the_wire_job() -> None:
    store = JobStore(lambda: 1_700_000_000.0)
    sales = next(w for w in WORKFLOWS if w.name == "Regional Sales")
    answers = [("region", "N"), ("start", "2024-01-01"), ("end", "2024-01-31")]
    accepted = store.submit(sales, answers, 2)
    job = Job.from_json(job_to_json(accepted, 1_700_000_001.0, 0.0))
    assert job.succeeded and job.app_id == sales.id
    assert [o.file_name for o in job.outputs] == [f.name for f in accepted.result.outputs]
    assert [m.text for m in job.messages] == [m.text for m in accepted.result.messages]


def test_the_live_results_are_the_wire_model() -> None:
    assert results.Question is gallery_wire.Question
    assert results.Workflow is gallery_wire.Workflow
    assert results.QuestionItem is gallery_wire.Item


def test_no_two_public_classes_share_a_name() -> None:
    classes: dict[str, set[type]] = defaultdict(set)
    for found in pkgutil.walk_packages(oauth_debug.__path__, "oauth_debug."):
        if found.name.endswith("__main__"):
            continue
        module = importlib.import_module(found.name)
        for name, value in vars(module).items():
            public = inspect.isclass(value) and not name.startswith("_")
            if public and value.__module__.startswith("oauth_debug"):
                classes[value.__name__].add(value)
    shared = {name: found for name, found in classes.items() if len(found) > 1}
    # The deliberate pairs: the same auth for requests (live.auth) and httpx (live.httpx_auth),
    # and the same middleware for WSGI and ASGI (server.wsgi, server.asgi), as issue 12 names them.
    assert sorted(shared) == ["OAuth1Auth", "OAuth1Middleware"]
