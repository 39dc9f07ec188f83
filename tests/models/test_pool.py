import pytest
import torch

from vitron_agent.core.errors import ConfigError, ToolFailed
from vitron_agent.loading.models import ModelKey, ModelPool, model_bytes, resolve_device, resolve_dtype


def linear(n):  # n*n float32 weights + n bias
    return torch.nn.Linear(n, n)


def test_lazy_load_and_reuse():
    pool = ModelPool()
    calls = []
    key = ModelKey("f", "ckpt-a")

    def loader():
        calls.append(1)
        return linear(4)

    assert pool.resident() == [] and calls == []
    m1 = pool.get(key, loader)
    m2 = pool.get(key, loader)
    assert m1 is m2 and calls == [1]
    assert pool.get(ModelKey("f", "ckpt-a", dtype="float16"), loader) is not m1  # another dtype, another instance


def test_lru_offload_order_under_a_budget():
    size = model_bytes(linear(32))
    pool = ModelPool(budget_bytes=2 * size + 10)
    a, b, c = (ModelKey("f", n) for n in "abc")
    pool.get(a, lambda: linear(32))
    pool.get(b, lambda: linear(32))
    pool.get(a, lambda: linear(32))  # a is now the most recently used
    pool.get(c, lambda: linear(32))  # over budget: b, the least recently used, goes
    assert pool.offloads == [b] and pool.resident() == [a, c]
    reloads = []
    pool.get(b, lambda: reloads.append(1) or linear(32))
    assert reloads == [1] and pool.offloads == [b, a]


def test_oom_offloads_others_and_retries_once():
    pool = ModelPool()
    other, key = ModelKey("f", "other"), ModelKey("f", "main")
    pool.get(other, lambda: linear(2))
    attempts = []

    def flaky(model):
        attempts.append(1)
        if len(attempts) == 1:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return "ok"

    assert pool.run(key, lambda: linear(2), flaky) == "ok"
    assert len(attempts) == 2 and other in pool.offloads

    def always(model):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 3.50 GiB")

    with pytest.raises(ToolFailed, match=r"out of memory .* \(it tried to allocate 3.50 GiB\)"):
        pool.run(key, lambda: linear(2), always)


def test_other_errors_propagate():
    with pytest.raises(ValueError, match="boom"):
        ModelPool().run(ModelKey("f", "x"), lambda: linear(2), lambda m: (_ for _ in ()).throw(ValueError("boom")))


def test_device_and_dtype_settings():
    assert resolve_device("auto") in ("cpu", "cuda", "mps")
    assert resolve_device("cpu") == "cpu"
    assert resolve_dtype("auto", "cpu") == torch.float32 and resolve_dtype("bf16", "cpu") == torch.bfloat16
    with pytest.raises(ConfigError, match="not one of"):
        resolve_device("tpu")
    with pytest.raises(ConfigError, match="float32, float16, bfloat16"):
        resolve_dtype("int3", "cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ConfigError, match="CUDA is not available"):
            resolve_device("cuda:0")


def test_a_sam_predictor_is_measured_and_offloaded_through_its_model(tiny_dir):
    """SamPredictor has no .to/.parameters: the pool counted it as 0 bytes and never moved it."""
    from vitron_agent.loading.models import _move
    from vitron_agent.testing.tiny_checkpoints import TINY_SAM_ARCH
    from vitron_agent.tools.segment_sam import SamSegmentTool

    tool = SamSegmentTool(
        checkpoint=str(tiny_dir / "sam_tiny.pth"),
        model_type="custom",
        arch=TINY_SAM_ARCH,
        device="cpu",
        pool=ModelPool(),
    )
    predictor = tool._load()
    assert model_bytes(predictor) == model_bytes(predictor.model) > 0
    predictor.set_image(torch.zeros(64, 64, 3, dtype=torch.uint8).numpy())
    assert _move(predictor, "cpu") is predictor and not predictor.is_image_set  # stale features dropped


def test_oom_while_loading_is_retried_then_a_clear_failure():
    pool = ModelPool()
    other, key = ModelKey("f", "other"), ModelKey("f", "big")
    pool.get(other, lambda: linear(2))
    loads = []

    def loader():
        loads.append(1)
        if len(loads) == 1:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 1.00 GiB")
        return linear(2)

    assert pool.run(key, loader, lambda m: "ok") == "ok" and len(loads) == 2 and other in pool.offloads

    def never():
        raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 9.00 GiB")

    with pytest.raises(ToolFailed, match=r"\(it tried to allocate 9.00 GiB\)"):
        pool.run(ModelKey("f", "huge"), never, lambda m: "ok")


def test_a_load_never_overlaps_another_threads_load():
    """accelerate's init_empty_weights (inside transformers / diffusers from_pretrained) patches
    torch for the whole process: a model built in another thread meanwhile came out on the meta
    device (seen as "Cannot copy out of meta tensor" when a plan loaded SAM beside a pipeline)."""
    import threading
    import time

    import torch
    from accelerate import init_empty_weights

    pool = ModelPool()
    inside = threading.Event()

    def patched_loader():
        with init_empty_weights():
            inside.set()
            time.sleep(0.3)  # the other thread tries to load now
            return torch.nn.Linear(2, 2)

    other = threading.Thread(target=lambda: pool.get(ModelKey("pipe", "a"), patched_loader))
    other.start()
    assert inside.wait(5)
    model = pool.get(ModelKey("sam", "b"), lambda: torch.nn.Linear(2, 2))
    other.join()
    assert model.weight.device.type == "cpu" and model.weight.abs().sum() > 0
