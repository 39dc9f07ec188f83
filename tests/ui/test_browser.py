"""The web UI as a person uses it, in a real browser: upload, click, chat over two turns,
a video with a playable result, review, a sketch, an oversized upload. Pixel checks are made
on the pictures the page shows (fetched from the page's own URLs) and on screenshots."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TURN = 90_000  # ms a turn may take on a loaded 2-core machine


def purple_fraction(rgb: np.ndarray) -> float:
    """Pixels whose hue is purple (250-330 degrees) and that are not grey."""
    import cv2

    hsv = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2HSV_FULL).astype(float)
    hue, sat = hsv[..., 0] * 360 / 256, hsv[..., 1] / 255
    return float(((hue > 250) & (hue < 330) & (sat > 0.15)).mean())


def shown_image(page, selector: str) -> np.ndarray:
    """The picture an <img> shows, fetched from the URL the page uses."""
    src = page.locator(f"{selector} img").first.get_attribute("src")
    assert src, f"{selector} shows no picture"
    body = page.request.get(src).body()
    return np.asarray(Image.open(io.BytesIO(body)).convert("RGB"))


def upload_image(page, path) -> None:
    page.locator("#inp input[type=file]").set_input_files(str(path))
    expect(page.locator("#inp img")).to_be_visible()
    expect(page.locator("#regions")).to_contain_text("next message sends the new image")


def click_image(page, x: float, y: float, size: tuple[int, int]) -> None:
    """Click pixel (x, y) of a ``size`` (w, h) picture shown scaled (object-fit) in #inp."""
    img = page.locator("#inp img")
    box = img.bounding_box()
    w, h = size
    scale = min(box["width"] / w, box["height"] / h)
    ox, oy = (box["width"] - w * scale) / 2, (box["height"] - h * scale) / 2
    img.click(position={"x": ox + x * scale, "y": oy + y * scale})


def send(page, text: str) -> None:
    box = page.locator("#msg textarea")
    box.fill(text)
    box.press("Enter")


def finished(page) -> str:
    """Wait for a green status line (every step succeeded) and return its text."""
    expect(page.locator('#status [data-state="ok"]')).to_be_visible(timeout=TURN)
    return page.locator("#status").inner_text()


def test_click_point_recolor_then_brighter_chains(page, ui_server, shot):
    from skimage import data

    cat = data.chelsea()
    upload_image(page, ui_server["samples"] / "chelsea.png")
    click_image(page, 195, 120, (451, 300))  # on the cat's head
    expect(page.locator("#regions")).to_contain_text("point (19")
    shot(page, "1-point-marked")
    send(page, "segment this, then make it purple")
    status = finished(page)
    assert "2 steps succeeded" in status
    expect(page.locator("#plan")).to_contain_text("recolor")
    shot(page, "2-purple-cat")
    first = shown_image(page, "#result")
    assert first.shape[:2] == cat.shape[:2]
    purple = purple_fraction(first)
    assert purple > 0.15, f"the result shown is not a purple cat ({purple:.1%} purple pixels)"
    assert purple_fraction(cat) < 0.01
    # the screenshot of the result panel is purple too (what the person sees)
    panel = np.asarray(Image.open(io.BytesIO(page.locator("#result img").screenshot())).convert("RGB"))
    assert purple_fraction(panel) > 0.1
    expect(page.locator("#downloads")).to_contain_text("report")
    expect(page.locator("#downloads")).to_contain_text("s2_image")

    send(page, "make it brighter")
    expect(page.locator("#plan")).to_contain_text("brighten", timeout=TURN)
    finished(page)
    shot(page, "3-brighter")
    second = shown_image(page, "#result")
    # chained: the purple cat brightened (not the original photo)
    assert purple_fraction(second) > 0.5 * purple
    assert second.mean() > first.mean() + 10
    expect(page.locator("#chat")).to_contain_text("make it brighter")


def test_video_clip_gives_a_playable_result(page, ui_server, shot):
    page.get_by_role("tab", name="Video").click()
    page.locator("#vid input[type=file]").set_input_files(str(ui_server["samples"] / "red-ball.mp4"))
    expect(page.locator("#regions")).to_contain_text("sends the new video")
    send(page, "track the red disc")
    finished(page)
    video = page.locator("#result_video video")
    expect(video).to_be_visible(timeout=TURN)
    state = video.evaluate("""async v => {
        if (v.readyState < 2) await new Promise(r => { v.onloadeddata = r; setTimeout(r, 10000); });
        v.muted = true; await v.play().catch(() => {});
        await new Promise(r => setTimeout(r, 500));
        return {ready: v.readyState, w: v.videoWidth, h: v.videoHeight, d: v.duration, t: v.currentTime, err: v.error && v.error.code};
    }""")
    shot(page, "4-video-track")
    assert state["err"] is None, state
    assert state["ready"] >= 2 and state["w"] > 0 and state["h"] > 0, state
    assert state["d"] > 1.0 and state["t"] > 0, f"the result video does not play: {state}"


def test_review_then_approve(page, ui_server, shot):
    upload_image(page, ui_server["samples"] / "coffee.png")
    page.locator("#review input[type=checkbox]").check()
    send(page, "make it grayscale")
    expect(page.locator("#status")).to_contain_text("waiting for your review", timeout=TURN)
    expect(page.locator("#approve")).to_be_visible()
    shot(page, "5-review")
    page.locator("#approve").click()
    status = finished(page)
    assert "succeeded" in status
    gray = shown_image(page, "#result").astype(int)
    assert np.abs(gray[..., 0] - gray[..., 1]).mean() < 2 and np.abs(gray[..., 1] - gray[..., 2]).mean() < 2


def test_oversized_upload_is_refused_visibly(page, ui_server, shot, tmp_path):
    from tests.ui.conftest import MAX_UPLOAD

    big = tmp_path / "big.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (900, 900, 3), dtype=np.uint8)).save(big)
    assert big.stat().st_size > MAX_UPLOAD
    page.locator("#inp input[type=file]").set_input_files(str(big))
    expect(page.get_by_text("exceed", exact=False).first).to_be_visible(timeout=15_000)
    shot(page, "6-oversized")
    expect(page.locator("#inp img")).to_have_count(0)
    expect(page.locator("#regions")).not_to_contain_text("sends the new image")


def test_a_sketch_becomes_the_region(page, ui_server, shot):
    page.get_by_role("tab", name="Sketch").click()
    prompt = page.locator("#editor").get_by_text("Upload an image")
    expect(prompt).to_be_visible()
    for _ in range(5):  # as a person does: click "Upload an image", pick the file in the chooser
        try:
            with page.expect_file_chooser(timeout=4000) as chooser:
                prompt.click()
            chooser.value.set_files(str(ui_server["samples"] / "chelsea.png"))
        except Exception:  # the editor attaches its file input a moment after the tab opens
            page.locator("#editor input[type=file]").first.set_input_files(str(ui_server["samples"] / "chelsea.png"))
        try:
            expect(prompt).to_be_hidden(timeout=4000)
            break
        except AssertionError:
            page.wait_for_timeout(500)
    expect(prompt).to_be_hidden()
    canvas = page.locator("#editor canvas").first
    expect(canvas).to_be_visible()
    page.wait_for_timeout(1000)  # the picture is drawn on the canvas
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.38, box["y"] + box["height"] * 0.35)
    page.mouse.down()
    for fx, fy in ((0.45, 0.45), (0.52, 0.55), (0.6, 0.5)):  # a stroke over the cat's face
        page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy, steps=2)
    page.mouse.up()
    shot(page, "7-sketch-drawn")
    for _ in range(6):  # the editor sends its layers to the server a moment after the stroke
        page.locator("#use_sketch").click()
        try:
            expect(page.locator("#regions")).to_contain_text("sketch (", timeout=3000)
            break
        except AssertionError:
            page.wait_for_timeout(1000)
    expect(page.locator("#regions")).to_contain_text("sketch (")
    shot(page, "7-sketch")
    send(page, "segment this, then make it purple")
    finished(page)
    expect(page.locator("#plan")).to_contain_text("scribble")
    result = shown_image(page, "#result")
    assert result.shape[:2] == (300, 451) and purple_fraction(result) > 0.1
    shot(page, "8-sketch-purple")


def test_sessions_fork_and_delete(page, ui_server, shot):
    upload_image(page, ui_server["samples"] / "coffee.png")
    send(page, "make it grayscale")
    finished(page)
    page.locator("#sessions").click()
    page.locator("#fork_session").click()
    expect(page.locator("#sessions")).to_contain_text("Forked into")
    expect(page.locator("#chat")).to_contain_text("make it grayscale")  # the fork has the history
    forked = [
        s.id
        for s in __import__("vitron_agent.runtime.sessions", fromlist=["list_sessions"]).list_sessions(
            ui_server["agent"]
        )
    ]
    shot(page, "9-forked")
    page.locator("#delete_session").click()
    expect(page.locator("#sessions")).to_contain_text("Deleted")
    after = [
        s.id
        for s in __import__("vitron_agent.runtime.sessions", fromlist=["list_sessions"]).list_sessions(
            ui_server["agent"]
        )
    ]
    assert len(after) == len(forked) - 1
