"""Batch: one workflow (a saved plan) or one request over many images or videos, resumable.

    vitron-agent plan "segment the cat, then make it purple" --save wf.json     # a workflow
    vitron-agent batch wf.json photos/ --out results/                           # run it on a folder
    vitron-agent batch "blur the faces" 'clips/*.mp4' --out blurred/ --workers 2

Outputs under ``--out``: ``results.jsonl`` (one line per input: the ``--json`` contract plus
``input`` (the path as found), ``name`` (its path relative to the folder or glob it was found
under), ``sha256``, ``key``, ``status`` ok | error, ``seconds``, ``folder``), each input's
artifacts and report in ``items/<name>-<hash8>/`` (an ASCII name), and ``index.html``, a gallery.
An input's key is its name, its content's SHA-256 and the workflow's SHA-256: identical files in
two folders are two items; a changed file or workflow runs again.

``results.jsonl`` is an append-only log (:mod:`vitron_agent.batch.results_log`): each line is written
with one ``write`` and fsynced as its item finishes, by this process only (workers send their
lines back); a damaged line is skipped and reported, never the lines after it, and only a
partial last line (a kill mid-write) is cut off. A lock on ``--out`` refuses a second batch
there. Running the same command again skips every input already recorded (``--force`` redoes
them); the exit code still counts the failures it skipped.

A request is planned once and that plan runs on every input (saved as ``workflow.json`` in the
output folder); ``--plan-each`` plans every input anew. ``--workers N`` runs N processes, each
loading its models once and using cores / N threads (:mod:`vitron_agent.batch.pool`);
``--ray [ADDRESS]`` runs the same batch on Ray (``--workers`` actors;
:mod:`vitron_agent.batch.ray_data`); attached to a cluster its actors stay warm for the next batch
(``--ray-keep`` idle seconds; ``--ray-release ADDRESS`` ends them: :mod:`vitron_agent.batch.ray_actors`).
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vitron_agent.batch import pool as batch_pool
from vitron_agent.batch.pool import Job, printable
from vitron_agent.batch.remote import is_remote, remote_fingerprint, remote_inputs
from vitron_agent.batch.results_log import ResultsLog, _no_link
from vitron_agent.batch.timeline import mark
from vitron_agent.core.errors import InputError

__all__ = [
    "BatchTally",
    "Workflow",
    "collect_inputs",
    "named_inputs",
    "printable",
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
    from vitron_agent.core.errors import MediaError
    from vitron_agent.media.images import file_size, read_regular
    from vitron_agent.toolkit.plan import Plan

    try:  # a regular file, read bounded: a FIFO or /dev/zero named by mistake neither hangs nor fills memory
        file_size(Path(path), str(path), "workflow")
        data = json.loads(read_regular(Path(path), str(path), 16 << 20, "workflow"))
    except MediaError as exc:
        raise InputError(f"workflow {exc}") from None
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


def collect_inputs(specs: list[str]) -> list[Path | str]:
    """Files named, folders (recursively) and glob patterns, images and videos, sorted, each once."""
    return [path for path, _ in named_inputs(specs)]


def named_inputs(
    specs: list[str], exclude: Path | None = None, skipped: list[str] | None = None
) -> list[tuple[Path | str, str]]:
    """:func:`collect_inputs` with each file's name: its path relative to the folder (or a glob's
    fixed part) it was found under, or its file name when named directly. Two different files that
    would share a name keep their full paths, so no two inputs ever share a key. An object-store
    URL (``s3://bucket/prefix/``) gives its objects as URLs (:mod:`vitron_agent.batch.remote`).
    Files under ``exclude`` (the batch's ``--out``) are never inputs: with ``--out`` inside an input
    folder, every run took the last run's results as new inputs (2 pictures, 14 results by the third).
    ``skipped`` (when given) gets each file left out and why: in a folder, a file that is no image or
    video and a link to nothing; anywhere, a second name of a file already listed (a link, the same
    path twice): these had been left out without a word ("1 of 1 ok" for three names)."""
    found: dict[str, tuple[Path | str, str]] = {}
    skip = exclude.resolve() if exclude is not None else None
    for spec in specs:
        if is_remote(spec):
            for url, name in remote_inputs(spec, IMAGE_SUFFIXES + VIDEO_SUFFIXES):
                found.setdefault(url, (url, name))
            continue
        p = Path(spec)
        if p.is_dir():
            listed = sorted(p.rglob("*"))
            base, paths = p, [q for q in listed if q.is_file()]
            _note(skipped, [f"{q} ({why})" for q in listed if (why := _not_listed(q))])
        elif p.is_file():
            base, paths = p.parent, [p]
        else:
            base = _glob_base(spec)
            paths = [Path(q) for q in sorted(glob.glob(spec, recursive=True)) if Path(q).is_file()]
            if not paths:
                words = " " in spec.strip() and not any(c in spec for c in "/\\*?[")
                hint = f' (the request goes first: vitron-agent batch "{spec[:60]}" INPUTS --out DIR)' if words else ""
                raise InputError(f"input {spec[:200]!r}: no such file, folder or matching files{hint}")
        for q in paths:
            real = q.resolve()
            if skip is not None and (real == skip or skip in real.parents):
                continue
            if not (q.suffix.lower() in IMAGE_SUFFIXES + VIDEO_SUFFIXES or p.is_file()):
                _note(skipped, [f"{q} (not an image or video)"])
            elif str(real) in found:
                _note(skipped, [f"{q} (the same file as {found[str(real)][0]}: done once)"])
            else:
                found[str(real)] = (q, _relative(q, base))
    if not found:
        raise InputError(
            f"no image or video files among the inputs ({', '.join(specs)}); images: "
            f"{' '.join(IMAGE_SUFFIXES)}; videos: {' '.join(VIDEO_SUFFIXES)}"
        )
    names = Counter(name for _, name in found.values())
    return [(q, name if names[name] == 1 else full) for full, (q, name) in found.items()]


def _not_listed(path: Path) -> str:
    """Why a folder's entry that is no file is left out ("" for a plain folder)."""
    if path.is_symlink() and not path.exists():
        return "a link to nothing"
    if path.is_symlink() and path.is_dir():
        return "a link to a folder: not followed"
    if path.exists() and not path.is_file() and not path.is_dir():
        return "not a regular file"
    return ""


def _note(skipped: list[str] | None, lines: list[str]) -> None:
    if skipped is not None:
        skipped.extend(lines)


def skipped_line(skipped: list[str], shown: int = 5) -> str:
    """One line naming the inputs left out (the first ``shown`` and how many more)."""
    more = f"; and {len(skipped) - shown} more" if len(skipped) > shown else ""
    return f"left out {len(skipped)} of the inputs: {'; '.join(skipped[:shown])}{more}"


def _glob_base(spec: str) -> Path:
    parts = Path(spec).parts
    fixed = [part for part in itertools.takewhile(lambda part: not glob.has_magic(part), parts)]
    return Path(*fixed) if fixed else Path(".")


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write(path: Path, data: bytes, shared: bool = False) -> None:
    """:func:`vitron_agent.storage.codecs.atomic_write` (imported when first used: numpy)."""
    from vitron_agent.storage.codecs import atomic_write as write

    write(path, data, shared=shared)


def _item_key(name: str, sha: str, fingerprint: str) -> str:
    """Content + workflow + the input's name: identical files in two folders are two items."""
    return f"{sha}:{fingerprint[:16]}:{hashlib.sha256(os.fsencode(name)).hexdigest()[:12]}"


def _item_folder(out: Path, name: str, key: str) -> str:
    """``items/<readable ASCII name>-<8 hex of the key>``: no character a URL or a shell minds."""
    stem = name.rsplit(".", 1)[0] if "." in name.rsplit("/", 1)[-1] else name
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", printable(stem).replace("/", "__")).strip("._")[:40] or "input"
    return str(out / "items" / f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:8]}")


class _Progress:
    """A bar on a terminal, plain 'N/M done' lines now and then elsewhere, nothing when quiet."""

    def __init__(self, total: int, quiet: bool, stream: Any = None):
        self.total, self.quiet, self.stream = total, quiet, stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start, self.last, self.done, self.failed = time.time(), 0.0, 0, 0
        self.tag: Any = None  # a callable giving a note for the line (how Ray's actors came)

    def update(self, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        if self.quiet:
            return
        elapsed = max(1e-6, time.time() - self.start)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate else 0.0
        failed = f", {self.failed} failed" if self.failed else ""
        note = self.tag() if self.tag is not None else ""
        failed += f"; {note}" if note else ""
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


@dataclass
class BatchTally:
    """What a batch found and did, filled in by :func:`run_batch` as it goes: ``ran`` and
    ``failed`` this time; ``skipped`` inputs already in ``results.jsonl``, ``skipped_failed`` of
    them recorded as failed; ``problems``: damaged log lines skipped. ``ok`` is False when any
    input of this batch -- run now or before -- is recorded as failed (the exit code's rule)."""

    ran: int = 0
    failed: int = 0
    skipped: int = 0
    skipped_failed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.skipped_failed)


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
    tally: BatchTally | None = None,
    ray_keep: float | None = None,
) -> Iterator[dict[str, Any]]:
    """Run a workflow file or a request over ``inputs`` (files, folders, globs); yields each
    results line as its item finishes (skipped items are not yielded). See the module docstring.
    ``agent``: run in-process on this Agent (its models stay loaded; ``workers`` is then 1).
    ``artifacts``: the store URL every worker uses (``s3://bucket/prefix``; default ``[store] url``).
    ``ray``: run on Ray Data at this address ("local" starts an instance here; "auto" or
    "ray://head:10001" joins a cluster) with ``workers`` actors (see :mod:`vitron_agent.batch.ray_data`).
    ``ray_keep``: idle seconds a cluster's warm actors wait for the next batch (default
    ``$VITRON_RAY_KEEP_S`` or 600; 0: none, they end with the batch).
    ``tally`` (a :class:`BatchTally`): filled in as the batch goes (the CLI's exit code reads it).
    A second batch on the same ``out`` while this one runs raises :class:`InputError`."""
    out = Path(out).absolute()  # workers (a Ray actor's working folder is its own) get absolute paths
    out.mkdir(parents=True, exist_ok=True)
    opts = _Options(target, inputs, config, planner, plan_each, force, workers, quiet, agent, artifacts, ray, ray_keep)
    tally = tally if tally is not None else BatchTally()
    log = ResultsLog(out)
    log.lock()
    try:
        yield from _locked_batch(opts, out, log, tally, progress_stream or sys.stderr)
    finally:
        log.unlock()


@dataclass(frozen=True)
class _Options:
    """:func:`run_batch`'s arguments, as one value."""

    target: str
    inputs: list[str]
    config: str | None
    planner: str | None
    plan_each: bool
    force: bool
    workers: int
    quiet: bool
    agent: Any
    artifacts: str | None
    ray: str | None
    ray_keep: float | None = None


def _locked_batch(opts: _Options, out: Path, log: ResultsLog, tally: BatchTally, stream: Any) -> Iterator[dict]:
    """:func:`run_batch` once the folder's lock is held. The runner (a pool, Ray) starts only when
    there is planning or work to do, and then before the inputs are listed and hashed (its helpers
    load their models, Ray starts, meanwhile): at once for a request (it plans it) or when no
    results are recorded yet. Each phase is marked in the batch's timeline
    (:mod:`vitron_agent.batch.timeline`, off unless ``VITRON_BATCH_TIMELINE`` is set)."""
    mark("batch start", "driver")
    _no_link(out / "items")
    if opts.force:
        log.clear()
    read = log.read()
    runner = None
    try:
        if not (_is_workflow_file(opts.target) or opts.plan_each) or not read.lines:
            runner = _runner(opts, out, log.token)  # work is sure: start it before the inputs are listed
            mark("runner started", "driver")
        left_out: list[str] = []
        files = named_inputs(opts.inputs, exclude=out, skipped=left_out)
        if left_out:  # not progress: said even when quiet
            stream.write(skipped_line(left_out) + "\n")
        medium = _medium([f for f, _ in files])
        mark("inputs listed", "driver")
        tally.problems.extend(read.problems)
        for problem in read.problems:  # not progress: said even when quiet
            stream.write(problem + "\n")
        workflow, request = _workflow(opts.target, medium, opts.plan_each, out, runner)
        mark("planned", "driver")
        jobs = _jobs(files, workflow, request, medium, out, read, tally)
        mark("inputs keyed", "driver")
        progress = _Progress(len(jobs), opts.quiet, stream)
        progress.tag = getattr(runner, "status", None)
        if not opts.quiet and tally.skipped:
            failed = f"; {tally.skipped_failed} of them failed" if tally.skipped_failed else ""
            stream.write(
                f"skipping {tally.skipped} of {len(files)} inputs already in {log.path}{failed} (--force redoes them)\n"
            )
        if jobs and runner is None:
            runner = _runner(opts, out, log.token)
        for line in runner.lines(jobs) if jobs else ():
            log.append(line)
            mark("line", "driver")
            tally.ran += 1
            tally.failed += line["status"] != "ok"
            progress.update(line["status"] == "ok")
            yield line
    finally:
        if runner is not None:
            runner.close()
            mark("runner closed", "driver")
    _write_gallery(out, log.read(repair=False))
    mark("gallery written", "driver")


def _jobs(files, workflow, request, medium, out, read, tally) -> list[Job]:
    """The inputs not yet in the results (``tally`` counts those skipped, and which failed)."""
    fingerprint = workflow.sha256 if workflow is not None else hashlib.sha256(f"each:{request}".encode()).hexdigest()
    plan = workflow.plan if workflow is not None else None
    jobs = []
    for path, name in files:
        remote = isinstance(path, str)
        sha = remote_fingerprint(path) if remote else _sha256(path)
        key = _item_key(name, sha, fingerprint)
        if key in read.lines:
            tally.skipped += 1
            tally.skipped_failed += read.lines[key].get("status") != "ok"
            continue
        where = path if remote else str(path.absolute())
        jobs.append(Job(where, name, sha, key, medium, request, _item_folder(out, name, key), plan))
    return jobs


def _medium(files: list[Path | str]) -> str:
    """ "video" when every input is a video, "image" when none is; a mix is refused."""
    videos = [Path(str(f)).suffix.lower() in VIDEO_SUFFIXES for f in files]
    if any(videos) and not all(videos):
        raise InputError("the inputs mix images and videos; run one batch for each (a plan is for one medium)")
    return "video" if all(videos) else "image"


def _workflow(target: str, medium: str, plan_each: bool, out: Path, runner: Any) -> tuple[Workflow | None, str]:
    """(the workflow every input runs, the request): a workflow file as given; a request planned
    once by ``runner`` (saved as out/workflow.json); None with ``plan_each`` (each input is planned anew)."""
    if _is_workflow_file(target):
        workflow = load_workflow(target)
        if workflow.medium != medium:
            raise InputError(f"workflow {target} takes {workflow.medium}s but the inputs are {medium}s")
        return workflow, workflow.request or "(workflow)"
    if plan_each:
        return None, target
    plan, planner_name, tools, _, answer = runner.plan(target, medium)
    if not plan.get("steps"):
        raise InputError(f"{target!r} gives no steps: {answer}")
    wf = Workflow(plan=plan, request=target, medium=medium, planner=planner_name, tools=tools)
    atomic_write(out / "workflow.json", json.dumps(wf.to_json(), indent=2).encode("utf-8"), shared=True)
    return wf, target


def _is_workflow_file(target: str) -> bool:
    return target.endswith(".json") and Path(target).is_file()


def _runner(opts: _Options, out: Path, token: str) -> Any:
    """Where the jobs run: Ray Data, a process pool (``workers`` > 1), or this process."""
    if opts.ray is not None:
        from vitron_agent.batch.ray_data import RayRunner

        return RayRunner(opts.ray, opts.workers, opts.config, opts.planner, opts.artifacts, out, token, opts.ray_keep)
    if opts.agent is None and opts.workers > 1:
        return _PoolRunner(opts.workers, opts.config, opts.planner, opts.artifacts)
    return _LocalRunner(opts.agent, opts.config, opts.planner, opts.artifacts)


class _LocalRunner:
    """The jobs one after another in this process (on ``agent`` when given: its models stay loaded;
    its planner is given back at the end)."""

    def __init__(self, agent, config, planner, artifacts):
        self.own = agent is None
        self._args = (config, planner, artifacts)
        self._agent = agent

    def _ready(self) -> None:
        if self._agent is None:
            config, planner, artifacts = self._args
            self._agent = batch_pool.make_agent(config, None, planner, artifacts)
        batch_pool.use_agent(self._agent)

    def plan(self, request: str, medium: str) -> tuple:
        self._ready()
        return batch_pool.plan_in_worker(request, medium)

    def lines(self, jobs: list[Job]) -> Iterator[dict[str, Any]]:
        self._ready()
        for job in jobs:
            yield batch_pool.run_job(job)

    def close(self) -> None:
        if self._agent is not None:
            if batch_pool.current_agent() is self._agent:
                batch_pool.release_agent()
            if self.own:
                self._agent.close()
            self._agent = None


class _PoolRunner:
    """``workers`` helper processes, started at once (their imports and model loading overlap this
    process's listing and hashing), each loading the models once and running its inference
    libraries with cores / workers threads; they plan the request and run, export and report their
    items. This process only hands out jobs and writes the lines: it builds no Agent (unless every
    helper dies: then the rest run here). The helpers die with this process."""

    def __init__(self, workers, config, planner, artifacts):
        import multiprocessing as mp
        import threading
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        threads = batch_pool.threads_per_worker(workers)
        main = threading.current_thread() is threading.main_thread()
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=mp.get_context("spawn"),
            initializer=batch_pool.init_worker,
            initargs=(config, planner, artifacts, threads, os.getpid(), main),
        )
        for _ in range(workers):  # start them all now: they load while this process lists and hashes
            self.pool.submit(os.getpid)
        self.threads, self._restore, self.handed_out = threads, None, False
        self.local = _LocalRunner(None, config, planner, artifacts)  # only should the pool break

    def plan(self, request: str, medium: str) -> tuple:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.pool.submit(batch_pool.plan_in_worker, request, medium).result()
        except BrokenProcessPool as exc:
            self._warn(f"a batch helper process died ({exc}); planning in this process")
            return self._here().plan(request, medium)

    def lines(self, jobs: list[Job]) -> Iterator[dict[str, Any]]:
        self.handed_out = True
        return batch_pool.pool_lines(jobs, self.pool, 2 * self.workers, self._run_here, self._warn)

    def _here(self) -> _LocalRunner:
        if self._restore is None:
            self._restore = batch_pool.limit_threads(self.threads)
        self.local._ready()
        return self.local

    def _run_here(self, job: Job) -> dict[str, Any]:
        self._here()
        return batch_pool.run_job(job)

    @staticmethod
    def _warn(message: str) -> None:
        sys.stderr.write(message + "\n")

    def close(self) -> None:
        """Waits for the helpers to end. Helpers that were never handed an item (the inputs could
        not be listed, or every one was done already) are only starting or planning: they are
        stopped at once rather than waited for while they build an Agent nobody will use."""
        try:
            if not self.handed_out:
                for process in list(getattr(self.pool, "_processes", {}).values()):
                    process.terminate()
            self.pool.shutdown(wait=True, cancel_futures=True)
        finally:
            self.local.close()
            if self._restore is not None:
                self._restore()


def write_gallery(out: str | Path) -> Path:
    """``index.html`` from ``out/results.jsonl`` (see :func:`vitron_agent.runtime.report.write_gallery`)."""
    return _write_gallery(Path(out), ResultsLog(out).read(repair=False))


def _write_gallery(out: Path, read: Any) -> Path:
    from vitron_agent.runtime.report import write_gallery as render

    return render(out, list(read.lines.values()))
