"""The specialists as Ray Serve deployments on a local Ray instance (2 CPUs, started and torn down
here): the same plan gives the same artifacts as in-process, the encode-once cache works across
calls and replicas, a killed replica is a clean ToolFailed and the next call recovers, timeouts
and remote argument errors keep their meaning."""

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

ray = pytest.importorskip("ray")

from vitron_agent.core.errors import ToolArgumentError  # noqa: E402
from vitron_agent.media.synthetic import disc_image  # noqa: E402
from vitron_agent.runtime.agent import Agent  # noqa: E402
from vitron_agent.runtime.ray_serve import DeploymentSettings, ExecutionSection, RemoteTool  # noqa: E402
from vitron_agent.toolkit.config import load_config  # noqa: E402
from vitron_agent.toolkit.plan import Plan  # noqa: E402
from vitron_agent.toolkit.tool import ToolContext  # noqa: E402

pytestmark = [pytest.mark.ray, pytest.mark.timeout(600)]

PLAN = {
    "steps": [
        {
            "id": "s1",
            "tool": "segment",
            "args": {"image": "$input.image", "point": {"type": "point", "x": 80, "y": 60}},
        },
        {
            "id": "s2",
            "tool": "edit",
            "args": {
                "image": "$input.image",
                "mask": "$s1.mask",
                "operation": "inpaint",
                "prompt": "a green apple",
                "seed": 3,
            },
        },
        {"id": "s3", "tool": "describe", "args": {"image": "$s2.image"}},
    ]
}
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}  # float reductions depend on thread count


class Scripted:
    """A planner that returns the plan last given to ``use`` (the agent graph keeps this object)."""

    name = "scripted"

    def __init__(self, plan):
        self.use(plan)

    def use(self, plan) -> None:
        self._plan = Plan.model_validate(plan)

    def plan(self, request, toolbox):
        return self._plan


def _ray_config(tiny_dir, **execution):
    cfg = load_config(tiny_dir / "vitron.toml")
    deployments = {
        n: DeploymentSettings(num_cpus=0.25, env=ONE_THREAD) for n in ("segment", "edit", "describe", "generate")
    }
    cfg.execution = ExecutionSection(
        **{"backend": "ray", "local_cpus": 2, "timeout": 120, "deployments": deployments, **execution}
    )
    return cfg


@pytest.fixture(scope="module")
def cluster():
    from ray import serve

    yield
    serve.shutdown()
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_agent(cluster, tiny_dir, tmp_path_factory):
    agent = Agent(config=_ray_config(tiny_dir), planner=Scripted(PLAN), data_dir=tmp_path_factory.mktemp("shared"))
    yield agent
    agent.close()


def _outputs(result) -> dict:
    return {
        s.id: {
            n: (o["value"]["id"] if isinstance(o["value"], dict) and "id" in o["value"] else o["value"])
            for n, o in s.outputs.items()
        }
        for s in result.steps
    }


def _in_process_baseline(tiny_dir, tmp_path) -> dict:
    script = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(0, {os.getcwd()!r})
        from vitron_agent.media.synthetic import disc_image
        from tests.ray.test_ray_serve import PLAN, Scripted, _outputs
        from vitron_agent.runtime.agent import Agent
        from vitron_agent.toolkit.config import load_config
        agent = Agent(config=load_config({str(tiny_dir / "vitron.toml")!r}), planner=Scripted(PLAN), data_dir={str(tmp_path)!r})
        print(json.dumps(_outputs(agent.run("x", image=disc_image()[0]))))
    """)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env={**os.environ, **ONE_THREAD}
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_same_plan_same_artifacts_as_in_process(ray_agent, tiny_dir, tmp_path):
    tools = {t.name: t for t in ray_agent.toolbox}
    assert isinstance(tools["segment"], RemoteTool) and tools["segment"].backend == "segment-anything (ray)"
    assert not isinstance(tools["count"], RemoteTool)  # cv tools stay in-process
    events = []
    result = ray_agent.run(
        "segment the disc, paint an apple in it, describe the result", image=disc_image()[0], on_event=events.append
    )
    assert result.ok, result.answer
    assert _outputs(result) == _in_process_baseline(tiny_dir, tmp_path)
    answered = [e["message"] for e in events if e["type"] == "progress" and "answered by the replica" in e["message"]]
    assert len(answered) == 3
    from ray import serve

    apps = serve.status().applications
    assert {"vitron-segment", "vitron-edit", "vitron-describe"} <= set(apps)


def _segment(agent, image_ref, x, on_event=None):
    plan = {
        "steps": [
            {
                "id": "s1",
                "tool": "segment",
                "args": {"image": "$input.image", "point": {"type": "point", "x": x, "y": 50}},
            }
        ]
    }
    agent.planner.use(plan)
    result = agent.run("segment", image=image_ref, session="cache", on_event=on_event)
    assert result.ok, result.answer
    return result


def test_feature_cache_hits_on_the_same_and_on_another_replica(ray_agent):
    store = ray_agent.store_for("cache")
    image = store.put_image(disc_image(center=(70, 50))[0])
    first = _segment(ray_agent, image, 70)
    second = _segment(ray_agent, image, 75)
    assert first.step("s1").outputs["reused"]["value"] is False
    assert second.step("s1").outputs["reused"]["value"] is True
    assert first.step("s1").outputs["embedding"]["value"]["id"] == second.step("s1").outputs["embedding"]["value"]["id"]

    remote = ray_agent.toolbox.get("segment")
    remote.executor.section.deployments["segment"] = DeploymentSettings(num_cpus=0.25, replicas=2, env=ONE_THREAD)
    remote.executor.deploy("segment", remote.settings)  # scale to two replicas
    pids, reused = [], []

    def call(x):
        ctx = ToolContext(
            store=store,
            step_id=f"p{x}",
            progress=lambda f, m: pids.append(m.rsplit(" ", 1)[-1]) if "answered by" in m else None,
        )
        out = remote(ctx, image=image.model_dump(), point={"type": "point", "x": x, "y": 50})
        reused.append(out.reused)

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(call, range(60, 72, 2)))
    assert all(reused) and len(reused) == 6
    assert len(set(pids)) == 2, pids  # both replicas answered, both found the stored embedding


def _replica(app: str):
    for actor in ray.util.list_named_actors(all_namespaces=True):
        if actor["name"].startswith(f"SERVE_REPLICA::{app}#"):
            return ray.get_actor(actor["name"], namespace=actor["namespace"])
    raise AssertionError(f"no replica of {app}")


def _wait_running(app: str, timeout: float = 120) -> None:
    from ray import serve

    deadline = time.time() + timeout
    while time.time() < deadline:
        status = serve.status().applications.get(app)
        if (
            status is not None
            and status.status == "RUNNING"
            and all(
                d.replica_states.get("RUNNING", 0) >= 1 and len(d.replica_states) == 1
                for d in status.deployments.values()
            )
        ):
            return
        time.sleep(0.5)
    raise AssertionError(f"{app} did not come back")


def _generate(agent, steps: int, session: str):
    args = {"prompt": "a lighthouse", "steps": steps}
    agent.planner.use({"steps": [{"id": "s1", "tool": "generate", "args": args}]})
    return agent.run("draw", session=session)


def test_killed_replica_is_a_clean_tool_failure_and_the_next_call_recovers(cluster, ray_agent, tiny_dir):
    agent = Agent(config=_ray_config(tiny_dir, retries=0), planner=Scripted(PLAN), data_dir=ray_agent.data_dir)
    assert _generate(agent, 2, "warm").ok  # deployed and loaded
    killer = threading.Timer(2.0, lambda: ray.kill(_replica("vitron-generate"), no_restart=True))
    killer.start()
    result = _generate(agent, 200, "killed")
    killer.join()
    step = result.step("s1")
    assert step.status == "error" and "replica died during the call" in step.error, step.error
    assert "I could not make a picture of a lighthouse: " in result.answer
    _wait_running("vitron-generate")
    assert _generate(agent, 2, "after").ok

    retrying = Agent(config=_ray_config(tiny_dir, retries=2), planner=Scripted(PLAN), data_dir=ray_agent.data_dir)
    killer = threading.Timer(2.0, lambda: ray.kill(_replica("vitron-generate"), no_restart=True))
    killer.start()
    result = _generate(retrying, 200, "retried")
    killer.join()
    assert result.ok, result.answer  # the idempotent call was sent again to the new replica
    _wait_running("vitron-generate")


def test_timeouts_and_remote_argument_errors(cluster, ray_agent, tiny_dir):
    agent = Agent(config=_ray_config(tiny_dir, timeout=1.0), planner=Scripted(PLAN), data_dir=ray_agent.data_dir)
    result = _generate(agent, 200, "slow")
    assert result.step("s1").status == "error" and "did not answer within 1 s" in result.step("s1").error
    store = ray_agent.store_for("args")
    bad = store.put_feature(np.zeros((8, 16), np.float32), kind="gen_token_embedding")
    with pytest.raises(ToolArgumentError, match="prompt_embeds width 16 does not match the text encoder's 32"):
        ray_agent.toolbox.get("generate")(ToolContext(store=store), prompt_embeds=bad.model_dump())
