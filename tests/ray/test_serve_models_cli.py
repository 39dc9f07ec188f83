"""`vitron-agent serve-models` against a Ray cluster started with `ray start --head`, then
`vitron-agent run` using the deployed specialist ([execution] deploy = "never")."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray")

from vitron_agent.media.images import save_png  # noqa: E402
from vitron_agent.media.synthetic import disc_image  # noqa: E402

pytestmark = [pytest.mark.ray, pytest.mark.timeout(600)]
BIN = Path(sys.executable).parent


@pytest.fixture
def head(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    start = subprocess.run(
        [str(BIN / "ray"), "start", "--head", "--num-cpus", "2", "--disable-usage-stats", "--include-dashboard=false"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert start.returncode == 0, start.stderr[-2000:]
    yield env
    subprocess.run([str(BIN / "ray"), "stop", "--force"], capture_output=True, timeout=120, env=env)


def test_serve_models_then_run(head, tiny_dir, tmp_path):
    toml = tmp_path / "vitron.toml"
    toml.write_text(
        (tiny_dir / "vitron.toml").read_text()
        + "\n".join(
            [
                "",
                "[execution]",
                'backend = "ray"',
                'address = "auto"',
                'deploy = "never"',
                "timeout = 120",
                "",
                "[execution.deployments.segment]",
                "num_cpus = 0.25",
                'env = { OMP_NUM_THREADS = "1" }',
                "",
            ]
        )
    )
    served = subprocess.run(
        [str(BIN / "vitron-agent"), "serve-models", "--config", str(toml), "--tools", "segment"],
        capture_output=True,
        text=True,
        timeout=300,
        env=head,
    )
    assert served.returncode == 0, served.stderr[-2000:]
    assert served.stdout.split() == ["vitron-segment"]
    photo = save_png(disc_image()[0], tmp_path / "disc.png")
    run = subprocess.run(
        [
            str(BIN / "vitron-agent"),
            "run",
            "--config",
            str(toml),
            "--image",
            str(photo),
            "--point",
            "80,60",
            "--json",
            "--out",
            str(tmp_path / "out"),
            "segment the object, then describe it",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=head,
    )
    assert run.returncode == 1, run.stderr[-2000:]  # the describe step fails (not served): the turn is not ok
    steps = json.loads(run.stdout)["steps"]
    assert [(s["tool"], s["status"]) for s in steps] == [("segment", "ok"), ("describe", "error")]
    assert steps[0]["outputs"]["mask"]["path"].endswith(".png")
    assert "'vitron-describe' is not running" in steps[1]["error"] and "serve-models" in steps[1]["error"]
    changed = tmp_path / "changed.toml"
    changed.write_text(toml.read_text().replace('model_type = "custom"', 'model_type = "custom"\ndtype = "float32"', 1))
    stale = subprocess.run(
        [
            str(BIN / "vitron-agent"),
            "run",
            "--config",
            str(changed),
            "--image",
            str(photo),
            "--point",
            "80,60",
            "--json",
            "--out",
            str(tmp_path / "out2"),
            "segment the object",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=head,
    )
    assert stale.returncode == 1, stale.stderr[-2000:]  # the step fails: the turn is not ok
    error = json.loads(stale.stdout)["steps"][0]["error"]
    assert "'vitron-segment' runs another configuration of the tool" in error and "serve-models" in error
    bad = subprocess.run(
        [str(BIN / "vitron-agent"), "serve-models", "--config", str(toml), "--tools", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
        env=head,
    )
    assert bad.returncode == 2 and "--tools: nope is not configured" in bad.stderr
