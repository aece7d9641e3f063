"""Writing what a command produces to the path a user names, without ever destroying what is there.

- a regular file, or a new path in an existing folder: written atomically (a temporary file beside it, renamed
  into place), so readers see the old content or the whole new one, never a part; a new file gets the mode
  the umask allows (0666 minus the umask), a replaced one keeps its mode;
- a symbolic link: followed, and its target is written as above (the link stays a link);
- `-`, a FIFO or a character device (/dev/null, /dev/stdout, a terminal): a plain streamed write, since
  renaming over them would replace the node itself with a regular file;
- anything else (a folder, a socket, a block device): refused with an OutputError that says why.
"""
from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

from .errors import Her2graphError

STANDARD_OUTPUT = "-"


# What a path is, by the test of its mode; the first three can be written, the others are refused.
_KINDS = ((stat.S_ISREG, "regular file"), (stat.S_ISFIFO, "fifo"), (stat.S_ISCHR, "character device"),
          (stat.S_ISDIR, "a folder"), (stat.S_ISSOCK, "a socket"), (stat.S_ISBLK, "a block device"))


class OutputError(Her2graphError):
    """The output path cannot be written, or writing it would destroy something that is not a regular file."""


def write_output(path: Path | str, content: bytes) -> None:
    """Write `content` where the user asked: standard output for '-', else as the module docstring says."""
    if str(path) == STANDARD_OUTPUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    path = Path(path)
    kind = _kind_of(path)
    if kind in ("fifo", "character device"):
        _write_streamed(path, content)
    elif kind in ("regular file", "new"):
        write_atomically(path, content)
    else:
        raise OutputError(f"{path} is {kind}: name a file to write (or '-' for standard output)")


def check_writable(path: Path | str) -> None:
    """Raise OutputError now, before any work, when write_output could not write `path`."""
    if str(path) == STANDARD_OUTPUT:
        return
    path = _followed(Path(path))
    kind = _kind_of(path)
    if kind not in ("regular file", "new", "fifo", "character device"):
        raise OutputError(f"{path} is {kind}: name a file to write (or '-' for standard output)")
    if kind == "new" and not path.parent.is_dir():
        raise OutputError(f"cannot write {path}: the folder {path.parent} does not exist")


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` (a regular file, a link to one, or a new path) all at once or not at all."""
    path = _followed(Path(path))
    kind = _kind_of(path)
    if kind not in ("regular file", "new"):
        raise OutputError(f"{path} is {kind}: name a file to write")
    mode = _mode_for(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:
        raise OutputError(f"cannot write {path}: the folder {path.parent} does not exist") from None
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_streamed(path: Path, content: bytes) -> None:
    try:
        # No O_CREAT and no O_TRUNC: the node exists and is not a file to cut short.
        descriptor = os.open(path, os.O_WRONLY)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(content)
    except OSError as error:
        raise OutputError(f"cannot write to {path}: {error.strerror}") from None


def _kind_of(path: Path) -> str:
    """What is at `path` (links followed): 'new', 'regular file', 'fifo', 'character device', or a phrase."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "new"  # also a dangling link: its target is the new path
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror}") from None
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def _followed(path: Path) -> Path:
    """The file a chain of symbolic links ends at (the path itself when it is not a link)."""
    if not path.is_symlink():
        return path
    return Path(os.path.realpath(path))


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or those the umask gives a new file."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
