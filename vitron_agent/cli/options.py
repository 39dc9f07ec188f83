"""Argument groups several commands share (``--config``, the media and regions, ``--planner``,
``--db``, ``--artifacts``, connection limits). Light: the parser of every command uses them."""

from __future__ import annotations

import argparse
import math

__all__ = [
    "ART_HELP",
    "DB_HELP",
    "VERBOSE_HELP",
    "floats",
    "add_inputs",
    "add_planner",
    "add_db",
    "add_artifacts",
    "add_connection_limits",
]

ART_HELP = (
    "artifacts in object storage every machine reads: s3://bucket/prefix (endpoint and credentials from "
    "AWS_ENDPOINT_URL / AWS_ACCESS_KEY_ID ..., or [store] endpoint_url); default [store] url, else a local folder"
)
DB_HELP = "sessions across runs: an SQLite file, or postgresql://user:pass@host/db (many machines)"
VERBOSE_HELP = "after the answer, each step's id, tool, arguments, outputs, model and time"


def floats(n: int, name: str):
    """An argparse type: ``n`` comma-separated finite numbers (``--box 1,2,3,4``; "nan" had been
    called "less than 0")."""

    def parse(text: str) -> list[float]:
        parts = [p for p in text.replace(" ", "").split(",") if p]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) != n or not all(math.isfinite(v) for v in values):
            raise argparse.ArgumentTypeError(f"{name} takes {n} comma-separated finite numbers, got {text!r}")
        return values

    return parse


def bounded(kind: type, low: float, high: float, name: str):
    """An argparse type: one number of ``kind`` from ``low`` to ``high``, or the error naming the
    option, its range and an example (``--workers 1000000`` had tried to start a million processes,
    ``--max-upload-mb nan`` was a traceback, ``--max-running 0`` a server that never runs a turn)."""

    def parse(text: str) -> float:
        try:
            value = float(text) if kind is float else int(text)
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or not low <= value <= high:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{name} takes {what} from {low:g} to {high:g}, got {text[:40]!r}")
        return value

    return parse


def add_planner(sp: argparse.ArgumentParser, help: str | None = None) -> None:
    """``--planner``: one of the kinds in the planner registry (built-in and plugin ones)."""
    from vitron_agent.planners.kinds import planner_names

    sp.add_argument("--planner", choices=planner_names(), help=help)


def add_inputs(sp: argparse.ArgumentParser) -> None:
    """--config, the media, the regions and the planner (run and plan)."""
    sp.add_argument(
        "media",
        nargs="?",
        metavar="PICTURE_OR_CLIP",
        help="the input file after the instruction: an image, or a video by its extension (= --image / --video)",
    )
    sp.add_argument("--config", metavar="PATH", help="vitron.toml (default: ./vitron.toml if present)")
    sp.add_argument("--image", metavar="PATH", help="input image")
    sp.add_argument("--video", metavar="PATH", help="input video (mp4, mov, mkv, webm, avi, gif)")
    sp.add_argument("--box", type=floats(4, "--box"), metavar="X1,Y1,X2,Y2", help="a box region (pixels, XYXY)")
    sp.add_argument("--point", type=floats(2, "--point"), metavar="X,Y", help="a point region (pixels)")
    add_planner(sp, help="planner (default: [planner] kind in vitron.toml, else rule)")


def add_db(sp: argparse.ArgumentParser, required: bool = False, help: str = DB_HELP) -> None:
    sp.add_argument("--db", metavar="PATH|URL", required=required, help=help)


def add_artifacts(sp: argparse.ArgumentParser, more: str = "") -> None:
    sp.add_argument("--artifacts", metavar="URL", help=ART_HELP + more)


def add_connection_limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--head-timeout",
        type=bounded(float, 0.1, 3600, "--head-timeout"),
        default=10.0,
        metavar="SECONDS",
        help="a request's head must arrive within this time (408 and closed after; before authentication)",
    )
    parser.add_argument(
        "--max-connections",
        type=bounded(int, 1, 100_000, "--max-connections"),
        default=256,
        help="open connections; one more is answered 503 and closed",
    )


def take_media(args: argparse.Namespace) -> str | None:
    """Move the positional file (``run "make it grayscale" photo.png``, the form people type first) to
    --image or --video by its extension; the two words the other way round (``run photo.png "make it
    grayscale"``) are put right. Returns a usage problem to say, or None."""
    import os

    media = getattr(args, "media", None)
    instruction = getattr(args, "instruction", "") or ""
    if media and not os.path.exists(media) and os.path.isfile(instruction):  # the file came first
        args.instruction, media = media, instruction
    if not media:
        return None
    if args.image or args.video:
        return f"give the input once: {media!r} after the instruction, or --image/--video, not both"
    if not os.path.exists(media):
        return (
            f"{media!r} is not a file (the instruction goes in quotes, then the picture or clip: "
            'vitron-agent run "make it grayscale" photo.png)'
        )
    from vitron_agent.media.video import VIDEO_SUFFIXES

    if os.path.splitext(media)[1].lower() in VIDEO_SUFFIXES:
        args.video = media
    else:
        args.image = media
    args.media = None
    return None
