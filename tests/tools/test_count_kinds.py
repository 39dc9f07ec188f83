"""A count of several kinds counts every kind (newcomer round s11: "how many motorbikes and
bottles?" answered for the bottles only, "count the people and the dogs" for the dogs only).
Real weights (SSD-MobileNetV2) on scikit-image's motorcycle and astronaut."""

from __future__ import annotations

import pytest
from skimage import data

from vitron_agent.loading.weights import embedded_available
from vitron_agent.perception.count_kinds import split_kinds
from vitron_agent.perception.wordnet_names import wordnet_ready
from vitron_agent.tools.describe_embedded import BLOB_LIKE

pytestmark = pytest.mark.skipif(not wordnet_ready(), reason="WordNet missing: vitron-agent fetch-weights")


@pytest.mark.parametrize(
    "target, kinds",
    [
        ("motorbikes and bottles", ["motorbikes", "bottles"]),
        ("people and the dogs", ["people", "dogs"]),
        ("cats, dogs and people", ["cats", "dogs", "people"]),
        ("lemons and oranges", ["lemons", "oranges"]),
        ("coins and cells", ["coins", "cells"]),
        ("black and white cats", []),
        ("red and blue cars", []),
        ("big and small dogs", []),
        ("cats", []),
    ],
)
def test_a_target_that_lists_kinds_is_split_and_one_kind_with_adjectives_is_not(target, kinds):
    assert split_kinds(target, BLOB_LIKE) == kinds


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    from vitron_agent.storage.store import ArtifactStore
    from vitron_agent.toolkit.tool import ToolContext

    return ToolContext(store=ArtifactStore(tmp_path_factory.mktemp("kinds")))


@pytest.mark.skipif(not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="detector weights")
def test_every_kind_asked_for_is_counted_in_the_users_order(ctx):
    from vitron_agent.tools.describe_embedded import EmbeddedCountTool

    moto = data.stereo_motorcycle()[0]
    astro = data.astronaut()
    tool = EmbeddedCountTool()
    out = tool(ctx, image=ctx.store.put_image(moto), target="motorbikes and bottles")
    assert out.text.startswith("I count 1 motorcycle.") and "no bottles" in out.text, out.text
    assert out.count == 1 and out.mask is not None
    out = tool(ctx, image=ctx.store.put_image(astro), target="people and the dogs")
    assert out.text.startswith("I count 1 person") and "no dogs" in out.text and out.count == 1, out.text


@pytest.mark.skipif(not embedded_available("ssd_mobilenet", "ssd_mobilenet_config"), reason="detector weights")
def test_kinds_none_was_found_of_are_said_together_with_one_doubt(ctx):
    from vitron_agent.tools.describe_embedded import MISS, EmbeddedCountTool

    out = EmbeddedCountTool()(ctx, image=ctx.store.put_image(data.astronaut()), target="people, the cats and the dogs")
    assert out.text.startswith("I count 1 person") and "I count no cats and no dogs, " in out.text, out.text
    assert out.text.count(MISS) == 1 and out.count == 1
