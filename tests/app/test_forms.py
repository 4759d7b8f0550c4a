"""The forms' checks and the lines they write: each line runs alike in core and in PyTorch."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import core
from app import i18n
from app.code_text import torch_code
from app.forms import (
    DTYPE_NAMES,
    FILLS,
    FLOATING_DTYPE_NAMES,
    MAX_SIZE,
    FormError,
    builder_line,
    check_memory,
    check_name,
    next_free_name,
    parse_shape,
)
from app.view_operations import REQUIRED, VIEW_OPERATIONS, operation_line
from tests.core.assertions import assert_same_tensor, builtin_error_class

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def refusal(call: Callable[[], object]) -> FormError:
    """The FormError that ``call()`` raises."""
    with pytest.raises(FormError) as caught:
        call()
    return caught.value


# -- shapes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ("3, 4", (3, 4)),
        ("(3, 4)", (3, 4)),
        ("[3,4]", (3, 4)),
        ("3 4", (3, 4)),
        ("  2 ,3,  4 ", (2, 3, 4)),
        ("12", (12,)),
        ("(12,)", (12,)),
        ("", ()),
        ("()", ()),
        ("0, 5", (0, 5)),
        (str(MAX_SIZE), (MAX_SIZE,)),
        ("1, 1, 1, 1, 1, 1, 1, 1", (1,) * 8),
    ],
)
def test_parse_shape_reads_the_usual_spellings(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("3,-1", "sizes must be 0 or more: -1 is only for view() and reshape()"),
        ("-2", "sizes must be 0 or more, got -2"),
        ("abc", "sizes are whole numbers such as 3, 4: 'abc' is not one"),
        ("1e12", "sizes are whole numbers such as 3, 4: '1e12' is not one"),
        ("2.5", "sizes are whole numbers such as 3, 4: '2.5' is not one"),
        ("True", "sizes are whole numbers such as 3, 4: 'True' is not one"),
        ("3,,4", "a size is missing between two commas"),
        ("(3, 4", "close the bracket: (3, 4)"),
        ("1, 1, 1, 1, 1, 1, 1, 1, 1", "at most 8 dims, got 9"),
        (str(MAX_SIZE + 1), f"size {MAX_SIZE + 1} is too large: sizes go up to 2**31"),
    ],
)
def test_parse_shape_refuses_with_a_message(text, fragment):
    error = refusal(lambda: parse_shape(text))
    assert fragment in str(error)
    assert error.field == "shape"


# -- names -------------------------------------------------------------------------


def test_next_free_name_goes_x_y_z_then_the_alphabet_then_numbers():
    assert next_free_name(set()) == "x"
    assert next_free_name({"x"}) == "y"
    assert next_free_name({"x", "y", "z"}) == "a"
    assert next_free_name({"x", "y", "z", "a"}) == "b"
    every_letter = set("xyzabcdefghijklmnopqrstuvw")
    assert next_free_name(every_letter) == "t1"
    assert next_free_name(every_letter | {"t1", "t2"}) == "t3"


def test_check_name_keeps_a_free_name_and_fills_in_an_empty_one():
    assert check_name("  weights ", {"x"}) == "weights"
    assert check_name("", {"x"}) == "y"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1x", "'1x' is not a name: use letters, digits and _; choose another, such as y"),
        ("my tensor", "'my tensor' is not a name"),
        ("for", "for is taken by Python or the engine: choose another, such as y"),
        ("core", "core is taken by Python or the engine"),
        ("torch", "torch is taken by Python or the engine"),
        ("len", "len is taken by Python or the engine"),
        ("_hidden", "names starting with _ stay hidden"),
        ("x", "x already names a tensor: choose another, such as y"),
    ],
)
def test_check_name_refuses_with_a_message(text, fragment):
    error = refusal(lambda: check_name(text, {"x"}))
    assert fragment in str(error)
    assert error.field == "name"


# -- builder lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "dtype_name", "device", "fill", "line"),
    [
        ((3, 4), "float32", "cpu", "arange", "x = core.arange(12, dtype=core.float32).view(3, 4)"),
        ((3, 4), "int64", "cpu", "arange", "x = core.arange(12).view(3, 4)"),
        ((5,), "int64", "cpu", "arange", "x = core.arange(5)"),
        ((), "int64", "cpu", "arange", "x = core.tensor(0)"),
        ((), "float16", "cpu", "arange", "x = core.tensor(0, dtype=core.float16)"),
        ((3, 4), "int64", "cpu", "zeros", "x = core.zeros(3, 4, dtype=core.int64)"),
        ((3, 4), "float32", "cpu", "ones", "x = core.ones(3, 4)"),
        ((), "float32", "cpu", "zeros", "x = core.zeros(())"),
        ((2,), "bool", "cpu", "ones", "x = core.ones(2, dtype=core.bool)"),
        ((2, 3), "float64", "cpu", "rand", "x = core.rand(2, 3, dtype=core.float64)"),
        ((2,), "float32", "cuda", "randn", "x = core.randn(2, device='cuda')"),
        ((4,), "int64", "cuda", "arange", "x = core.arange(4, device='cuda')"),
    ],
)
def test_builder_line_reads_as_a_person_would_write_it(shape, dtype_name, device, fill, line):
    assert builder_line("x", shape, dtype_name, device, fill) == line


@pytest.mark.parametrize("fill", ["rand", "randn"])
@pytest.mark.parametrize("dtype_name", ["int64", "uint8", "bool"])
def test_random_fills_refuse_integer_and_bool_dtypes_as_torch_does(fill, dtype_name):
    error = refusal(lambda: builder_line("x", (2,), dtype_name, "cpu", fill))
    assert f"PyTorch has no {fill} for {dtype_name}: choose float32, float64" in str(error)
    assert error.field == "dtype"
    with pytest.raises(NotImplementedError):
        getattr(torch, fill)(2, dtype=getattr(torch, dtype_name))


def test_arange_refuses_bool_as_torch_does():
    error = refusal(lambda: builder_line("x", (2,), "bool", "cpu", "arange"))
    assert "PyTorch has no arange for bool: choose a number dtype, or zeros or ones" in str(error)
    assert error.field == "dtype"
    with pytest.raises(NotImplementedError):
        torch.arange(2, dtype=torch.bool)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [(("complex64", "cpu", "zeros"), "dtype"), (("float32", "tpu", "zeros"), "device")]
    + [(("float32", "cpu", "full"), "fill")],
)
def test_builder_line_refuses_unknown_choices(arguments, field):
    error = refusal(lambda: builder_line("x", (2,), *arguments))
    assert str(error).startswith(f"unknown {field} ")
    assert error.field == field


def test_check_memory_refuses_over_the_limit_with_sizes_in_binary_units():
    error = refusal(lambda: check_memory((100000, 100000), "float32", 256 * 2**20))
    assert str(error) == (
        "100000 × 100000 float32 needs 37.25 GiB, over the memory limit of 256 MiB: "
        "use a smaller shape or raise the limit in Preferences"
    )
    assert error.field == "shape"
    error = refusal(lambda: check_memory((1024, 1024), "float64", 2**20))
    assert str(error).startswith("1024 × 1024 float64 needs 8 MiB, over the memory limit of 1 MiB")


def test_check_memory_allows_up_to_the_limit_and_everything_without_one():
    check_memory((1024, 1024), "float32", 4 * 2**20)
    check_memory((100000, 100000), "float64", None)


def run_in_core_and_torch(lines: list[str]) -> tuple[dict, dict]:
    """Run ``lines`` as written under ``core`` and renamed under ``torch``; the namespaces."""
    core_names, torch_names = {"core": core}, {"torch": torch}
    for line in lines:
        exec(line, core_names)
        exec(torch_code(line), torch_names)
    return core_names, torch_names


START_LINE = "x = core.arange(12).view(3, 4)"
shapes = st.lists(st.integers(0, 5), max_size=4).map(tuple)


@PROPERTY_SETTINGS
@given(shapes, st.sampled_from(DTYPE_NAMES), st.sampled_from(FILLS))
def test_builder_lines_build_the_same_tensor_in_core_and_torch(shape, dtype_name, fill):
    """Every line the builder writes runs in both; only torch's refusals are refused."""
    try:
        line = builder_line("x", shape, dtype_name, "cpu", fill)
    except FormError:
        assert (
            dtype_name == "bool"
            and fill == "arange"
            or (fill in ("rand", "randn") and dtype_name not in FLOATING_DTYPE_NAMES)
        )
        return
    core_names, torch_names = run_in_core_and_torch([line])
    # rand draws from NumPy's generator, not PyTorch's: only the layout can agree.
    random = fill in ("rand", "randn")
    assert_same_tensor(core_names["x"], torch_names["x"], check_values=not random, context=line)
    assert core_names["x"].shape == shape


@pytest.fixture
def float64_default():
    """core's and torch's default dtype set to float64 for a test, float32 again after."""
    core.set_default_dtype(core.float64)
    torch.set_default_dtype(torch.float64)
    yield
    core.set_default_dtype(core.float32)
    torch.set_default_dtype(torch.float32)


@pytest.mark.usefixtures("float64_default")
@pytest.mark.parametrize("fill", FILLS)
@pytest.mark.parametrize("dtype_name", DTYPE_NAMES)
def test_builder_lines_make_the_chosen_dtype_under_another_default(dtype_name, fill):
    """After set_default_dtype(float64), float32 must be named and float64 may go unsaid."""
    try:
        line = builder_line("x", (2, 3), dtype_name, "cpu", fill)
    except FormError:
        return  # the refusals are the same under any default (tested above)
    core_names, torch_names = run_in_core_and_torch([line])
    assert core_names["x"].dtype == getattr(core, dtype_name), line
    assert str(torch_names["x"].dtype) == f"torch.{dtype_name}", line
    unsaid = "int64" if fill == "arange" else "float64"
    assert ("dtype=" in line) == (dtype_name != unsaid), line


# -- operation lines ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "arguments", "ndim", "line"),
    [
        ("t", "", 2, "y = x.t()"),
        ("transpose", "0, 1", 2, "y = x.transpose(0, 1)"),
        ("transpose", " -1 ,0 ", 2, "y = x.transpose(-1, 0)"),
        ("permute", "(2, 0, 1)", 3, "y = x.permute(2, 0, 1)"),
        ("permute", "", 0, "y = x.permute(())"),
        ("view", "-1", 2, "y = x.view(-1)"),
        ("view", "[2, 6]", 2, "y = x.view(2, 6)"),
        ("view", "()", 2, "y = x.view(())"),
        ("reshape", "4, 3", 2, "y = x.reshape(4, 3)"),
        ("expand", "2, -1, -1", 2, "y = x.expand(2, -1, -1)"),
        ("narrow", "1, 0, 2", 2, "y = x.narrow(1, 0, 2)"),
        ("select", "0, -1", 2, "y = x.select(0, -1)"),
        ("unfold", "1, 2, 1", 2, "y = x.unfold(1, 2, 1)"),
        ("as_strided", "(2, 2), (1, 2)", 2, "y = x.as_strided((2, 2), (1, 2))"),
        ("as_strided", "(2,), (3,), storage_offset=1", 2, "y = x.as_strided((2,), (3,), 1)"),
        ("squeeze", "", 2, "y = x.squeeze()"),
        ("squeeze", "dim=None", 2, "y = x.squeeze()"),
        ("squeeze", "(0, 1)", 2, "y = x.squeeze((0, 1))"),
        ("unsqueeze", "2", 2, "y = x.unsqueeze(2)"),
        ("flatten", "", 3, "y = x.flatten()"),
        ("flatten", "end_dim=1", 3, "y = x.flatten(0, 1)"),
        ("unflatten", "1, (2, -1)", 2, "y = x.unflatten(1, (2, -1))"),
        ("diagonal", "dim2=0, dim1=1", 2, "y = x.diagonal(0, 1, 0)"),
        ("movedim", "0, 1", 2, "y = x.movedim(0, 1)"),
        ("movedim", "(0, 1), (1, 0)", 2, "y = x.movedim((0, 1), (1, 0))"),
        ("[index]", "1:, ::2", 2, "y = x[1:, ::2]"),
        ("[index]", "..., None, -1", 2, "y = x[..., None, -1]"),
        ("[index]", "0", 2, "y = x[0]"),
        ("contiguous", "", 2, "y = x.contiguous()"),
        ("clone", "  ", 2, "y = x.clone()"),
        ("detach", "", 2, "y = x.detach()"),
        ("T", "", 2, "y = x.T"),
    ],
)
def test_operation_line_writes_the_call(operation, arguments, ndim, line):
    assert operation_line("y", "x", operation, arguments, ndim) == line


@pytest.mark.parametrize(
    ("operation", "arguments", "ndim", "fragment"),
    [
        ("transpose", "0", 2, "transpose takes 2 arguments (dim0, dim1), got 1"),
        ("transpose", "0, 1, 1", 2, "transpose takes 2 arguments (dim0, dim1), got 3"),
        ("select", "", 2, "select takes 2 arguments (dim, index), got 0"),
        ("unsqueeze", "", 2, "unsqueeze takes 1 argument (dim), got 0"),
        (
            "flatten",
            "0, 1, 2",
            2,
            "flatten takes 0 to 2 arguments (start_dim=0, end_dim=-1), got 3",
        ),
        ("t", "0", 2, "t takes no arguments: clear the arguments field"),
        ("T", "0", 2, "T takes no arguments"),
        ("transpose", "0, 3", 2, "dim 3 is out of range for a 2-d tensor: use -2 to 1"),
        ("transpose", "-3, 0", 2, "dim -3 is out of range for a 2-d tensor: use -2 to 1"),
        ("squeeze", "(0, 2)", 2, "dim 2 is out of range for a 2-d tensor: use -2 to 1"),
        ("unsqueeze", "3", 2, "dim 3 is out of range for a 2-d tensor (unsqueeze adds one)"),
        ("diagonal", "0, 0, 1", 0, "dim 1 is out of range for a 0-d tensor: use -1 to 0"),
        ("movedim", "(0, 4), (1, 0)", 3, "dim 4 is out of range for a 3-d tensor: use -3 to 2"),
        ("movedim", "0, (1,)", 2, "movedim takes two dims or two tuples of dims, such as 0, 1"),
        (
            "permute",
            "1, 0, 2",
            2,
            "permute takes one dim for each of the 2 dims, got 3: such as 1, 0",
        ),
        ("transpose", "0.5, 1", 2, "transpose's dim0 must be an int; got 0.5"),
        ("transpose", "True, 1", 2, "transpose's dim0 must be an int; got True"),
        ("view", "2.5", 2, "view's shape must be ints, such as 2, 6; got 2.5"),
        ("view", "", 2, "view takes the new sizes, such as 2, 6, or () for a 0-d tensor"),
        ("view", "shape=(2, 6)", 2, "type the shape without a name"),
        (
            "as_strided",
            "4, 1",
            2,
            "as_strided's size must be a tuple of ints, such as (2, 3); got 4",
        ),
        ("unflatten", "1, 2", 2, "unflatten's sizes must be a tuple of ints"),
        ("as_strided", "(0, -1), (0, 0)", 0, "as_strided's size must be 0 or more; got -1"),
        ("expand", "0, -1", 0, "expand's -1 keeps one of the tensor's 0 sizes, so it cannot"),
        ("expand", "-1, 3, 4", 2, "cannot stand for a new leading dim: give that dim's size"),
        ("squeeze", "'a'", 2, "squeeze's dim must be a dim or a tuple of dims; got 'a'"),
        (
            "flatten",
            "dim=1",
            2,
            "flatten has no argument dim: its arguments are start_dim, end_dim",
        ),
        ("flatten", "0, start_dim=1", 2, "flatten got start_dim twice"),
        ("transpose", "dim1=0", 2, "transpose takes 2 arguments (dim0, dim1), got 1"),
        ("transpose", "0, 1), print(1", 2, "type the arguments as in Python, such as 0, 1"),
        ("transpose", "x", 2, "type the arguments as in Python"),
        ("T", "", 3, "PyTorch warns on T for a 3-d tensor: use permute(2, 1, 0)"),
        ("T", "", 1, "PyTorch warns on T for a 1-d tensor, where it changes nothing"),
        ("[index]", "", 2, "type what goes between the brackets, such as 0 or 1:, ::2"),
        ("[index]", "0]; import os; x[0", 2, "type what goes between the brackets"),
        ("[index]", "::-1", 2, "slice steps must be 1 or more (PyTorch cannot step backwards)"),
        ("[index]", "::0", 2, "slice steps must be 1 or more"),
        ("[index]", "0, 0, 0", 2, "too many indices for a 2-d tensor: 3 given, at most 2"),
        ("[index]", "..., ...", 2, "an index holds one ... at most"),
        ("[index]", "0.5", 2, "index with ints, slices such as 1:3 or ::2, ... and None"),
        ("[index]", "1:a", 2, "slice bounds are ints, such as 1:3 or ::2; 'a' is not one"),
    ],
)
def test_operation_line_refuses_bad_arguments_before_running(operation, arguments, ndim, fragment):
    error = refusal(lambda: operation_line("y", "x", operation, arguments, ndim))
    assert fragment in str(error)
    assert error.field == "arguments"


def test_operation_line_refuses_an_unknown_operation():
    error = refusal(lambda: operation_line("y", "x", "flip", "", 2))
    assert str(error) == "unknown operation 'flip': choose one from the list"
    assert error.field == "operation"


def test_every_operation_has_a_signature_and_a_hint():
    signatures = {name: operation.signature for name, operation in VIEW_OPERATIONS.items()}
    assert signatures == {
        "t": "t()",
        "transpose": "transpose(dim0, dim1)",
        "permute": "permute(*dims)",
        "view": "view(*shape)",
        "reshape": "reshape(*shape)",
        "expand": "expand(*sizes)",
        "narrow": "narrow(dim, start, length)",
        "select": "select(dim, index)",
        "unfold": "unfold(dimension, size, step)",
        "as_strided": "as_strided(size, stride, storage_offset=None)",
        "squeeze": "squeeze(dim=None)",
        "unsqueeze": "unsqueeze(dim)",
        "flatten": "flatten(start_dim=0, end_dim=-1)",
        "unflatten": "unflatten(dim, sizes)",
        "diagonal": "diagonal(offset=0, dim1=0, dim2=1)",
        "movedim": "movedim(source, destination)",
        "[index]": "[index]",
        "contiguous": "contiguous()",
        "clone": "clone()",
        "detach": "detach()",
        "T": "T",
    }
    assert all(operation.hint for operation in VIEW_OPERATIONS.values())


@pytest.mark.parametrize("operation", [op for op in VIEW_OPERATIONS.values() if op.example])
def test_every_example_is_accepted_for_a_3_by_4_tensor(operation):
    line = operation_line("y", "x", operation.name, operation.example, 2)
    core_names, torch_names = run_in_core_and_torch([START_LINE, line])
    assert_same_tensor(core_names["y"], torch_names["y"], context=line)


# Dims in range (the form refuses the others, as tested above), so that most lines run.
def dim_values(rank: int) -> st.SearchStrategy[int]:
    return st.integers(-rank, rank - 1)


def small_tuples(elements: st.SearchStrategy[int]) -> st.SearchStrategy[tuple[int, ...]]:
    return st.lists(elements, max_size=4).map(tuple)


def slice_texts() -> st.SearchStrategy[str]:
    bound = st.none() | st.integers(-4, 4)
    step = st.none() | st.integers(1, 3)
    return st.tuples(bound, bound, step).map(
        lambda parts: ":".join("" if part is None else str(part) for part in parts)
    )


@st.composite
def argument_texts(draw, operation_name: str, ndim: int) -> str:
    """A text a person might type in the arguments field for ``operation_name``."""
    operation = VIEW_OPERATIONS[operation_name]
    if operation.style == "index":
        parts = st.sampled_from(["...", "None"]) | st.integers(-3, 3).map(str) | slice_texts()
        return ", ".join(draw(st.lists(parts, min_size=1, max_size=ndim + 1)))
    if operation.variadic:
        if operation_name == "permute":
            order = draw(st.permutations(range(ndim)))
            return ", ".join(map(str, order)) if order else "()"
        sizes = draw(small_tuples(st.integers(-1, 6)))
        return ", ".join(map(str, sizes)) if sizes else "()"
    rank = max(ndim, 1)
    values = []
    required = sum(argument.default is REQUIRED for argument in operation.arguments)
    count = draw(st.integers(required, len(operation.arguments)))
    for argument in operation.arguments[:count]:
        kind = argument.kind
        if kind == "dim":
            values.append(draw(dim_values(rank)))
        elif kind == "new_dim":
            values.append(draw(dim_values(ndim + 1)))
        elif kind == "int":
            values.append(draw(st.integers(-2, 6)))
        elif kind in ("ints", "sizes"):
            values.append(draw(small_tuples(st.integers(-1, 5))))
        else:
            values.append(draw(dim_values(rank) | small_tuples(st.integers(-rank, rank - 1))))
    return ", ".join(map(repr, values))


source_shapes = st.lists(st.integers(0, 4), max_size=4).map(tuple)


@PROPERTY_SETTINGS
@given(st.data(), source_shapes, st.sampled_from(["float32", "int64", "bool"]), st.booleans())
def test_operation_lines_run_alike_in_core_and_torch(data, shape, dtype_name, permuted):
    """A line the form accepts does the same in both: the same tensor, or the same error."""
    fill = "zeros" if dtype_name == "bool" else "arange"
    lines = [builder_line("x", shape, dtype_name, "cpu", fill)]
    if permuted and len(shape) > 1:  # a non-contiguous source: views may then need a copy
        order = data.draw(st.permutations(range(len(shape))), label="source order")
        lines.append(operation_line("x", "x", "permute", str(tuple(order)), len(shape)))
    operation = data.draw(st.sampled_from(sorted(VIEW_OPERATIONS)), label="operation")
    arguments = data.draw(argument_texts(operation, len(shape)), label="arguments")
    try:
        line = operation_line("y", "x", operation, arguments, len(shape))
    except FormError:
        return
    lines.append(line)
    core_names, torch_names = run_in_core_and_torch(lines[:-1])
    try:
        exec(line, core_names)
        core_error = None
    except Exception as error:  # the engine's report: it must be torch's too
        core_error = builtin_error_class(error)
    try:
        exec(torch_code(line), torch_names)
        torch_error = None
    except Exception as error:
        torch_error = builtin_error_class(error)
    assert core_error == torch_error, "\n".join(lines)
    if core_error is None:
        assert_same_tensor(core_names["y"], torch_names["y"], context="; ".join(lines))


def test_a_full_width_name_is_the_name_python_reads():
    assert check_name("\uff59") == "y"  # full-width y, as a CJK input method types it
    with pytest.raises(FormError, match="x already names a tensor"):
        check_name("\uff58", taken={"x"})


def test_a_refusal_is_one_translated_sentence_with_its_values():
    """English picks "argument" or "arguments"; each whole sentence has its own translation."""
    table = {
        ("ViewOperation", "{operation} takes {least} argument ({parameters}), got {given}"): (
            "{operation}은(는) 인자를 {least}개 받습니다 ({parameters}). 입력한 인자: {given}개"
        ),
        ("ViewOperation", "{operation} takes {least} arguments ({parameters}), got {given}"): (
            "{operation}은(는) 인자를 {least}개 받습니다 ({parameters}). 입력한 인자: {given}개"
        ),
        ("FormError", "{name} already names a tensor: choose another, such as {suggestion}"): (
            "{name}은(는) 이미 있는 텐서의 이름입니다: {suggestion}처럼 다른 이름을 고르세요"
        ),
    }
    i18n.install_translator(lambda context, text: table.get((context, text), text), "ko")
    try:
        one = refusal(lambda: operation_line("y", "x", "unsqueeze", "", 2))
        two = refusal(lambda: operation_line("y", "x", "transpose", "0", 2))
        taken = refusal(lambda: check_name("x", {"x"}))
    finally:
        i18n.install_translator(None, "en")

    assert str(one) == "unsqueeze은(는) 인자를 1개 받습니다 (dim). 입력한 인자: 0개"
    assert str(two) == "transpose은(는) 인자를 2개 받습니다 (dim0, dim1). 입력한 인자: 1개"
    assert str(taken) == "x은(는) 이미 있는 텐서의 이름입니다: y처럼 다른 이름을 고르세요"
    assert taken.field == "name"
