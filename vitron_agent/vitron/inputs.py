"""What Vitron reads: its conversation template (llava_v1), the tokenisation of ``<image>`` / ``<objs>``
placeholders into their ids (-200 / -300), and the pixel preprocessing of images, video frames and
the user's box (LanguageBind's 224 frame, OpenAI CLIP mean / std)."""

from __future__ import annotations

from typing import Any

import torch  # imported only when a Vitron release loads

IMAGE_TOKEN_INDEX, OBJS_TOKEN_INDEX = -200, -300


IMAGE_TOKEN, OBJS_TOKEN, PATCH_TOKEN = "<image>", "<objs>", "<im_patch>"


# vitron/conversation.py conv_llava_v1 (the conv_mode app.py uses)
SYSTEM = (
    "A chat between a curious human and an artificial intelligence assistant. "
    "The assistant is so powerful and can not only understand text, image and video, but also able to generate "
    "text, images and videos."
    "The assistant gives helpful, detailed, and polite answers to the human's questions."
)


ROLES = ("USER", "ASSISTANT")


SEPS = (" ", "</s>")


OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)


OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)


REGION_SIZE = 224  # the region extractor's frame (mm_utils.preprocess_region(..., [224, 224]))


# -- prompt -------------------------------------------------------------------------------------
def llava_v1_prompt(messages: list[tuple[str, str | None]]) -> str:
    """Conversation.get_prompt() for SeparatorStyle.TWO: ``SYSTEM USER: ... ASSISTANT: ...</s>USER: ... ASSISTANT:``."""
    ret = SYSTEM + SEPS[0]
    for i, (role, message) in enumerate(messages):
        ret += f"{role}: {message}{SEPS[i % 2]}" if message else f"{role}:"
    return ret


def user_message(text: str, image: bool, frames: int = 0, region: bool = False) -> str:
    """The user turn as app.py's ``predict`` builds it: ``<image>`` per video frame, then
    `` <image>`` for the image, ``\\n<objs> `` when the user marked a box, then the text."""
    inp = ""
    if frames:
        inp += " ".join([IMAGE_TOKEN] * frames)
    if image:
        inp += " " + IMAGE_TOKEN
        if region:
            inp += "\n" + OBJS_TOKEN + " "
    return inp + "\n" + text if inp.endswith(">") else inp + text


def _image_token_ids(prompt: str, tokenizer: Any, is_first: bool) -> list[int]:
    """mm_utils.tokenizer_image_token: chunks around ``<image>`` tokenized separately, -200 between."""
    chunks = [tokenizer(chunk).input_ids for chunk in prompt.split(IMAGE_TOKEN)]
    ids: list[int] = []
    offset = 0
    if chunks and chunks[0] and chunks[0][0] == tokenizer.bos_token_id and is_first:
        offset = 1
        ids.append(chunks[0][0])
    sep = [IMAGE_TOKEN_INDEX] * (offset + 1)
    joined = [e for pair in zip(chunks, [sep] * len(chunks), strict=True) for e in pair][:-1]
    for x in joined:
        ids.extend(x[offset:])
    return ids


def tokenize_with_media(prompt: str, tokenizer: Any) -> list[int]:
    """mm_utils.tokenizer_image_region_token: split on ``<objs>`` (-300), then on ``<image>`` (-200).
    As in Vitron, chunks after an ``<objs>`` keep their BOS token (the model was trained so)."""
    ids: list[int] = []
    chunks = prompt.split(OBJS_TOKEN)
    for i, chunk in enumerate(chunks):
        ids.extend(_image_token_ids(chunk, tokenizer, is_first=(i == 0)))
        if i < len(chunks) - 1:
            ids.append(OBJS_TOKEN_INDEX)
    return ids


# -- pixels ---------------------------------------------------------------------------------------
def _normalise(x: torch.Tensor) -> torch.Tensor:
    mean = torch.tensor(OPENAI_MEAN).view(3, 1, 1)
    std = torch.tensor(OPENAI_STD).view(3, 1, 1)
    return (x - mean) / std


def _resize_crop(rgb: Any, size: int) -> torch.Tensor:
    """Shortest side to ``size`` (bicubic), centre crop ``size`` x ``size``, [0, 1] CHW."""
    import numpy as np
    from PIL import Image

    img = Image.fromarray(np.asarray(rgb, dtype=np.uint8))
    w, h = img.size
    scale = size / min(w, h)
    img = img.resize((max(size, round(w * scale)), max(size, round(h * scale))), Image.BICUBIC)
    w, h = img.size
    left, top = (w - size) // 2, (h - size) // 2
    img = img.crop((left, top, left + size, top + size))
    return torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)


def preprocess_image(rgb: Any, size: int = 224) -> torch.Tensor:
    """LanguageBindImageProcessor: (3, size, size), OpenAI CLIP mean/std."""
    return _normalise(_resize_crop(rgb, size))


def preprocess_video(frames: list[Any], num_frames: int, size: int = 224) -> torch.Tensor:
    """LanguageBindVideoProcessor: ``num_frames`` frames sampled uniformly -> (3, T, size, size)."""
    import numpy as np

    idx = np.linspace(0, len(frames) - 1, num_frames).round().astype(int)
    return torch.stack([_normalise(_resize_crop(frames[i], size)) for i in idx], dim=1)


def region_to_224(box: tuple[float, float, float, float], width: int, height: int) -> list[float]:
    """mm_utils.preprocess_region: an XYXY box in image pixels -> the 224 x 224 frame."""
    x1, y1, x2, y2 = box
    sx, sy = REGION_SIZE / width, REGION_SIZE / height
    return [x1 * sx, y1 * sy, x2 * sx, y2 * sy]
