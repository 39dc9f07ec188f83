"""A batch's ``results.jsonl``: an append-only log that tolerates damage line by line, and the lock
that keeps a second batch from writing into the same ``--out``.

Reading (:meth:`ResultsLog.read`): every line that parses as a results line counts (the last one
for a key wins); a damaged line in the middle (not JSON) or a JSON line that is not a results line
is skipped and reported by number, never the lines after it; only a partial last line (a kill in
the middle of a write: no newline after it) is cut off. Writing (:meth:`ResultsLog.append`): one
``write`` per line on a descriptor opened with ``O_APPEND | O_NOFOLLOW``, then ``fsync``.

The lock (:meth:`ResultsLog.lock`) is an ``flock`` on ``--out/.batch.lock``: the kernel drops it
when the holder dies (kill -9 included), so a stale lock never blocks a resumed run. A second
batch on the same folder is refused with the holder's process id.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vitron_agent.core.errors import InputError

__all__ = ["ResultsLog", "LogRead", "BUSY"]

BUSY = (
    "another batch (process {pid}) is writing into {out}: wait for it to finish, or give this one "
    "another --out (two batches in one folder would run every input twice)"
)
_REQUIRED = ("key", "input", "status")


@dataclass
class LogRead:
    """What :meth:`ResultsLog.read` found: ``lines`` (key -> its last results line) and
    ``problems`` (one sentence per skipped line, naming its number)."""

    lines: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _no_link(path: Path) -> None:
    """Remove a symlink planted at ``path``: the batch writes its own file there, never through one."""
    if path.is_symlink():
        path.unlink()


def _result_line(chunk: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """(the line, None) for a results line; (None, why) otherwise."""
    try:
        line = json.loads(chunk)
    except ValueError:
        return None, "is damaged (not JSON; its input runs again)"
    if not isinstance(line, dict) or not all(isinstance(line.get(k), str) for k in _REQUIRED):
        return None, f"is not a results line (a JSON object with {', '.join(_REQUIRED)})"
    return line, None


class ResultsLog:
    """``out/results.jsonl`` and ``out/.batch.lock``. Not thread-safe: one writer (the batch's
    driver) appends; workers only return lines."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.path = self.out / "results.jsonl"
        self.lock_path = self.out / ".batch.lock"
        self._lock_fd: int | None = None
        self.token = secrets.token_hex(8)  # names this run in the lock file (workers can check it)

    def lock(self) -> None:
        """Take the folder's lock or raise :class:`InputError` naming the process that holds it."""
        import fcntl

        _no_link(self.lock_path)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = (os.pread(fd, 64, 0).decode("ascii", "replace").split() or ["unknown"])[0]
            os.close(fd)
            raise InputError(BUSY.format(pid=holder, out=self.out)) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {self.token}\n".encode(), 0)
        self._lock_fd = fd

    def held_by(self, token: str) -> bool:
        """Whether the lock file names the run ``token`` (a worker on a node that sees ``--out``)."""
        try:
            return self.lock_path.read_text().split()[1:2] == [token]
        except (OSError, UnicodeError):
            return False

    def unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor drops the flock
            self._lock_fd = None

    def read(self, repair: bool = True) -> LogRead:
        """Every results line (see the module docstring). With ``repair`` (only the lock holder
        may repair), a partial last line is cut off and a whole last line missing its newline
        gets one, so the next append starts a line of its own. A symlink at the log is removed,
        never read or truncated through."""
        if repair:
            _no_link(self.path)
        found = LogRead()
        if self.path.is_symlink() or not self.path.is_file():
            return found
        raw = self.path.read_bytes()
        chunks = raw.split(b"\n")
        partial = chunks.pop() if chunks else b""  # the text after the last newline
        for number, chunk in enumerate(chunks, 1):
            if not chunk.strip():
                continue
            line, why = _result_line(chunk)
            if line is None:
                found.problems.append(f"{self.path} line {number} {why}: skipped")
            else:
                found.lines[line["key"]] = line
        if partial.strip():
            line, _ = _result_line(partial)
            if line is not None:
                found.lines[line["key"]] = line
            if repair:
                self._repair_tail(len(raw) - len(partial), whole=line is not None)
        return found

    def _repair_tail(self, start: int, whole: bool) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_NOFOLLOW)
        try:
            if whole:
                os.lseek(fd, 0, os.SEEK_END)
                os.write(fd, b"\n")
            else:
                os.ftruncate(fd, start)
            os.fsync(fd)
        finally:
            os.close(fd)

    def append(self, line: dict[str, Any]) -> None:
        """One results line, written with one ``write`` and fsynced (a kill loses nothing before it)."""
        data = (json.dumps(line, default=str) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def clear(self) -> None:
        """``--force``: start the log anew (a link there is removed, never followed)."""
        _no_link(self.path)
        self.path.unlink(missing_ok=True)
