"""Gradio's real HTTP API, posted to as a hostile client would: a file reference to an arbitrary
server path is refused before Gradio loads or copies it; an upload made through /upload is
accepted. (Gradio's own allowed-path check does not run for a mounted app.)"""

from __future__ import annotations

import httpx
import pytest


def _join(url: str, path: str) -> httpx.Response:
    body = {
        "data": [{"path": path, "meta": {"_type": "gradio.FileData"}, "orig_name": "x.png"}, {}],
        "event_data": None,
        "fn_index": 0,
        "trigger_id": 1,
        "session_hash": "hostile01",
    }
    return httpx.post(url + "gradio_api/queue/join", json=body, timeout=30)


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc/hostname", "../../../../etc/passwd"])
def test_a_forged_file_reference_is_refused(ui_server, target):
    r = _join(ui_server["url"], target)
    assert r.status_code == 403 and "not a file you uploaded" in r.json()["detail"]


def test_a_data_file_of_the_agent_is_not_reachable_by_path_either(ui_server):
    secret = ui_server["data"] / "sessions.sqlite"  # the sessions database, beside the UI's folders
    assert _join(ui_server["url"], str(secret)).status_code == 403
    outside = ui_server["data"].parent / "elsewhere.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert _join(ui_server["url"], str(outside)).status_code == 403


def test_an_uploaded_file_is_accepted(ui_server, tmp_path):
    from vitron_agent.media.images import save_png
    from vitron_agent.media.synthetic import disc_image

    png = tmp_path / "disc.png"
    save_png(disc_image()[0], png)
    with open(png, "rb") as f:
        up = httpx.post(
            ui_server["url"] + "gradio_api/upload", files={"files": ("disc.png", f, "image/png")}, timeout=30
        )
    assert up.status_code == 200, up.text
    uploaded = up.json()[0]
    assert _join(ui_server["url"], uploaded).status_code == 200
