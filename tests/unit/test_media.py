"""Each odd or hostile image file is normalised to HxWx3 uint8 RGB or rejected with a
MediaError naming the file and the problem. Files are made by the tests."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from vitron_agent.core.errors import MediaError
from vitron_agent.media.images import load_image


def _save(im: Image.Image, path, fmt: str, **kw) -> str:
    im.save(path, format=fmt, **kw)
    return str(path)


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
    )


@pytest.fixture
def rgb():
    arr = np.zeros((40, 60, 3), np.uint8)
    arr[:, :30] = (200, 40, 40)
    arr[:, 30:] = (40, 40, 200)
    return arr


def test_plain_png_and_jpeg(tmp_path, rgb):
    png = _save(Image.fromarray(rgb), tmp_path / "a.png", "PNG")
    np.testing.assert_array_equal(load_image(png), rgb)
    jpg = _save(Image.fromarray(rgb), tmp_path / "a.jpg", "JPEG", quality=95)
    out = load_image(jpg)
    assert out.shape == (40, 60, 3) and out.dtype == np.uint8
    assert np.abs(out.astype(int) - rgb).mean() < 6


def test_missing_directory_and_empty(tmp_path):
    with pytest.raises(MediaError, match="no such file"):
        load_image(tmp_path / "nope.png")
    with pytest.raises(MediaError, match="directory"):
        load_image(tmp_path)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(MediaError, match=r"empty.png: the file is empty \(0 bytes\)"):
        load_image(empty)


def test_not_an_image_and_wrong_extension(tmp_path, rgb):
    txt = tmp_path / "notes.png"
    txt.write_text("hello, I am not a picture")
    with pytest.raises(MediaError, match="not a recognised image format"):
        load_image(txt)
    # A JPEG named .png decodes by content, not by extension.
    jpg_named_png = _save(Image.fromarray(rgb), tmp_path / "photo.png", "JPEG")
    assert load_image(jpg_named_png).shape == (40, 60, 3)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_files_are_rejected(tmp_path, fmt):
    noise = np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise).save(buf, format=fmt)
    data = buf.getvalue()
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError, match="truncated or corrupt") as err:
        load_image(path)
    assert str(path) in str(err.value)


def test_decompression_bomb_rejected_from_header(tmp_path):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(30000, 30000))
    with pytest.raises(MediaError, match="bomb.png: .*decompression bomb"):
        load_image(bomb)
    small = tmp_path / "small.png"
    Image.new("RGB", (100, 100)).save(small)
    with pytest.raises(MediaError, match="10,000 pixels exceeds the limit of 5,000 .*decompression bomb"):
        load_image(small, max_pixels=5000)


def test_cmyk_is_converted(tmp_path):
    cmyk = Image.new("CMYK", (10, 8), (0, 255, 255, 0))  # pure red in CMYK
    out = load_image(_save(cmyk, tmp_path / "c.jpg", "JPEG", quality=100))
    assert out.shape == (8, 10, 3)
    assert out[..., 0].mean() > 200 and out[..., 1].mean() < 60


def test_16_bit_png_is_scaled_to_8_bit(tmp_path):
    arr = np.full((6, 5), 65535, np.uint16)
    arr[:, :2] = 0
    arr[:, 2] = 32768
    im = Image.fromarray(arr)
    assert im.mode.startswith("I;16")
    out = load_image(_save(im, tmp_path / "deep.png", "PNG"))
    assert out.shape == (6, 5, 3)
    assert out[0, 0, 0] == 0 and out[0, 4, 0] == 255 and 120 < out[0, 2, 0] < 135


def test_palette_grayscale_and_one_bit(tmp_path, rgb):
    pal = Image.fromarray(rgb).convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    out = load_image(_save(pal, tmp_path / "p.png", "PNG"))
    assert out.shape == (40, 60, 3) and np.abs(out.astype(int) - rgb).mean() < 10
    gray = Image.fromarray(np.full((5, 5), 90, np.uint8), "L")
    assert (load_image(_save(gray, tmp_path / "g.png", "PNG")) == 90).all()
    one = Image.new("1", (4, 4), 1)
    assert (load_image(_save(one, tmp_path / "b.png", "PNG")) == 255).all()


def test_alpha_is_composited_on_white(tmp_path):
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:, :2, 3] = 255  # left half opaque red, right half fully transparent
    out = load_image(_save(Image.fromarray(rgba, "RGBA"), tmp_path / "t.png", "PNG"))
    assert tuple(out[0, 0]) == (255, 0, 0) and tuple(out[0, 3]) == (255, 255, 255)
    la = Image.fromarray(np.dstack([np.zeros((3, 3), np.uint8), np.zeros((3, 3), np.uint8)]), "LA")
    assert (load_image(_save(la, tmp_path / "la.png", "PNG")) == 255).all()


def test_exif_orientation_is_applied(tmp_path):
    arr = np.zeros((20, 40, 3), np.uint8)
    arr[:, :20] = (255, 0, 0)  # wide image, red on the left
    im = Image.fromarray(arr)
    exif = im.getexif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    out = load_image(_save(im, tmp_path / "rot.jpg", "JPEG", exif=exif.tobytes(), quality=100))
    assert out.shape == (40, 20, 3)  # displayed upright: tall
    assert out[2, 10, 0] > 200  # red is now on top


def test_animated_gif_gives_first_frame(tmp_path):
    frames = [Image.new("RGB", (8, 8), c) for c in [(255, 0, 0), (0, 255, 0), (0, 0, 255)]]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=50, loop=0)
    out = load_image(path)
    assert out.shape == (8, 8, 3) and out[..., 0].mean() > 200 and out[..., 1].mean() < 30


def test_float_tiff_is_normalised(tmp_path):
    arr = np.linspace(-1, 3, 20, dtype=np.float32).reshape(4, 5)
    out = load_image(_save(Image.fromarray(arr, "F"), tmp_path / "f.tif", "TIFF"))
    assert out.shape == (4, 5, 3) and out.min() == 0 and out.max() == 255


def test_bytes_source_and_polyglot(tmp_path, rgb):
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    assert load_image(buf.getvalue(), name="upload.png").shape == (40, 60, 3)
    polyglot = b"%PDF-1.4\n" + buf.getvalue()  # a PDF header in front of a PNG
    with pytest.raises(MediaError, match="upload.bin"):
        load_image(polyglot, name="upload.bin")


def test_a_16_bit_bomb_decodes_within_a_bounded_peak(tmp_path):
    """A 124 KB 8000x8000 16-bit PNG took the server from 310 MB to 2.05 GB: decoding is now
    integer and a block of rows at a time (measured as the child process's peak RSS), and the
    byte budget refuses by bit depth before decoding."""
    import subprocess
    import sys

    import numpy as np
    from PIL import Image

    from vitron_agent.core.errors import MediaError
    from vitron_agent.media.images import load_image

    path = tmp_path / "bomb16.png"
    Image.fromarray(np.zeros((8000, 8000), np.uint16)).save(path)
    assert path.stat().st_size < 300_000
    code = (
        "import resource; from vitron_agent.media.images import load_image; base = resource.getrusage("
        f"resource.RUSAGE_SELF).ru_maxrss; a = load_image({str(path)!r}); assert a.shape == (8000, 8000, 3); "
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)"
    )
    grown_mb = int(
        subprocess.run(
            [sys.executable, "-c", code], check=True, timeout=120, capture_output=True, text=True
        ).stdout.strip()
    )
    assert grown_mb < 700, f"decoding grew the process by {grown_mb} MB (it was 1,700 MB before)"
    with pytest.raises(MediaError, match=r"16-bit grayscale image needs about \d+ MB, over the 256 MB budget"):
        load_image(path, max_bytes=256 * 2**20)


def test_float_and_wide_integer_images_keep_their_scaling():
    import io

    import numpy as np
    from PIL import Image

    from vitron_agent.media.images import load_image

    def png_or_tiff(arr):
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, format="TIFF")
        return buf.getvalue()

    f = np.array([[0.0, 0.5, 1.0]], np.float32)
    assert load_image(png_or_tiff(f))[0, :, 0].tolist() == [0, 128, 255]
    g = np.array([[-1.0, 0.0, np.nan, 3.0]], np.float32)  # its own range; NaN as the lowest
    assert load_image(png_or_tiff(g))[0, :, 0].tolist() == [0, 64, 0, 255]
    w = np.array([[0, 32768, 65535]], np.uint16)
    assert load_image(png_or_tiff(w))[0, :, 0].tolist() == [0, 128, 255]


def test_the_ui_makes_pillow_refuse_what_the_store_would(monkeypatch, tmp_path):
    """Gradio decodes the sketch pad's images itself: in the UI process Pillow refuses anything over
    max_pixels, while the project's own loader keeps accepting what max_pixels allows."""
    import io

    from PIL import Image

    from vitron_agent.media.images import load_image
    from vitron_agent.ui.blocks import guard_decoding

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)
    monkeypatch.setattr(Image, "open", Image.open)
    guard_decoding(2_000_000)
    big = io.BytesIO()
    Image.new("RGB", (2000, 1500)).save(big, format="PNG")  # 3 MP: over the limit
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(big.getvalue()))
    ok = io.BytesIO()
    Image.new("RGB", (1500, 1000), (9, 9, 9)).save(ok, format="PNG")  # 1.5 MP: over Pillow's half, under max_pixels
    assert load_image(ok.getvalue(), max_pixels=2_000_000).shape == (1000, 1500, 3)


def test_the_ui_refuses_a_float_picture_gradio_would_decode_into_gigabytes(monkeypatch, tmp_path):
    """Under max_pixels but over the byte budget: a float TIFF is refused by Gradio's own sketch-pad
    decoding (``ImageEditor.convert_and_format_image``, the real component) before any pixel is
    decoded; an 8-bit picture of the same size still goes through, and so does it in the loader."""
    import gradio as gr
    from gradio.data_classes import FileData
    from PIL import Image

    from vitron_agent.media.images import load_image
    from vitron_agent.ui.blocks import guard_decoding

    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", Image.MAX_IMAGE_PIXELS)
    monkeypatch.setattr(Image, "open", Image.open)
    guard_decoding(64_000_000, max_bytes=64 * 2**20)
    floats, rgb = tmp_path / "f.tif", tmp_path / "rgb.png"
    Image.new("F", (3000, 3000)).save(floats, compression="tiff_deflate")  # 9 MP x 12 B = 103 MB at the peak
    Image.new("RGB", (3000, 2000), (9, 9, 9)).save(rgb)  # 6 MP x 7 B = 40 MB
    assert floats.stat().st_size < 2_000_000  # small on disk: the bomb is in the decoding
    editor = gr.ImageEditor(type="numpy")
    with pytest.raises(Image.DecompressionBombError, match="over the 64 MB budget"):
        editor.convert_and_format_image(FileData(path=str(floats), orig_name="f.tif"))
    assert editor.convert_and_format_image(FileData(path=str(rgb), orig_name="rgb.png")).shape[:2] == (2000, 3000)
    with pytest.raises(MediaError, match="budget") as refused:
        load_image(floats, max_bytes=64 * 2**20)
    assert "needs about 103 MB, over the 64 MB budget" in str(refused.value)  # one wording, not a pixel limit
    assert "limit is" not in str(refused.value)
