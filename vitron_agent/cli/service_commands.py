"""The session and server commands of the CLI: ``sessions``, ``review``, ``chat``, ``serve``, ``ui``,
``mcp``, ``serve-models``: each a parser-and-run pair declared as a Surface (bottom of the module).

Light at import (``vitron-agent --help`` parses every command): each run imports what it needs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vitron_agent.cli.args import Progress, agent_from_args, close_agent, drive, writable_folder
from vitron_agent.cli.options import VERBOSE_HELP, add_artifacts, add_connection_limits, add_db, add_planner, bounded
from vitron_agent.cli.surface import Surface, register_surface
from vitron_agent.cli.terminal_text import for_terminal

__all__ = ["sessions", "review", "chat", "serve", "mcp", "serve_models"]


def sessions(args: argparse.Namespace) -> int:
    from vitron_agent.core.errors import InputError
    from vitron_agent.runtime import sessions as S

    args.action = {"list": "ls", "delete": "rm"}.get(args.action, args.action)
    agent = agent_from_args(args, db=args.db)
    try:
        if args.action == "ls":
            rows = [s.as_dict() for s in S.list_sessions(agent)]
            if args.json:
                print(json.dumps(rows))
            for r in [] if args.json else rows:
                flag = (
                    " (plan waiting for review: vitron-agent review)"
                    if r["awaiting_review"]
                    else " (interrupted: resume it)"
                    if r["pending"]
                    else ""
                )
                print(for_terminal(f"{r['id']}\t{r['turns']} turns\t{(r['last_request'] or '')[:60]}{flag}"))
            return 0
        if not args.session:
            raise InputError(f"sessions {args.action} needs a session id")
        if args.action == "show":
            state = S.session_state(agent, args.session)
            if not state:
                raise InputError(f"no session {args.session!r} in {args.db}")
            history = state.get("history", [])
            if args.json:
                print(
                    json.dumps(
                        {"session": args.session, "history": history, "last": state.get("last", {})}, default=str
                    )
                )
            for i, turn in enumerate([] if args.json else history, 1):
                first = turn["answer"].splitlines()[0] if turn["answer"] else ""
                print(for_terminal(f"[{i}] {turn['request']}\n    {first}"))
            return 0
        if args.action == "rm":
            if not S.delete_session(agent, args.session):
                raise InputError(f"no session {args.session!r} in {args.db}")
            print(f"deleted {args.session}")
            return 0
        if not args.new_session:
            raise InputError("sessions fork needs the new session id: sessions fork SRC NEW --db PATH")
        S.fork_session(agent, args.session, args.new_session, args.turn)
        print(f"forked {args.session} into {args.new_session}")
        return 0
    finally:
        agent.close()


def review(args: argparse.Namespace) -> int:
    from vitron_agent.core.errors import InputError

    plan = None
    if args.action == "edit":
        if not args.plan:
            raise InputError("review edit needs --plan FILE with the edited plan as JSON")
        try:
            plan = json.loads(Path(args.plan).read_text())
        except (OSError, ValueError) as exc:
            raise InputError(f"--plan {args.plan}: {exc}") from None
    agent = agent_from_args(args, db=args.db)
    return drive(
        args,
        agent,
        lambda on_event: agent.review(args.session, args.action, plan=plan, reason=args.reason, on_event=on_event),
    )


CHAT_HELP = (
    "commands: /image PATH (use a new picture), /video PATH (use a new video), /session, /quit; "
    "anything else is an instruction"
)


def chat(args: argparse.Namespace) -> int:
    import uuid

    from vitron_agent.core.errors import VitronError
    from vitron_agent.runtime.turns import TurnRequest

    agent = agent_from_args(args, db=args.db) if args.db else agent_from_args(args)
    session = args.session or uuid.uuid4().hex[:12]
    image, video = args.image, getattr(args, "video", None)
    interactive = sys.stdin.isatty()
    print(f"vitron-agent chat · session {session} · {CHAT_HELP}")
    try:
        while True:
            try:
                line = input("you> " if interactive else "")
            except EOFError:
                break
            line = line.strip()
            if not line:
                continue
            if line.lower().strip(" .!") in ("/quit", "/exit", "quit", "exit", "bye", "goodbye", "q", ":q"):
                break  # the bare word too: "quit" was read as a request (a keep-only on 'the exit')
            if line == "/session":
                print(f"session {session}")
                continue
            if line.startswith(("/image", "/video")):
                kind, path = line[1:6], line[6:].strip()
                if not path:
                    print(f"usage: /{kind} PATH")
                elif not Path(path).expanduser().is_file():
                    print(
                        f"error: {for_terminal(path)} is not a file; nothing changed"
                    )  # said now, not at the next request
                elif kind == "image":
                    image, video = path, None
                    print(f"image: {for_terminal(image)}")
                else:
                    video, image = path, None
                    print(f"video: {for_terminal(video)}")
                continue
            if line.startswith("/"):
                print(CHAT_HELP)
                continue
            try:
                request = TurnRequest(line, image=image, video=video)
                result = agent.run_turn(request, session, Progress(interactive))
            except VitronError as exc:  # a bad path or region: say so and keep the session
                print(f"error: {for_terminal(exc)}")
                image = video = None
                continue
            image = video = None  # later turns work on the latest result unless new media are given
            from vitron_agent.runtime.export import export_run

            data = export_run(result, agent.store, Path(args.out) / f"{session}-{len(agent.history(session))}")
            print(for_terminal(f"vitron> {result.answer}\n        (report: {data['report']})"))
    finally:
        close_agent(agent)
    return 0


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _token(args: argparse.Namespace) -> str | None:
    """--token, else $VITRON_API_TOKEN; an empty or blank one is a usage error (it would turn auth off)."""
    import os

    from vitron_agent.core.errors import InputError
    from vitron_agent.server.guard import check_token

    token = args.token if args.token is not None else os.environ.get("VITRON_API_TOKEN")
    try:
        return check_token(token)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def serve(args: argparse.Namespace) -> int:
    from vitron_agent.core.errors import InputError

    token = _token(args)
    if token is None and not args.no_auth:
        raise InputError("serve needs --token or VITRON_API_TOKEN (or --no-auth on a loopback host)")
    if token is None and args.host not in LOOPBACK:
        raise InputError(f"--no-auth is allowed only on a loopback host, not {args.host}; set a token")
    limits = _limits(args)
    import uvicorn

    from vitron_agent.server import ServerSettings, create_app
    from vitron_agent.server.transport import server_config

    data = writable_folder("--data", args.data)
    agent = agent_from_args(args, db=args.db or data / "sessions.sqlite", data_dir=data / "artifacts")
    settings = ServerSettings(
        token=token,
        max_upload_bytes=int(args.max_upload_mb * 1024 * 1024),
        max_running=args.max_running,
        max_queued=args.max_queued,
    )
    print(
        f"vitron-agent serving on http://{args.host}:{args.port} (auth: {'bearer token' if token else 'off'}, "
        f"artifacts: {agent.store.url}, sessions: {_where(agent)})",
        file=sys.stderr,
    )
    try:
        uvicorn.Server(server_config(create_app(agent, settings), args.host, args.port, *limits)).run()
    finally:
        agent.close()
    return 0


def _limits(args: argparse.Namespace) -> tuple[float, int]:
    """--head-timeout and --max-connections, checked (one line, exit 2 when out of range)."""
    from vitron_agent.core.errors import InputError

    if not args.head_timeout > 0 or args.max_connections < 1:
        raise InputError(
            f"--head-timeout must be more than 0 s and --max-connections at least 1, not {args.head_timeout} "
            f"and {args.max_connections}"
        )
    return args.head_timeout, args.max_connections


def _where(agent) -> str:
    """Where the agent keeps its sessions, password hidden."""
    return agent.locks.where


def ui(args: argparse.Namespace) -> int:
    """The web UI on the same Agent as the CLI: loopback without a token, a token elsewhere."""
    from vitron_agent.core.errors import InputError

    token = _token(args)
    if token is None and args.host not in LOOPBACK:
        raise InputError(
            f"the UI on {args.host} (not a loopback host) needs --token or VITRON_API_TOKEN: "
            "anyone who can reach it could run the agent"
        )
    if args.max_upload_mb <= 0:
        raise InputError("--max-upload-mb must be more than 0")
    limits = _limits(args)
    data = writable_folder("--data", args.data)
    agent = agent_from_args(args, db=args.db or data / "sessions.sqlite", data_dir=data / "artifacts")
    try:
        import uvicorn

        from vitron_agent.server.transport import server_config
        from vitron_agent.ui import UISettings, create_ui_app

        settings = UISettings(out_dir=data / "ui", token=token, max_upload_bytes=int(args.max_upload_mb * 1024 * 1024))
        app = create_ui_app(agent, settings)
        shown = f"[{args.host}]" if ":" in args.host else args.host
        print(
            f"vitron-agent UI: open http://{shown}:{args.port}/ in a browser "
            f"({'login: any user name, the token as password' if token else 'loopback only, no login'}; "
            f"artifacts: {agent.store.url}; sessions: {_where(agent)}; Ctrl-C stops it)",
            file=sys.stderr,
            flush=True,
        )
        uvicorn.Server(server_config(app, args.host, args.port, *limits)).run()
    finally:
        agent.close()
    return 0


def mcp(args: argparse.Namespace) -> int:
    from vitron_agent.server.mcp_server import build_mcp_server, run_stdio

    agent = agent_from_args(args, data_dir=args.data) if args.data else agent_from_args(args)
    try:
        run_stdio(build_mcp_server(agent))
    finally:
        agent.close()
    return 0


def serve_models(args: argparse.Namespace) -> int:
    """Deploy every tool that runs on Ray (or ``--tools``) as a Serve application, then print their
    names. On a local instance (``address = "local"``) the deployments live as long as this command."""
    import time

    from vitron_agent.core.errors import ConfigError
    from vitron_agent.runtime.ray_serve import RayExecutor, RemoteTool
    from vitron_agent.runtime.toolset import build_toolbox
    from vitron_agent.toolkit.config import load_config

    config = load_config(args.config)
    if args.address:
        config.execution.address = args.address
    names = [n.strip() for n in args.tools.split(",")] if args.tools else None
    toolbox = build_toolbox(
        config.model_copy(update={"execution": config.execution.model_copy(update={"backend": "ray"})})
    )
    chosen = [t for t in toolbox if isinstance(t, RemoteTool) and (names is None or t.name in names)]
    if names is not None:
        missing = sorted(set(names) - {t.name for t in chosen})
        if missing:
            raise ConfigError(
                f"--tools: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not configured "
                "as model tools in this config"
            )
    if not chosen:
        raise ConfigError("no model tool to deploy: configure [tools.<name>] backends with checkpoints first")
    executor = RayExecutor(config.execution)
    executor.connect()
    for tool in chosen:
        print(f"deploying {executor.app(tool.name)} ({tool.local.backend})", file=sys.stderr)
        executor.deploy(tool.name, tool.settings)
    print(" ".join(executor.app(t.name) for t in chosen))
    if config.execution.address != "local":
        return 0
    print("serving on a local Ray instance; Ctrl-C stops it", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    finally:
        import ray

        ray.shutdown()


def add_sessions_parser(sub: Any) -> argparse.ArgumentParser:
    sessions = sub.add_parser("sessions", help="list, show, fork or delete the sessions in a database")
    sessions.add_argument(
        "action",
        choices=["ls", "list", "show", "rm", "delete", "fork"],
        help="ls (or list), show, rm (or delete), fork",
    )
    sessions.add_argument("session", nargs="?", help="session id (show, rm, fork)")
    sessions.add_argument("new_session", nargs="?", help="fork: the new session id")
    add_db(sessions, required=True)
    add_artifacts(sessions)
    sessions.add_argument(
        "--turn", type=bounded(int, 0, 1_000_000, "--turn"), help="fork: branch after this turn (default: the latest)"
    )
    sessions.add_argument("--json", action="store_true")
    return sessions


def add_review_parser(sub: Any) -> argparse.ArgumentParser:
    review = sub.add_parser("review", help="approve, edit or reject a plan paused by run --review")
    review.add_argument("action", choices=["approve", "edit", "reject"])
    add_db(review, required=True)
    add_artifacts(review)
    review.add_argument("--session", metavar="ID", required=True)
    review.add_argument("--plan", metavar="FILE", help="edit: the edited plan as JSON")
    review.add_argument("--reason", help="reject: why")
    review.add_argument("--config", metavar="PATH")
    review.add_argument("--out", metavar="DIR")
    review.add_argument("--json", action="store_true")
    review.add_argument("--quiet", action="store_true")
    review.add_argument("--verbose", action="store_true", help=VERBOSE_HELP)
    return review


def add_chat_parser(sub: Any) -> argparse.ArgumentParser:
    chat = sub.add_parser("chat", help="an interactive multi-turn session in the terminal")
    chat.add_argument("--image", metavar="PATH", help="the first image")
    chat.add_argument("--video", metavar="PATH", help="the first video")
    add_db(chat)
    add_artifacts(chat)
    chat.add_argument("--session", metavar="ID")
    chat.add_argument("--config", metavar="PATH")
    add_planner(chat)
    chat.add_argument("--out", metavar="DIR", default="vitron-chat")
    return chat


def add_serve_parser(sub: Any) -> argparse.ArgumentParser:
    serve = sub.add_parser("serve", help="serve the agent over HTTP (FastAPI; OpenAI-compatible /v1/chat/completions)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=bounded(int, 0, 65535, "--port"), default=8000)
    serve.add_argument("--token", help="bearer token clients must send (default: $VITRON_API_TOKEN)")
    serve.add_argument("--no-auth", action="store_true", help="no token (allowed only on a loopback host)")
    serve.add_argument("--data", metavar="DIR", default="vitron-data", help="sessions.sqlite and artifacts live here")
    serve.add_argument("--config", metavar="PATH")
    add_planner(serve)
    add_db(
        serve,
        help="sessions: default DIR/sessions.sqlite; postgresql://user:pass@host/db to share them between servers",
    )
    add_artifacts(serve, " (default: DIR/artifacts)")
    serve.add_argument("--max-upload-mb", type=bounded(float, 0.001, 10_240, "--max-upload-mb"), default=20)
    serve.add_argument("--max-running", type=bounded(int, 1, 256, "--max-running"), default=2)
    serve.add_argument("--max-queued", type=bounded(int, 0, 100_000, "--max-queued"), default=8)
    add_connection_limits(serve)
    return serve


def add_ui_parser(sub: Any) -> argparse.ArgumentParser:
    ui = sub.add_parser("ui", help="a web UI in the browser: upload, mark a region, chat, see every step (Gradio)")
    ui.add_argument("--host", default="127.0.0.1", help="default loopback; another host needs a token")
    ui.add_argument("--port", type=bounded(int, 0, 65535, "--port"), default=7860)
    ui.add_argument(
        "--token",
        help="the password of the UI's login page (default: $VITRON_API_TOKEN; required when --host is not loopback)",
    )
    ui.add_argument(
        "--data", metavar="DIR", default="vitron-data", help="sessions.sqlite, artifacts and the UI's exports live here"
    )
    ui.add_argument("--config", metavar="PATH")
    add_planner(ui)
    add_db(ui, help="sessions: default DIR/sessions.sqlite, or postgresql://...")
    add_artifacts(ui, " (default: DIR/artifacts)")
    ui.add_argument("--max-upload-mb", type=bounded(float, 0.001, 10_240, "--max-upload-mb"), default=20)
    add_connection_limits(ui)
    return ui


def add_mcp_parser(sub: Any) -> argparse.ArgumentParser:
    mcp = sub.add_parser("mcp", help="serve the tools over MCP (stdio)")
    mcp.add_argument("--config", metavar="PATH")
    mcp.add_argument("--data", metavar="DIR", help="artifact folder (default: a temporary one)")
    add_planner(mcp)
    add_artifacts(mcp)
    return mcp


def add_serve_models_parser(sub: Any) -> argparse.ArgumentParser:
    models = sub.add_parser("serve-models", help="deploy the configured model specialists on Ray Serve")
    models.add_argument("--config", metavar="PATH", help="vitron.toml with an [execution] table")
    models.add_argument(
        "--address",
        help="Ray address (default: [execution] address); 'local' starts one here and keeps it up until Ctrl-C",
    )
    add_artifacts(models, "; the deployments read and write it")
    models.add_argument(
        "--tools", metavar="NAMES", help="comma-separated tools to deploy (default: every tool that runs on Ray)"
    )
    return models


for _surface in (
    Surface("sessions", add_sessions_parser, sessions),
    Surface("review", add_review_parser, review),
    Surface("chat", add_chat_parser, chat),
    Surface("serve", add_serve_parser, serve),
    Surface("ui", add_ui_parser, ui),
    Surface("mcp", add_mcp_parser, mcp),
    Surface("serve-models", add_serve_models_parser, serve_models),
):
    register_surface(_surface)
