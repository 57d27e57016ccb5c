"""The cyclic collector, paused while a command line starts and on again once the command runs.

Starting a command makes some 50,000 objects that live until the process exits: modules,
classes, typer's and click's parameters. The collector would run some 80 times while they are
made, and once more over all of them at exit, and find no garbage: 25 to 35 ms of a person's
wait on each run
(bench/bench_cli_start.py). So :func:`pause` (called by ``main``) turns it off while the command
loads, and :func:`resume`, called as the command's own code starts, freezes what loading made
(``gc.freeze``: no later collection looks at it) and turns it back on: the command then runs (a
server for hours, say) with the collector as usual.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Turn the collector off until :func:`resume` (the command line's start)."""
    global _paused
    gc.disable()
    _paused = True


def resume() -> None:
    """Freeze what starting made and turn the collector back on, if :func:`pause` stopped it.

    A process that did not start through ``main`` (a test runner invoking the app) keeps its
    collector as it was, and nothing of it is frozen.
    """
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
