"""Atomic streamed downloads: the destination holds the whole file or nothing, never a piece.

The bytes go to a temporary file in the destination's own directory (so the final rename stays on
one file system and is atomic, POSIX rename(2)), are flushed and fsync'ed, and only then
``os.replace`` puts them in place. Any failure removes the temporary file.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from .errors import DownloadFailed


def write_atomically(
    chunks: Iterable[bytes], destination: Path, *, expected_size: int | None = None
) -> int:
    """Stream ``chunks`` into ``destination`` atomically; return the number of bytes written.

    ``expected_size`` (a Content-Length) is checked before the rename: a connection that closes
    early without an error still must not leave a short file behind. Exceptions from ``chunks``
    propagate after the cleanup; a short file raises :class:`DownloadFailed`.
    """
    destination = Path(destination)
    directory = destination.parent
    directory.mkdir(parents=True, exist_ok=True)
    # Not mkstemp: its files are private (0600), and os.replace would keep that mode. Opened
    # exclusively under a random name, the file gets the mode any new file gets (the umask's).
    temporary = directory / f".{destination.name}.{secrets.token_hex(8)}.part"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    written = 0
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                if chunk:
                    stream.write(chunk)
                    written += len(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        if expected_size is not None and written != expected_size:
            raise DownloadFailed(
                f"the server announced {expected_size} bytes for {destination.name} but sent "
                f"{written}; nothing was written",
                destination=str(destination),
                received=written,
            )
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return written
