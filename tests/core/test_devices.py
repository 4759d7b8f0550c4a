"""Devices through the engine: every op on every device gives the CPU's answer.

Each test runs on the CPU, on the simulated GPU (the CUDA backend over a strict NumPy
stand-in for CuPy) and on a real GPU where there is one (``-m gpu``). Results on a GPU
are compared with the same work on the CPU: device, dtype, sizes, strides and storage
offset identical; values exact where the math is, else close (a real GPU may round
differently in the last bits; the simulated one computes with NumPy, so is held exact).

This file needs only numpy, torch and pytest, so it also runs on a GPU machine without
hypothesis or Qt: ``PYTHONPATH=. python3 -m pytest -m gpu tests/core/test_devices.py``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch

import core
from core.backends import cuda_runtime
from core.storage import Storage

CUDA0 = core.device("cuda", 0)


def on_real_gpu() -> bool:
    """Whether the CUDA backend computes with the real CuPy (not the stand-in)."""
    module = cuda_runtime.status().module
    return module is not None and getattr(module, "__name__", "") == "cupy"


def torch_cuda() -> bool:
    """Whether torch here can run on the GPU too, to compare error messages with it."""
    return on_real_gpu() and torch.cuda.is_available()


def values(shape: tuple[int, ...], kind: str = "float32", seed: int = 0) -> np.ndarray:
    """Deterministic host values: floats in [-3, 3), small ints, or bools."""
    rng = np.random.default_rng(seed)
    if kind == "bool":
        return rng.random(shape) < 0.5
    if kind.startswith(("int", "uint")):
        return rng.integers(-5 if kind.startswith("int") else 0, 6, shape).astype(kind)
    return (rng.random(shape) * 6 - 3).astype(kind)


def make(where: str, shape: tuple[int, ...], kind: str = "float32", seed: int = 0) -> core.Tensor:
    return core.tensor(values(shape, kind, seed), device=where)


def assert_same(got: Any, expected: Any, where: str, exact: bool = True) -> None:
    """``got`` (computed on ``where``) is the CPU's ``expected``, living on ``where``."""
    if isinstance(expected, core.Tensor):
        assert isinstance(got, core.Tensor), f"expected a tensor, got {got!r}"
        assert got.device == core.device(where if where == "cpu" else "cuda:0")
        assert got.dtype is expected.dtype
        assert got.shape == expected.shape
        assert got.stride() == expected.stride()
        assert got.storage_offset() == expected.storage_offset()
        assert got.is_cuda == (where != "cpu")
        assert got.requires_grad == expected.requires_grad
        mine, theirs = got._host_values(), expected._host_values()
        if exact or not on_real_gpu() or not expected.dtype.is_floating_point:
            np.testing.assert_array_equal(mine, theirs)
        else:
            tolerance = 1e-2 if expected.dtype is core.float16 else 1e-5
            np.testing.assert_allclose(mine, theirs, rtol=tolerance, atol=tolerance)
    elif isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected)
        for mine, theirs in zip(got, expected, strict=True):
            assert_same(mine, theirs, where, exact)
    else:
        assert got == expected or (got != got and expected != expected)


def run_on(where: str, work: Callable[[str], Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # both runs warn alike (deprecations of PyTorch's)
        return work(where)


# -- factories ---------------------------------------------------------------------------

SPELLINGS = ["cuda", "cuda:0", core.device("cuda"), core.device("cuda", 0), "cuda_index"]


@pytest.mark.parametrize("spelling", SPELLINGS, ids=str)
def test_every_spelling_of_cuda_makes_a_tensor_on_cuda_0(gpu, spelling):
    spec = 0 if spelling == "cuda_index" else spelling
    x = core.zeros(2, 3, device=spec)
    assert x.device is CUDA0
    assert str(x.device) == "cuda:0"
    assert repr(x.device) == "device(type='cuda', index=0)"
    assert x.is_cuda
    assert repr(x) == "tensor([[0., 0., 0.],\n        [0., 0., 0.]], device='cuda:0')"


def test_a_cpu_tensor_has_a_device_without_index():
    for spec in (None, "cpu", "cpu:0", core.device("cpu:0")):
        x = core.ones(2, device=spec)
        assert repr(x.device) == "device(type='cpu')" == repr(torch.ones(2, device="cpu:0").device)
        assert not x.is_cuda


FACTORIES: dict[str, Callable[[Any], core.Tensor]] = {
    "tensor": lambda d: core.tensor([[1, 2], [3, 4]], dtype=core.float64, device=d),
    "tensor-bools": lambda d: core.tensor([True, False], device=d),
    "zeros": lambda d: core.zeros(2, 3, dtype=core.int32, device=d),
    "ones": lambda d: core.ones((2, 3), device=d),
    "empty": lambda d: core.empty(4, device=d).fill_(7),
    "full": lambda d: core.full((2, 2), 2.5, device=d),
    "full-int": lambda d: core.full((3,), 7, device=d),
    "arange": lambda d: core.arange(1, 10, 2, device=d),
    "arange-float": lambda d: core.arange(0.0, 1.0, 0.125, device=d),
    "linspace": lambda d: core.linspace(-1, 1, 9, device=d),
    "eye": lambda d: core.eye(3, 4, device=d),
    "empty_strided": lambda d: core.empty_strided((2, 3), (1, 2), device=d).fill_(1),
    "rand": lambda d: core.rand(3, 4, generator=core.Generator().manual_seed(5), device=d),
    "randn": lambda d: core.randn(5, generator=core.Generator().manual_seed(5), device=d),
    "randint": lambda d: core.randint(
        0, 9, (6,), generator=core.Generator().manual_seed(5), device=d
    ),
    "zeros_like": lambda d: core.zeros_like(core.ones(2, 3).t(), device=d),
    "ones_like": lambda d: core.ones_like(core.ones(2, 3).t(), device=d, dtype=core.int64),
    "empty_like": lambda d: core.empty_like(core.ones(2, 3), device=d).zero_(),
    "full_like": lambda d: core.full_like(core.ones(2, 3).t(), 3, device=d),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_factories_give_the_cpus_tensor_on_every_device(device, name):
    expected = run_on("cpu", FACTORIES[name])
    assert_same(run_on(device, FACTORIES[name]), expected, device)


LIKE_AND_NEW: dict[str, Callable[[core.Tensor], core.Tensor]] = {
    "zeros_like": core.zeros_like,
    "ones_like": core.ones_like,
    "empty_like": lambda x: core.empty_like(x).fill_(2),
    "full_like": lambda x: core.full_like(x, 4),
    "new_zeros": lambda x: x.new_zeros(2, 2),
    "new_ones": lambda x: x.new_ones((3,)),
    "new_full": lambda x: x.new_full((2,), 5.0),
    "new_empty": lambda x: x.new_empty(2).fill_(1),
    "new_empty_strided": lambda x: x.new_empty_strided((2, 2), (1, 2)).fill_(1),
    "new_tensor": lambda x: x.new_tensor([1.0, 2.0]),
}


@pytest.mark.parametrize("name", list(LIKE_AND_NEW))
def test_like_and_new_factories_stay_on_the_tensors_device(device, name):
    def work(where: str) -> core.Tensor:
        return LIKE_AND_NEW[name](make(where, (3, 2)).t())

    assert_same(run_on(device, work), run_on("cpu", work), device)


def test_new_factories_take_a_device_too(gpu):
    x = core.ones(2)
    assert x.new_zeros(2, device="cuda").device is CUDA0
    assert core.zeros(2, device="cuda").new_ones(2, device="cpu").device == core.device("cpu")


def test_random_factories_draw_on_the_host_then_copy(gpu):
    core.manual_seed(3)
    on_gpu = core.randn(4, 5, device="cuda")
    core.manual_seed(3)
    on_cpu = core.randn(4, 5)
    np.testing.assert_array_equal(on_gpu._host_values(), on_cpu._host_values())


def test_a_device_index_past_the_devices_raises_pytorchs_error(gpu):
    count = core.cuda.device_count()
    with pytest.raises(RuntimeError, match=r"^CUDA error: invalid device ordinal"):
        core.zeros(2, device=f"cuda:{count}")
    with pytest.raises(RuntimeError, match=r"^CUDA error: invalid device ordinal"):
        core.ones(2).to(f"cuda:{count}")
    if torch_cuda():
        ours = _message(lambda: core.zeros(2, device=f"cuda:{count}"))
        theirs = _message(lambda: torch.zeros(2, device=f"cuda:{count}"))
        assert ours.startswith(theirs.splitlines()[0])


# -- moving between devices -------------------------------------------------------------

LAYOUTS: dict[str, Callable[[Any], Any]] = {
    "contiguous": lambda x: x,
    "transposed": lambda x: x.transpose(0, 1),
    "permuted": lambda x: x.permute(2, 0, 1),
    "sliced": lambda x: x[:, ::2],
    "expanded": lambda x: x[:, :1].expand(4, 3, 5),
    "offset": lambda x: x[1:, 1:],
}


@pytest.mark.parametrize("layout_name", list(LAYOUTS))
@pytest.mark.parametrize("dtype", ["float32", "int64", "float16", "bool"])
def test_to_cuda_and_back_keeps_values_and_pytorchs_layout(gpu, layout_name, dtype):
    host = values((4, 3, 5), dtype)
    x = LAYOUTS[layout_name](core.tensor(host))
    t = LAYOUTS[layout_name](torch.tensor(host))
    moved = x.to("cuda")
    # PyTorch's rule for a copy that keeps the layout: torch on the CPU, converting dtype.
    reference = t.to(torch.float64 if dtype != "float64" else torch.float32)
    assert moved.device is CUDA0 and moved.dtype is x.dtype
    assert moved.shape == x.shape and moved.stride() == reference.stride()
    assert moved.storage_offset() == 0
    np.testing.assert_array_equal(moved._host_values(), x._host_values())
    back = moved.cpu()
    assert back.device == core.device("cpu") and back.stride() == moved.stride()
    np.testing.assert_array_equal(back.numpy(), x.numpy())


def test_to_takes_every_form_and_returns_self_when_nothing_changes(gpu):
    x = make("cpu", (2, 3))
    on_gpu = x.to("cuda")
    assert on_gpu.to("cuda") is on_gpu and on_gpu.to("cuda:0") is on_gpu
    assert on_gpu.to(CUDA0) is on_gpu and on_gpu.cuda() is on_gpu
    assert x.cpu() is x and x.to("cpu") is x
    assert on_gpu.to("cuda", copy=True) is not on_gpu
    both = x.to("cuda", core.float64)
    assert both.device is CUDA0 and both.dtype is core.float64
    keyword = x.to(device="cuda", dtype=core.int32)
    assert keyword.device is CUDA0 and keyword.dtype is core.int32
    like = x.to(core.zeros(1, dtype=core.float16, device="cuda"))
    assert like.device is CUDA0 and like.dtype is core.float16
    assert x.cuda(0).device is CUDA0 and x.cuda("cuda:0").device is CUDA0
    assert x.cuda(core.device("cuda")).device is CUDA0
    np.testing.assert_array_equal(both.cpu().numpy(), x.numpy().astype(np.float64))


def test_cuda_of_a_cpu_device_raises_as_pytorch(gpu):
    with pytest.raises(RuntimeError, match="^Invalid device, must be cuda device$"):
        core.ones(2).cuda("cpu")


def test_a_device_change_is_differentiable_and_the_gradient_comes_home(gpu):
    x = core.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = x.to("cuda")
    assert y.grad_fn.name() == "ToCopyBackward0" and y.is_cuda
    (y * y).sum().backward()
    assert x.grad.device == core.device("cpu")
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, -4.0, 6.0])

    w = core.tensor([1.0, 2.0], device="cuda", requires_grad=True)
    back = w.cpu().double()
    (back * 3).sum().backward()
    assert w.grad.device is CUDA0 and w.grad.dtype is core.float32
    np.testing.assert_array_equal(w.grad._host_values(), [3.0, 3.0])


def test_numpy_with_force_copies_a_cuda_tensor_to_the_host(gpu):
    x = core.arange(6.0, device=gpu, requires_grad=True).view(2, 3).t()
    host = x.numpy(force=True)
    expected = torch.arange(6.0, requires_grad=True).view(2, 3).t().numpy(force=True)
    assert isinstance(host, np.ndarray) and type(host) is np.ndarray
    np.testing.assert_array_equal(host, expected)


def test_numpy_of_a_cuda_tensor_raises_pytorchs_type_error(gpu):
    x = core.zeros(2, device="cuda")
    message = (
        "can't convert cuda:0 device type tensor to numpy. "
        "Use Tensor.cpu() to copy the tensor to host memory first."
    )
    with pytest.raises(TypeError) as caught:
        x.numpy()
    assert str(caught.value) == message
    with pytest.raises(TypeError, match="Use Tensor.cpu()"):
        np.asarray(x)
    if torch_cuda():
        with pytest.raises(TypeError) as theirs:
            torch.zeros(2, device="cuda").numpy()
        assert str(theirs.value) == message
    assert x.tolist() == [0.0, 0.0] and x.sum().item() == 0.0


# -- views: new layouts over the same device memory ------------------------------------

VIEWS: dict[str, Callable[[Any], Any]] = {
    "view": lambda x: x.view(4, 15),
    "view_as": lambda x: x.view_as(x.reshape(60)),
    "reshape-view": lambda x: x.reshape(2, 2, 15),
    "t-of-matrix": lambda x: x[0].t(),
    "transpose": lambda x: x.transpose(0, 2),
    "swapaxes": lambda x: x.swapaxes(1, 2),
    "permute": lambda x: x.permute(1, 2, 0),
    "movedim": lambda x: x.movedim(0, -1),
    "T-of-matrix": lambda x: x[1].T,
    "mT": lambda x: x.mT,
    "expand": lambda x: x[:, :1].expand(4, 6, 5),
    "broadcast_to": lambda x: x[0].broadcast_to((2, 3, 5)),
    "narrow": lambda x: x.narrow(2, 1, 3),
    "select": lambda x: x.select(1, 2),
    "unsqueeze": lambda x: x.unsqueeze(1),
    "squeeze": lambda x: x[:, :1].squeeze(1),
    "flatten": lambda x: x.flatten(1),
    "unflatten": lambda x: x.unflatten(2, (5, 1)),
    "diagonal": lambda x: x.diagonal(0, 1, 2),
    "unfold": lambda x: x.unfold(2, 2, 1),
    "as_strided": lambda x: x.as_strided((3, 3), (2, 7), 1),
    "split": lambda x: x.split(2, dim=2),
    "chunk": lambda x: x.chunk(2, 0),
    "unbind": lambda x: x.unbind(1),
    "tensor_split": lambda x: x.tensor_split(3, dim=2),
    "getitem-basic": lambda x: x[1:, None, ::2, -1],
    "getitem-ellipsis": lambda x: x[..., 1:4],
    "detach": lambda x: x.detach(),
    "contiguous-noop": lambda x: x.contiguous(),
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_views_share_storage_on_the_device_and_match_the_cpu(device, name):
    def work(where: str) -> tuple[core.Tensor, Any]:
        base = make(where, (4, 3, 5))
        return base, VIEWS[name](base)

    base, viewed = run_on(device, work)
    assert_same(viewed, run_on("cpu", work)[1], device)
    for part in viewed if isinstance(viewed, tuple) else (viewed,):
        assert part.untyped_storage() is base.untyped_storage()  # never a copy
        assert part.data_ptr() == base.data_ptr() + part.storage_offset() * part.element_size()


def test_a_write_through_a_view_on_the_gpu_shows_in_its_base(gpu):
    base = core.arange(12.0, device="cuda").view(3, 4)
    view = base.t()[1:, ::2]
    view.mul_(-1)
    view[0, 1] = 100.0
    expected = np.arange(12.0).reshape(3, 4)
    expected.T[1:, ::2] *= -1
    expected.T[1, 2] = 100.0
    np.testing.assert_array_equal(base._host_values(), expected)
    assert base._version == view._version == 2


def test_copies_of_views_are_new_memory_on_the_same_device(device):
    def work(where: str) -> list[Any]:
        x = make(where, (4, 3, 5)).transpose(0, 1)
        return [x.contiguous(), x.reshape(60), x.clone(), x.flatten(), x[:, ::2].clone()]

    assert_same(run_on(device, work), run_on("cpu", work), device)


# -- a catalog of ops --------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    """Work on a device: ``run(where)`` builds its inputs there and returns the result."""

    run: Callable[[str], Any]
    exact: bool = True  # False: floating-point order may differ on a real GPU


def _binary(fn: Callable[[Any, Any], Any], a: tuple, b: tuple, kinds=("float32", "float32")):
    return lambda d: fn(make(d, a, kinds[0], 1), make(d, b, kinds[1], 2))


OPS: dict[str, Op] = {
    # elementwise, broadcasting and type promotion
    "add-broadcast": Op(_binary(lambda a, b: a + b, (3, 4), (4,))),
    "add-transposed": Op(_binary(lambda a, b: a.t() + b, (4, 3), (3, 4))),
    "add-alpha": Op(_binary(lambda a, b: core.add(a, b, alpha=2), (2, 3), (2, 3))),
    "sub-scalar": Op(lambda d: 1.5 - make(d, (3, 2))),
    "mul-int-float": Op(_binary(lambda a, b: a * b, (3, 1), (1, 4), ("int64", "float32"))),
    "mul-int-int": Op(_binary(lambda a, b: a * b, (5,), (5,), ("int32", "int64"))),
    "div-ints": Op(_binary(lambda a, b: a / (b.abs() + 1), (6,), (6,), ("int64", "int64"))),
    "div-floor": Op(
        _binary(lambda a, b: a.div(b + 10, rounding_mode="floor"), (6,), (6,)), exact=False
    ),
    "div-trunc-int": Op(
        _binary(lambda a, b: a.div(b.abs() + 1, rounding_mode="trunc"), (6,), (6,), ("int64",) * 2)
    ),
    "floor_divide-int": Op(
        _binary(lambda a, b: a // (b.abs() + 1), (2, 3), (3,), ("int64", "int64"))
    ),
    "remainder-int": Op(_binary(lambda a, b: a % (b.abs() + 1), (6,), (6,), ("int64",) * 2)),
    "fmod-float": Op(_binary(lambda a, b: a.fmod(b.abs() + 1), (6,), (6,)), exact=False),
    "pow-float": Op(lambda d: make(d, (5,)).abs() ** 1.5, exact=False),
    "pow-int": Op(_binary(lambda a, b: a ** b.abs(), (6,), (6,), ("int64", "int64"))),
    "rpow": Op(lambda d: 2 ** make(d, (5,), "int64"), exact=False),
    "square-float16": Op(lambda d: make(d, (4,), "float16").square(), exact=False),
    "add-float16": Op(_binary(lambda a, b: a + b, (4,), (4,), ("float16", "float16"))),
    "add-uint8-wraps": Op(lambda d: make(d, (4,), "uint8") + 250),
    "neg-abs-sign": Op(lambda d: [(-make(d, (5,))), make(d, (5,)).abs(), make(d, (5,)).sign()]),
    "reciprocal": Op(lambda d: make(d, (5,), "int64").reciprocal(), exact=False),
    "exp-log-sqrt": Op(
        lambda d: [make(d, (5,)).exp(), make(d, (5,)).abs().log(), make(d, (5,)).sqrt()],
        exact=False,
    ),
    "trigonometric": Op(
        lambda d: [make(d, (5,)).sin(), make(d, (5,)).cos(), make(d, (5,)).tanh()], exact=False
    ),
    "sigmoid": Op(lambda d: make(d, (3, 4)).sigmoid(), exact=False),
    "comparisons": Op(
        _binary(lambda a, b: [a < b, a == a, a.ge(0), a.ne(b), a.isnan()], (3, 4), (4,))
    ),
    "maximum-minimum": Op(_binary(lambda a, b: [a.maximum(b), core.minimum(a, b)], (3,), (3,))),
    "clamp-scalars": Op(lambda d: make(d, (6,)).clamp(-1, 1)),
    "clamp-tensors": Op(_binary(lambda a, b: a.clamp(min=b, max=b + 1), (2, 3), (3,))),
    "relu": Op(lambda d: make(d, (6,)).relu()),
    "where": Op(_binary(lambda a, b: core.where(a > 0, a, b), (2, 3), (3,))),
    "where-scalar": Op(lambda d: core.where(make(d, (5,)) > 0, make(d, (5,)), 0.0)),
    "bitwise": Op(_binary(lambda a, b: [a & b, a | b, a ^ b, ~a], (5,), (5,), ("int64", "int64"))),
    "logical-bools": Op(
        _binary(lambda a, b: [a & b, ~a, a.logical_not()], (5,), (5,), ("bool", "bool"))
    ),
    "float-to-int": Op(lambda d: core.tensor([1.5, -2.7, 3.0], device=d).long()),
    # reductions
    "sum": Op(lambda d: [make(d, (3, 4)).sum(), make(d, (3, 4)).sum(0)], exact=False),
    "sum-keepdim-dims": Op(lambda d: make(d, (2, 3, 4)).sum((0, 2), keepdim=True), exact=False),
    "sum-int-bool": Op(lambda d: [make(d, (3, 4), "int32").sum(1), make(d, (3, 4), "bool").sum()]),
    "sum-dtype": Op(lambda d: make(d, (3, 4), "int64").sum(dtype=core.float64)),
    "mean": Op(lambda d: [make(d, (3, 4)).mean(), make(d, (3, 4)).t().mean(1)], exact=False),
    "prod": Op(lambda d: [make(d, (3, 4)).prod(1), make(d, (5,), "int64").prod()], exact=False),
    "max-min-dim": Op(lambda d: [make(d, (3, 4)).max(1), make(d, (3, 4)).min(0, keepdim=True)]),
    "max-all": Op(lambda d: [make(d, (3, 4)).max(), make(d, (3, 4), "int64").min()]),
    "amax-amin": Op(lambda d: [make(d, (2, 3, 4)).amax((0, 2)), make(d, (3, 4)).amin(1)]),
    "argmax-argmin": Op(
        lambda d: [make(d, (3, 4)).argmax(), make(d, (3, 4)).argmin(1, keepdim=True)]
    ),
    "var-std": Op(
        lambda d: [make(d, (3, 4)).var(), make(d, (3, 4)).std(1), make(d, (3, 4)).var(0, False)],
        exact=False,
    ),
    "all-any": Op(lambda d: [make(d, (3, 4), "bool").all(1), make(d, (3, 4)).any()]),
    # products
    "matmul-2d": Op(_binary(lambda a, b: a @ b, (3, 4), (4, 5)), exact=False),
    "matmul-int": Op(_binary(lambda a, b: a @ b, (3, 4), (4, 2), ("int64", "int64"))),
    "matmul-batched": Op(_binary(lambda a, b: a @ b, (2, 1, 3, 4), (3, 4, 2)), exact=False),
    "matmul-vector": Op(
        _binary(lambda a, b: [a @ b[0], b[0] @ b.t()], (3, 4), (3, 4)), exact=False
    ),
    "mm-bmm": Op(
        lambda d: [
            make(d, (3, 4)).mm(make(d, (5, 4), seed=3).t()),
            make(d, (2, 3, 4)).bmm(make(d, (2, 4, 2), seed=4)),
        ],
        exact=False,
    ),
    "dot-mv": Op(_binary(lambda a, b: [a[0].dot(b[1]), a.mv(b[0])], (3, 3), (3, 3)), exact=False),
    # indexing (gathers copy)
    "index-list": Op(lambda d: make(d, (4, 5))[[0, 3, 3]]),
    "index-tensor-on-device": Op(lambda d: make(d, (4, 5))[:, core.tensor([4, 0, -1], device=d)]),
    "index-tensor-on-cpu": Op(lambda d: make(d, (4, 5))[core.tensor([[1, 2], [0, 0]])]),
    "index-mask": Op(lambda d: make(d, (4, 5))[make(d, (4, 5)) > 0]),
    "index-mixed": Op(lambda d: make(d, (3, 4, 5))[1, :, [0, 2]]),
    "index-apart": Op(lambda d: make(d, (3, 4, 5))[[0, 2], :, [1, 3]]),
    "nonzero": Op(lambda d: [make(d, (3, 4)).gt(0).nonzero(), core.where(make(d, (5,)) > 0)]),
    "flip": Op(lambda d: make(d, (3, 4)).t().flip(0, 1)),
    # joining
    "cat": Op(_binary(lambda a, b: core.cat([a, b.t()], 1), (3, 2), (4, 3))),
    "cat-promotes": Op(_binary(lambda a, b: core.cat([a, b]), (2,), (3,), ("int32", "float64"))),
    "stack": Op(_binary(lambda a, b: core.stack([a, b], 1), (3, 2), (3, 2))),
}


@pytest.mark.parametrize("name", list(OPS))
def test_ops_give_the_cpus_answer_on_every_device(device, name):
    op = OPS[name]
    assert_same(run_on(device, op.run), run_on("cpu", op.run), device, op.exact)


IN_PLACE: dict[str, Callable[[Any], None]] = {
    "add_-broadcast": lambda x: x.add_(core.ones(5, device=x.device)),
    "mul_-scalar": lambda x: x.mul_(-2),
    "div_-through-view": lambda x: x.t()[::2].div_(4),
    "clamp_": lambda x: x.clamp_(-1, 0.5),
    "fill_-view": lambda x: x[1].fill_(9),
    "zero_": lambda x: x[:, 1:3].zero_(),
    "setitem-slice": lambda x: x.__setitem__((slice(None), 0), 7.0),
    "setitem-tensor": lambda x: x.__setitem__(1, core.arange(5.0, device=x.device)),
    "setitem-mask": lambda x: x.__setitem__(x > 0, 0.0),
    "setitem-index": lambda x: x.__setitem__(
        core.tensor([0, 2]), core.full((2, 5), -1.0, device=x.device)
    ),
    "setitem-index-cpu-scalar": lambda x: x.__setitem__(core.tensor([0, 2]), core.tensor(-1.0)),
    "index_put_-accumulate-repeats": lambda x: x.index_put_(
        (core.tensor([1, 1, 3], device=x.device),), core.ones(3, 5, device=x.device), True
    ),
    "copy_-broadcast": lambda x: x.copy_(core.arange(5.0, device=x.device)),
    "copy_-from-cpu": lambda x: x.copy_(core.arange(20.0).view(5, 4).t()),
    "iadd": lambda x: x.__iadd__(1),
}


@pytest.mark.parametrize("name", list(IN_PLACE))
def test_in_place_writes_give_the_cpus_answer(device, name):
    def work(where: str) -> core.Tensor:
        x = make(where, (4, 5))
        IN_PLACE[name](x)
        return x

    assert_same(run_on(device, work), run_on("cpu", work), device)


@pytest.mark.parametrize("kind", ["int64", "float16", "float64"])
def test_accumulating_index_put_adds_repeats_for_every_dtype(device, kind):
    def work(where: str) -> core.Tensor:
        x = make(where, (6,), kind)
        index = core.tensor([0, 0, 5, 0], device=where)
        return x.index_put_((index,), make(where, (4,), kind, seed=9), accumulate=True)

    # A GPU adds repeated indices with atomics, in any order: floats may differ in the last bit.
    assert_same(run_on(device, work), run_on("cpu", work), device, exact=kind == "int64")


def test_copy_to_the_host_from_the_gpu(gpu):
    source = make("cuda", (3, 4)).t()
    target = core.zeros(4, 3)
    target.copy_(source)
    np.testing.assert_array_equal(target.numpy(), source._host_values())


# -- gradients ---------------------------------------------------------------------------

GRAPHS: dict[str, Callable[[core.Tensor, core.Tensor], core.Tensor]] = {
    "broadcast-mul-exp": lambda x, w: (x * w[:, 0] + x.exp()).sum(),
    "matmul-tanh-mean": lambda x, w: (x @ w).tanh().mean(),
    "index-sigmoid": lambda x, w: x[[0, 2, 2]].sigmoid().sum() + w.sum(),
    "mask-select": lambda x, w: (x[x > 0] ** 2).sum() + (w * 0).sum(),
    "unfold-as-strided": lambda x, w: (x.unfold(1, 2, 1) * 2).sum() + w.sum(),
    "max-dim": lambda x, w: x.max(1).values.sum() + w.amax(),
    "prod-var-std": lambda x, w: x.prod(1).sum() + w.var() + w.std(0).sum(),
    "clamp-relu-where": lambda x, w: (
        (x.clamp(-1, 1) + core.where(x > 0, x, x * 0.5).relu() + core.maximum(x, x.t().t())).sum()
        + w.sum()
    ),
    "views-chain": lambda x, w: x.view(3, 4).permute(1, 0)[:, None].expand(4, 2, 3).sum() + w.sum(),
    "in-place-on-view": lambda x, w: _mul_first_row_in_place(x) + w.sum(),
    "div-pow-sqrt": lambda x, w: (x.abs().sqrt() / (w.abs().sum() + 1) ** 2).sum(),
    "cat-stack": lambda x, w: core.cat([x, w.t()]).sum() + _log_of_abs_plus_1(core.stack([x, x])),
}


def _mul_first_row_in_place(x: core.Tensor) -> core.Tensor:
    y = x * 1
    y[0].mul_(3)
    return (y * y).sum()


def _log_of_abs_plus_1(x: core.Tensor) -> core.Tensor:
    return (x.abs() + 1).log().sum()


@pytest.mark.parametrize("name", list(GRAPHS))
def test_gradients_match_the_cpus_and_live_on_the_device(device, name):
    def work(where: str) -> list[core.Tensor]:
        x = core.tensor(values((3, 4), seed=1), device=where, requires_grad=True)
        w = core.tensor(values((4, 3), seed=2), device=where, requires_grad=True)
        GRAPHS[name](x, w).backward()
        return [x.grad, w.grad]

    assert_same(run_on(device, work), run_on("cpu", work), device, exact=False)


SECOND_ORDER: dict[str, Callable[[core.Tensor], core.Tensor]] = {
    "prod": lambda x: x.prod(1).sum(),
    "tanh-sigmoid": lambda x: (x.tanh() * x.sigmoid()).sum(),
    "pow-div": lambda x: (x**3 / (x.abs() + 1)).sum(),
    "max-where": lambda x: core.where(x > 0, x * x, -x).amax(1).sum(),
    "matmul-var": lambda x: (x @ x.t()).var(),
}


@pytest.mark.parametrize("name", list(SECOND_ORDER))
def test_second_derivatives_match_the_cpus(device, name):
    def work(where: str) -> list[core.Tensor]:
        x = core.tensor(values((3, 4), seed=3), device=where, requires_grad=True)
        (first,) = core.autograd.grad(SECOND_ORDER[name](x), x, create_graph=True)
        (second,) = core.autograd.grad((first * first).sum(), x)
        return [first.detach(), second]

    assert_same(run_on(device, work), run_on("cpu", work), device, exact=False)


# -- two devices in one op ---------------------------------------------------------------


def _message(work: Callable[[], Any]) -> str:
    with pytest.raises(RuntimeError) as caught:
        work()
    return str(caught.value)


def _torch_message(work: Callable[[Any], Any]) -> str | None:
    """The message torch gives for the same mistake on a real GPU (None without one)."""
    if not torch_cuda():
        return None
    with pytest.raises(RuntimeError) as caught:
        work(torch)
    return str(caught.value)


TWO_DEVICE_ERRORS: dict[str, tuple[Callable[[Any, Any, Any], Any], str]] = {
    "add-gpu-cpu": (lambda lib, g, c: g + c, "found at least two devices, cuda:0 and cpu!"),
    "add-cpu-gpu": (lambda lib, g, c: c + g, "found at least two devices, cuda:0 and cpu!"),
    "where": (
        lambda lib, g, c: lib.where(c > 0, g, g),
        "found at least two devices, cuda:0 and cpu!",
    ),
    "in-place-into-cpu": (
        lambda lib, g, c: c.add_(g),
        "found at least two devices, cuda:0 and cpu!",
    ),
    "in-place-into-cpu-scalar": (
        lambda lib, g, c: c[0, 0].clone().mul_(g[0, 0]),
        "found at least two devices, cuda:0 and cpu!",
    ),
    "mm": (
        lambda lib, g, c: g.mm(c),
        "but got mat2 is on cpu, different from other tensors on cuda:0 "
        "(when checking argument in method wrapper_CUDA_mm)",
    ),
    "mm-cpu-first": (
        lambda lib, g, c: c.mm(g),
        "but got mat2 is on cuda:0, different from other tensors on cpu "
        "(when checking argument in method wrapper_CUDA_mm)",
    ),
    "matmul": (
        lambda lib, g, c: g @ c,
        "but got mat2 is on cpu, different from other tensors on cuda:0 "
        "(when checking argument in method wrapper_CUDA_mm)",
    ),
    "bmm": (
        lambda lib, g, c: g[None].bmm(c[None]),
        "but got mat2 is on cpu, different from other tensors on cuda:0 "
        "(when checking argument in method wrapper_CUDA_bmm)",
    ),
    "cat": (
        lambda lib, g, c: lib.cat([g, c]),
        "but got tensors is on cpu, different from other tensors on cuda:0 "
        "(when checking argument in method wrapper_CUDA_cat)",
    ),
    "setitem-cpu-values": (
        lambda lib, g, c: g.__setitem__(lib.tensor([0, 1]), c[:2]),
        "found at least two devices, cuda:0 and cpu!",
    ),
    "index-with-gpu-indices": (
        lambda lib, g, c: c[lib.tensor([0, 1], device="cuda")],
        "indices should be either on cpu or on the same device as the indexed tensor (cpu)",
    ),
}


@pytest.mark.parametrize("name", list(TWO_DEVICE_ERRORS))
def test_two_devices_in_one_op_raise_pytorchs_error(gpu, name):
    work, expected = TWO_DEVICE_ERRORS[name]
    on_gpu, on_cpu = core.ones(3, 3, device="cuda"), core.ones(3, 3)
    message = _message(lambda: work(core, on_gpu, on_cpu))
    assert message.startswith("Expected all tensors to be on the same device, but ") or (
        name.startswith("index")
    )
    assert message.endswith(expected)
    theirs = _torch_message(
        lambda lib: work(lib, torch.ones(3, 3, device="cuda"), torch.ones(3, 3))
    )
    if theirs is not None:
        assert message == theirs.splitlines()[0]


def test_a_0d_cpu_tensor_goes_with_gpu_tensors_as_in_pytorch(gpu):
    x = make("cuda", (2, 3))
    scalar = core.tensor(2.5, dtype=core.float64)
    for result, expected in (
        (x * scalar, values((2, 3), seed=0) * np.float32(2.5)),
        (scalar - x, np.float32(2.5) - values((2, 3), seed=0)),
        (x.add_(scalar), values((2, 3), seed=0) + np.float32(2.5)),
    ):
        assert result.device is CUDA0 and result.dtype is core.float32
        np.testing.assert_array_equal(result._host_values(), expected)
    y = core.ones(3, device="cuda", requires_grad=True)
    weight = core.tensor(3.0, requires_grad=True)
    (y * weight).sum().backward()
    assert weight.grad.device == core.device("cpu") and weight.grad.item() == 3.0
    assert y.grad.device is CUDA0


def test_too_many_cpu_scalars_for_a_gpu_kernel(gpu):
    condition = core.ones(3, dtype=core.bool, device="cuda")
    message = _message(lambda: core.where(condition, core.tensor(1.0), core.tensor(2.0)))
    assert message == "Trying to pass too many CPU scalars to non-CPU kernel!"


def test_a_storage_refuses_an_array_of_another_backend(gpu):
    with pytest.raises(TypeError, match="a storage on cuda:0 needs a CupyBackend array"):
        Storage(np.zeros(3, np.float32), core.float32, CUDA0)
    on_gpu = core.zeros(3, device="cuda")._values()
    with pytest.raises(TypeError, match="a storage on cpu needs a NumpyBackend array"):
        Storage(on_gpu, core.float32, core.device("cpu"))


def test_core_cuda_on_the_simulated_gpu(simulated_gpu):
    assert core.cuda.is_available() and core.cuda.device_count() == 1
    assert core.cuda.unavailable_reason() is None
    assert core.cuda.get_device_name() == "Simulated GPU (NumPy)"
    assert core.cuda.get_device_name("cuda:0") == core.cuda.get_device_name(CUDA0)
    assert core.cuda.current_device() == 0
    assert core.cuda.synchronize() is None


@pytest.mark.gpu
def test_a_real_gpu_is_found_and_agrees_with_torch():
    assert core.cuda.is_available() and core.cuda.unavailable_reason() is None
    assert core.cuda.device_count() >= 1 and core.cuda.get_device_name()
    core.cuda.synchronize()
    x = core.arange(6.0, device="cuda")
    assert x.untyped_storage().data_ptr() == x._values().data.ptr
    if torch.cuda.is_available():
        assert core.cuda.device_count() == torch.cuda.device_count()
        assert core.cuda.get_device_name(0) == torch.cuda.get_device_name(0)
        assert math.isclose(float((x * 2).sum()), float((torch.arange(6.0) * 2).sum()))


# -- where CuPy's own kernels differ from PyTorch's ----------------------------------------


@pytest.mark.parametrize(
    ("name", "work", "expected"),
    [
        # CuPy's float floor_divide is floor(a / b): 10 here; PyTorch derives it from fmod.
        ("floor_divide", lambda d: core.tensor([1.0], device=d) // 0.1, [9.0]),
        # CuPy's float remainder is a - floor(a / b) * b: nan here.
        ("remainder", lambda d: core.tensor([5.0], device=d) % math.inf, [5.0]),
        # CuPy's integer fmod goes through double: wrong past 2**53.
        ("fmod", lambda d: core.tensor([2**60 + 1], device=d).fmod(3), [2]),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_kernels_where_cupy_differs_give_pytorchs_answer(device, name, work, expected):
    assert run_on(device, work).cpu().tolist() == expected
    reference = {
        "floor_divide": lambda: torch.tensor([1.0]) // 0.1,
        "remainder": lambda: torch.tensor([5.0]) % math.inf,
        "fmod": lambda: torch.tensor([2**60 + 1]).fmod(3),
    }[name]()
    assert reference.tolist() == expected


@pytest.mark.parametrize(
    "make_zero",
    [
        lambda d: core.tensor(-0.0, device=d),
        lambda d: core.tensor(-0.0).to(d),
        lambda d: core.ones(3, device=d).fill_(-0.0),
        lambda d: core.ones(3, device=d).index_put_(
            (core.tensor([1], device=d),), core.tensor(-0.0)
        ),
    ],
    ids=["tensor", "to", "fill_", "index_put_"],
)
def test_negative_zero_keeps_its_sign_on_every_device(device, make_zero):
    # 1 / -0.0 is -inf: a sign lost on the way (CuPy memsets a zero fill) would give +inf.
    reciprocal = (1 / run_on(device, make_zero)).cpu().tolist()
    assert -math.inf in (reciprocal if isinstance(reciprocal, list) else [reciprocal])


def test_cat_of_transposed_tensors_is_storage_a_write_reaches(device):
    # NumPy lays out the concatenation of F-ordered inputs in F order; storage must be C.
    a, b = core.ones(3, 4, device=device), core.ones(3, 4, device=device)
    joined = core.cat([a.t(), b.t()])
    joined[0, 0] = 5
    expected = torch.cat([torch.ones(3, 4).t(), torch.ones(3, 4).t()])
    expected[0, 0] = 5
    assert joined.sum().item() == expected.sum().item() == 28
    assert joined.stride() == expected.stride()
