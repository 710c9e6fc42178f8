"""Output files written whole or not at all.

:func:`write_file` writes to a temporary file in the destination's own folder
(same file system, so the final rename is atomic), flushes it to disk, then
moves it into place:

- without ``force`` the move is ``os.link`` (which fails if the name exists), so an
  existing file is never replaced, even by a second run racing this one: one
  of two concurrent writers wins, the other is told the file appeared;
- with ``force`` it is ``os.replace`` (atomic: readers see the old file or the
  new one, never a mix; two forced writers leave one whole file, the last);
- on any error or interruption (Ctrl-C) the temporary file is removed and the
  previous file, if any, is untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

__all__ = ["OutputExists", "check_destination", "write_file", "write_text"]


class OutputExists(FileExistsError):
    """The destination exists and replacing it was not asked for."""


def check_destination(path: str | Path, *, force: bool, option: str = "--out") -> Path:
    """``path`` if it may be written: its folder exists, and it does not exist unless
    ``force``.  Raises ``OutputExists`` or ``FileNotFoundError`` with the reason."""
    path = Path(path)
    if not path.parent.exists():
        raise FileNotFoundError(f"{option} {path}: folder {str(path.parent)!r} does not exist")
    if path.is_dir():
        raise OutputExists(f"{option} {path}: is a directory")
    if path.exists() and not force:
        raise OutputExists(f"{option} {path}: the file exists; pass --force to replace it")
    return path


def write_file(path: str | Path, write: Callable[[Path], None], *, force: bool = False,
               option: str = "--out") -> Path:
    """Call ``write(temporary_path)`` then move the file to ``path`` (see the module).

    The temporary file keeps ``path``'s suffix, so writers that choose a format
    by it (pandas' Excel writer) work.  Raises ``OutputExists`` if ``path``
    exists (or appears meanwhile) and ``force`` is false.
    """
    path = Path(path)
    check_destination(path, force=force, option=option)
    handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".partial{path.suffix}",
                                    dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        if force:
            os.replace(temporary, path)
        else:
            try:
                os.link(temporary, path)  # fails if the name exists: no silent replace
            except FileExistsError:
                raise OutputExists(f"{option} {path}: the file appeared while this run was "
                                   "writing (another run?); pass --force to replace it") from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise OutputExists(f"{option} {path}: the file exists; pass --force to "
                                       "replace it") from None
                os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def write_text(path: str | Path, text: str, *, force: bool = False,
               option: str = "--out") -> Path:
    """``text`` (UTF-8) written whole to ``path`` (see :func:`write_file`)."""
    return write_file(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), force=force,
                      option=option)
