# ruff: noqa: E402  -- stubs must be in place before importing Vitron's code
"""Parity of vitron_agent's Vitron release modules with Vitron's own code.

Imports, from a checkout of SkyworkAI/Vitron given on the command line, its projector builder,
region extractor, LanguageBind image / video vision transformers, conversation template and
mm_utils tokenisation, and compares them with vitron_agent.vitron.release on the tiny
release (``make-tiny-checkpoints``): same weights, same inputs. Needs ``einops`` (LanguageBind
imports it); transformers 5 lacks two names LanguageBind imports for its text side, which are
stubbed (the vision path does not use them); matplotlib is stubbed for mm_utils.

    python benchmarks/vitron_parity.py /path/to/Vitron tiny/vitron-release
"""

import importlib
import json
import sys
import types
from pathlib import Path

import torch

SRC = Path(sys.argv[1])
REL = Path(sys.argv[2])
import transformers.models.clip.modeling_clip as mc

for _n in ("_expand_mask", "clip_loss"):  # gone from transformers 5; unused on the vision path
    if not hasattr(mc, _n):
        setattr(mc, _n, lambda *a, **k: None)
for name in [
    "vitron",
    "vitron.model",
    "vitron.model.multimodal_encoder",
    "vitron.model.multimodal_encoder.languagebind",
    "vitron.model.region_extractor",
    "vitron.model.multimodal_projector",
]:
    m = types.ModuleType(name)
    m.__path__ = [str(SRC / name.replace(".", "/"))]
    sys.modules[name] = m
layer = importlib.import_module("vitron.model.region_extractor.layer")
proj_builder = importlib.import_module("vitron.model.multimodal_projector.builder")
from vitron_agent.vitron import release as ours
from vitron_agent.vitron.release import load_release

model, tok, info = load_release(REL / "Vitron-base", lora=str(REL / "Vitron-lora"))
model = model.float()
cfg = json.loads((REL / "Vitron-base" / "config.json").read_text())
torch.manual_seed(0)
# projector
theirs_p = proj_builder.build_vision_projector(
    types.SimpleNamespace(
        mm_projector_type=cfg["mm_projector_type"], mm_hidden_size=cfg["mm_hidden_size"], hidden_size=cfg["hidden_size"]
    )
)
theirs_p.load_state_dict(model.model.mm_projector.state_dict())
x = torch.randn(1, 16, cfg["mm_hidden_size"])
with torch.no_grad():
    print("projector max |diff|", float((theirs_p(x) - model.model.mm_projector(x)).abs().max()))
# region extractor
theirs_r = layer.RegionExtractor(cfg["mm_hidden_size"], cfg["hidden_size"])
theirs_r.load_state_dict(model.model.region_extractor.state_dict())
feats = torch.randn(2, 16, cfg["mm_hidden_size"])
regions = [[10.5, 20.0, 150.2, 200.9], [0, 0, 224, 224]]
with torch.no_grad():
    print(
        "region extractor max |diff|",
        float((theirs_r(feats, regions) - model.model.region_extractor(feats, regions)).abs().max()),
    )
# towers: LanguageBind's own modelling code
for kind, mod in (("image", "image.modeling_image"), ("video", "video.modeling_video")):
    m = importlib.import_module(f"vitron.model.multimodal_encoder.languagebind.{mod}")
    cmod = importlib.import_module(f"vitron.model.multimodal_encoder.languagebind.{kind}.configuration_{kind}")
    folder = REL / "LanguageBind" / ("LanguageBind_Image" if kind == "image" else "LanguageBind_Video_merge")
    raw = json.loads((folder / "config.json").read_text())
    vcfg = cmod.CLIPVisionConfig(**raw["vision_config"])
    vcfg._attn_implementation = "eager"
    vm = m.CLIPVisionTransformer(vcfg).eval()
    sd = torch.load(folder / "pytorch_model.bin", weights_only=True)
    missing = vm.load_state_dict(
        {k[len("vision_model.") :]: v.float() for k, v in sd.items() if k.startswith("vision_model.")}, strict=False
    )
    pix = torch.randn(1, 3, 224, 224) if kind == "image" else torch.randn(1, 3, info["num_frames"], 224, 224)
    with torch.no_grad():
        th = vm(pixel_values=pix, output_hidden_states=True).hidden_states[-2]
        th = th[:, 1:] if kind == "image" else th[:, :, 1:]
        mine = getattr(model.model, f"{kind}_tower")(pix)
    print(
        f"{kind} tower (LanguageBind code) missing={missing.missing_keys} max |diff|",
        float((th - mine).abs().max()),
        tuple(mine.shape),
    )
# prompt and tokenisation: conversation.py and mm_utils.py
for stub in ("matplotlib", "matplotlib.pyplot", "matplotlib.patches"):
    sys.modules.setdefault(stub, types.ModuleType(stub))
m = types.ModuleType("vitron")
m.__path__ = [str(SRC / "vitron")]
sys.modules["vitron"] = m
conv_mod = importlib.import_module("vitron.conversation")
mm = importlib.import_module("vitron.mm_utils")
ok = 0
cases = [
    ("segment the cat", True, 0, False),
    ("replace the marked object with a teapot", True, 0, True),
    ("track the ball", False, info["num_frames"], False),
    ("draw a red ball", False, 0, False),
]
for text, image, frames, region in cases:
    # app.py predict(): inp built from the inputs, then conv.append_message
    inp = ""
    if frames:
        inp = inp + " ".join(["<image>"] * frames)
    if image:
        inp = inp + " " + "<image>"
        if region:
            inp = inp + "\n" + "<objs>" + " "
    inp = inp + "\n" + text if inp.endswith(">") else inp + text
    conv = conv_mod.conv_templates["llava_v1"].copy()
    conv.append_message(conv.roles[0], inp)
    conv.append_message(conv.roles[1], None)
    theirs_prompt = conv.get_prompt()
    mine_prompt = ours.llava_v1_prompt([("USER", ours.user_message(text, image, frames, region)), ("ASSISTANT", None)])
    theirs_ids = mm.tokenizer_image_region_token(theirs_prompt, tok)
    mine_ids = ours.tokenize_with_media(mine_prompt, tok)
    ok += (theirs_prompt == mine_prompt) and (theirs_ids == mine_ids)
print(f"prompt + token ids identical to conversation.py + mm_utils.py: {ok} of {len(cases)}")
print(
    "preprocess_region",
    mm.preprocess_region([40, 30, 200, 180], [451, 300], [224, 224])
    == ours.region_to_224((40, 30, 200, 180), 451, 300),
)
