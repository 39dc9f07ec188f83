"""Artifacts in S3 (moto's server on loopback): the same contract as the local folder --
content-addressed, verified on first read, metadata last, nothing half-written visible -- with a
bounded local cache, readable from another machine's store with nothing shared but the bucket."""

from __future__ import annotations

import subprocess
import sys

import boto3
import numpy as np
import pytest
from skimage import data

from vitron_agent.core.errors import RefError, ToolFailed
from vitron_agent.storage.object_store import ObjectStore, StoreUnreachable
from vitron_agent.storage.store import ArtifactStore


def s3_client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


def keys(endpoint, url):
    bucket, prefix = url[5:].split("/", 1)
    listed = s3_client(endpoint).list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {o["Key"].removeprefix(prefix + "/") for o in listed}


def test_another_machine_reads_what_one_wrote(s3_env, s3_server, tmp_path):
    a = ArtifactStore(tmp_path / "a", "s", remote=ObjectStore(s3_env))
    b = ArtifactStore(tmp_path / "b", "s", cache_bytes=0, remote=ObjectStore(s3_env))  # shares nothing but the bucket
    img = data.chelsea()
    iref = a.put_image(img)
    mref = a.put_mask(img[..., 0] > 128, image=iref)
    fref = a.put_feature(np.arange(12, dtype=np.float32).reshape(3, 4), kind="emb")
    vref = a.put_video(iter([img[:64, :64]] * 3), fps=5.0)
    on_s3 = keys(s3_server.endpoint, s3_env)
    for ref, ext in ((iref, "png"), (mref, "png"), (fref, "safetensors"), (vref, "mp4")):
        assert {f"s/{ref.id}.{ext}", f"s/{ref.id}.json"} <= on_s3
    assert not (tmp_path / "b" / "s" / f"{iref.id}.png").exists()
    np.testing.assert_array_equal(b.get_image(iref), img)
    np.testing.assert_array_equal(b.get_mask(mref), img[..., 0] > 128)
    np.testing.assert_array_equal(b.get_feature(fref), np.arange(12, dtype=np.float32).reshape(3, 4))
    frames = list(b.get_video(vref).frames())
    assert len(frames) == 3 and np.array_equal(frames[0], img[:64, :64])
    assert b.for_session("other").exists(iref) is False  # sessions stay apart in the bucket too


def test_a_corrupt_object_is_detected_not_used(s3_env, s3_server, tmp_path):
    a = ArtifactStore(tmp_path / "a", "s", remote=ObjectStore(s3_env))
    ref = a.put_image(data.astronaut()[:32, :32])
    bucket, prefix = s3_env[5:].split("/", 1)
    other = ArtifactStore(tmp_path / "x", "s", cache_bytes=0, remote=ObjectStore(s3_env))
    other_png = other.put_image(255 - data.astronaut()[:32, :32])
    body = s3_client(s3_server.endpoint).get_object(Bucket=bucket, Key=f"{prefix}/s/{other_png.id}.png")["Body"].read()
    s3_client(s3_server.endpoint).put_object(Bucket=bucket, Key=f"{prefix}/s/{ref.id}.png", Body=body)  # swapped
    with pytest.raises(ToolFailed, match="does not match its id"):
        ArtifactStore(tmp_path / "b", "s", cache_bytes=0, remote=ObjectStore(s3_env)).get_image(ref)


def test_a_swapped_video_object_is_refused_before_use(s3_env, s3_server, tmp_path):
    a = ArtifactStore(tmp_path / "a", "s", remote=ObjectStore(s3_env))
    frames = [data.astronaut()[:32, :32]] * 3
    ref = a.put_video(iter(frames), fps=5.0)
    other = a.put_video(iter([255 - f for f in frames]), fps=5.0)
    bucket, prefix = s3_env[5:].split("/", 1)
    s3 = s3_client(s3_server.endpoint)
    body = s3.get_object(Bucket=bucket, Key=f"{prefix}/s/{other.id}.mp4")["Body"].read()
    s3.put_object(Bucket=bucket, Key=f"{prefix}/s/{ref.id}.mp4", Body=body)  # swapped in the bucket
    b = ArtifactStore(tmp_path / "b", "s", cache_bytes=0, remote=ObjectStore(s3_env))
    with pytest.raises(ToolFailed, match="does not match its id"):
        next(iter(b.get_video(ref).frames([0])))
    with pytest.raises(ToolFailed, match="does not match its id"):
        b.verified_file(ref.id)  # what the download route serves


def test_nothing_half_written_is_visible(s3_env, tmp_path, monkeypatch):
    remote = ObjectStore(s3_env)
    a = ArtifactStore(tmp_path / "a", "s", remote=remote)
    real = remote.put_bytes

    def metadata_upload_fails(session, name, data):
        raise StoreUnreachable("the artifact store went away (test)")

    monkeypatch.setattr(remote, "put_bytes", metadata_upload_fails)
    with pytest.raises(StoreUnreachable):
        a.put_image(data.camera()[:16, :16, None].repeat(3, 2))
    b = ArtifactStore(tmp_path / "b", "s", remote=ObjectStore(s3_env))
    from vitron_agent.storage.store import _image_digest

    ref_id = _image_digest(np.ascontiguousarray(data.camera()[:16, :16, None].repeat(3, 2)))
    from vitron_agent.core.refs import ImageRef

    ref = ImageRef(id=ref_id, session="s", width=16, height=16)
    with pytest.raises(RefError, match="does not exist"):
        b.get_image(ref)  # data without metadata: not an artifact
    monkeypatch.setattr(remote, "put_bytes", real)
    assert a.put_image(data.camera()[:16, :16, None].repeat(3, 2)).id == ref_id  # the retry completes it
    assert b.get_image(ref).shape == (16, 16, 3)


def test_the_local_cache_is_bounded(s3_env, tmp_path):
    remote = ObjectStore(s3_env, local_cache_mb=0.3)
    a = ArtifactStore(tmp_path / "a", "s", cache_bytes=0, remote=remote)
    rng = np.random.default_rng(0)
    refs = [a.put_image(rng.integers(0, 255, (128, 128, 3), dtype=np.uint8)) for _ in range(12)]  # ~50 KB each
    local = sum(f.stat().st_size for f in (tmp_path / "a").rglob("*") if f.is_file())
    assert local <= 0.3 * 1024 * 1024
    for r in refs:  # evicted ones come back from the bucket
        assert a.get_image(r).shape == (128, 128, 3)


def test_an_unreachable_store_is_a_clear_error(tmp_path, monkeypatch):
    from tests.distributed.conftest import AWS_ENV, free_port

    for k, v in AWS_ENV.items():
        monkeypatch.setenv(k, v)
    url = f"http://127.0.0.1:{free_port()}"
    from vitron_agent.runtime.agent import Agent

    with pytest.raises(StoreUnreachable, match=r"s3://nowhere/x could not be written"):
        Agent(artifacts="s3://nowhere/x", data_dir=tmp_path, config=_config(endpoint_url=url))
    from pathlib import Path

    out = subprocess.run(
        [
            str(Path(sys.executable).with_name("vitron-agent")),
            "run",
            "describe it",
            "--image",
            str(tmp_path / "none.png"),
            "--artifacts",
            "s3://nowhere/x",
        ],
        env={**_env(), "AWS_ENDPOINT_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2 and "s3://nowhere/x" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_sessions_rm_and_fork_reach_the_bucket(s3_env, s3_server, tmp_path):
    from vitron_agent.runtime.agent import Agent
    from vitron_agent.runtime.sessions import delete_session, fork_session

    agent = Agent(db=tmp_path / "s.sqlite", artifacts=s3_env, data_dir=tmp_path / "cache")
    r = agent.run("make it brighter", image=data.coffee()[:64, :64], session="one")
    assert r.ok
    fork_session(agent, "one", "two")
    out = r.steps[-1].outputs["image"]["value"]
    assert f"two/{out['id']}.png" in keys(s3_server.endpoint, s3_env)
    assert delete_session(agent, "one")
    assert not any(k.startswith("one/") for k in keys(s3_server.endpoint, s3_env))
    agent.close()


def _config(**store):
    from vitron_agent.toolkit.config import Config

    c = Config()
    for k, v in store.items():
        setattr(c.store, k, v)
    return c


def _env():
    import os

    return {k: v for k, v in os.environ.items()}


def test_a_ray_replica_reads_and_writes_the_bucket(s3_env, tmp_path):
    """The Serve deployment body, given the store URL with the call, works on the bucket with its own
    local cache: no folder is shared with the agent (the path it is sent does not exist)."""
    from vitron_agent.runtime.ray_serve import Specialist

    agent_store = ArtifactStore(tmp_path / "agent", "s", remote=ObjectStore(s3_env))
    ref = agent_store.put_image(data.coffee()[:40, :40])
    replica = Specialist("edit", {"backend": "cv"})
    reply = replica(
        {
            "args": {"image": ref.model_dump(mode="json"), "operation": "brighten"},
            "session": "s",
            "step_id": "s1",
            "root": str(tmp_path / "not-shared"),
            "store_url": s3_env,
            "endpoint_url": None,
        }
    )
    out = ImageRefFrom(reply["ok"]["image"])
    brighter = ArtifactStore(tmp_path / "reader", "s", remote=ObjectStore(s3_env)).get_image(out)
    assert brighter.mean() > data.coffee()[:40, :40].mean() + 5
    assert not (tmp_path / "not-shared").exists()


def ImageRefFrom(value):  # noqa: N802
    from vitron_agent.core.refs import ImageRef

    return ImageRef.model_validate(value)


@pytest.mark.benchmark
def test_the_distributed_benchmark_runs(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, str(root / "benchmarks" / "distributed.py"), "--turns", "3", "--size", "64"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=root,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "S3 + PostgreSQL" in out.stdout and "x)" in out.stdout


def test_a_download_never_writes_through_a_planted_link(tmp_path):
    import os
    import threading

    (tmp_path / "bucket" / "s").mkdir(parents=True)  # a local "bucket" (file://) needs its folders
    bucket = f"file://{tmp_path / 'bucket'}"
    img = data.astronaut()[:16, :16]
    ref = ArtifactStore(tmp_path / "a", "s", remote=ObjectStore(bucket)).put_image(img)
    b = ArtifactStore(tmp_path / "b", "s", cache_bytes=0, remote=ObjectStore(bucket))
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch")
    dest = b.dir / f"{ref.id}.png"
    # the temporary name the download used to write (pid and thread: guessable by a local user)
    dest.with_name(f".{dest.name}.{os.getpid()}.{threading.get_ident()}.part").symlink_to(victim)
    np.testing.assert_array_equal(b.get_image(ref), img)
    assert victim.read_text() == "do not touch" and not dest.is_symlink()
