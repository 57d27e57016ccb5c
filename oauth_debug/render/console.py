"""The one way the command line makes a rich Console.

Everything printed comes from somewhere: a URL, a header, a body, a server's answer, a file. rich
reads ``[...]`` as markup and ``:name:`` as an emoji code in any plain string it prints, so a
query ``?q=[red]hi[/red]`` would lose its brackets (and the printed curl line would no longer be
the request that was signed), and ``a[/b]`` would raise. The console is therefore made with markup,
emoji and highlighting off: text is always printed literally, and our own styling is applied
through ``rich.text.Text`` styles, never through markup strings.

One trap remains that no console setting closes: a ``Panel`` title given as a ``str`` is always
parsed as markup. Pass titles (and any other text rich documents as "markup") as ``Text``.
"""

from __future__ import annotations

from typing import IO

from rich.console import Console


def make_console(
    *, stderr: bool = False, file: IO[str] | None = None, **options: object
) -> Console:
    """A Console that prints every string literally (no markup, no emoji codes, no highlighting)."""
    return Console(
        stderr=stderr,
        file=file,
        markup=False,
        emoji=False,
        highlight=False,
        **options,  # type: ignore[arg-type]
    )
