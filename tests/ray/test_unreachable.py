"""A Ray address where nothing answers: a clear ToolFailed for the step, quickly (Ray itself
would retry for minutes), and check-config says what to fix."""

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray")

from vitron_agent.media.synthetic import disc_image  # noqa: E402
from vitron_agent.runtime.agent import Agent  # noqa: E402
from vitron_agent.runtime.ray_serve import ExecutionSection  # noqa: E402
from vitron_agent.toolkit.config import load_config  # noqa: E402

pytestmark = [pytest.mark.ray]


def test_unreachable_cluster_is_a_step_failure(tiny_dir, tmp_path):
    import ray

    assert not ray.is_initialized()
    cfg = load_config(tiny_dir / "vitron.toml")
    cfg.execution = ExecutionSection(backend="ray", address="127.0.0.1:1")
    with Agent(config=cfg, data_dir=tmp_path) as agent:
        result = agent.run("segment the object at (80, 60), then describe it", image=disc_image()[0])
    step = result.step("s1")
    assert step.status == "error" and "runs on Ray, which is not reachable" in step.error
    assert "nothing answers there" in step.error and "ray start --head" in step.error
    assert not ray.is_initialized()


def test_bad_address_in_toml(tiny_dir, tmp_path):
    toml = tmp_path / "vitron.toml"
    toml.write_text((tiny_dir / "vitron.toml").read_text() + '\n[execution]\nbackend = "ray"\naddress = "nowhere"\n')
    p = subprocess.run(
        [str(Path(sys.executable).parent / "vitron-agent"), "check-config", "--config", str(toml)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2 and 'expected "local", "auto"' in p.stderr
