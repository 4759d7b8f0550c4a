"""core.formatting against the oracle: ``repr`` of the same torch tensor."""

from __future__ import annotations

import ast
import math
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core.formatting import get_printoptions, set_printoptions, tensor_repr

FLOAT_DTYPES = [np.float16, np.float32, np.float64]
INT_DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.int64]
ALL_DTYPES = [np.bool_, *INT_DTYPES, *FLOAT_DTYPES]

# Values on or near torch's decision boundaries: sci_mode switches at a max/min
# ratio of 1000, above 1e8 and below 1e-4; int_mode needs every value integral.
BOUNDARY_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, 1e-4, 9.9e-5, 1e3, 1e8, 1.5e8, 123.456, 1e-30]
NON_FINITE = [math.inf, -math.inf, math.nan]

SHAPES = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=6)
# Example counts follow the active profile (tests/core/conftest.py); the print
# options test draws from a larger space, so it gets twice as many.
FAST = settings(deadline=None)
WIDE = settings(deadline=None, max_examples=2 * settings.default.max_examples)


@pytest.fixture(autouse=True)
def _restore_print_state() -> Iterator[None]:
    """Leave both libraries' print options and default dtype as found."""
    yield
    set_printoptions(profile="default")
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)


def torch_repr(t: torch.Tensor) -> str:
    """The oracle, with our module prefix."""
    return repr(t).replace("torch.", "core.")


def core_repr(t: torch.Tensor, default_dtype_name: str = "float32") -> str:
    """Our repr of the same tensor, passing what a core Tensor would know."""
    return tensor_repr(
        t.detach().numpy(),
        str(t.dtype).removeprefix("torch."),
        requires_grad=t.requires_grad,
        grad_fn_name=None if t.grad_fn is None else type(t.grad_fn).__name__,
        default_dtype_name=default_dtype_name,
    )


def float_elements(dtype: type[np.floating], kind: str) -> st.SearchStrategy[float]:
    """Elements exactly representable in ``dtype``, of one flavour."""
    info = np.finfo(dtype)
    boundary = [float(dtype(v)) for v in BOUNDARY_FLOATS if abs(v) <= float(info.max)]
    boundary += [float(info.max), float(info.smallest_subnormal)]
    integral_limit = 2048 if dtype is np.float16 else 10**6
    strategies = {
        # Huge and tiny magnitudes, inf and nan: mostly scientific notation.
        "wide": st.floats(width=info.bits),
        # Fixed notation: a modest range of magnitudes.
        "moderate": st.floats(-999, 999, width=info.bits),
        # Integral floats take int_mode ("3.").
        "integral": st.integers(-integral_limit, integral_limit).map(float),
        "boundary": st.sampled_from(boundary + NON_FINITE),
        # Nothing nonzero and finite: the formatter keeps its defaults.
        "degenerate": st.sampled_from([0.0, -0.0, *NON_FINITE]),
    }
    return strategies[kind]


@st.composite
def arrays(draw: st.DrawFn, dtypes: list[type] = ALL_DTYPES, shapes=SHAPES) -> np.ndarray:
    """An array of any supported dtype, values of one randomly chosen flavour."""
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(shapes)
    if issubclass(dtype, np.floating):
        kinds = ["wide", "moderate", "integral", "boundary", "degenerate"]
        kind = draw(st.sampled_from(kinds))
        mixed = draw(st.booleans())
        elements = float_elements(dtype, kind)
        if mixed:
            elements = st.one_of(elements, float_elements(dtype, "boundary"))
        return draw(hnp.arrays(dtype, shape, elements=elements))
    return draw(hnp.arrays(dtype, shape))


print_options = st.fixed_dictionaries(
    {
        "precision": st.integers(0, 8),
        "threshold": st.sampled_from([0, 1, 5, 30, 1000, math.inf]),
        "edgeitems": st.integers(0, 4),
        "linewidth": st.integers(10, 120),
        "sci_mode": st.sampled_from([None, True, False]),
    }
)


@FAST
@given(arrays())
def test_matches_torch_for_any_array(values: np.ndarray) -> None:
    t = torch.from_numpy(values)
    assert core_repr(t) == torch_repr(t)


@WIDE
@given(arrays(), print_options, st.sampled_from(["plain", "leaf", "grad_fn"]))
def test_matches_torch_under_print_options(
    values: np.ndarray, options: dict[str, object], autograd: str
) -> None:
    t = torch.from_numpy(values)
    if t.is_floating_point() and autograd != "plain":
        # Autograd suffixes exercise the wrapping of suffixes past linewidth.
        t = t.clone().requires_grad_()
        if autograd == "grad_fn":
            t = t * 2
    set_printoptions(**options)
    torch.set_printoptions(**options)
    assert core_repr(t) == torch_repr(t)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int64, np.uint8])
@pytest.mark.parametrize(
    "shape", [(1001,), (2000,), (1, 1001), (40, 30), (3, 20, 20), (2, 3, 13, 13)]
)
def test_summarizes_large_tensors(dtype: type, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(sum(shape))
    values = (rng.standard_normal(shape) * 100).astype(dtype)
    t = torch.from_numpy(values)
    ours = core_repr(t)
    assert "..." in ours
    assert ours == torch_repr(t)


@pytest.mark.parametrize("linewidth", range(19, 27))
@pytest.mark.parametrize("shape", [(12,), (2, 12), (2, 2, 12)])
def test_wraps_rows_at_linewidth(linewidth: int, shape: tuple[int, ...]) -> None:
    # Single-digit ints take 3 columns each, so some widths fit a row exactly.
    set_printoptions(linewidth=linewidth)
    torch.set_printoptions(linewidth=linewidth)
    t = torch.from_numpy(np.arange(np.prod(shape)).reshape(shape) % 10)
    assert core_repr(t) == torch_repr(t)


@pytest.mark.parametrize("profile", ["default", "short", "full"])
def test_profiles_match_torch(profile: str) -> None:
    set_printoptions(precision=7, linewidth=50, sci_mode=True)
    torch.set_printoptions(precision=7, linewidth=50, sci_mode=True)
    set_printoptions(profile=profile)
    torch.set_printoptions(profile=profile)
    assert get_printoptions() == torch._tensor_str.get_printoptions()
    t = torch.linspace(-3, 3, 1500, dtype=torch.float64).reshape(30, 50)
    assert core_repr(t) == torch_repr(t)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (np.array(3.0, np.float32), "tensor(3.)"),
        (np.array(-0.0, np.float32), "tensor(-0.)"),
        (np.array(2.5, np.float64), "tensor(2.5000, dtype=core.float64)"),
        (np.array(1e-9, np.float16), "tensor(0., dtype=core.float16)"),
        (np.array(math.nan, np.float32), "tensor(nan)"),
        (np.array(7, np.int64), "tensor(7)"),
        (np.array(-7, np.int8), "tensor(-7, dtype=core.int8)"),
        (np.array(True), "tensor(True)"),
    ],
)
def test_zero_dim(values: np.ndarray, expected: str) -> None:
    assert core_repr(torch.from_numpy(values)) == expected == torch_repr(torch.from_numpy(values))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0), (1, 0, 4)])
def test_empty(dtype: type, shape: tuple[int, ...]) -> None:
    t = torch.from_numpy(np.zeros(shape, dtype))
    assert core_repr(t) == torch_repr(t)


def test_empty_literals() -> None:
    assert tensor_repr(np.zeros(0, np.float32), "float32") == "tensor([])"
    assert tensor_repr(np.zeros((0, 3), np.float32), "float32") == "tensor([], size=(0, 3))"
    assert tensor_repr(np.zeros(0, np.int64), "int64") == "tensor([], dtype=core.int64)"


@FAST
@given(arrays(dtypes=FLOAT_DTYPES))
def test_requires_grad_suffix(values: np.ndarray) -> None:
    leaf = torch.tensor(values, requires_grad=True)
    assert core_repr(leaf) == torch_repr(leaf)
    product = leaf * 2
    assert core_repr(product) == torch_repr(product)


def test_grad_fn_literal() -> None:
    leaf = torch.tensor([1.0, 2.0], requires_grad=True)
    assert torch_repr(leaf * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert core_repr(leaf * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "tensor([1., 2.], device='cuda:0')"),
        (
            {"dtype_name": "float64", "requires_grad": True},
            "tensor([1., 2.], device='cuda:0', dtype=core.float64, requires_grad=True)",
        ),
        ({"device": "cpu"}, "tensor([1., 2.])"),
    ],
)
def test_device_suffix(kwargs: dict[str, object], expected: str) -> None:
    arguments = {"dtype_name": "float32", "device": "cuda:0", **kwargs}
    assert tensor_repr(np.array([1.0, 2.0]), **arguments) == expected


def test_long_suffixes_wrap_to_new_line() -> None:
    # The dtype suffix cannot fit after a full line, so it moves under the bracket.
    expected = (
        "tensor([0.1000, 0.1000, 0.1000, 0.1000, 0.1000, 0.1000, 0.1000, 0.1000, 0.1000],\n"
        "       dtype=core.float64)"
    )
    assert tensor_repr(np.full(9, 0.1), "float64") == expected
    assert torch_repr(torch.full((9,), 0.1, dtype=torch.float64)) == expected


def test_suffix_wraps_where_torch_prefix_would_not_fit() -> None:
    # "core." is one character shorter than "torch.", so requires_grad=True would
    # fit on the first line here; torch's line break is kept all the same.
    values = np.full((1, 1, 1, 5), -0.0, np.float16)
    expected = (
        "tensor([[[[-0., -0., -0., -0., -0.]]]], dtype=core.float16,\n       requires_grad=True)"
    )
    assert tensor_repr(values, "float16", requires_grad=True) == expected
    assert torch_repr(torch.tensor(values, requires_grad=True)) == expected


@FAST
@given(arrays(dtypes=[np.float32, np.float64, np.int64, np.bool_]))
def test_default_dtype_float64(values: np.ndarray) -> None:
    torch.set_default_dtype(torch.float64)
    t = torch.from_numpy(values)
    assert core_repr(t, default_dtype_name="float64") == torch_repr(t)


def test_imports_only_numpy_and_stdlib() -> None:
    source = Path(sys.modules[tensor_repr.__module__].__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported - {"numpy"} <= set(sys.stdlib_module_names)
