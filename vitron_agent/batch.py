"""Batch: one workflow (a saved plan) or one request over many images or videos, resumable.

    vitron-agent plan "segment the cat, then make it purple" --save wf.json     # a workflow
    vitron-agent batch wf.json photos/ --out results/                           # run it on a folder
    vitron-agent batch "blur the faces" 'clips/*.mp4' --out blurred/ --workers 2

Outputs under ``--out``: ``results.jsonl`` (one line per input: the ``--json`` contract plus
``input``, ``sha256``, ``key``, ``status`` ok | error, ``seconds``), each input's artifacts and
report in ``items/<name>-<sha8>/``, and ``index.html``, a gallery. Each line is written with one
``write`` and fsynced as its item finishes, so a kill loses at most the items in flight, a
partial last line is dropped on the next start, and the file never holds an input twice.
Running the same command again skips every input whose key (input SHA-256 + workflow SHA-256)
is already there; ``--force`` redoes them.

A request is planned once, on the first input, and that plan runs on every input (it is saved as
``workflow.json`` in the output folder); ``--plan-each`` plans every input anew. ``--workers N``
runs N processes, each loading its models once; ``--ray [ADDRESS]`` runs the same batch on Ray Data
(``--workers`` actors; :mod:`vitron_agent.batch_ray`).
"""

from __future__ import annotations

import glob
import hashlib
import html
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vitron_agent.errors import InputError

__all__ = [
    "Workflow",
    "collect_inputs",
    "run_batch",
    "save_workflow",
    "load_workflow",
    "write_gallery",
    "IMAGE_SUFFIXES",
    "VIDEO_SUFFIXES",
]

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif")
VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v")
WORKFLOW_VERSION = 1


@dataclass
class Workflow:
    """A plan with its inputs declared, the request it came from, and what made it."""

    plan: dict[str, Any]
    request: str
    medium: str  # "image" | "video"
    planner: str
    tools: dict[str, str]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(json.dumps(self.plan, sort_keys=True).encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {
            "version": WORKFLOW_VERSION,
            "request": self.request,
            "inputs": {self.medium: self.medium},
            "planner": self.planner,
            "tools": self.tools,
            "plan": self.plan,
        }


def save_workflow(path: str | Path, plan: Any, request: str, medium: str, agent: Any) -> Workflow:
    """Write ``plan`` (a Plan) as a workflow file; returns it."""
    tools = {t.name: getattr(t, "backend", "") for t in agent.toolbox}
    wf = Workflow(
        plan=plan.model_dump(mode="json"),
        request=request,
        medium=medium,
        planner=getattr(agent.planner, "name", "custom"),
        tools=tools,
    )
    atomic_write(Path(path), json.dumps(wf.to_json(), indent=2).encode("utf-8"), shared=True)
    return wf


def load_workflow(path: str | Path) -> Workflow:
    """A workflow file written by :func:`save_workflow` (``plan --save``); clear errors otherwise."""
    from vitron_agent.plan import Plan

    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"workflow {path}: cannot be read as JSON ({exc})") from None
    if not isinstance(data, dict) or "plan" not in data or data.get("version") != WORKFLOW_VERSION:
        raise InputError(
            f"workflow {path}: not a vitron-agent workflow (make one with `vitron-agent plan ... --save FILE`)"
        )
    plan = Plan.model_validate(data["plan"])
    if not plan.steps:
        raise InputError(f"workflow {path}: the plan has no steps")
    medium = next(iter(data.get("inputs") or {"image": "image"}))
    return Workflow(
        plan=plan.model_dump(mode="json"),
        request=str(data.get("request", "")),
        medium=medium,
        planner=str(data.get("planner", "")),
        tools=dict(data.get("tools") or {}),
    )


def collect_inputs(specs: list[str]) -> list[Path]:
    """Files named, folders (recursively) and glob patterns, images and videos, sorted, each once."""
    found: dict[str, Path] = {}
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            paths = [q for q in sorted(p.rglob("*")) if q.is_file()]
        elif p.is_file():
            paths = [p]
        else:
            paths = [Path(q) for q in sorted(glob.glob(spec, recursive=True)) if Path(q).is_file()]
            if not paths:
                raise InputError(f"input {spec!r}: no such file, folder or matching files")
        for q in paths:
            if q.suffix.lower() in IMAGE_SUFFIXES + VIDEO_SUFFIXES or p.is_file():
                found.setdefault(str(q.resolve()), q)
    if not found:
        raise InputError(
            f"no image or video files among the inputs ({', '.join(specs)}); images: "
            f"{' '.join(IMAGE_SUFFIXES)}; videos: {' '.join(VIDEO_SUFFIXES)}"
        )
    return list(found.values())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write(path: Path, data: bytes, shared: bool = False) -> None:
    """:func:`vitron_agent.artifact_codecs.atomic_write` (imported when first used: numpy)."""
    from vitron_agent.artifact_codecs import atomic_write as write

    write(path, data, shared=shared)


def _no_link(path: Path) -> None:
    """Remove a symlink planted at ``path`` (a file or folder the batch writes): it is replaced by
    the batch's own file, never written, appended or truncated through."""
    if path.is_symlink():
        path.unlink()


def _done(results: Path) -> dict[str, dict[str, Any]]:
    """key -> line of ``results.jsonl``; a partial last line (a kill mid-write) is cut off. A
    symlink there is not the batch's results: it is removed, never read or truncated through."""
    _no_link(results)
    if not results.exists():
        return {}
    raw = results.read_bytes()
    good, lines = 0, {}
    for chunk in raw.split(b"\n"):
        if not chunk.strip():
            good += len(chunk) + 1
            continue
        try:
            line = json.loads(chunk)
        except ValueError:
            break
        lines[line["key"]] = line
        good += len(chunk) + 1
    if good < len(raw):
        with open(results, "r+b") as f:
            f.truncate(min(good, len(raw)))
    return lines


def _append(results: Path, line: dict[str, Any]) -> None:
    data = (json.dumps(line, default=str) + "\n").encode()
    fd = os.open(results, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


class _Progress:
    """A bar on a terminal, plain 'N/M done' lines now and then elsewhere, nothing when quiet."""

    def __init__(self, total: int, quiet: bool, stream: Any = None):
        self.total, self.quiet, self.stream = total, quiet, stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start, self.last, self.done, self.failed = time.time(), 0.0, 0, 0

    def update(self, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        if self.quiet:
            return
        elapsed = max(1e-6, time.time() - self.start)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0.0
        failed = f", {self.failed} failed" if self.failed else ""
        if self.tty:
            width = 30
            filled = int(width * self.done / max(1, self.total))
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} items "
                f"{rate:.2f} items/s ETA {eta:.0f}s{failed}  "
            )
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif self.done == self.total or time.time() - self.last >= 10 or self.done % max(1, self.total // 10) == 0:
            self.last = time.time()
            self.stream.write(f"{self.done}/{self.total} done ({rate:.2f} items/s{failed})\n")
            self.stream.flush()


_WORKER: dict[str, Any] = {}


def _worker_init(
    config_path: str | None, plan: dict[str, Any] | None, planner: str | None, artifacts: str | None = None
) -> None:
    _WORKER["agent"] = _make_agent(config_path, plan, planner, artifacts)


def _make_agent(
    config_path: str | None,
    plan: dict[str, Any] | None,
    planner: str | None,
    artifacts: str | None = None,
    data_dir: str | None = None,
) -> Any:
    from vitron_agent.agent import Agent
    from vitron_agent.config import load_config
    from vitron_agent.planners.base import ScriptedPlanner

    config = load_config(config_path)
    return Agent(
        config=config,
        planner=ScriptedPlanner([plan]) if plan is not None else planner,
        artifacts=artifacts,
        data_dir=data_dir,
    )


def _one(job: tuple[str, str, str, str, str, str]) -> dict[str, Any]:
    """Run one input (in a worker or in-process); returns its results line (never raises)."""
    path, sha, key, medium, request, item_dir = job
    from vitron_agent.export import export_item

    agent = _WORKER["agent"]
    t0 = time.time()
    line: dict[str, Any] = {"input": path, "sha256": sha, "key": key}
    try:
        kw = {"video": path} if medium == "video" else {"image": path}
        result = agent.run(request, session=f"batch-{sha[:12]}", **kw)
        line.update(export_item(result, agent.store, item_dir))
    except Exception as exc:  # one bad input never stops the batch: its line says why
        from vitron_agent.errors import VitronError

        line.update(status="error", error=str(exc) if isinstance(exc, VitronError) else f"{type(exc).__name__}: {exc}")
    line["seconds"] = round(time.time() - t0, 3)
    line["folder"] = item_dir
    return line


def run_batch(
    target: str,
    inputs: list[str],
    out: str | Path,
    *,
    config: str | None = None,
    planner: str | None = None,
    plan_each: bool = False,
    force: bool = False,
    workers: int = 1,
    quiet: bool = False,
    progress_stream: Any = None,
    agent: Any = None,
    artifacts: str | None = None,
    ray: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Run a workflow file or a request over ``inputs`` (files, folders, globs); yields each
    results line as its item finishes (skipped items are not yielded). See the module docstring.
    ``agent``: run in-process on this Agent (its models stay loaded; ``workers`` is then 1).
    ``artifacts``: the store URL every worker uses (``s3://bucket/prefix``; default ``[store] url``).
    ``ray``: run on Ray Data at this address ("local" starts an instance here; "auto" or
    "ray://head:10001" joins a cluster) with ``workers`` actors (see :mod:`vitron_agent.batch_ray`)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _no_link(out / "items")
    files = collect_inputs(inputs)
    medium = _medium(files)
    workflow, request = _workflow(target, medium, plan_each, out, agent, config, planner, artifacts)
    fingerprint = workflow.sha256 if workflow is not None else hashlib.sha256(f"each:{request}".encode()).hexdigest()
    results = out / "results.jsonl"
    done = {} if force else _done(results)
    if force and results.exists():
        results.unlink()
    jobs = []
    for f in files:
        sha = _sha256(f)
        key = f"{sha}:{fingerprint[:16]}"
        if key not in done:
            jobs.append((str(f), sha, key, medium, request, str(out / "items" / f"{f.stem[:40]}-{sha[:8]}")))
    progress = _Progress(len(jobs), quiet, progress_stream)
    if not quiet and len(jobs) < len(files):
        progress.stream.write(
            f"skipping {len(files) - len(jobs)} of {len(files)} inputs already in {results} (--force redoes them)\n"
        )
    plan_dict = workflow.plan if workflow is not None else None
    if ray is not None and jobs:
        from vitron_agent.batch_ray import ray_lines

        lines = ray_lines(
            jobs,
            address=ray,
            workers=workers,
            config=config,
            plan=plan_dict,
            planner=planner,
            artifacts=artifacts,
            out=out,
            make_agent=_make_agent,
        )
    elif agent is not None or workers <= 1 or len(jobs) <= 1:
        lines = _in_process(jobs, agent, config, plan_dict, planner, artifacts)
    else:
        lines = _in_pool(jobs, workers, config, plan_dict, planner, artifacts)
    for line in lines:
        _append(results, line)
        progress.update(line["status"] == "ok")
        yield line
    write_gallery(out)


def _medium(files: list[Path]) -> str:
    """ "video" when every input is a video, "image" when none is; a mix is refused."""
    videos = [f.suffix.lower() in VIDEO_SUFFIXES for f in files]
    if any(videos) and not all(videos):
        raise InputError("the inputs mix images and videos; run one batch for each (a plan is for one medium)")
    return "video" if all(videos) else "image"


def _workflow(target, medium, plan_each, out, agent, config, planner, artifacts) -> tuple[Workflow | None, str]:
    """(the workflow every input runs, the request): a workflow file as given; a request planned
    once here (saved as out/workflow.json); None with ``plan_each`` (each input is planned anew)."""
    if target.endswith(".json") and Path(target).is_file():
        workflow = load_workflow(target)
        if workflow.medium != medium:
            raise InputError(f"workflow {target} takes {workflow.medium}s but the inputs are {medium}s")
        return workflow, workflow.request or "(workflow)"
    if plan_each:
        return None, target
    planning = agent or _make_agent(config, None, planner, artifacts)
    try:
        plan = planning.plan(target, **({"video": "<video>"} if medium == "video" else {"image": "<image>"}))
        if not plan.steps:
            raise InputError(f"{target!r} gives no steps: {plan.answer}")
        return save_workflow(out / "workflow.json", plan, target, medium, planning), target
    finally:
        if agent is None:
            planning.close()


def _in_process(jobs, agent, config, plan_dict, planner, artifacts) -> Iterator[dict[str, Any]]:
    """The jobs one after another in this process (on ``agent`` when given: its models stay loaded)."""
    from vitron_agent.planners.base import ScriptedPlanner

    own = agent is None
    if own:
        _worker_init(config, plan_dict, planner, artifacts)
    else:
        _WORKER["agent"], saved = agent, agent.planner
        if plan_dict is not None:
            agent.planner = ScriptedPlanner([plan_dict])
    try:
        for job in jobs:
            yield _one(job)
    finally:
        used = _WORKER.pop("agent")
        if own:
            used.close()
        else:
            used.planner = saved


def _in_pool(jobs, workers, config, plan_dict, planner, artifacts) -> Iterator[dict[str, Any]]:
    """The jobs on ``workers`` processes (each loads the models once), in the order they finish."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(
        workers,
        mp_context=mp.get_context("spawn"),
        initializer=_worker_init,
        initargs=(config, plan_dict, planner, artifacts),
    ) as pool:
        futures = [pool.submit(_one, job) for job in jobs]
        for fut in as_completed(futures):
            yield fut.result()


def _rel(path: str | None, out: Path) -> str | None:
    if not path:
        return None
    try:
        return os.path.relpath(path, out)
    except ValueError:
        return path


def write_gallery(out: str | Path) -> Path:
    """``index.html``: a card per input (input, result picture, answer, warnings; failures red)."""
    out = Path(out)
    lines = list(_done(out / "results.jsonl").values())
    cards = []
    for ln in lines:
        folder = Path(ln.get("folder") or "")
        pics = sorted(folder.glob("input_*")) + sorted(p for p in folder.glob("s*_image.png"))
        inp = _rel(str(pics[0]), out) if pics and pics[0].name.startswith("input_") else None
        res = _rel(str(pics[-1]), out) if len(pics) > 1 else None
        bad = ln.get("status") != "ok"
        report = _rel(ln.get("report"), out)
        warn = "".join(f"<p class=w>{html.escape(w)}</p>" for w in ln.get("warnings") or [])
        img = "".join(f'<img src="{html.escape(s)}" alt="">' for s in (inp, res) if s and s.endswith((".png", ".jpg")))
        cards.append(
            f'<div class="card{" bad" if bad else ""}"><h3>{html.escape(Path(ln["input"]).name)}</h3>'
            f"<div class=pics>{img}</div>{warn}<p>{html.escape(str(ln.get('answer') or ln.get('error') or ''))}</p>"
            + (f'<a href="{html.escape(report)}">report</a>' if report else "")
            + "</div>"
        )
    ok = sum(ln.get("status") == "ok" for ln in lines)
    page = (
        "<!doctype html><meta charset=utf-8><title>vitron-agent batch</title><style>"
        "body{font:14px system-ui;margin:20px}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));"
        "gap:12px}.card{border:1px solid #ccc;border-radius:8px;padding:10px}.bad{border-color:#d33;background:#fff3f3}"
        ".pics img{width:48%;margin-right:2%}.w{color:#a60}</style>"
        f"<h1>Batch: {ok} of {len(lines)} ok</h1><div class=grid>{''.join(cards)}</div>"
    )
    path = out / "index.html"
    atomic_write(path, page.encode("utf-8"), shared=True)
    return path
