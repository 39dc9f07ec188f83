"""The fixed pool of plain Ray actors behind `batch --ray` (vitron_agent.batch.ray_actors), on a real
local Ray: every record comes back once; an actor whose process dies mid-job is restarted and the
job retried; an actor that cannot be built ends the run with its error; ``VITRON_RAY_EXECUTOR``
takes only the values it names."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.ray, pytest.mark.timeout(600)]

SCRIPT = r"""
import os, queue, sys
import ray
from vitron_agent.batch.ray_actors import ActorRows

class Echo:
    def __init__(self, marker, fail=False):
        if fail:
            raise ValueError("no models here")
        self.marker = marker

    def __call__(self, batch):
        out = []
        for job in batch["job"]:
            if job == "r3" and not os.path.exists(self.marker):  # the first try of r3 kills its actor
                open(self.marker, "w").close()
                os._exit(1)
            out.append(job.upper())
        return {"job": list(batch["job"]), "reply": out}

def drain(q):
    got = []
    while True:
        item = q.get(timeout=300)
        if item is None:
            return got
        got.append(item)

ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
try:
    records = [f"r{i}" for i in range(12)]
    q = queue.Queue()
    rows = ActorRows(ray, Echo, {"marker": sys.argv[1]}, workers=2)
    rows.run(records, q)
    got = drain(q)
    assert all(kind == "row" for kind, _ in got), got
    assert sorted(v["job"] for _, v in got) == sorted(records), got  # each once, r3 after its retry
    assert all(v["reply"] == v["job"].upper() for _, v in got)
    assert os.path.exists(sys.argv[1])  # the actor running r3 really died once
    rows.stop()

    q = queue.Queue()
    ActorRows(ray, Echo, {"marker": sys.argv[1], "fail": True}, workers=2).run(records, q)
    got = drain(q)
    assert len(got) == 1 and got[0][0] == "error" and "no models here" in str(got[0][1]), got
finally:
    ray.shutdown()
print("ok")
"""


def test_actor_rows_run_each_record_once_retry_a_dead_actor_and_raise_a_constructor_error(tmp_path):
    pytest.importorskip("ray")
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    p = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "died-once")],
        capture_output=True,
        text=True,
        env=env,
        timeout=500,
    )
    assert p.returncode == 0 and p.stdout.strip().endswith("ok"), (p.stdout[-2000:], p.stderr[-3000:])


def test_the_executor_setting_is_checked(monkeypatch):
    from vitron_agent.batch.ray_actors import ENV, use_ray_data
    from vitron_agent.core.errors import InputError

    monkeypatch.delenv(ENV, raising=False)
    assert not use_ray_data()
    monkeypatch.setenv(ENV, "data")
    assert use_ray_data()
    monkeypatch.setenv(ENV, "Actors ")
    assert not use_ray_data()
    monkeypatch.setenv(ENV, "dask")
    with pytest.raises(InputError, match="'actors'.*'data'"):
        use_ray_data()


ACTOR_IMPORTS = r"""
import gc, json, os, sys
import ray
from vitron_agent.batch.batch_actor import BatchActor, batch_context

ray.init(address="local", num_cpus=1, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
try:
    ctx = batch_context(sys.argv[1], "t", os.path.join(sys.argv[1], ".artifacts"), None, False, {"node": None, "pid": 0})
    actor = ray.remote(num_cpus=1)(BatchActor).remote(None, None, None, batch=ctx)
    probe = lambda self: {"client": "langgraph_sdk.client" in sys.modules, "frozen": gc.get_freeze_count(),
                          "collecting": gc.isenabled(), "agent": self._agents != {}}
    print(json.dumps(ray.get(actor.__ray_call__.remote(probe))))
finally:
    ray.shutdown()
"""


def test_a_batch_actor_with_no_preload_imports_as_the_console_command_does(tmp_path):
    """On a plain instance (a cluster, or the preload off) the actor imports the runtime itself, as
    the preload hook does: LangGraph's SDK client left out, the imports' objects frozen for the
    garbage collector (vitron_agent.batch.worker_preload.import_lean)."""
    pytest.importorskip("ray")
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    p = subprocess.run(
        [sys.executable, "-c", ACTOR_IMPORTS, str(tmp_path)], capture_output=True, text=True, env=env, timeout=500
    )
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got["agent"] and got["collecting"], got
    assert not got["client"] and got["frozen"] > 10000, got
