"""A count that may be short says "at least" and why (newcomer round s10: "count the hens" on four hens said
3, sure): things standing in front of others may hide one more, and the classifier seeing one of the kind
where the detector found none is evidence of a miss. A count of things every one of which was seen stays
a plain number."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from skimage import data

from vitron_agent.loading.weights import embedded_available

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="detector weights (fetch-weights)"
)


@pytest.fixture(scope="module")
def cases():
    spec = importlib.util.spec_from_file_location("seen_cases", ROOT / "benchmarks" / "seen_cases.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext

    return ToolContext(store=ArtifactStore(tmp_path_factory.mktemp("short")))


def _count(ctx, image, target):
    from vitron_agent.tools.describe_embedded import EmbeddedCountTool

    return EmbeddedCountTool()(ctx, image=ctx.store.put_image(image), target=target)


def test_cats_in_front_of_each_other_are_at_least_what_was_seen(cases, ctx):
    img, _, truth, name = cases.overlap_case(2)  # four cats in a row, each covering part of the one before
    out = _count(ctx, img, "cats")
    assert out.count < truth and out.text.startswith(f"I count at least {out.count} cats:"), (name, out.text)
    assert "overlap" in out.text


def test_a_cat_the_detector_missed_but_the_classifier_names_makes_the_count_at_least(cases, ctx):
    img, _, truth, name = cases.overlap_case(4)
    out = _count(ctx, img, "cats")
    assert out.count < truth and f"at least {out.count} cats" in out.text and "the classifier sees" in out.text, (
        out.text
    )


def test_cats_apart_are_counted_plainly(ctx):
    import cv2

    cat = cv2.resize(data.chelsea(), (200, 150), interpolation=cv2.INTER_AREA)
    img = np.full((190, 480, 3), (200, 190, 170), np.uint8)
    img[20:170, 20:220], img[20:170, 260:460] = cat, cat[:, ::-1]
    out = _count(ctx, img, "cats")
    assert out.count == 2 and out.text.startswith("I count 2 cats"), out.text
    assert "at least" not in out.text
