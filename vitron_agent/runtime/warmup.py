"""Model sessions built on a second thread while the first imports the rest of the runtime.

A command-line turn spends about half a second importing LangGraph and the runtime (Python work,
holding the interpreter lock) and, for a request that names an object, a few tenths more building
model sessions (cv2's network reader, onnxruntime's session set-up, WordNet's tables: mostly C++
work that lets the interpreter lock go). :func:`start_warmup` reads the request with the rule
planner first (its sentence matcher and the toolbox are built once and reused by the turn), then
builds the sessions the planned tools will ask for on a daemon thread, so that the two overlap on
a machine with a free core. The thread's modules are imported before it starts: two threads
never import at the same time.

It is a hint, never a result: the turn plans again and runs as without it; the sessions are the
same per-process ones the tools would build (each behind its own lock, so a tool that gets there
first waits rather than builds twice); a guess that turns out wrong costs the CPU time of what it
built; a failure here is logged at debug level and the tool builds what it needs as before. Only
the rule planner is read ahead (an LLM planner would cost a second generation).
``VITRON_WARMUP=0`` turns it off; ``benchmarks/startup.py`` measures both.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["start_warmup", "warmers_for", "planned_tools", "built"]

log = logging.getLogger("vitron_agent.warmup")


def _detector() -> None:
    from vitron_agent.perception import detector_ssd
    from vitron_agent.perception.detector import DEFAULT_DETECTOR

    if DEFAULT_DETECTOR in ("ssd", "ensemble"):
        with detector_ssd._lock:  # the lock the detector holds while it builds or runs the network
            detector_ssd._network()


def _names() -> None:
    from vitron_agent.perception.wordnet_names import _load, wordnet_ready

    if wordnet_ready():
        _load()


def _classifier(sizes: tuple[int, ...] = (260, 520)) -> None:
    from vitron_agent.perception.classifier import _session, classifier_ready

    if classifier_ready():
        for size in sizes:
            _session(size)


def _classifier_names() -> None:
    _classifier((260,))


def _salient() -> None:
    from vitron_agent.perception.salient import salient_session

    salient_session()


def built() -> list[str]:
    """The names of the warmers whose work is done in this process (what each would build is
    built): how a test holds :func:`warmers_for`'s table to what a turn without the warm-up
    builds for the same request (tests/unit/test_start_up_cuts.py)."""
    import sys

    done = []
    ssd = sys.modules.get("vitron_agent.perception.detector_ssd")
    if ssd is not None and ssd._net is not None:
        done.append("_detector")
    names = sys.modules.get("vitron_agent.perception.wordnet_names")
    if names is not None and names._DATA:
        done.append("_names")
    salient = sys.modules.get("vitron_agent.perception.salient")
    sessions = {p.rsplit("/", 1)[-1] for p in getattr(salient, "_sessions", {})}
    if "u2netp.onnx" in sessions:
        done.append("_salient")
    lite = {p for p in sessions if p.startswith("efficientnet-lite2-")}
    if len(lite) >= 2:
        done.append("_classifier")
    elif lite:
        done.append("_classifier_names")
    return done


_SALIENT_ONLY = re.compile(r"\b(main|salient|foreground|subject|background)\b")


def warmers_for(tool: str, args: dict[str, Any]) -> tuple[Callable[[], None], ...]:
    """What a step of ``tool`` (embedded backend) with ``args`` builds, as measured on the
    default tools (tests/unit/test_start_up_cuts.py holds this table to what a turn without the
    warm-up builds): an object named in words takes the detector, WordNet's names, U²-Netp
    inside its box and the classifier's cross-check (260 px; its 520 px maps only where a name is
    looked for again); 'the main object' U²-Netp alone; counting the detector, the classifier (260 px),
    U²-Netp and WordNet's names (a missed one of the kind); describing the detector and the classifier.

    Built about in the order the tool asks for them, so that a tool that catches up with the
    warm-up waits only for what it needs next (WordNet's names, which the segment tool reads
    first, used to be built last), except that the detector comes first: the largest build, and
    C++ work that leaves the interpreter to the command's imports."""
    target = str(args.get("target") or "").lower()
    if tool == "segment" and target:
        if _SALIENT_ONLY.search(target):
            return (_salient,)
        return (_detector, _names, _salient, _classifier_names)
    if tool == "count" and target:  # (the classifier checks what the detector counts, and WordNet its kinds)
        return (_detector, _classifier_names, _salient, _names)
    if tool == "describe":
        return (_detector, _classifier_names, _names)
    return ()


def planned_tools(text: str, medium: str, toolbox: Any, planner: Any) -> list[tuple[str, dict[str, Any]]]:
    """(tool, args) of ``planner``'s reading of ``text`` (no history, no pixels), for the steps
    whose tool runs on its embedded backend in ``toolbox``."""
    from vitron_agent.planners.base import PlanRequest

    plan = planner.plan(PlanRequest(text, inputs={"input": {medium: medium}}), toolbox)
    names = set(toolbox.names)
    return [(s.tool, s.args) for s in plan.steps if s.tool in names and toolbox.get(s.tool).backend == "embedded"]


def _warmers(tools: list[tuple[str, dict[str, Any]]]) -> list[Callable[[], None]]:
    out: list[Callable[[], None]] = []
    for tool, args in tools:
        out += [w for w in warmers_for(tool, args) if w not in out]
    return out


def _run(warmers: list[Callable[[], None]]) -> None:
    for warmer in warmers:
        try:
            warmer()
        except Exception as exc:  # a hint only: the tool builds what it needs itself
            log.debug("warm-up %s skipped: %s", warmer.__name__, exc, exc_info=True)


def start_warmup(text: str, toolbox: Any, planner: Any, medium: str = "image") -> threading.Thread | None:
    """Read ``text`` with the rule ``planner`` here, then build its tools' model sessions on a
    daemon thread (returned; join it, briefly, before the process ends). The modules that thread
    uses are imported here first, so the two threads never import at the same time. None when
    ``VITRON_WARMUP=0``, ``planner`` is not the rule planner, or no step needs a model."""
    from vitron_agent.planners.rule import RulePlanner

    if os.environ.get("VITRON_WARMUP", "1") == "0" or not text or not isinstance(planner, RulePlanner):
        return None
    try:
        warmers = _warmers(planned_tools(text, medium, toolbox, planner))
        if not warmers:
            return None
        import cv2  # noqa: F401
        import onnxruntime  # noqa: F401

        import vitron_agent.loading.onnx_cache  # noqa: F401
        import vitron_agent.perception.classifier  # noqa: F401
        import vitron_agent.perception.classifier_export  # noqa: F401
        import vitron_agent.perception.detector  # noqa: F401
        import vitron_agent.perception.detector_ssd  # noqa: F401
        import vitron_agent.perception.salient  # noqa: F401
        import vitron_agent.perception.wordnet_names  # noqa: F401
    except Exception as exc:  # the turn plans and builds as without it
        log.debug("warm-up skipped: %s", exc, exc_info=True)
        return None
    thread = threading.Thread(target=_run, args=(warmers,), name="vitron-warmup", daemon=True)
    thread.start()
    return thread
