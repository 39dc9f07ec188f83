"""A real browser (Debian's Chromium, driven by Playwright) against ``vitron-agent ui``'s app,
served by uvicorn on a free loopback port. Screenshots of each state go to ``test-output/ui/``."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("VITRON_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "ui"
MAX_UPLOAD = 1_000_000


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory):
    import uvicorn

    from vitron_agent.runtime.agent import Agent
    from vitron_agent.ui import UISettings, create_ui_app

    data = tmp_path_factory.mktemp("ui")
    agent = Agent(db=data / "sessions.sqlite", data_dir=data / "artifacts")
    settings = UISettings(out_dir=data / "ui", max_upload_bytes=MAX_UPLOAD)
    app = create_ui_app(agent, settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline, "the UI server did not start in 60 s"
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}/", "agent": agent, "samples": data / "ui" / "samples", "data": data}
    server.should_exit = True
    thread.join(10)
    agent.close()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: the browser tests need Debian's chromium "
            "(`make test` installs it with apt-get; or set VITRON_CHROMIUM)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def page(browser, ui_server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(ui_server["url"])
    page.locator("#msg textarea").wait_for()
    yield page
    context.close()


@pytest.fixture
def shot():
    SHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
