import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import numpy as np
import pytest

from vitron_agent.media.synthetic import disc_image  # noqa: F401  (re-exported for older imports)
from vitron_agent.storage.store import ArtifactStore


def iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


@pytest.fixture
def store(tmp_path) -> ArtifactStore:
    return ArtifactStore(tmp_path / "artifacts", "test")


@pytest.fixture
def disc():
    return disc_image()


@pytest.fixture
def ctx(store):
    """A ToolContext on the test's store (step id "t")."""
    from vitron_agent.toolkit.tool import ToolContext

    return ToolContext(store=store, step_id="t")


@pytest.fixture(scope="module")
def pool():
    """A ModelPool per test module (models load once per module, not per test)."""
    from vitron_agent.loading.models import ModelPool

    return ModelPool()


def pytest_collection_modifyitems(config, items):
    """`slow` tests (real-size models) run only with VITRON_RUN_SLOW=1."""
    if os.environ.get("VITRON_RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set VITRON_RUN_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory):
    """Tiny random checkpoints in the real formats plus a vitron.toml, built once per test run."""
    from vitron_agent.testing.tiny_checkpoints import make_tiny_checkpoints

    folder = tmp_path_factory.mktemp("tiny")
    make_tiny_checkpoints(folder)
    return folder


def image_tool(name: str, run):
    """A test tool ``name`` taking and returning an image ref; ``run(inp, ctx)`` does the work
    (returning None passes the image through)."""
    from pydantic import BaseModel, Field

    from vitron_agent.core.refs import ImageRef
    from vitron_agent.toolkit.tool import VisionTool

    class ImageIn(BaseModel):
        image: ImageRef = Field(description="the image")

    class ImageOut(BaseModel):
        image: ImageRef

    def call(self, inp, ctx):
        out = run(inp, ctx)
        return out if out is not None else ImageOut(image=inp.image)

    return type(
        f"{name.title()}Tool",
        (VisionTool,),
        {"name": name, "description": f"test tool {name}", "Input": ImageIn, "Output": ImageOut, "run": call},
    )()
