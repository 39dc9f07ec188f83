"""``vitron-agent batch --ray [ADDRESS]``: the same batch on Ray Data.

The inputs become a Ray dataset; ``map_batches`` runs them through a pool of actors, each holding
one Agent (its models load once per actor, as a ``--workers`` process does) and running the saved
workflow on one input at a time. An actor sends back the turn's result (the ``--json`` contract:
refs, not pixels); the driver exports each input's files into ``--out`` from the artifact store,
appends its ``results.jsonl`` line and keeps the progress -- so resuming, ``--force``, the
gallery and the exit code are exactly those of a local batch, and the artifact hashes are the
same.

The store must be one the actors and the driver both reach: an object-store URL (``--artifacts
s3://bucket/prefix`` or ``[store] url``: any cluster), or, without one, a folder under ``--out``
(``--out`` on one machine, or on a filesystem every node mounts at the same path).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["ray_lines"]


class _BatchActor:
    """A Ray Data actor: one Agent for the actor's life, one input per call."""

    def __init__(
        self,
        make_agent: Any,
        config: str | None,
        plan: dict[str, Any] | None,
        planner: str | None,
        artifacts: str | None,
        data_dir: str | None,
    ):
        self.agent = make_agent(config, plan, planner, artifacts, data_dir=data_dir)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out = []
        for text in batch["job"]:
            path, sha, key, medium, request, _ = json.loads(text)
            t0 = time.time()
            try:
                kw = {"video": path} if medium == "video" else {"image": path}
                result = self.agent.run(request, session=f"batch-{sha[:12]}", **kw)
                out.append(json.dumps({"result": result.model_dump(mode="json"), "seconds": time.time() - t0}))
            except Exception as exc:  # one bad input never stops the batch: its line says why
                from vitron_agent.errors import VitronError

                why = str(exc) if isinstance(exc, VitronError) else f"{type(exc).__name__}: {exc}"
                out.append(json.dumps({"error": why, "seconds": time.time() - t0}))
        return {"job": list(batch["job"]), "reply": out}


def ray_lines(
    jobs: list[tuple[str, ...]],
    *,
    address: str | None,
    workers: int,
    config: str | None,
    plan: dict[str, Any] | None,
    planner: str | None,
    artifacts: str | None,
    out: Path,
    make_agent: Any,
) -> Iterator[dict[str, Any]]:
    """Run ``jobs`` on Ray Data; yields each input's results line (as the local batch's ``_one``).
    ``make_agent(config, plan, planner, artifacts, data_dir=...)`` builds the driver's and each actor's Agent
    (passed in, so this module does not import the batch module that imports it)."""
    try:
        import ray
        import ray.data  # noqa: F401  (needs pyarrow: the ray extra installs ray[data])
    except ImportError as exc:
        from vitron_agent.errors import InputError

        raise InputError(f"--ray needs Ray Data ({exc}); pip install 'vitron-agent[ray]'") from None
    from vitron_agent.agent import RunResult
    from vitron_agent.export import export_item

    data_dir = None if artifacts else str((out / ".artifacts").resolve())  # a folder both sides read
    started = not ray.is_initialized()
    if started:
        from vitron_agent.ray_serve import check_address

        target = None if address in (None, "", "local") else address
        check_address(target or "local")
        ray.init(
            address=target,
            include_dashboard=False,
            logging_level="ERROR",
            log_to_driver=False,
            ignore_reinit_error=True,
        )
    driver = make_agent(config, plan, planner, artifacts, data_dir=data_dir)
    try:
        ds = ray.data.from_items(
            [{"job": json.dumps(list(job))} for job in jobs], override_num_blocks=max(1, len(jobs))
        )
        ds = ds.map_batches(
            _BatchActor,
            batch_size=1,
            concurrency=max(1, workers),
            num_cpus=1,
            fn_constructor_kwargs={
                "make_agent": make_agent,
                "config": config,
                "plan": plan,
                "planner": planner,
                "artifacts": artifacts,
                "data_dir": data_dir,
            },
        )
        for row in ds.iter_rows():
            path, sha, key, medium, request, item_dir = json.loads(row["job"])
            reply = json.loads(row["reply"])
            line: dict[str, Any] = {"input": path, "sha256": sha, "key": key}
            if "error" in reply:
                line.update(status="error", error=reply["error"])
            else:
                try:
                    line.update(export_item(RunResult.model_validate(reply["result"]), driver.store, item_dir))
                except Exception as exc:  # e.g. the driver cannot read the actors' store
                    line.update(status="error", error=f"{type(exc).__name__}: {exc}")
            line["seconds"] = round(reply["seconds"], 3)
            line["folder"] = item_dir
            yield line
    finally:
        driver.close()
        if started:
            ray.shutdown()
