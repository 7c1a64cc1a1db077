"""Writing files so that a reader sees the old content or the new, never half."""

import contextlib
import os
import tempfile
from pathlib import Path

from tracer.errors import TracerError


def write_atomically(path: Path, text: str, hint: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and one rename.

    The temporary file sits in the same folder (created if missing), is
    flushed to disk, then replaces ``path`` with ``os.replace``; on any failure
    it is removed and ``path`` is left as it was.

    Args:
        path: The file to write.
        text: Its new content.
        hint: What the user can do if the folder cannot be written.

    Raises:
        TracerError: The folder or the file cannot be written.
    """
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=folder, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise TracerError(
            f"cannot write {path}: {error.strerror or error}", hint
        ) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise TracerError(
            f"cannot write {path}: {error.strerror or error}", hint
        ) from None
