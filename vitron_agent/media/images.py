"""Safe decoding of images into HxWx3 uint8 RGB.

Every odd or hostile file either becomes a normal RGB array or raises
:class:`~vitron_agent.core.errors.MediaError` naming the file and the problem:

* missing, directory, 0-byte, not an image, truncated or corrupt files are rejected;
* a decompression bomb (more than ``max_pixels`` pixels, read from the header
  before any pixel is decoded) is rejected;
* CMYK, 16-bit and 32-bit integer, float, palette, 1-bit, grayscale (with or
  without alpha) and RGBA images are converted (alpha is composited on white);
* EXIF orientation is applied, so the array is upright as a viewer shows it;
* animated images (GIF, APNG, WebP) yield their first frame.
"""

from __future__ import annotations

import io
import os
import stat
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from vitron_agent.core.errors import MediaError

__all__ = [
    "DEFAULT_MAX_PIXELS",
    "DEFAULT_MAX_DECODE_BYTES",
    "load_image",
    "to_rgb_array",
    "save_png",
    "check_allowed",
    "file_size",
]

DEFAULT_MAX_PIXELS = 64_000_000
MAX_FILE_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_DECODE_BYTES = 1024 * 1024 * 1024
# Bytes a decoded pixel costs at the peak of load_image, by Pillow mode: the decoded buffer, the
# conversion's temporaries and the HxWx3 result (measured: a 64 MP 16-bit PNG peaked at 1.8 GB
# before the conversions below went integer and in place).
_PEAK_BYTES_PER_PIXEL = {
    "1": 5,
    "L": 5,
    "P": 13,
    "PA": 13,
    "LA": 13,
    "La": 13,
    "RGB": 7,
    "RGBA": 15,
    "RGBa": 15,
    "CMYK": 10,
    "YCbCr": 9,
    "LAB": 9,
    "HSV": 9,
    "I;16": 8,
    "I;16B": 8,
    "I;16L": 8,
    "I;16N": 8,
    "I": 12,
    "F": 12,
}
_MODE_NAMES = {
    "I;16": "16-bit grayscale",
    "I;16B": "16-bit grayscale",
    "I;16L": "16-bit grayscale",
    "I;16N": "16-bit grayscale",
    "I": "32-bit integer",
    "F": "32-bit float",
    "RGBA": "RGBA",
    "CMYK": "CMYK",
    "RGB": "RGB",
    "L": "grayscale",
    "P": "palette",
}


def over_decode_budget(width: int, height: int, mode: str, max_bytes: int) -> str | None:
    """Why decoding a ``width`` x ``height`` image of Pillow ``mode`` would exceed ``max_bytes`` at its
    peak (bit depth, channels, conversions), or None when it fits. From the header alone."""
    need = width * height * _PEAK_BYTES_PER_PIXEL.get(mode, 16)
    if need <= max_bytes:
        return None
    kind = _MODE_NAMES.get(mode, mode)
    return (
        f"decoding this {width}x{height} {kind} image needs about {need / 2**20:,.0f} MB, over "
        f"the {max_bytes / 2**20:,.0f} MB budget; downscale it (or save it as 8-bit RGB)"
    )


def load_image(
    source: str | os.PathLike[str] | bytes,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    name: str | None = None,
    allowed_roots: list[str | os.PathLike[str]] | None = None,
    max_bytes: int = DEFAULT_MAX_DECODE_BYTES,
) -> np.ndarray:
    """Decode an image file (path or bytes) to an HxWx3 uint8 RGB array.

    Args:
        source: a path, or the encoded bytes of the file.
        max_pixels: reject images with more pixels than this (checked from the header).
        max_bytes: reject images whose decoding would need more memory than this at its peak
            (pixels x bytes per pixel of the mode -- bit depth, channels, conversions -- from
            the header, before any pixel is decoded).
        name: how to name the source in error messages (defaults to the path).
        allowed_roots: when given, a path must resolve (symlinks followed) inside one of these
            folders; anything else -- ``..`` tricks, symlinks pointing out -- is rejected.

    Raises:
        MediaError: the file is missing, empty, not an image, corrupt, truncated, too large or
            outside the allowed roots.
    """
    from PIL import Image, UnidentifiedImageError

    label = name or (f"<{len(source)} bytes>" if isinstance(source, bytes) else str(source))
    if allowed_roots is not None and not isinstance(source, (bytes, bytearray, memoryview)):
        check_allowed(source, allowed_roots, label)
    data = _read_bytes(source, label)
    if not data:
        raise MediaError(label, "the file is empty (0 bytes); give a PNG, JPEG, WebP, GIF, BMP or TIFF image")
    try:
        with warnings.catch_warnings():
            # sizes are checked below against max_pixels and the byte budget; Pillow's own limit may be
            # lowered by the UI (ui.blocks.guard_decoding) and must not make an allowed picture fail
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            w, h = im.size
            if w <= 0 or h <= 0:
                raise MediaError(label, f"the image header declares an empty size {w}x{h}")
            if w * h > max_pixels:
                raise MediaError(
                    label,
                    f"{w}x{h} = {w * h:,} pixels exceeds the limit of {max_pixels:,} "
                    "(possible decompression bomb); downscale it or raise max_pixels",
                )
            problem = over_decode_budget(w, h, im.mode, max_bytes)
            if problem:
                raise MediaError(label, problem)
            im.load()
            return to_rgb_array(im, label)
    except MediaError:
        raise
    except UnidentifiedImageError:
        if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"heim", b"heis", b"mif1", b"mif2"):
            raise MediaError(
                label, "is a HEIC/HEIF picture, which this install cannot decode; convert it to JPEG, PNG or AVIF"
            ) from None
        raise MediaError(label, "not a recognised image format (PNG, JPEG, WebP, AVIF, GIF, BMP, TIFF)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        if getattr(exc, "over_budget", False):  # the UI process's Pillow guard (ui.blocks.guard_decoding)
            raise MediaError(label, str(exc)) from None
        raise MediaError(
            label, f"rejected as a possible decompression bomb ({exc}); the limit is {max_pixels:,} pixels"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise MediaError(label, f"the image data is truncated or corrupt ({exc})") from None


def check_allowed(path: str | os.PathLike[str], roots: list[str | os.PathLike[str]], label: str) -> Path:
    """``path`` resolved, if it lies inside one of ``roots`` (after following symlinks)."""
    try:
        real = Path(path).resolve(strict=False)
    except (OSError, RuntimeError) as exc:  # symlink loops, unreadable parents
        raise MediaError(label, f"cannot be resolved ({exc})") from None
    for root in roots:
        base = Path(root).resolve()
        if real == base or base in real.parents:
            return real
    raise MediaError(
        label,
        "is outside the folders this agent may read (allowed_roots); "
        "copy the file into one of them or upload its bytes",
    )


def file_size(path: Path, label: str, what: str = "image") -> int:
    """The size of the regular file at ``path``, or MediaError for a directory, a FIFO, a device,
    a socket, a missing, unreadable or unusable path (``what`` names the expected kind of file in
    the message). A FIFO or a device reports 0 bytes and reads forever (``/dev/zero``) or blocks
    (a named pipe): it is refused here, before anything opens it."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise MediaError(label, "no such file") from None
    except OSError as exc:
        raise MediaError(label, f"cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:  # embedded NUL bytes and the like
        raise MediaError(label, f"is not a usable path ({exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise MediaError(label, f"is a directory, not {'an' if what[0] in 'aeiou' else 'a'} {what} file")
    if not stat.S_ISREG(st.st_mode):
        raise MediaError(label, not_regular(st.st_mode, what))
    return st.st_size


def _read_bytes(source: str | os.PathLike[str] | bytes, label: str) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    path = Path(source)
    size = file_size(path, label)
    if size > MAX_FILE_BYTES:
        raise MediaError(label, f"the file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit")
    return read_regular(path, label, MAX_FILE_BYTES)


def not_regular(mode: int, what: str = "image") -> str:
    """Why a path whose ``st_mode`` is ``mode`` is not read as a ``what`` file."""
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return f"is {kind}, not {'an' if what[0] in 'aeiou' else 'a'} {what} file; give the path of a saved file"


def read_regular(path: Path, label: str, max_bytes: int, what: str = "image") -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them. The file is opened
    without blocking and checked on its descriptor (a FIFO or a device swapped in after
    :func:`file_size` looked is refused, never read), and read bounded (a file that grows, or a
    ``/proc`` file that reports 0 bytes, cannot make this read more)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise MediaError(label, f"cannot be read ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise MediaError(label, not_regular(mode, what))
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise MediaError(label, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise MediaError(label, f"the file is over the {max_bytes:,}-byte limit")
    return data


def to_rgb_array(im: Any, label: str = "<image>") -> np.ndarray:
    """The one image normaliser: an opened PIL image (EXIF-upright, palette, 16-bit, alpha on white)
    or an array (HxW, HxWx3, HxWx4 with alpha on white; float 0..1 or 0..255, other integer types
    clipped) -> an HxWx3 uint8 RGB array. An empty array or picture, a non-numeric or complex
    dtype and NaN or infinite values are refused (InputError / MediaError), never guessed."""
    from PIL import Image, ImageOps

    if isinstance(im, np.ndarray):
        return _array_to_rgb(im)

    if getattr(im, "is_animated", False):
        im.seek(0)
    try:
        im = ImageOps.exif_transpose(im)
    except Exception:  # a broken EXIF block must not make a readable image unreadable
        pass
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        return _gray_to_rgb(np.asarray(im), mode)
    if mode == "P" or mode == "PA":
        im = im.convert("RGBA")
    elif mode in ("LA", "La"):
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "RGBa"):
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(white, im.convert("RGBA"))
    if im.mode != "RGB":
        try:
            im = im.convert("RGB")
        except (ValueError, OSError) as exc:
            raise MediaError(label, f"unsupported pixel mode {mode!r} ({exc})") from None
    arr = np.asarray(im, dtype=np.uint8)
    if arr.ndim != 3 or arr.shape[2] != 3:
        raise MediaError(label, f"decoded to an unexpected shape {arr.shape}")
    if not arr.size:
        raise MediaError(label, f"the image is empty ({im.size[0]}x{im.size[1]} pixels)")
    return np.ascontiguousarray(arr)


def _array_to_rgb(arr: np.ndarray) -> np.ndarray:
    from vitron_agent.core.errors import InputError

    if arr.ndim == 2:
        arr = np.stack([arr] * 3, axis=-1)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise InputError(f"image array must be HxW, HxWx3 or HxWx4, got shape {arr.shape}")
    if not arr.shape[0] or not arr.shape[1]:
        raise InputError(f"image array is empty (shape {arr.shape}); a picture needs at least 1x1 pixels")
    if arr.dtype != np.uint8 and not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise InputError(f"image array has dtype {arr.dtype}; give numbers (uint8 0..255, or float 0..1)")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise InputError(f"image array has complex dtype {arr.dtype}; take its real part or magnitude first")
    if np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
        bad = int((~np.isfinite(arr)).sum())
        raise InputError(
            f"image array has {bad:,} values that are NaN or infinite (of {arr.size:,}); "
            "replace them first (e.g. np.nan_to_num) so the picture is what you mean"
        )
    if arr.dtype == bool:  # a mask given as a picture: white where True, not 0/1 (black)
        arr = arr.astype(np.uint8) * 255
    if arr.dtype != np.uint8:
        if np.issubdtype(arr.dtype, np.floating) and arr.size and float(np.nanmax(arr)) <= 1.0:
            arr = np.nan_to_num(arr) * 255.0
        arr = np.clip(np.nan_to_num(arr), 0, 255).astype(np.uint8)
    if arr.shape[2] == 4:  # as an uploaded transparent picture: on white
        arr = on_white(arr)
    return np.ascontiguousarray(arr)


def on_white(rgba: np.ndarray) -> np.ndarray:
    """HxWx4 uint8 RGBA composited on white -> HxWx3 uint8 RGB."""
    a = rgba[..., 3:4].astype(np.uint16)
    return ((rgba[..., :3].astype(np.uint16) * a + 255 * (255 - a) + 127) // 255).astype(np.uint8)


def _gray_to_rgb(arr: np.ndarray, mode: str) -> np.ndarray:
    """16-bit, 32-bit integer or float grayscale -> HxWx3 uint8, a block of rows at a time (the
    temporaries stay a few MB whatever the size): 16-bit scaled from 0..65535, 32-bit from
    0..255 (or 0..65535 when larger values occur), float from 0..1 (or its own range)."""
    h, w = arr.shape[:2]
    out = np.empty((h, w, 3), np.uint8)
    rows = max(1, (4 << 20) // max(1, w * 8))
    if mode == "F":
        finite = arr[np.isfinite(arr)] if not np.isfinite(arr).all() else arr
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        lo, hi = (0.0, 1.0) if lo >= 0 and hi <= 1 else (lo, hi)
        span = hi - lo if hi > lo else 1.0
    else:
        top = 65535.0 if mode.startswith("I;16") or int(arr.max(initial=0)) > 255 else 255.0
    for y in range(0, h, rows):
        block = arr[y : y + rows].astype(np.float32)
        if mode == "F":
            block = np.nan_to_num(block, nan=lo, posinf=hi, neginf=lo)
            block = (block - lo) / span if (lo, hi) != (0.0, 1.0) else block
            if hi <= lo:
                block[:] = 0
            block *= 255.0
        else:
            block *= 255.0 / top
        out[y : y + rows] = np.clip(block + 0.5, 0, 255).astype(np.uint8)[..., None]
    return out


def save_png(image: np.ndarray, path: str | os.PathLike[str]) -> Path:
    """Write an HxWx3 uint8 RGB image or an HxW mask (bool or uint8) as PNG."""
    from PIL import Image

    arr = np.asarray(image)
    if arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    out = Path(path)
    Image.fromarray(arr).save(out, format="PNG")
    return out
