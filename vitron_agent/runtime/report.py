"""A self-contained HTML report of one run: the request, the plan drawn as a graph,
each step's arguments and outputs as pictures (masks overlaid on their image),
the answer and the timings. Pictures are embedded as base64 JPEG thumbnails; a
video shows as a strip of keyframes plus a small embedded H.264 clip, a mask track
as the same with the masks overlaid on its video."""

from __future__ import annotations

import base64
import html
import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.core.refs import ImageRef, ref_from_dict
from vitron_agent.media.draw import overlay
from vitron_agent.toolkit.plan import dependencies, iter_refs

__all__ = ["write_report", "render_report", "plan_svg", "write_gallery", "printable"]

THUMB_MAX = 480
STRIP_FRAMES = 6
CLIP_MAX_FRAMES = 240  # longer videos show as a keyframe strip only (the report stays small)
CLIP_MAX_SIDE = 320
_STATUS_COLOR = {"ok": "#2e7d32", "error": "#c62828", "skipped": "#9e9e9e", None: "#9e9e9e"}


def _png_data_url(arr: np.ndarray) -> str:
    from PIL import Image

    im = Image.fromarray(arr)
    im.thumbnail((THUMB_MAX, THUMB_MAX))
    buf = io.BytesIO()
    if im.mode == "RGBA":  # a cut-out: PNG keeps the transparency
        im.save(buf, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    im.save(buf, format="JPEG", quality=88)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode()


class _Pictures:
    def __init__(self, store):
        self.store = store
        self._cache: dict[str, str] = {}

    def of(self, value: Any) -> str | None:
        """An <img> for an image or mask ref dict (mask overlaid on its source image)."""
        if not isinstance(value, dict) or value.get("type") not in ("image", "mask", "video", "track"):
            return None
        key = f"{value.get('session')}/{value.get('id')}"
        if key not in self._cache:
            self._cache[key] = self._render(value)
        return self._cache[key]

    def _render(self, value: dict[str, Any]) -> str:
        try:
            ref = ref_from_dict(value)
            store = self.store.for_session(ref.session)
            if ref.type in ("video", "track"):
                return _video_html(store, ref)
            if ref.type == "image":  # a cut-out keeps its transparency (a PNG)
                arr = store.get_image_rgba(ref) if store.has_alpha(ref) else store.get_image(ref)
            else:
                mask = store.get_mask(ref)
                arr = np.repeat((mask * 255).astype(np.uint8)[..., None], 3, axis=2)
                if ref.image:
                    src = ImageRef(id=ref.image, session=ref.session, width=ref.width, height=ref.height)
                    if store.exists(src):
                        arr = overlay(store.get_image(src), mask)
        except Exception as exc:  # a report must render even when an artifact is gone
            return f'<div class="missing">artifact unavailable: {html.escape(str(exc))}</div>'
        return f'<img src="{_png_data_url(arr)}" alt="{value["type"]}">'


def _video_html(store, ref: Any) -> str:
    """A keyframe strip and, for short clips, an embedded looping H.264 clip (masks overlaid for a track)."""
    import tempfile

    from vitron_agent.core.refs import VideoRef
    from vitron_agent.media.video import write_preview

    track = None
    if ref.type == "track":
        meta = store._read_meta(ref.video) if ref.video else None
        if not meta or not (store.dir / f"{ref.video}.mp4").exists():
            strip = [
                np.repeat(store.get_track_frame(ref, i)[..., None] * np.uint8(255), 3, axis=2)
                for i in _spread(ref.frames, STRIP_FRAMES)
            ]
            return f'<img src="{_png_data_url(np.concatenate(strip, axis=1))}" alt="mask track">'
        track, ref = (
            ref,
            VideoRef(
                id=ref.video,
                session=ref.session,
                width=ref.width,
                height=ref.height,
                frames=meta["shape"][0],
                fps=meta["fps"],
            ),
        )
    clip = store.get_video(ref)

    def shown(i: int, frame: np.ndarray) -> np.ndarray:
        return overlay(frame, store.get_track_frame(track, i)) if track is not None else frame

    keys = _spread(ref.frames, STRIP_FRAMES)
    strip = np.concatenate([shown(i, f) for i, f in zip(keys, clip.frames(keys), strict=True)], axis=1)
    parts = [f'<img src="{_png_data_url(strip)}" alt="keyframes {", ".join(map(str, keys))}">']
    if ref.frames <= CLIP_MAX_FRAMES:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "clip.mp4"
            write_preview((shown(i, f) for i, f in enumerate(clip.frames())), path, ref.fps, CLIP_MAX_SIDE)
            data = base64.b64encode(path.read_bytes()).decode()
        parts.append(f'<video controls loop muted autoplay playsinline src="data:video/mp4;base64,{data}"></video>')
    parts.append(f"<small>{ref.frames} frames, {ref.fps:g} fps, {ref.width}x{ref.height}</small>")
    return "<br>".join(parts)


def _spread(n: int, k: int) -> list[int]:
    return sorted(set(np.linspace(0, n - 1, min(n, k)).round().astype(int).tolist()))


def plan_svg(plan, records: dict[str, Any]) -> str:
    """The plan as an SVG DAG: columns by dependency depth, arrows for data flow."""
    deps = dependencies(plan)
    depth: dict[str, int] = {}
    for step in plan.steps:  # steps are listed after what they use, except in invalid plans
        depth[step.id] = 1 + max((depth.get(d, 0) for d in deps[step.id]), default=-1)
    columns: dict[int, list[str]] = {}
    for sid, d in depth.items():
        columns.setdefault(d, []).append(sid)
    bw, bh, gx, gy = 150, 46, 60, 24
    per_band = 5  # long plans wrap: at most 5 columns a band, bands one under another
    rows = max((len(v) for v in columns.values()), default=1)
    band_h = rows * (bh + gy) + 30
    pos = {
        sid: (20 + (d % per_band) * (bw + gx), 20 + (d // per_band) * band_h + i * (bh + gy))
        for d, ids in columns.items()
        for i, sid in enumerate(ids)
    }
    ncols = max(columns, default=0) + 1
    width = 40 + min(ncols, per_band) * (bw + gx) - gx
    height = 40 + ((ncols - 1) // per_band) * band_h + rows * (bh + gy) - gy
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'style="max-width:100%;height:auto" class="plan">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    for sid, ds in deps.items():
        for d in ds:
            (x1, y1), (x2, y2) = pos[d], pos[sid]
            parts.append(
                f'<line x1="{x1 + bw}" y1="{y1 + bh / 2}" x2="{x2}" y2="{y2 + bh / 2}" stroke="#555" '
                'stroke-width="1.5" marker-end="url(#arrow)"/>'
            )
    for step in plan.steps:
        x, y = pos[step.id]
        status = records.get(step.id, {}).get("status")
        color = _STATUS_COLOR.get(status, "#9e9e9e")
        parts.append(
            f'<rect x="{x}" y="{y}" width="{bw}" height="{bh}" rx="8" fill="white" stroke="{color}" stroke-width="2.5"/>'
        )
        parts.append(
            f'<text x="{x + bw / 2}" y="{y + 19}" text-anchor="middle" font-weight="bold">{html.escape(step.id)}</text>'
        )
        parts.append(
            f'<text x="{x + bw / 2}" y="{y + 36}" text-anchor="middle" fill="{color}">'
            f"{html.escape(step.tool)} · {html.escape(status or 'not run')}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _value_html(value: Any, pics: _Pictures, resolved: Any = None) -> str:
    pic = pics.of(resolved if resolved is not None else value)
    label = html.escape(value if isinstance(value, str) else json.dumps(value, default=str))
    if pic:
        return f"<code>{label if isinstance(value, str) else value.get('type', '')}</code><br>{pic}"
    return f"<code>{label}</code>"


def _final_picture(result, pics: _Pictures) -> str | None:
    """The last image the run made, with the last mask overlaid when it was computed on it."""
    image = mask = None
    for step in result.steps:
        for out in step.outputs.values():
            if out["kind"] in ("image", "video"):
                image, mask = out["value"], None if out["kind"] == "video" else mask
            elif out["kind"] == "mask":
                mask = out["value"]
    if image is not None and image.get("type") == "video":
        return f"<figure>{pics.of(image)}<figcaption>final video</figcaption></figure>"
    if image is None and mask is None:
        return None
    shown = mask if mask is not None and (image is None or mask.get("image") == image.get("id")) else image
    return f"<figure>{pics.of(shown)}<figcaption>final {shown['type']}</figcaption></figure>"


def render_report(result, store) -> str:
    """HTML text of the report for a :class:`~vitron_agent.runtime.agent.RunResult`."""
    pics = _Pictures(store)
    records = {s.id: s.model_dump() for s in result.steps}
    known: dict[str, dict[str, Any]] = {ns: dict(v) for ns, v in result.inputs.items()}
    for s in result.steps:
        known[s.id] = {n: o["value"] for n, o in s.outputs.items()}
    total = sum(s.seconds for s in result.steps)
    cards = []
    for step in result.plan.steps:
        rec = records.get(step.id, {"status": None, "error": None, "seconds": 0.0, "outputs": {}})
        args_rows = []
        for name, value in step.args.items():
            refs = list(iter_refs(value))
            resolved = known.get(refs[0][0], {}).get(refs[0][1]) if refs else None
            args_rows.append(f"<tr><th>{html.escape(name)}</th><td>{_value_html(value, pics, resolved)}</td></tr>")
        out_rows = []
        for name, out in rec.get("outputs", {}).items():
            body = pics.of(out["value"]) or f"<code>{html.escape(json.dumps(out['value'], default=str))}</code>"
            if out["kind"] == "text":
                body = f"<p>{html.escape(str(out['value']))}</p>"
            out_rows.append(f"<tr><th>{html.escape(name)} <small>{out['kind']}</small></th><td>{body}</td></tr>")
        err = f'<p class="error">{html.escape(rec["error"])}</p>' if rec.get("error") else ""
        color = _STATUS_COLOR.get(rec.get("status"), "#9e9e9e")
        cards.append(
            f'<section class="step" style="border-color:{color}"><h3>{html.escape(step.id)} · {html.escape(step.tool)} '
            f'<span style="color:{color}">{html.escape(rec.get("status") or "not run")}</span> '
            f"<small>{rec.get('seconds', 0.0):.2f} s</small></h3>{err}"
            f'<div class="cols"><div><h4>arguments</h4><table>{"".join(args_rows)}</table></div>'
            f"<div><h4>outputs</h4><table>{''.join(out_rows) or '<tr><td>none</td></tr>'}</table></div></div></section>"
        )
    final = _final_picture(result, pics)
    inputs_html = "".join(
        f"<figure>{pics.of(v) or _value_html(v, pics)}<figcaption>${ns}.{html.escape(n)}</figcaption></figure>"
        for ns, vals in result.inputs.items()
        for n, v in vals.items()
    )
    problems = "".join(f"<li>{html.escape(p)}</li>" for p in result.problems)
    warnings = list(getattr(result, "warnings", []))
    failed = any(s.status == "error" for s in result.steps) or bool(result.problems)
    state = "fail" if failed else "warn" if warnings or not result.ok else "ok"
    warn_html = (
        ('<ul class="warnings">' + "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul>")
        if warnings
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vitron-agent report</title>
<style>
body{{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}}
h1{{font-size:1.4rem}} .request{{font-size:1.2rem;background:#f3f3f3;padding:.8rem 1rem;border-radius:8px}}
.answer{{white-space:pre-wrap;background:#eef6ee;padding:.8rem 1rem;border-radius:8px;border-left:4px solid #2e7d32}}
.answer.warn{{background:#fff8e1;border-left-color:#ffb300}} .answer.fail{{background:#ffebee;border-left-color:#e53935}}
ul.warnings{{background:#fff8e1;border-radius:8px;padding:.6rem 1.6rem;color:#7a4f01}}
.step{{border:2px solid;border-radius:10px;padding:.5rem 1rem;margin:1rem 0}} .cols{{display:flex;gap:2rem;flex-wrap:wrap}}
.cols>div{{flex:1;min-width:300px}} table{{border-collapse:collapse}} th{{text-align:left;vertical-align:top;padding:.3rem .6rem .3rem 0}}
td{{padding:.3rem 0}} img,video{{max-width:100%;border-radius:6px;margin-top:.3rem}} .error{{color:#c62828}}
figure{{display:inline-block;margin:0 1rem 0 0;max-width:320px}} svg.plan text{{font-size:13px}} code{{font-size:.85rem}}
.missing{{color:#c62828}}
</style></head><body>
<h1>vitron-agent report · session <code>{html.escape(result.session)}</code></h1>
<p class="request">{html.escape(result.request)}</p>
<div class="cols"><div><h2>Inputs</h2>{inputs_html or "<p>none</p>"}</div>
<div><h2>Result</h2>{final or "<p>no picture</p>"}</div></div>
<h2>Plan</h2>{plan_svg(result.plan, records) if result.plan.steps else "<p>No steps.</p>"}
{f"<h3>Plan problems</h3><ul>{problems}</ul>" if problems else ""}
<h2>Answer</h2>{warn_html}<div class="answer {state}" data-state="{state}">{html.escape(result.answer)}</div>
<h2>Steps</h2>{"".join(cards) or "<p>No steps ran.</p>"}
<p><small>{len(result.steps)} steps, {total:.2f} s of tool time.</small></p>
</body></html>
"""


def write_report(result, store, path: str | Path) -> Path:
    from vitron_agent.storage.store import atomic_write

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(out, render_report(result, store).encode("utf-8"), shared=True)
    return out


def _href(path: str | None, out: Path) -> str | None:
    """A link from ``out/index.html`` to ``path``: relative, URL-encoded from the path's own bytes
    (``photo #1.png``, a name that is not UTF-8) and then HTML-escaped."""
    import os
    from urllib.parse import quote

    if not path:
        return None
    try:
        rel = os.path.relpath(path, out)
    except ValueError:
        rel = path
    return html.escape(quote(os.fsencode(rel)), quote=True)


def _shown(text: Any) -> str:
    """Any text for the page, HTML-escaped; bytes of a file name that are not UTF-8 become U+FFFD."""
    return html.escape(printable(str(text)))


def _gallery_card(ln: dict[str, Any], out: Path) -> str:
    folder = Path(ln.get("folder") or "")
    pics = sorted(folder.glob("input_*")) + sorted(folder.glob("s*_image.png")) if ln.get("folder") else []
    inp = str(pics[0]) if pics and pics[0].name.startswith("input_") else None
    res = str(pics[-1]) if len(pics) > 1 else None
    shown = [_href(s, out) for s in (inp, res) if s and s.endswith((".png", ".jpg"))]
    img = "".join(f'<img src="{s}" alt="">' for s in shown)
    warn = "".join(f"<p class=w>{_shown(w)}</p>" for w in ln.get("warnings") or [])
    name = ln.get("name") or Path(str(ln.get("input", ""))).name
    report = _href(ln.get("report"), out)
    bad = ln.get("status") != "ok"
    return (
        f'<div class="card{" bad" if bad else ""}"><h3>{_shown(name)}</h3>'
        f"<div class=pics>{img}</div>{warn}<p>{_shown(ln.get('answer') or ln.get('error') or '')}</p>"
        + (f'<a href="{report}">report</a>' if report else "")
        + "</div>"
    )


def write_gallery(out: str | Path, lines: list[dict[str, Any]]) -> Path:
    """``out/index.html`` for a batch's results ``lines``: a card per input (its name, input and
    result pictures, answer, warnings; failures red). Names and texts are shown safely whatever
    their bytes; links are URL-encoded and HTML-escaped."""
    from vitron_agent.storage.store import atomic_write

    out = Path(out)
    cards = "".join(_gallery_card(ln, out) for ln in lines)
    ok = sum(ln.get("status") == "ok" for ln in lines)
    page = (
        "<!doctype html><meta charset=utf-8><title>vitron-agent batch</title><style>"
        "body{font:14px system-ui;margin:20px}.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));"
        "gap:12px}.card{border:1px solid #ccc;border-radius:8px;padding:10px}.bad{border-color:#d33;background:#fff3f3}"
        ".pics img{width:48%;margin-right:2%}.w{color:#a60}</style>"
        f"<h1>Batch: {ok} of {len(lines)} ok</h1><div class=grid>{cards}</div>"
    )
    path = out / "index.html"
    atomic_write(path, page.encode("utf-8", "replace"), shared=True)
    return path


def printable(text: str) -> str:
    """``text`` safe to print, encode or show: a file name's bytes that are not UTF-8 become U+FFFD."""
    try:
        return os.fsencode(text).decode("utf-8", "replace")
    except (UnicodeError, TypeError):
        return str(text).encode("utf-8", "replace").decode("utf-8")
