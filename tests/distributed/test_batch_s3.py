"""Batch inputs read where they are: photos in an S3 bucket (moto's server on loopback), listed by
the driver, each read by the worker that runs it; a changed object runs again, an unchanged one
is skipped."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from PIL import Image
from skimage import data

from vitron_agent.batch.jobs import run_batch
from vitron_agent.core.errors import InputError


def png(arr) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def agent():
    from vitron_agent.runtime.agent import Agent

    with Agent() as a:
        yield a


def test_a_batch_over_an_s3_prefix(s3_env, s3_server, agent, tmp_path):
    import boto3

    from tests.distributed.conftest import _boto_kw

    bucket = s3_env.removeprefix("s3://").split("/", 1)[0]
    s3 = boto3.client("s3", endpoint_url=s3_server.endpoint, **_boto_kw())
    objects = {
        "photos/cat.png": png(data.chelsea()[::2, ::2]),
        "photos/more/coffee.png": png(data.coffee()[::2, ::2]),
        "photos/notes.txt": b"not an input",
    }
    for key, body in objects.items():
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    out = tmp_path / "out"
    got = list(run_batch("make it warmer", [f"s3://{bucket}/photos/"], out, agent=agent, quiet=True))
    assert sorted(ln["name"] for ln in got) == ["cat.png", "more/coffee.png"]
    assert all(ln["status"] == "ok" for ln in got), [ln.get("error") for ln in got]
    by_name = {ln["name"]: ln for ln in got}
    assert by_name["cat.png"]["input"] == f"s3://{bucket}/photos/cat.png"
    assert by_name["cat.png"]["sha256"] == hashlib.sha256(objects["photos/cat.png"]).hexdigest()  # bytes read
    assert json.loads((out / "results.jsonl").read_text().splitlines()[0])["status"] == "ok"

    assert list(run_batch("make it warmer", [f"s3://{bucket}/photos/"], out, agent=agent, quiet=True)) == []
    s3.put_object(Bucket=bucket, Key="photos/cat.png", Body=png(data.chelsea()[1::2, ::2]))  # changed
    again = list(run_batch("make it warmer", [f"s3://{bucket}/photos/*.png"], out, agent=agent, quiet=True))
    assert [ln["name"] for ln in again] == ["cat.png"]

    with pytest.raises(InputError, match="no such object"):
        list(run_batch("make it warmer", [f"s3://{bucket}/nothing-here/"], tmp_path / "o2", agent=agent, quiet=True))
