"""Hostile round 4: each test is a finding of the probe (see docs/reliability.md), and each fails on
the code before its fix: a FIFO or a device named as a picture, a rotation whose canvas explodes, a
malformed region answered with pydantic's internal union name, and terminal control sequences from
file names and other clients' requests printed raw."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from vitron_agent.cli.terminal_text import for_terminal
from vitron_agent.core.errors import InputError, MediaError, ToolArgumentError
from vitron_agent.media.images import load_image
from vitron_agent.media.video import open_video
from vitron_agent.perception.edit_ops import rotate, rotated_size
from vitron_agent.runtime.turns import regions_state
from vitron_agent.tools.edit import CvEditTool

ROOT = Path(__file__).resolve().parents[2]
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def _within(seconds: float, fn, unblock) -> BaseException | None:
    """Run ``fn`` on a thread; if it is still running after ``seconds``, call ``unblock`` (so the
    thread ends) and fail. Returns what ``fn`` raised."""
    raised: list[BaseException] = []

    def target():
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            raised.append(exc)

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():
        unblock()
        t.join(10)
        pytest.fail(f"still blocked after {seconds} s")
    return raised[0] if raised else None


@needs_fifo
@pytest.mark.parametrize("opener", [load_image, open_video], ids=["image", "video"])
def test_a_named_pipe_is_refused_not_read(tmp_path, opener):
    # before: load_image blocked forever in read_bytes (stat says 0 bytes, the cap passed);
    # open_video called it "empty (0 bytes)"
    fifo = tmp_path / "photo.png"
    os.mkfifo(fifo)

    def unblock():
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)

    exc = _within(10, lambda: opener(str(fifo)), unblock)
    assert isinstance(exc, MediaError) and "named pipe" in str(exc) and "photo.png" in str(exc), exc


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_refused_by_kind():
    # before: /dev/null was "empty (0 bytes)", and /dev/zero was read until the memory ran out
    for opener in (load_image, open_video):
        with pytest.raises(MediaError, match="is a device"):
            opener("/dev/null")


def test_a_symlink_to_a_device_is_refused(tmp_path):
    link = tmp_path / "zero.png"
    link.symlink_to("/dev/null")
    with pytest.raises(MediaError, match="is a device"):
        load_image(str(link))


def test_rotated_size_matches_rotate():
    img = np.zeros((30, 70, 3), np.uint8)
    for angle in (0, 90, 180, 270, -90, 45, 33.3, -12, 359):
        h, w = rotate(img, angle).shape[:2]
        assert rotated_size(70, 30, angle) == (w, h), angle


def test_rotating_a_thin_strip_is_refused_before_the_canvas_is_made(ctx):
    # before: a 200000x1 strip turned 45 degrees asked OpenCV for a 141423x141423 canvas (60 GB):
    # a cv2.error traceback, or the machine's memory gone
    ref = ctx.store.put_image(np.full((1, 200_000, 3), 120, np.uint8))
    with pytest.raises(ToolArgumentError, match=r"141423x141423 canvas .* over the limit of 64"):
        CvEditTool()(ctx, image=ref, operation="rotate", angle=45)
    out = CvEditTool()(ctx, image=ref, operation="rotate", angle=90)  # a quarter turn stays exact and small
    assert (out.image.width, out.image.height) == (1, 200_000)


@pytest.mark.parametrize(
    "region, says",
    [
        (
            {"type": "point", "x": float("inf"), "y": float("nan")},
            "point.y: Input should be greater than or equal to 0",
        ),
        ({"kind": "point", "x": 1, "y": 2}, "discriminator 'type'"),
        ({"type": "box", "x1": 9, "y1": 9, "x2": 5, "y2": 20}, "box: Value error, box (9.0, 9.0, 5.0, 20.0) is empty"),
        ({"type": "point", "x": "left", "y": 1}, "point.x: Input should be a valid number"),
        ({"type": "scribble", "points": [[0, 0]]}, "scribble.mask: Field required"),
    ],
)
def test_a_malformed_region_names_its_field_and_the_forms(region, says):
    # before: "a region is malformed: 1 validation error for tagged-union[ImageRef,MaskRef,...]"
    with pytest.raises(InputError) as info:
        regions_state([region], (100, 100), None)
    text = str(info.value)
    assert says in text and '{"type": "box", "x1": X1' in text and "tagged-union" not in text, text


def test_for_terminal_shows_control_sequences_as_escapes():
    assert for_terminal("a\x1b]0;PWNED\x07b\x1b[2J\r\x9b\u202egpj.exe\x00") == (
        "a\\x1b]0;PWNED\\x07b\\x1b[2J\\x0d\\x9b\\u202egpj.exe\\x00"
    )
    assert for_terminal("two lines\n\tand a tab, émigré, 猫") == "two lines\n\tand a tab, émigré, 猫"


def test_the_command_line_never_prints_a_file_names_control_sequences(tmp_path):
    # before: `run --image` with such a name printed "\x1b]0;PWNED\x07" raw: the terminal's title
    # changed, the screen cleared (any name in a downloaded folder, any request in a shared database)
    name = tmp_path / "x\x1b]0;PWNED\x07\x1b[2Jy.png"
    name.write_bytes(b"not a picture")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "vitron-agent"),
            "run",
            "--quiet",
            "--out",
            str(tmp_path / "out"),
            "--image",
            str(name),
            "describe it",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    assert "\x1b" not in proc.stderr + proc.stdout and "\x07" not in proc.stderr
    assert "x\\x1b]0;PWNED\\x07\\x1b[2Jy.png: not a recognised image format" in proc.stderr


@needs_fifo
def test_a_config_that_is_a_pipe_or_a_device_is_a_config_error(tmp_path):
    # before: --config FIFO hung in read_text, --config /dev/zero read until MemoryError
    from vitron_agent.core.errors import ConfigError
    from vitron_agent.toolkit.config import load_config

    fifo = tmp_path / "vitron.toml"
    os.mkfifo(fifo)

    def unblock():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    exc = _within(10, lambda: load_config(fifo), unblock)
    assert isinstance(exc, ConfigError) and "named pipe" in str(exc), exc
    with pytest.raises(ConfigError, match="is a device, not a config file"):
        load_config("/dev/null")


@pytest.mark.parametrize(
    "array, says",
    [
        (np.zeros((0, 5, 3), np.uint8), "image array is empty"),  # before: PIL's 'cannot write empty image'
        (np.full((4, 4, 3), np.nan, np.float32), "48 values that are NaN or infinite"),  # before: a black picture
        (np.full((4, 4, 3), np.inf), "values that are NaN or infinite"),
        (np.empty((4, 4, 3), object), "dtype object"),  # before: TypeError from numpy
        (np.ones((4, 4, 3), np.complex64), "complex dtype"),  # before: imaginary part dropped with a warning
    ],
)
def test_an_array_that_is_no_picture_is_refused_by_name(array, says):
    from vitron_agent.media.images import to_rgb_array

    with pytest.raises(InputError, match=says):
        to_rgb_array(array)


def test_a_bool_array_is_a_white_on_black_picture_and_an_empty_pil_image_is_refused():
    from PIL import Image

    from vitron_agent.media.images import to_rgb_array

    out = to_rgb_array(np.eye(3, dtype=bool))
    assert out.dtype == np.uint8 and out[0, 0].tolist() == [255, 255, 255] and out[0, 1].tolist() == [0, 0, 0]
    with pytest.raises(MediaError, match="the image is empty"):
        to_rgb_array(Image.new("RGB", (0, 0)))


@needs_fifo
def test_a_workflow_that_is_a_pipe_or_a_device_is_an_input_error(tmp_path):
    # before: `run --workflow FIFO` hung in read_text, `--workflow /dev/zero` read until MemoryError
    from vitron_agent.batch.jobs import load_workflow

    fifo = tmp_path / "flow.json"
    os.mkfifo(fifo)

    def unblock():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))

    exc = _within(10, lambda: load_workflow(fifo), unblock)
    assert isinstance(exc, InputError) and "named pipe" in str(exc), exc
    with pytest.raises(InputError, match="is a device, not a workflow file"):
        load_workflow("/dev/null")


def test_scientific_notation_is_read_as_one_number():
    # before: the slot readers took a part of "1e1" / "2e3" for the number
    from vitron_agent.toolkit.slots import digits, duration, number

    assert digits("make a gif at 1e9 fps") == "make a gif at 1000000000 fps"
    assert number("make it 1e1 times bigger") == 10.0 and duration("keep the first 2.5E-1 seconds") == 0.25
    assert number("keep the first 1e308 seconds") == 1e308
    assert digits("IMG_2e4.png v1.2e3 1e999") == "IMG_2e4.png v1.2e3 1e999"  # names, versions, past a float: as written


def test_a_resize_written_in_scientific_notation_is_that_size(tmp_path):
    from vitron_agent.runtime.agent import Agent

    agent = Agent(data_dir=tmp_path / "a")
    try:
        plan = agent.plan("resize it to 2e3 pixels wide", image="<image>")
    finally:
        agent.close()
    assert [(s.tool, s.args.get("width")) for s in plan.steps] == [("edit", 2000)]


def test_the_plan_command_never_prints_control_sequences(tmp_path):
    # before: its notes quoted the request raw ("I did not understand 'PWNED<BEL> thing'")
    exe = str(Path(sys.executable).parent / "vitron-agent")
    proc = subprocess.run(
        [exe, "plan", "segment the \x1b]0;PWNED\x07 thing"],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        cwd=tmp_path,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr and "\x07" not in proc.stdout + proc.stderr
    assert "PWNED\\x07" in proc.stdout


def test_a_full_disk_is_said_with_where_the_command_writes(monkeypatch, capsys):
    # before: "vitron-agent: error: No space left on device" and nothing else (no file is named)
    import errno

    import vitron_agent.cli.surface as surface
    from vitron_agent.cli import main

    def full(args):
        raise OSError(errno.ENOSPC, "No space left on device")

    import dataclasses

    tools = surface.surfaces()["tools"]
    monkeypatch.setitem(surface._SURFACES, "tools", dataclasses.replace(tools, run=full))
    assert main(["tools"]) == 2
    err = capsys.readouterr().err
    assert "No space left on device; the disk is full: free space where this command writes (--out, --db" in err


def test_plan_and_chat_leave_no_temporary_store(tmp_path):
    # before: every `plan` and every `chat` without --db left a /tmp/vitron-agent-* folder
    from PIL import Image

    Image.new("RGB", (24, 16), "red").save(tmp_path / "red.png")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TMPDIR": str(tmp)}
    exe = str(Path(sys.executable).parent / "vitron-agent")
    for cmd, stdin in (
        ([exe, "plan", "--image", "red.png", "flip it"], None),
        ([exe, "chat", "--out", "chat", "--image", "red.png"], "flip it\n/quit\n"),
    ):
        proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
        assert proc.returncode == 0, proc.stderr
    assert [p.name for p in tmp.iterdir() if p.name.startswith("vitron-agent-")] == []
    assert any((tmp_path / "chat").iterdir())  # the chat's turn was exported before its store went
