"""What the CLI's commands share: building the Agent from the arguments, regions, and the
progress printer."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["agent_from_args", "regions", "Progress", "drive", "print_result", "DEMO_INSTRUCTION"]

DEMO_INSTRUCTION = "segment the cat, then make it purple, then describe the result"


def regions(args: argparse.Namespace) -> list[Any]:
    from vitron_agent.core.refs import Box, Point

    regions: list[Any] = []
    for name in ("box", "point"):
        _from_the_corner(name, getattr(args, name, None))
    if getattr(args, "box", None):
        from pydantic import ValidationError

        try:
            regions.append(Box(x1=args.box[0], y1=args.box[1], x2=args.box[2], y2=args.box[3]))
        except ValidationError as exc:
            from vitron_agent.core.errors import InputError

            raise InputError(f"--box: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    if getattr(args, "point", None):
        regions.append(Point(x=args.point[0], y=args.point[1]))
    return regions


def _from_the_corner(name: str, values: list[float] | None) -> None:
    """A region's numbers are pixels from the top-left corner: a negative one is refused in words
    (``--point -5,3`` had been pydantic's ValidationError as a traceback; ``--box`` its bare text)."""
    if values and min(values) < 0:
        from vitron_agent.core.errors import InputError

        example = "120,80" if name == "point" else "10,20,200,160"
        raise InputError(
            f"--{name} {','.join(f'{v:g}' for v in values)}: a {name} is in pixels from the picture's top-left "
            f"corner, 0 or more (for example --{name} {example})"
        )


def agent_from_args(args: argparse.Namespace, **kw: Any):
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.toolkit.config import load_config

    if getattr(args, "artifacts", None):
        kw.setdefault("artifacts", args.artifacts)
    check_paths(kw.get("db"), getattr(args, "out", None), artifacts=kw.get("artifacts"), data=kw.get("data_dir"))
    kw.setdefault("planner", getattr(args, "planner", None))  # (a planner built ahead: the warm-up's)
    return Agent(config=load_config(getattr(args, "config", None)), **kw)


def check_paths(db: Any, out: Any, *, artifacts: Any = None, data: Any = None) -> None:
    """A --db that is a folder or not an SQLite file, or an --out, --data or local --artifacts
    folder that cannot be written, is a one-line usage error before anything runs."""
    from vitron_agent.core.errors import InputError
    from vitron_agent.storage.postgres import is_postgres_url

    if db is not None and not is_postgres_url(str(db)):
        p = Path(db)
        if p.is_dir():
            raise InputError(f"--db {db} is a folder; give the path of an SQLite file (it is created when missing)")
        if p.is_file() and p.stat().st_size:
            with open(p, "rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise InputError(f"--db {db} is not an SQLite database; give a new path or a sessions file")
    for flag, folder in (("--out", out), ("--data", data), ("--artifacts", artifacts)):
        if folder is not None and "://" not in str(folder):
            writable_folder(flag, folder)


def writable_folder(flag: str, folder: Any) -> Path:
    """``folder`` made (parents too) and checked writable with a probe file; else the one-line
    usage error naming ``flag`` and why (a file there, no such parent, no permission)."""
    from vitron_agent.core.errors import InputError

    p = Path(folder)
    if p.exists() and not p.is_dir():
        raise InputError(f"{flag} {folder} is a file, not a folder; choose a folder (it is created when missing)")
    try:
        p.mkdir(parents=True, exist_ok=True)
        probe = p / ".vitron-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(
            f"{flag} {folder} cannot be written ({exc.strerror or type(exc).__name__}); choose another folder"
        ) from None
    return p


class Progress:
    """Prints plan and step events with rich on stderr."""

    def __init__(self, enabled: bool):
        self.console = None
        if enabled:
            from rich.console import Console

            self.console = Console(stderr=True, highlight=False)
        self.status = None

    def __call__(self, event: dict[str, Any]) -> None:
        c = self.console
        if c is None:
            return
        from rich.markup import escape as markup_escape

        from vitron_agent.cli.terminal_text import for_terminal

        def escape(text: str) -> str:  # tools' and planners' words are text: never markup, never control codes
            return markup_escape(for_terminal(text))

        kind = event["type"]
        if kind == "plan":
            steps = event["plan"].get("steps", [])
            chain = escape("  →  ".join(f"{s['id']} {s['tool']}" for s in steps) or "(no steps)")
            c.print(f"[bold]plan[/bold]  {chain}")
        elif kind == "repair":
            c.print(f"[yellow]repairing the plan:[/yellow] {escape('; '.join(event['problems']))}")
        elif kind == "step_started":
            self._stop()
            self.status = c.status(escape(f"{event['step']} {event['tool']} …"))
            self.status.start()
        elif kind == "progress" and self.status is not None:
            msg = f" {event['message']}" if event.get("message") else ""
            self.status.update(escape(f"{event['step']} {event['tool']} {100 * event['fraction']:.0f}%{msg}"))
        elif kind == "step_finished":
            self._stop()
            mark = {"ok": "[green]✓[/green]", "error": "[red]✗[/red]"}.get(event["status"], "·")
            err = f"  [red]{escape(str(event['error']))}[/red]" if event.get("error") else ""
            c.print(f"{mark} {escape(str(event['step']))} {escape(str(event['tool']))}  {event['seconds']:.2f} s{err}")

    def _stop(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None


def close_agent(agent: Any) -> None:
    """Close a command's agent and remove its temporary artifact store (``agent.scratch``, an
    Agent made without --db or a data folder): what the command made is exported to --out or
    printed, nothing else reads it. Every run had left ~1-100 MB in /tmp; ``plan`` and ``chat``
    left a folder per call until hostile round 4."""
    agent.close()
    if agent.scratch is not None:
        import shutil

        shutil.rmtree(agent.scratch, ignore_errors=True)


def drive(args: argparse.Namespace, agent, turn, out_dir: str | None = None) -> int:
    """``turn(on_event)`` with terminal progress, then export and print the result; closes ``agent``."""
    progress = Progress(not (args.json or getattr(args, "quiet", False)))
    try:
        try:
            result = turn(progress)
        finally:
            progress._stop()
        print_result(args, result, agent, out_dir)
    finally:
        close_agent(agent)
    # 1 when the request was not carried out (a step failed, an edit was held back, part was left undone),
    # as a batch item's error line: a script's `run … && next` must not go on with an unchanged picture.
    # A plan paused for review is not a failure.
    return 0 if result.ok or result.awaiting_review else 1


def print_result(args: argparse.Namespace, result, agent, out_dir: str | None = None) -> None:
    """Export the run (artifacts, report.html, result.json) and print the answer or the JSON contract;
    a plan paused for review adds ``awaiting_review`` and ``plan`` to the JSON."""
    from vitron_agent.cli.terminal_text import for_terminal
    from vitron_agent.runtime.export import export_run

    out = (
        out_dir
        or getattr(args, "out", None)
        or str(Path("vitron-out") / f"{time.strftime('%Y%m%d-%H%M%S')}-{result.session}")
    )
    data = export_run(result, agent.store, out)
    if result.awaiting_review:
        data["awaiting_review"] = True
        data["plan"] = result.plan.model_dump()
    if args.json:
        print(json.dumps(data, default=str))
        return
    print(for_terminal(result.answer))
    if getattr(args, "verbose", False):
        from vitron_agent.graphs.respond import answer_details

        records = {s.id: s.model_dump() for s in result.steps}
        print("\n" + for_terminal(answer_details(result.plan, records)))
    if result.awaiting_review:
        for step in result.plan.steps:
            print(
                for_terminal(
                    f"  {step.id}: {step.tool}({', '.join(f'{k}={json.dumps(v)}' for k, v in step.args.items())})"
                )
            )
        print(f"then: vitron-agent review approve|edit|reject --db DB --session {result.session}")
    print(f"\nreport: {for_terminal(data['report'])}", file=sys.stderr)
