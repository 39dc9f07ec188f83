"""The run-result JSON contract and the output folder.

``result_json`` gives the stable object that ``vitron-agent run --json`` prints::

    {"answer": str, "ok": bool (every step ran and succeeded: nothing failed, skipped or held back),
     "warnings": [str], "session": str,
     "steps": [{"id", "tool", "args", "status": "ok"|"error"|"skipped", "error": str|null,
                "seconds": float,
                "outputs": {name: {"kind": "image"|"mask"|"video"|"feature"|"text"|"box"|"number",
                                   "path": str|null, "value": ...}}}],
     "report": str|null}

For artifacts ``value`` is the ref (a dict with ``id`` and ``session``) and ``path``
the file; for text, boxes and numbers ``path`` is null. Videos are exported as the
store keeps them (lossless RGB H.264, exact pixels) plus ``<step>_<name>.preview.mp4``,
a yuv420p copy that every browser and player opens, with the clip's sound when it has one. Mask tracks are ``.npz``
(``bits``: per-frame ``np.packbits`` of the HxW mask, ``shape``: [T, H, W]).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vitron_agent.core.refs import ref_from_dict

__all__ = ["export_run", "result_json"]

_FILE_KINDS = ("image", "mask", "video", "track", "feature", "text")


def _artifact_path(store, value: dict[str, Any]) -> Path | None:
    try:
        ref = ref_from_dict(value)
        return store.for_session(ref.session).path(ref)
    except Exception:
        return None


def _preview(store, value: dict[str, Any], path: Path, lossless: Path | None = None) -> None:
    """A browser/player-friendly yuv420p copy next to the lossless (RGB H.264) stored video; the clip's
    sound (kept beside it in the store) goes into both exported files (the lossless copy had none while
    the answer said "Sound kept")."""
    from vitron_agent.media.video import write_preview

    ref = ref_from_dict(value)
    clip = store.for_session(ref.session).get_video(ref)
    write_preview(clip.frames(), path, ref.fps, max_side=1920)
    if ref.audio:
        from vitron_agent.media.audio import get_audio, mux_into

        sound = get_audio(store.for_session(ref.session), ref.audio)
        mux_into(path, sound)
        if lossless is not None:
            mux_into(lossless, sound)


def result_json(
    result, store, paths: dict[tuple[str, str], str] | None = None, report: str | None = None
) -> dict[str, Any]:
    """The contract object; ``paths`` maps (step id, output name) to an exported file."""
    paths = paths or {}
    steps = []
    for s in result.steps:
        outputs = {}
        for name, out in s.outputs.items():
            path = paths.get((s.id, name))
            if path is None and out["kind"] in _FILE_KINDS and isinstance(out["value"], dict):
                p = _artifact_path(store, out["value"])
                path = str(p) if p else None
            outputs[name] = {"kind": out["kind"], "path": path, "value": out["value"]}
        steps.append(
            {
                "id": s.id,
                "tool": s.tool,
                "args": s.args,
                "status": s.status,
                "error": s.error,
                "seconds": s.seconds,
                "outputs": outputs,
            }
        )
    return {
        "answer": result.answer,
        "ok": bool(getattr(result, "ok", True)),
        "warnings": list(getattr(result, "warnings", [])),
        "session": result.session,
        "steps": steps,
        "report": report,
    }


def export_run(result, store, out_dir: str | Path, report: bool = True) -> dict[str, Any]:
    """Copy the run's artifacts into ``out_dir`` with readable names (``s1_mask.png``),
    write ``report.html`` and ``result.json``; return the contract object."""
    from vitron_agent.runtime.report import write_report
    from vitron_agent.storage.store import atomic_write

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[tuple[str, str], str] = {}
    for s in result.steps:
        for name, o in s.outputs.items():
            if o["kind"] in _FILE_KINDS and isinstance(o["value"], dict):
                src = _artifact_path(store, o["value"])
                if src is not None:
                    dst = out / f"{s.id}_{name}{src.suffix}"
                    atomic_write(dst, src.read_bytes(), shared=True)
                    paths[(s.id, name)] = str(dst.resolve())
                    if o["kind"] == "video":
                        preview = out / f"{s.id}_{name}.preview.mp4"
                        preview.unlink(missing_ok=True)  # a planted link is removed, never written through
                        _preview(store, o["value"], preview, lossless=dst)
                        gif = src.with_suffix(".gif")  # export_gif writes the GIF beside its clip
                        if gif.is_file() and "gif" in s.outputs:
                            atomic_write(out / f"{s.id}_gif.gif", gif.read_bytes(), shared=True)
                            paths[(s.id, "gif")] = str((out / f"{s.id}_gif.gif").resolve())
    for ns, values in result.inputs.items():
        for name, value in values.items():
            if ns == "input" and isinstance(value, dict) and value.get("type") in ("image", "video"):
                src = _artifact_path(store, value)
                if src is not None:
                    atomic_write(out / f"input_{name}{src.suffix}", src.read_bytes(), shared=True)
    report_path = str(write_report(result, store, out / "report.html").resolve()) if report else None
    data = result_json(result, store, paths, report_path)
    atomic_write(out / "result.json", json.dumps(data, indent=2, default=str).encode("utf-8"), shared=True)
    return data


def export_item(result, store, item_dir: str | Path) -> dict[str, Any]:
    """A batch item's results fields: the run exported into ``item_dir`` (a link planted there is
    replaced, never written through) and its status -- "error" with the first failed step or the
    plan's problems, else "ok". One place for the local pool and Ray Data."""
    folder = Path(item_dir)
    if folder.is_symlink():
        folder.unlink()
    line = dict(export_run(result, store, folder))
    failed = [s for s in result.steps if s.status == "error"]
    held = [s for s in result.steps if s.status == "skipped" and s.error_kind == "held"]
    declined = result.plan.declined and not result.steps  # refused, or a question back: nothing was done
    line["status"] = "error" if failed or held or result.problems or declined else "ok"
    if failed:
        line["error"] = f"step {failed[0].id} ({failed[0].tool}) failed: {failed[0].error}"
    elif held:  # an edit held back (on a guessed or suspect target) made nothing: not an ok item
        line["error"] = f"step {held[0].id} ({held[0].tool}) {held[0].error}"
    elif result.problems:
        line["error"] = "; ".join(result.problems)
    elif declined:
        line["error"] = "not done: " + (result.answer.strip().splitlines() or ["(no answer)"])[0]
    return line
