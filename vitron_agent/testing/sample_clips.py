"""Real clips for the video tests and the README's video session, built from files other people made.

* ``b.mp4`` (480x270, 30 fps, 150 frames, H.264; its AAC track is digital silence) ships in the
  ``gradio`` wheel (Apache-2.0; ``gradio/media_assets/videos``), which the ``ui`` extra installs;
* ``sax.wav`` (16 s of a saxophone, 48 kHz mono) from the same folder's ``audio``: muxed onto
  b.mp4's pictures (copied, not re-encoded) as AAC, it makes a real clip with real sound;
* a variable-frame-rate clip: b.mp4's frames re-timed with irregular timestamps (gaps and bursts);
* an odd-size clip: ``a.mp4`` (1920x1080, 30 fps, "THANKS FOR WATCHING" on screen) scaled to
  161x97 at 25 fps;
* a clip of scikit-image's photos as shots (coffee, astronaut, cat, astronaut), for "when is the
  person visible" with exact answers.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

GRADIO_MEDIA = "gradio/media_assets"


def gradio_file(rel: str) -> Path:
    """A file of gradio's media_assets (a real installed package file)."""
    from importlib.metadata import distribution

    path = Path(str(distribution("gradio").locate_file(f"{GRADIO_MEDIA}/{rel}")))
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: install the ui extra (gradio)")
    return path


def wav(path: Path):
    import av

    from vitron_agent.media.audio import Audio

    with av.open(str(path)) as c:
        stream = c.streams.audio[0]
        chunks = [f.to_ndarray() for f in c.decode(stream)]
        rate = stream.rate
    samples = np.concatenate(chunks, axis=1).astype(np.float32) / 32768.0
    return Audio(samples, rate)


def with_sound(folder: Path) -> Path:
    """b.mp4's pictures with sax.wav's sound (AAC)."""
    from vitron_agent.media.audio import mux

    out = folder / "b_sax.mp4"
    mux(gradio_file("videos/b.mp4"), wav(gradio_file("audio/sax.wav")), out)
    return out


def variable_rate(folder: Path) -> Path:
    """b.mp4's first 90 frames with irregular timestamps (ms): steps of 33 ms, a 200 ms gap and bursts of 10 ms."""
    import av

    out = folder / "vfr.mp4"
    with av.open(str(gradio_file("videos/b.mp4"))) as src, av.open(str(out), "w", format="mp4") as dst:
        stream = dst.add_stream("libx264", rate=30)
        stream.width, stream.height, stream.pix_fmt = 480, 270, "yuv420p"
        stream.time_base = Fraction(1, 1000)
        stream.codec_context.time_base = Fraction(1, 1000)
        t = 0
        for i, frame in enumerate(src.decode(video=0)):
            if i >= 90:
                break
            img = av.VideoFrame.from_ndarray(frame.to_ndarray(format="rgb24"), format="rgb24").reformat(
                format="yuv420p"
            )
            img.pts, img.time_base = t, Fraction(1, 1000)
            for packet in stream.encode(img):
                dst.mux(packet)
            t += 200 if i == 30 else 10 if 50 <= i < 60 else 33
        for packet in stream.encode():
            dst.mux(packet)
    return out


def odd_size(folder: Path) -> Path:
    """a.mp4 scaled to 161x97 at 25 fps (its first 2 s), lossless."""
    import cv2

    from vitron_agent.media.video import open_video, write_video

    _, frames = open_video(gradio_file("videos/a.mp4"), max_pixels=1 << 23)
    small = (cv2.resize(f, (161, 97), interpolation=cv2.INTER_AREA) for _, f in zip(range(60), frames, strict=False))
    out = folder / "odd.mp4"
    write_video(small, out, 25.0)
    return out


PHOTO_SHOTS = (("coffee", 10), ("astronaut", 15), ("chelsea", 10), ("astronaut", 7))  # frames each, at 10 fps


def photo_shots() -> list[np.ndarray]:
    """scikit-image's photos as four shots at 10 fps, 320x240: a person on screen 1.0-2.5 s and 3.5-4.2 s."""
    import cv2
    from skimage import data

    out = []
    for name, n in PHOTO_SHOTS:
        img = cv2.resize(getattr(data, name)()[..., :3], (320, 240), interpolation=cv2.INTER_AREA)
        out += [img] * n
    return out


def write_all(folder: Path) -> dict[str, Path]:
    """Write the sample clips into ``folder``: sound.mp4, vfr.mp4, odd.mp4, shots.mp4, street.mp4 (80 s)."""
    from vitron_agent.media.video import write_video
    from vitron_agent.testing.walkers import street

    folder.mkdir(parents=True, exist_ok=True)
    out = {"sound": with_sound(folder), "vfr": variable_rate(folder), "odd": odd_size(folder)}
    out["shots"] = folder / "shots.mp4"
    write_video(photo_shots(), out["shots"], 10.0)
    scene = street()
    out["street"] = folder / "street.mp4"
    write_video(scene.frames(), out["street"], scene.fps, lossless=False)
    (folder / "b_sax.mp4").rename(folder / "sound.mp4")
    out["sound"] = folder / "sound.mp4"
    return out


if __name__ == "__main__":
    import sys

    for name, path in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "clips")).items():
        print(f"{name}: {path}")
