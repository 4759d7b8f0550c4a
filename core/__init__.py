"""StrideScope's tensor engine: storage, strides, views and math, PyTorch-exact where names match.

``import core`` reads like ``import torch``: ``core.arange(12).view(3, 4).t().stride()``.
"""

from core import autograd, cuda, layout, memory, return_types
from core.autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from core.device import device
from core.dtypes import (
    bool_ as bool,  # noqa: A004 - PyTorch's name
)
from core.dtypes import (
    dtype,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    promote_types,
    set_default_dtype,
    uint8,
)
from core.dtypes import float16 as half
from core.dtypes import float32 as float  # noqa: A004 - PyTorch's alias
from core.dtypes import float64 as double
from core.dtypes import int16 as short
from core.dtypes import int32 as int  # noqa: A004 - PyTorch's alias
from core.dtypes import int64 as long
from core.formatting import set_printoptions
from core.layout import broadcast_shapes
from core.memory import OutOfMemoryError
from core.memory_format import channels_last, contiguous_format, memory_format, preserve_format
from core.ops.arithmetic import (
    abs,  # noqa: A004
    add,
    div,
    floor_divide,
    fmod,
    mul,
    neg,
    reciprocal,
    remainder,
    sign,
    sub,
    true_divide,
)
from core.ops.arithmetic import div as divide
from core.ops.arithmetic import mul as multiply
from core.ops.arithmetic import neg as negative
from core.ops.arithmetic import sub as subtract
from core.ops.elementary import cos, exp, log, sigmoid, sin, sqrt, tanh
from core.ops.factories import (
    arange,
    empty,
    empty_like,
    empty_strided,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from core.ops.joining import cat, concat, concatenate, stack
from core.ops.linalg import bmm, dot, matmul, mm, mv
from core.ops.logical import bitwise_and, bitwise_not, bitwise_or, bitwise_xor, logical_not
from core.ops.pointwise import result_type
from core.ops.power import pow, square  # noqa: A004
from core.ops.random_sampling import rand, randint, randn
from core.ops.rearranging import flip, nonzero
from core.ops.reductions import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    max,
    mean,
    min,
    prod,
    std,
    sum,
    var,
)  # noqa: A004
from core.ops.selection import (
    clamp,
    clamp_max,
    clamp_min,
    eq,
    ge,
    gt,
    isnan,
    le,
    lt,
    maximum,
    minimum,
    ne,
    relu,
    where,
)
from core.ops.selection import clamp as clip
from core.ops.splitting import chunk, split, tensor_split, unbind
from core.ops.strided_views import as_strided
from core.ops.views import (
    broadcast_to,
    clone,
    detach,
    diagonal,
    flatten,
    moveaxis,
    movedim,
    narrow,
    permute,
    reshape,
    select,
    squeeze,
    swapaxes,
    swapdims,
    t,
    transpose,
    unflatten,
    unsqueeze,
)
from core.random import Generator, default_generator, initial_seed, manual_seed
from core.tensor import Size, Tensor
from core.tensor_methods import attach as _attach_methods

_attach_methods()

__all__ = [name for name in dir() if not name.startswith("_")]
