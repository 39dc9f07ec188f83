"""Hostile round 7: the web UI's Image upload. Gradio's ``gr.Image`` converts an upload to its
``image_mode`` ("RGB" unless told) with Pillow before the app sees it, and saves it again: a 16-bit
grayscale PNG (a depth map, a scan) was clipped to nearly white (mean 251 of 255 for a 0..65535 ramp,
127.5 read by every other door), a transparent PNG's background became black (white at every other
door: alpha is composited on white), and a CMYK JPEG was re-compressed. Now the upload reaches the
agent as the file sent, and the project's one decoder reads it as the command line does."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image

from vitron_agent.media.images import load_image


@pytest.fixture(scope="module")
def upload(tmp_path_factory):
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from gradio.data_classes import ImageData

    from vitron_agent.runtime.agent import Agent
    from vitron_agent.ui.blocks import UISettings, build_blocks

    folder = tmp_path_factory.mktemp("ui")
    agent = Agent(data_dir=folder / "artifacts", checkpointer=False)
    demo = build_blocks(agent, UISettings(out_dir=folder / "ui"))
    (image,) = [b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "inp"]

    def received(path):  # what the app's handlers get for an upload of ``path``
        return image.preprocess(ImageData(path=str(path), orig_name=path.name))

    yield received
    agent.close()


def test_a_16_bit_picture_is_not_clipped_to_white(upload, tmp_path):
    ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (32, 1))
    Image.fromarray(ramp).save(tmp_path / "depth.png")
    got = load_image(upload(tmp_path / "depth.png"))
    assert abs(got.mean() - 127.5) < 2 and got[:, 32].mean() < 140, got.mean()
    assert np.array_equal(got, load_image(tmp_path / "depth.png"))


def test_a_transparent_background_is_white_as_at_every_other_door(upload, tmp_path):
    rgba = np.zeros((32, 64, 4), np.uint8)
    rgba[8:24, 16:48] = (255, 0, 0, 255)
    Image.fromarray(rgba).save(tmp_path / "logo.png")
    got = load_image(upload(tmp_path / "logo.png"))
    assert got[0, 0].tolist() == [255, 255, 255] and got[16, 32].tolist() == [255, 0, 0], got[0, 0]


def test_a_cmyk_jpeg_is_not_compressed_again(upload, tmp_path):
    noise = np.random.default_rng(0).integers(0, 255, (48, 64, 3)).astype(np.uint8)
    Image.fromarray(noise).convert("CMYK").save(tmp_path / "print.jpg", quality=95)
    assert np.array_equal(load_image(upload(tmp_path / "print.jpg")), load_image(tmp_path / "print.jpg"))
