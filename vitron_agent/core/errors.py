"""The error kinds of vitron-agent.

Three kinds are kept apart (DESIGN.md, STYLE.md rule 5):

* :class:`ToolArgumentError` -- the planner can fix it; the message goes back to
  the planner and says what to change.
* :class:`ToolFailed` -- terminal for one step; the step is reported as failed,
  its dependants are skipped and the session goes on.
* anything else raised inside a tool is a bug and propagates.

The remaining classes are user-facing input errors raised before any graph runs.
"""

from __future__ import annotations

__all__ = [
    "VitronError",
    "ToolArgumentError",
    "ToolFailed",
    "PlanValidationError",
    "RefError",
    "MediaError",
    "ConfigError",
    "InputError",
    "PlannerError",
    "SessionBusy",
    "StoreUnreachable",
    "StorageFull",
    "http_status",
]


class VitronError(Exception):
    """Base class of every error this package raises on purpose."""


class ToolArgumentError(VitronError, ValueError):
    """A tool argument is wrong in a way the planner can fix."""


class ToolFailed(VitronError, RuntimeError):
    """A tool could not produce its output; terminal for that step."""


class PlanValidationError(VitronError, ValueError):
    """A plan has one or more problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("invalid plan:\n" + "\n".join(f"- {p}" for p in self.problems))


class RefError(VitronError, LookupError):
    """A reference points at nothing, or at another session's artifact."""


class MediaError(VitronError, ValueError):
    """A media file cannot be read safely; the message names the file and the problem."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class ConfigError(VitronError, ValueError):
    """The configuration (vitron.toml or constructor arguments) is wrong."""


class InputError(VitronError, ValueError):
    """A request argument (image, region, session id) is unusable; the message says why."""


class PlannerError(VitronError, RuntimeError):
    """The planner could not be reached or loaded (endpoint down, checkpoint broken); the run
    answers with this message instead of a plan."""


class SessionBusy(VitronError, RuntimeError):
    """Another process is running a turn on this session (HTTP 409); send the turn again later."""


class StoreUnreachable(ToolFailed):
    """The object store cannot be read or written (network, credentials, missing bucket)."""


class StorageFull(VitronError, RuntimeError):
    """The session database or the artifact folder cannot be written (a full disk, a quota, a
    read-only or corrupt database file); the message says where and what to do (HTTP 507)."""


def http_status(exc: VitronError) -> int:
    """The HTTP status a server answers for ``exc``."""
    if isinstance(exc, SessionBusy):
        return 409
    if isinstance(exc, StorageFull):
        return 507
    if isinstance(exc, StoreUnreachable):
        return 503
    return 404 if isinstance(exc, RefError) else 400
