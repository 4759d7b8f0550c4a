"""Run a snippet of user code against ``core`` and describe the tensors it leaves behind.

No Qt here: the window and the command line both call :func:`run_code`.
"""

from __future__ import annotations

from dataclasses import dataclass

import core

DEFAULT_CODE = "x = core.arange(12).view(3, 4); y = x.t()"


class CodeError(Exception):
    """The user's code failed; ``str(error)`` is one line: exception class and message."""


@dataclass(frozen=True)
class TensorSummary:
    """What the first window shows of one tensor, with PyTorch's names."""

    name: str
    text: str
    shape: tuple[int, ...]
    stride: tuple[int, ...]
    storage_offset: int
    is_contiguous: bool

    def metadata(self) -> list[tuple[str, str]]:
        """Label and value of each metadata line, labels as a PyTorch user would type them."""
        return [
            ("shape", str(self.shape)),
            ("stride()", str(self.stride)),
            ("storage_offset()", str(self.storage_offset)),
            ("is_contiguous()", str(self.is_contiguous)),
        ]


def run_code(code: str) -> list[TensorSummary]:
    """Execute ``code`` with ``core`` in scope and summarise every tensor it names.

    Tensors come in the order their names were first assigned; names starting with
    an underscore are left out.

    Raises
    ------
    CodeError
        When the code does not compile, raises, or leaves a tensor that cannot be shown.
    """
    namespace: dict[str, object] = {"core": core}
    try:
        exec(compile(code, "<code>", "exec"), namespace)
        return [
            summarize_tensor(name, value)
            for name, value in namespace.items()
            if isinstance(value, core.Tensor) and not name.startswith("_")
        ]
    # SystemExit too: `exit()` in a snippet must not close the app.
    except (Exception, SystemExit) as error:
        raise CodeError(describe_exception(error)) from error


def summarize_tensor(name: str, tensor: core.Tensor) -> TensorSummary:
    """Read the layout of ``tensor`` into a :class:`TensorSummary`."""
    return TensorSummary(
        name=name,
        text=repr(tensor),
        shape=tuple(tensor.shape),
        stride=tuple(tensor.stride()),
        storage_offset=tensor.storage_offset(),
        is_contiguous=tensor.is_contiguous(),
    )


def describe_exception(error: BaseException) -> str:
    """One line naming the exception class and the first line of its message."""
    lines = str(error).strip().splitlines()
    name = type(error).__name__
    return f"{name}: {lines[0]}" if lines else name
