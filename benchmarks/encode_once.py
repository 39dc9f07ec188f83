"""Encode once, prompt many: k point prompts on one image through the agent (SAM backend,
embedding stored as a FeatureRef) vs direct SamPredictor use (one set_image, k predicts)
vs the naive pattern that re-encodes for every prompt. Prints medians and both ratios.
Targets: agent <= 1.15x direct; naive / agent >= 5x at k = 8.

SAM vit_b at its real size with random weights (set ``--arch tiny`` for a quick run):
timings depend on shapes, not on weight values.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np


def _direct(predictor, img: np.ndarray, points: list[tuple[float, float]]) -> float:
    """One set_image, then k predicts: how SamPredictor is meant to be used."""
    import torch

    with torch.inference_mode():
        t = time.perf_counter()
        predictor.set_image(img)
        for x, y in points:
            predictor.predict(point_coords=np.array([[x, y]]), point_labels=np.array([1]), multimask_output=False)
        return time.perf_counter() - t


def _naive(predictor, img: np.ndarray, points: list[tuple[float, float]]) -> float:
    """Re-encode for every prompt: what a stateless tool call does."""
    import torch

    with torch.inference_mode():
        t = time.perf_counter()
        for x, y in points:
            predictor.set_image(img)
            predictor.predict(point_coords=np.array([[x, y]]), point_labels=np.array([1]), multimask_output=False)
        return time.perf_counter() - t


def _through_agent(agent, img: np.ndarray) -> float:
    t = time.perf_counter()
    result = agent.run("k prompts", image=img, session="bench")
    elapsed = time.perf_counter() - t
    if not result.ok:
        raise RuntimeError(result.answer)
    return elapsed


def main(arch: str = "vit_b", repeat: int = 4) -> list[str]:
    import torch

    from vitron_agent.loading.models import ModelPool
    from vitron_agent.planners.base import ScriptedPlanner
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.testing.tiny_checkpoints import TINY_SAM_ARCH
    from vitron_agent.toolkit.tool import Toolbox
    from vitron_agent.tools.segment_sam import SamSegmentTool, build_sam, sam_arch

    torch.set_num_threads(max(1, torch.get_num_threads()))
    spec = sam_arch("vit_b") if arch == "vit_b" else sam_arch("custom", TINY_SAM_ARCH)
    lines = [
        f"SAM {arch} (img_size {spec['img_size']}), random weights, CPU threads {torch.get_num_threads()}",
        "| k prompts | agent s | direct s | naive s | agent / direct | naive / agent |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as d:
        torch.manual_seed(0)
        ckpt = Path(d) / "sam.pth"
        torch.save(build_sam(spec).state_dict(), ckpt)
        rng = np.random.default_rng(0)
        tool = SamSegmentTool(checkpoint=str(ckpt), model_type="custom", arch=spec, device="cpu", pool=ModelPool())
        predictor = tool.pool.get(tool.key, tool._load)  # load once, outside the timings
        for k in (1, 4, 8):
            points = [(float(x), float(y)) for x, y in rng.integers(20, 300, size=(k, 2))]
            plan = {
                "steps": [
                    {
                        "id": f"s{i + 1}",
                        "tool": "segment",
                        "args": {"image": "$input.image", "point": {"type": "point", "x": x, "y": y}},
                    }
                    for i, (x, y) in enumerate(points)
                ]
            }
            times: dict[str, list[float]] = {"agent": [], "direct": [], "naive": []}
            with torch.inference_mode():  # the first encoder pass of a process is slower: keep it out
                predictor.set_image(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8))
            for r in range(repeat):
                img = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)  # a new image each round: one encode
                agent = Agent(
                    toolbox=Toolbox([tool]),
                    planner=ScriptedPlanner([plan]),
                    data_dir=Path(d) / f"a{k}{r}",
                    checkpointer=False,
                )
                # alternate who goes first, so warm caches favour nobody
                for who in ("agent", "direct") if r % 2 == 0 else ("direct", "agent"):
                    if who == "agent":
                        times["agent"].append(_through_agent(agent, img))
                    else:
                        times["direct"].append(_direct(predictor, img, points))
                times["naive"].append(_naive(predictor, img, points))
            agent_t, direct_t, naive_t = times["agent"], times["direct"], times["naive"]
            a, di, n = (statistics.median(v) for v in (agent_t, direct_t, naive_t))
            lines.append(f"| {k} | {a:.3f} | {di:.3f} | {n:.3f} | {a / di:.2f}x | {n / a:.2f}x |")
    return lines


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", choices=["vit_b", "tiny"], default="vit_b")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print("\n".join(main(a.arch, a.repeat)))
