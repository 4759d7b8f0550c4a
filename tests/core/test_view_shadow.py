"""Shadow test: random chains of view ops on `core` and on `torch`, side by side.

In the spirit of tinygrad's shadow tests: hypothesis draws a chain of 1..8 ops,
each with arguments drawn for the current shape (some deliberately invalid), and
after every step the two tensors must agree in sizes, strides, storage offset,
contiguity, values and storage sharing, or both must raise the same builtin
exception class. When a step yields several tensors (split, unbind, ...) the
chain continues with one of them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.assertions import assert_same_sharing
from tests.core.tensor_pairs import TensorPair, tensor_pairs
from tests.core.view_calls import VIEW_OPS, call_pair, view_calls

MAX_NUMEL = 4096  # keeps every step cheap; expand and unfold can grow a tensor fast


def _run_chain(root: TensorPair, data: st.DataObject, ops: tuple[str, ...]) -> None:
    pair = root
    for step in range(data.draw(st.integers(1, 8), label="chain length")):
        call = data.draw(
            view_calls(tuple(pair.t.shape), pair.storage_numel, ops), label=f"step {step}"
        )
        res = call_pair(call, pair)
        if res is None:  # both raised the same class: carry on from the same tensor
            continue
        c_out, t_out = res
        if isinstance(t_out, (tuple, list)):
            if not t_out:
                continue
            i = data.draw(st.integers(0, len(t_out) - 1), label=f"piece of step {step}")
            c_out, t_out = c_out[i], t_out[i]
        if t_out.numel() > MAX_NUMEL:
            break
        # Whatever the chain did, sharing with the root must match torch's.
        assert_same_sharing(c_out, root.c, t_out, root.t)
        pair = TensorPair(
            c_out,
            t_out,
            f"{pair.recipe} -> {call!r}",
            pair.storage_numel,
            pair.steps,
            pair.base_shape,
        )


@given(root=tensor_pairs(max_steps=1), data=st.data())
def test_random_view_chains_match_torch(root: TensorPair, data: st.DataObject) -> None:
    _run_chain(root, data, VIEW_OPS)


# Pure movement ops only (no copies): long chains of these stay views of the root.
MOVEMENT_OPS = (
    "view",
    "transpose",
    "permute",
    "expand",
    "narrow",
    "select",
    "unsqueeze",
    "squeeze",
    "unfold",
    "diagonal",
    "getitem",
    "movedim",
    "flatten",
    "unflatten",
    "split",
    "as_strided",
)


@settings(max_examples=80)
@given(root=tensor_pairs(max_steps=0, min_dims=2, allow_zero_size=False), data=st.data())
def test_random_movement_chains_from_contiguous_base(root: TensorPair, data: st.DataObject) -> None:
    _run_chain(root, data, MOVEMENT_OPS)
