"""The command line: ``vitron-agent run | plan | tools | demo``.

Exit codes: 0 when the run completed (even with failed steps), 2 for usage
errors or unreadable input (one line on stderr). Heavy libraries load only
after the arguments are parsed, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["main", "build_parser"]

DEMO_INSTRUCTION = "segment the cat, then make it purple, then describe the result"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _floats(n: int, name: str):
    def parse(text: str) -> list[float]:
        parts = [p for p in text.replace(" ", "").split(",") if p]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != n:
            raise argparse.ArgumentTypeError(f"{name} takes {n} comma-separated numbers, got {text!r}")
        return values

    return parse


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="vitron-agent", description="Agentic vision: plan a request into typed vision steps and run them.")
    p.add_argument("--version", action="version", version="vitron-agent 0.1.0")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--config", metavar="PATH", help="vitron.toml (default: ./vitron.toml if present)")
        sp.add_argument("--image", metavar="PATH", help="input image")
        sp.add_argument("--video", metavar="PATH", help="input video (mp4, mov, mkv, webm, avi, gif)")
        sp.add_argument("--box", type=_floats(4, "--box"), metavar="X1,Y1,X2,Y2", help="a box region (pixels, XYXY)")
        sp.add_argument("--point", type=_floats(2, "--point"), metavar="X,Y", help="a point region (pixels)")
        sp.add_argument("--planner", choices=["rule", "vitron", "chat", "openai"],
                        help="planner (default: [planner] kind in vitron.toml, else rule)")

    run = sub.add_parser("run", help="plan and run an instruction")
    run.add_argument("instruction")
    common(run)
    run.add_argument("--out", metavar="DIR", help="output folder (default: vitron-out/<time>-<session>)")
    run.add_argument("--json", action="store_true", help="print one JSON object (the result contract)")
    run.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    run.add_argument("--db", metavar="PATH", help="SQLite file keeping sessions across runs")
    run.add_argument("--session", metavar="ID", help="session id (continue a conversation with the same id)")
    run.add_argument("--review", action="store_true", help="stop after planning; go on with `vitron-agent review`")

    plan = sub.add_parser("plan", help="show the plan for an instruction (nothing runs)")
    plan.add_argument("instruction")
    common(plan)
    plan.add_argument("--json", action="store_true")
    plan.add_argument("--replay", metavar="FILE", help="plan from a recorded model output instead of a planner "
                      "(same parsing and repair messages as a live planner; nothing is called)")
    plan.add_argument("--format", choices=["tags", "json", "text", "openai", "langchain"],
                      help="what --replay FILE holds (not needed for a {\"format\", \"reply\"} envelope)")

    tools = sub.add_parser("tools", help="list the tools and their schemas")
    tools.add_argument("--config", metavar="PATH")
    tools.add_argument("--json", action="store_true")

    sessions = sub.add_parser("sessions", help="list, show, fork or delete the sessions in a database")
    sessions.add_argument("action", choices=["ls", "show", "rm", "fork"])
    sessions.add_argument("session", nargs="?", help="session id (show, rm, fork)")
    sessions.add_argument("new_session", nargs="?", help="fork: the new session id")
    sessions.add_argument("--db", metavar="PATH", required=True)
    sessions.add_argument("--turn", type=int, help="fork: branch after this turn (default: the latest)")
    sessions.add_argument("--json", action="store_true")

    review = sub.add_parser("review", help="approve, edit or reject a plan paused by run --review")
    review.add_argument("action", choices=["approve", "edit", "reject"])
    review.add_argument("--db", metavar="PATH", required=True)
    review.add_argument("--session", metavar="ID", required=True)
    review.add_argument("--plan", metavar="FILE", help="edit: the edited plan as JSON")
    review.add_argument("--reason", help="reject: why")
    review.add_argument("--config", metavar="PATH")
    review.add_argument("--out", metavar="DIR")
    review.add_argument("--json", action="store_true")
    review.add_argument("--quiet", action="store_true")

    chat = sub.add_parser("chat", help="an interactive multi-turn session in the terminal")
    chat.add_argument("--image", metavar="PATH", help="the first image")
    chat.add_argument("--video", metavar="PATH", help="the first video")
    chat.add_argument("--db", metavar="PATH")
    chat.add_argument("--session", metavar="ID")
    chat.add_argument("--config", metavar="PATH")
    chat.add_argument("--planner", choices=["rule", "vitron", "chat", "openai"])
    chat.add_argument("--out", metavar="DIR", default="vitron-chat")

    resume = sub.add_parser("resume", help="finish a turn that a crash or kill interrupted (needs --db)")
    resume.add_argument("--db", metavar="PATH", required=True)
    resume.add_argument("--session", metavar="ID", required=True)
    resume.add_argument("--config", metavar="PATH")
    resume.add_argument("--out", metavar="DIR")
    resume.add_argument("--json", action="store_true")
    resume.add_argument("--quiet", action="store_true")

    serve = sub.add_parser("serve", help="serve the agent over HTTP (FastAPI; OpenAI-compatible /v1/chat/completions)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--token", help="bearer token clients must send (default: $VITRON_API_TOKEN)")
    serve.add_argument("--no-auth", action="store_true", help="no token (allowed only on a loopback host)")
    serve.add_argument("--data", metavar="DIR", default="vitron-data", help="sessions.sqlite and artifacts live here")
    serve.add_argument("--config", metavar="PATH")
    serve.add_argument("--planner", choices=["rule", "vitron", "chat", "openai"])
    serve.add_argument("--max-upload-mb", type=float, default=20)
    serve.add_argument("--max-running", type=int, default=2)
    serve.add_argument("--max-queued", type=int, default=8)

    mcp = sub.add_parser("mcp", help="serve the tools over MCP (stdio)")
    mcp.add_argument("--config", metavar="PATH")
    mcp.add_argument("--data", metavar="DIR", help="artifact folder (default: a temporary one)")
    mcp.add_argument("--planner", choices=["rule", "vitron", "chat", "openai"])

    models = sub.add_parser("serve-models", help="deploy the configured model specialists on Ray Serve")
    models.add_argument("--config", metavar="PATH", help="vitron.toml with an [execution] table")
    models.add_argument("--address", help="Ray address (default: [execution] address); 'local' starts one here "
                                           "and keeps it up until Ctrl-C")
    models.add_argument("--tools", metavar="NAMES", help="comma-separated tools to deploy (default: every tool that "
                                                        "runs on Ray)")

    check = sub.add_parser("check-config", help="validate vitron.toml and print what each tool would load")
    check.add_argument("--config", metavar="PATH", help="vitron.toml (default: $VITRON_CONFIG or ./vitron.toml)")

    tiny = sub.add_parser("make-tiny-checkpoints",
                          help="write tiny random-weight checkpoints in the real formats and a vitron.toml using them")
    tiny.add_argument("folder")

    demo = sub.add_parser("demo", help=f"run {DEMO_INSTRUCTION!r} on a bundled photo")
    demo.add_argument("--out", metavar="DIR", default="demo-out")
    demo.add_argument("--json", action="store_true")
    demo.add_argument("--quiet", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from vitron_agent.errors import VitronError

    try:
        from vitron_agent import cli_sessions as more

        commands = {"run": _run, "plan": _plan, "tools": _tools, "demo": _demo, "resume": _resume,
                    "check-config": _check_config, "make-tiny-checkpoints": _make_tiny,
                    "sessions": more.sessions, "review": more.review, "chat": more.chat,
                    "serve": more.serve, "mcp": more.mcp, "serve-models": more.serve_models}
        return commands[args.command](args)
    except VitronError as exc:
        lines = [line.strip().removeprefix("- ") for line in str(exc).splitlines() if line.strip()]
        print(f"vitron-agent: error: {'; '.join(lines)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vitron-agent: interrupted", file=sys.stderr)
        return 130


def _regions(args: argparse.Namespace) -> list[Any]:
    from vitron_agent.refs import Box, Point

    regions: list[Any] = []
    if getattr(args, "box", None):
        from pydantic import ValidationError

        try:
            regions.append(Box(x1=args.box[0], y1=args.box[1], x2=args.box[2], y2=args.box[3]))
        except ValidationError as exc:
            from vitron_agent.errors import InputError

            raise InputError(f"--box: {exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    if getattr(args, "point", None):
        regions.append(Point(x=args.point[0], y=args.point[1]))
    return regions


def _agent(args: argparse.Namespace, **kw: Any):
    from vitron_agent.agent import Agent
    from vitron_agent.config import load_config

    return Agent(config=load_config(getattr(args, "config", None)), planner=getattr(args, "planner", None), **kw)


class _Progress:
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
        kind = event["type"]
        if kind == "plan":
            steps = event["plan"].get("steps", [])
            chain = "  →  ".join(f"{s['id']} {s['tool']}" for s in steps) or "(no steps)"
            c.print(f"[bold]plan[/bold]  {chain}")
        elif kind == "repair":
            c.print(f"[yellow]repairing the plan:[/yellow] {'; '.join(event['problems'])}")
        elif kind == "step_started":
            self._stop()
            self.status = c.status(f"{event['step']} {event['tool']} …")
            self.status.start()
        elif kind == "progress" and self.status is not None:
            msg = f" {event['message']}" if event.get("message") else ""
            self.status.update(f"{event['step']} {event['tool']} {100 * event['fraction']:.0f}%{msg}")
        elif kind == "step_finished":
            self._stop()
            mark = {"ok": "[green]✓[/green]", "error": "[red]✗[/red]"}.get(event["status"], "·")
            err = f"  [red]{event['error']}[/red]" if event.get("error") else ""
            c.print(f"{mark} {event['step']} {event['tool']}  {event['seconds']:.2f} s{err}")

    def _stop(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None


def _drive(args: argparse.Namespace, agent, turn, out_dir: str | None = None) -> int:
    """``turn(on_event)`` with terminal progress, then export and print the result; closes ``agent``."""
    progress = _Progress(not (args.json or getattr(args, "quiet", False)))
    try:
        try:
            result = turn(progress)
        finally:
            progress._stop()
        _print_result(args, result, agent, out_dir)
    finally:
        agent.close()
    return 0


def _execute(args: argparse.Namespace, instruction: str, image: Any, out_dir: str | None) -> int:
    db = getattr(args, "db", None)
    agent = _agent(args, db=db) if db else _agent(args)
    return _drive(args, agent, lambda on_event: agent.run(
        instruction, image=image, regions=_regions(args), session=getattr(args, "session", None),
        on_event=on_event, review=getattr(args, "review", False), video=getattr(args, "video", None)), out_dir)


def _print_result(args: argparse.Namespace, result, agent, out_dir: str | None = None) -> None:
    """Export the run (artifacts, report.html, result.json) and print the answer or the JSON contract;
    a plan paused for review adds ``awaiting_review`` and ``plan`` to the JSON."""
    from vitron_agent.export import export_run

    out = out_dir or getattr(args, "out", None) or str(Path("vitron-out") / f"{time.strftime('%Y%m%d-%H%M%S')}-{result.session}")
    data = export_run(result, agent.store, out)
    if result.awaiting_review:
        data["awaiting_review"] = True
        data["plan"] = result.plan.model_dump()
    if args.json:
        print(json.dumps(data, default=str))
        return
    print(result.answer)
    if result.awaiting_review:
        for step in result.plan.steps:
            print(f"  {step.id}: {step.tool}({', '.join(f'{k}={json.dumps(v)}' for k, v in step.args.items())})")
        print(f"then: vitron-agent review approve|edit|reject --db DB --session {result.session}")
    print(f"\nreport: {data['report']}", file=sys.stderr)


def _resume(args: argparse.Namespace) -> int:
    agent = _agent(args, db=args.db)
    return _drive(args, agent, lambda on_event: agent.resume(args.session, on_event=on_event))


def _run(args: argparse.Namespace) -> int:
    if args.session and not args.db:
        print("vitron-agent: note: --session without --db lasts for this process only; add --db PATH to continue "
              "the session later", file=sys.stderr)
    return _execute(args, args.instruction, args.image, args.out)


def _demo(args: argparse.Namespace) -> int:
    from skimage import data as skdata

    from vitron_agent.media import save_png

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    photo = save_png(skdata.chelsea(), out / "chelsea.png")
    if not args.json and not args.quiet:
        print(f"demo: {DEMO_INSTRUCTION!r} on scikit-image's 'chelsea' photo", file=sys.stderr)
    return _execute(args, DEMO_INSTRUCTION, str(photo), str(out))


def _plan(args: argparse.Namespace) -> int:
    """Exit 0 with the plan (and any validation problems); exit 1 when the planner's output is
    not a usable plan (the repair message a live planner would send back is printed)."""
    from vitron_agent.errors import PlanValidationError

    if args.format and not args.replay:
        raise _usage("--format goes with --replay FILE")
    if args.replay:
        from vitron_agent.planners.replay import ReplayPlanner

        if args.planner:
            raise _usage("--replay replaces the planner; drop --planner")
        args.planner = ReplayPlanner.from_file(args.replay, args.format)
    agent = _agent(args)
    try:
        regions = _regions(args)
        try:
            plan = agent.plan(args.instruction, image=args.image, regions=regions, video=args.video)
        except PlanValidationError as exc:
            return _print_repair(args, exc.problems)
        problems = agent.validate(plan, image=args.image, regions=regions, video=args.video) if plan.steps else []
    finally:
        agent.close()
    if args.json:
        print(json.dumps({**plan.model_dump(), "problems": problems, "repair": False}))
        return 0
    if plan.reasoning:
        print(f"reasoning (kept out of answers): {plan.reasoning[:300]}{'...' if len(plan.reasoning) > 300 else ''}")
    if not plan.steps:
        print(plan.answer)
        return 0
    for step in plan.steps:
        args_text = ", ".join(f"{k}={json.dumps(v)}" for k, v in step.args.items())
        print(f"{step.id}: {step.tool}({args_text})")
    for note in plan.notes:
        print(f"note: {note}")
    for p in problems:
        print(f"problem: {p}")
    return 0


def _print_repair(args: argparse.Namespace, problems: list[str]) -> int:
    if args.json:
        print(json.dumps({"steps": [], "answer": None, "notes": [], "reasoning": None, "problems": problems,
                          "repair": True}))
    else:
        print("not a usable plan; a live planner would send the model this repair message:")
        for p in problems:
            print(f"repair: {p}")
    return 1


def _usage(message: str) -> Exception:
    from vitron_agent.errors import InputError

    return InputError(message)


def _check_config(args: argparse.Namespace) -> int:
    from vitron_agent.config import describe_config, load_config

    for line in describe_config(load_config(args.config)):
        print(line)
    return 0


def _make_tiny(args: argparse.Namespace) -> int:
    from vitron_agent.tiny import make_tiny_checkpoints

    toml = make_tiny_checkpoints(args.folder)
    print(f"wrote tiny checkpoints and {toml}; try: vitron-agent check-config --config {toml}")
    return 0


def _tools(args: argparse.Namespace) -> int:
    from vitron_agent.config import build_toolbox, load_config

    toolbox = build_toolbox(load_config(args.config))
    if args.json:
        print(json.dumps(toolbox.schemas()))
        return 0
    for tool in toolbox:
        print(f"{tool.name} [{tool.backend}]: {tool.description}")
        for name, f in tool.Input.model_fields.items():
            req = "required" if f.is_required() else "optional"
            print(f"    {name} ({req}): {f.description or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
