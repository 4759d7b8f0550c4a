"""Running a lesson step against the session, and checking it does what its file says.

No Qt here (the session is passed in). The player runs each step through
:func:`run_step`; the lesson test runs every step of every lesson the same way, so a step
whose code fails, whose failure reads otherwise, or whose look names a tensor, cell or
node that is not there is caught before a student meets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.autograd_graph import AutogradGraph, GradFnNode, NodeId
from app.code_text import describe_exception, statements
from app.lessons import Step


class LessonStepError(Exception):
    """A step that does not do what its file says; ``str(error)`` is one line naming it."""


@dataclass(frozen=True)
class StepOutcome:
    """What a step gave: the failure its ``fails`` expects (one line), and the value of its
    question's ``answer`` right after the code ran (None without a question)."""

    error: str | None
    expected: object | None
    explanation: object | None = None
    """Why the expected failure is one, when it is a failed ``view`` (a ViewExplanation):
    for showing the step again as it first looked."""


def run_step(session, step: Step) -> StepOutcome:
    """Run ``step`` on ``session``: its code, its backward steps, its look, its answer.

    Each statement of the code runs as its own line of the history, as the console runs
    it. Then the backward pass is stepped from its root, the look's tensor shown and its
    cell or storage element pinned, and the question's answer evaluated.

    Raises
    ------
    LessonStepError
        When the step does not do what its file says: code that fails without ``fails``
        (or fails otherwise, or not at all, with it), a look or backward root that names
        no tensor, a cell or storage index outside the tensor, a node not in the graph,
        backward steps past the pass's end, an answer that does not evaluate.
    """
    from app.session import CodeError  # the session imports Qt; this module does not

    where = f"{step.place}: " if step.place else ""
    error, explanation = _run_code(session, step, where)
    _show_graph(session, step, where)
    _look(session, step, where)
    expected = None
    if step.question is not None:
        try:
            expected = session.evaluate(step.question.answer)
        except CodeError as failure:
            raise LessonStepError(
                f"{where}question.answer {step.question.answer} failed: {failure}"
            ) from failure
    return StepOutcome(error, expected, explanation)


def show_graph(session, step: Step) -> None:
    """Put the backward graph as ``step`` shows it, without running its code: the pass from
    ``backward.root`` stepped ``backward.steps`` nodes from its start; for a look at a node
    alone, the graph of the default root (the newest scalar that requires grad), not of a
    root chosen before (another lesson's ``L``).

    Raises
    ------
    LessonStepError
        When the root is no tensor that requires grad, or the pass cannot be stepped that far.
    """
    _show_graph(session, step, f"{step.place}: " if step.place else "")


def graph_node_named(graph: AutogradGraph | None, name: str) -> NodeId:
    """The first grad_fn node of ``graph`` named ``name`` (``MulBackward0``).

    Raises
    ------
    LessonStepError
        When there is no graph, or no node of that name in it (the message lists them).
    """
    if graph is None:
        raise LessonStepError(f"no backward graph to find {name} in: no tensor requires grad")
    names = []
    for node in graph.nodes.values():
        if isinstance(node, GradFnNode):
            if node.name == name:
                return node.id
            names.append(node.name)
    raise LessonStepError(
        f"the graph from {graph.root_name} has no node {name}: it has "
        + ", ".join(dict.fromkeys(names))
    )


def _run_code(session, step: Step, where: str) -> tuple[str | None, object | None]:
    """Run the code statement by statement; the failure ``fails`` expects and its view
    explanation, else None twice."""
    from app.session import CodeError  # the session imports Qt; this module does not

    if not step.code:
        return None, None
    try:
        lines = statements(step.code)
    except SyntaxError as error:
        raise LessonStepError(f"{where}code does not parse: {describe_exception(error)}") from error
    for number, line in enumerate(lines, 1):
        last = number == len(lines)
        try:
            session.run(line)
        except CodeError as error:
            message = str(error)
            if step.fails is None:
                raise LessonStepError(
                    f'{where}code line {line!r} failed: {message} (add fails = "..." if it should)'
                ) from error
            if not last:
                raise LessonStepError(
                    f"{where}code line {line!r} failed before the last line: {message}"
                ) from error
            if step.fails not in message:
                raise LessonStepError(
                    f"{where}the last line failed with {message!r}, which does not contain "
                    f"fails = {step.fails!r}"
                ) from error
            return message, error.explanation
    if step.fails is not None:
        raise LessonStepError(
            f"{where}the last line ran, but fails says it fails with {step.fails!r}"
        )
    return None, None


def _show_graph(session, step: Step, where: str) -> None:
    if step.backward is not None:
        _step_backward(session, step, where)
    elif step.look.node is not None:
        session.choose_backward_root(None)


def _step_backward(session, step: Step, where: str) -> None:
    """Step the pass from the root ``backward.steps`` nodes from its start."""
    root, count = step.backward.root, step.backward.steps
    tensor = session.tensors().get(root)
    if tensor is None:
        raise LessonStepError(f"{where}backward.root {root!r} is no tensor of the session")
    if not tensor.requires_grad:
        raise LessonStepError(
            f"{where}backward.root {root!r} does not require grad, so it has no backward pass"
        )
    session.choose_backward_root(root)
    session.reset_backward()
    for done in range(count):
        if session.backward_pass.finished:
            raise LessonStepError(
                f"{where}backward.steps = {count}, but the pass from {root} ends after {done} steps"
            )
        session.step()
        error = session.backward_pass.error
        if error is not None:
            raise LessonStepError(f"{where}backward step {done + 1} failed: {error.message}")


def _look(session, step: Step, where: str) -> None:
    """Show the look's tensor and pin its cell or storage element; check its graph node."""
    look = step.look
    if look.tensor is not None:
        if look.tensor not in session.tensors():
            raise LessonStepError(
                f"{where}look.tensor {look.tensor!r} is no tensor of the session: it has "
                + (", ".join(session.tensors()) or "none")
            )
        session.select(look.tensor)
    if look.cell is not None or look.storage is not None:
        shown = session.current
        if shown is None:
            raise LessonStepError(f"{where}look lights an element, but no tensor is shown")
        if session.pinned:
            session.click_logical(None)  # a click on an element pinned already would unpin it
        if look.cell is not None:
            _check_cell(shown.tensor, look.cell, shown.label, where)
            session.click_logical(look.cell)
        else:
            size = shown.tensor.untyped_storage().element_count
            if look.storage >= size:
                raise LessonStepError(
                    f"{where}look.storage = {look.storage}, but the storage of {shown.label} "
                    f"has {size} elements (0 to {size - 1})"
                )
            session.click_storage(look.storage)
    if look.node is not None:
        try:
            graph_node_named(session.graph, look.node)
        except LessonStepError as error:
            raise LessonStepError(f"{where}look.node: {error}") from error


def _check_cell(tensor, cell: tuple[int, ...], label: str, where: str) -> None:
    shape = tuple(tensor.shape)
    if len(cell) != len(shape) or any(i >= size for i, size in zip(cell, shape, strict=False)):
        raise LessonStepError(
            f"{where}look.cell = {list(cell)} is not an element of {label}, whose shape is "
            f"{shape}: give {len(shape)} indices, each below its size"
        )
