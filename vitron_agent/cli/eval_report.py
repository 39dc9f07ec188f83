"""What ``vitron-agent eval`` runs and prints (see :mod:`vitron_agent.evaluation.harness` for the figures'
definitions). Progress goes to stderr; the table or ``--json`` to stdout."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.core.errors import ConfigError

__all__ = ["recognition", "refcoco", "detections", "fetch", "read_rgb"]


def default_set() -> Path:
    """``./benchmarks/recognition`` when it exists, else the one beside this source checkout."""
    here = Path("benchmarks/recognition")
    if (here / "photos.json").is_file():
        return here
    return Path(__file__).resolve().parents[2] / "benchmarks" / "recognition"


def emit(result: dict, as_json: bool, lines: list[str]) -> int:
    if as_json:
        print(json.dumps(result, indent=2, default=float))
    else:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_rgb(path: Path) -> np.ndarray:
    """HxWx3 uint8 RGB of an image file (grey and RGBA pictures converted)."""
    from PIL import Image

    with Image.open(path) as im:
        return np.asarray(im.convert("RGB"))


def _set_folder(args: argparse.Namespace) -> Path:
    folder = Path(args.set) if getattr(args, "set", None) else default_set()
    if not (folder / "photos.json").is_file():
        raise ConfigError(f"{folder}: no photos.json here; give the labelled set's folder with --set DIR")
    return folder


def fetch(args: argparse.Namespace) -> int:
    from vitron_agent.evaluation.photos import fetch_photos

    paths = fetch_photos(_set_folder(args) / "photos.json", log=_log)
    print(f"{len(paths)} photos in {next(iter(paths.values())).parent}" if paths else "no photos listed")
    return 0


def _save(folder: Path, half: str, model: str, per_image: dict[int, list]) -> None:
    from vitron_agent.perception.coco_json import to_coco_results

    items = [r for image_id, found in per_image.items() for r in to_coco_results(found, image_id)]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{half}-{model}.json").write_text(json.dumps(items))


def _agent(config_path: str | None) -> tuple[Any, str]:
    """The agent of ``config_path`` (no checkpointer) and what it runs on: 'planner rule; segment
    embedded; ground none' (the backends a segmentation request can reach)."""
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.toolkit.config import load_config
    from vitron_agent.toolkit.registry import tool_config

    config = load_config(config_path)
    agent = Agent(config=config, checkpointer=False)
    tools = "; ".join(f"{t} {tool_config(config, t).backend}" for t in ("segment", "ground", "detect"))
    return agent, f"planner {config.planner.kind}; {tools}"


def _namer(images: list[tuple[Any, np.ndarray]]) -> Any:
    """(image, box) -> the classifier's top-1 name, or None when the classifier is not installed."""
    try:
        from vitron_agent.perception.classifier import classify

        if images:
            classify(images[0][1], k=1)
    except (ConfigError, ImportError):
        return None
    return lambda pixels, box: classify(pixels, box, k=1)[0][0]


def _classify_whole(images: list[tuple[Any, np.ndarray]]) -> float:
    """Median ms of the classifier on a whole picture."""
    from vitron_agent.perception.classifier import classify

    whole = []
    for _im, px in images:
        t = time.perf_counter()
        classify(px)
        whole.append(1000 * (time.perf_counter() - t))
    return float(np.median(whole))


def _half(folder: Path, half: str, photos: dict[str, Path], args: argparse.Namespace, agent: Any) -> dict:
    from vitron_agent.evaluation.harness import (
        detectors,
        load_labelled,
        resolver_method,
        score_detector,
        score_expressions,
        score_naming,
    )
    from vitron_agent.evaluation.refcoco import load_refset

    labelled = load_labelled(folder / half / "instances.json")
    images = [(im, read_rgb(photos[im.file_name])) for im in labelled]
    pixels = {im.image_id: px for im, px in images}
    out: dict[str, Any] = {
        "photos": len(images),
        "objects": sum(len(im.objects) for im in labelled),
        "objects_coco": sum(t.in_coco for im in labelled for t in im.objects),
    }
    names = args.detectors.split(",") if args.detectors else list(detectors())
    out["detectors"], out["unavailable"] = {}, {}
    namer = _namer(images)
    for model in names:
        _log(f"{half}: detector {model}")
        try:
            score, per_image = score_detector(images, model.strip(), classify=namer)
        except ConfigError as exc:  # weights not installed: said in the table, the rest goes on
            out["unavailable"][f"detector {model}"] = str(exc)
            continue
        out["detectors"][model] = score.summary()
        if args.save_detections:
            _save(Path(args.save_detections), half, model, per_image)
    _log(f"{half}: naming the labelled boxes")
    try:
        out["naming"] = score_naming(images)
        out["classify_whole_ms"] = _classify_whole(images)
    except (ConfigError, ImportError) as exc:
        out["unavailable"]["classifier"] = str(exc)
    refset = load_refset(folder / half / "refs.json", folder / half / "instances.json")
    out["sentences"] = len(refset.expressions)
    methods = {"resolver": resolver_method()}
    if agent is not None:
        from vitron_agent.evaluation.harness import agent_method

        methods["agent"] = agent_method(agent)
    out["referring"] = {}
    for name, method in methods.items():
        _log(f"{half}: expressions through the {name}")
        s = score_expressions(refset.expressions, lambda e: pixels[e.image_id], method)
        out["referring"][name] = {**s.summary(), "misses": s.misses}
    return out


def _misses(half: str, r: dict) -> list[str]:
    out = [f"{half}: named wrong (label -> the classifier's top-1):"]
    out += [f"  {m}" for m in r.get("naming", {}).get("misses", [])]
    for name, s in r["referring"].items():
        out += [f"{half}: expressions the {name} missed:", *(f"  {m}" for m in s["misses"])]
    return out


def _lines(half: str, r: dict) -> list[str]:
    lines = [
        f"== {half} half: {r['photos']} photos, {r['objects']} labelled objects ({r['objects_coco']} of COCO's "
        f"classes), {r['sentences']} referring expressions",
        f"{'detector':10} {'recall':>7} {'recall COCO':>11} {'any name':>9} {'+classifier':>11} {'precision':>9} "
        f"{'reported':>8} {'ms/pic':>7}",
    ]
    for model, d in r["detectors"].items():
        lines.append(
            f"{model:10} {d['recall']:7.2f} {d['recall_coco']:11.2f} {d['recall_any_name']:9.2f} "
            f"{'-' if d['recall_with_classifier'] is None else format(d['recall_with_classifier'], '.2f'):>11} "
            f"{d['precision']:9.2f} {d['reported']:8d} {d['ms']:7.0f}"
        )
    if n := r.get("naming"):
        lines.append(
            f"naming (classifier on each labelled box{', WordNet kinds' if n['wordnet'] else ', exact names only'}): "
            f"top-1 {n['top1']:.2f}, top-5 {n['top5']:.2f} of {n['objects']}; of the {n['nameable']} it has a class "
            f"for: top-1 {n['top1_nameable']:.2f}, top-5 {n['top5_nameable']:.2f}; {n['ms_per_box']:.0f} ms a box, "
            f"{r['classify_whole_ms']:.0f} ms a whole picture"
        )
    lines += [f"{what}: not measured ({why})" for what, why in r["unavailable"].items()]
    lines.append(f"{'expressions':12} {'hit rate':>8} {'cIoU':>6} {'gIoU':>6} {'refused':>7} {'ms':>6}")
    for name, s in r["referring"].items():
        lines.append(
            f"{name:12} {s['hit_rate']:8.2f} {s['cIoU']:6.3f} {s['gIoU']:6.3f} {s['refused']:7d} {s['ms']:6.0f}"
        )
    return lines


def recognition(args: argparse.Namespace) -> int:
    from vitron_agent.evaluation.photos import fetch_photos, load_manifest

    folder = _set_folder(args)
    by_id = fetch_photos(folder / "photos.json", log=_log)
    photos = {p["file"]: by_id[p["id"]] for p in load_manifest(folder / "photos.json")["photos"]}
    agent, backends = _agent(args.config) if not args.no_agent else (None, "")
    halves = ["tune", "heldout"] if args.half == "all" else [args.half]
    result: dict[str, Any] = {half: _half(folder, half, photos, args, agent) for half in halves}
    lines = [line for half in halves for line in [*_lines(half, result[half]), ""]]
    if args.misses:
        lines += [line for half in halves for line in [*_misses(half, result[half]), ""]]
    if agent is not None:
        result["agent_backends"] = backends
        lines.append(f"agent: 'segment <expression>' with {backends}")
    from vitron_agent.perception import detector

    default = getattr(detector, "DEFAULT_DETECTOR", "default")
    for half in halves:
        r = result[half]
        if default in r["detectors"] and "classify_whole_ms" in r:
            ms = r["detectors"][default]["ms"] + r["classify_whole_ms"]
            lines.append(f"{half}: detect ({default}) + classify the whole picture: {ms:.0f} ms (medians)")
    return emit(result, args.json, lines)


def refcoco(args: argparse.Namespace) -> int:
    from vitron_agent.evaluation.harness import agent_method, resolver_method, score_expressions
    from vitron_agent.evaluation.refcoco import load_refset

    refset = load_refset(args.refs, args.instances, None if args.split == "all" else args.split)
    exprs = sorted(refset.expressions, key=lambda e: e.image_id)  # each image read once
    exprs = exprs[: args.limit] if args.limit else exprs
    images = Path(args.images)
    if not images.is_dir():
        raise ConfigError(f"--images {images}: not a folder")
    backends = "the embedded resolver"
    if args.method == "agent":
        agent, backends = _agent(args.config)
        method = agent_method(agent)
    else:
        method = resolver_method()

    def load(e: Any) -> np.ndarray:
        path = images / e.file_name
        if not path.is_file():
            raise ConfigError(f"{path}: missing (expression {e.sent_id}); --images is the folder of {e.file_name}")
        return read_rgb(path)

    _log(f"{len(exprs)} expressions through the {args.method}")
    s = score_expressions(exprs, load, method)
    summary = s.summary()
    lines = [
        f"{args.refs} ({args.split}): {summary['expressions']} expressions, method {args.method} ({backends})",
        f"cIoU {summary['cIoU']:.3f}  gIoU {summary['gIoU']:.3f}  hit rate (box IoU >= 0.5) {summary['hit_rate']:.3f}  "
        f"refused {summary['refused']}  {summary['ms']:.0f} ms an expression",
        "(Vitron paper, Table 2: 75.5 cIoU on RefCOCO val)",
    ]
    return emit({**summary, "method": args.method, "backends": backends, "split": args.split}, args.json, lines)


def detections(args: argparse.Namespace) -> int:
    from vitron_agent.evaluation.harness import load_labelled, match_detections, name_matches
    from vitron_agent.evaluation.refcoco import load_instances
    from vitron_agent.perception.coco_json import COCO_CATEGORY_IDS, from_coco_results

    labelled = {im.image_id: im for im in load_labelled(args.instances)}
    cats = {i: name for name, i in COCO_CATEGORY_IDS.items()}  # a detector's other COCO labels are wrong, not unknown
    cats.update({c["id"]: c["name"] for c in load_instances(args.instances).get("categories", [])})
    items = json.loads(Path(args.results).read_text("utf-8"))
    if not isinstance(items, list):
        raise ConfigError(f"{args.results}: COCO results are a JSON list of detections")
    by_image: dict[int, list[dict]] = {}
    for it in items:
        by_image.setdefault(int(it["image_id"]), []).append(it)
    right = labelled_n = reported = 0
    for image_id, im in labelled.items():
        try:
            found = [d for d in from_coco_results(by_image.get(image_id, []), cats) if d.score >= args.min_score]
        except ValueError as exc:  # a category the instances file does not list
            raise ConfigError(f"{args.results}: {exc}") from None
        boxes = [(d.label, (d.box.x1, d.box.y1, d.box.x2, d.box.y2), d.score) for d in found]
        r, _ = match_detections(boxes, im.objects, lambda t, label: name_matches(t, label))
        right, labelled_n, reported = right + r, labelled_n + len(im.objects), reported + len(found)
    out = {"recall": right / max(1, labelled_n), "precision": right / max(1, reported), "reported": reported}
    lines = [
        f"recall {out['recall']:.3f}  precision {out['precision']:.3f}  ({reported} detections, {labelled_n} labelled)"
    ]
    return emit(out, args.json, lines)
