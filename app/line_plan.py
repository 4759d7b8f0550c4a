"""A line of session code, checked and instrumented so that running it once tells the viewer more.

The line runs exactly as written, once; assignment expressions added to its syntax tree
keep the intermediate tensors of ``y = x.t()[1:]`` (its lineage) and the receiver of
every ``.view(...)`` call (to explain a failure). No Qt here.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, field
from types import CodeType

from app.i18n import translate

RESERVED_NAMES = frozenset({"core", "torch"})
CAPTURE_PREFIX = "_stridescope_capture_"


@dataclass(frozen=True)
class ChainCapture:
    """``names = root.op(...)[...]``: each step before the value, root first, as (temp, label)."""

    names: tuple[str, ...]
    label: str
    steps: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ViewCapture:
    """A ``receiver.view(*arguments)`` call; ``arguments`` is None unless all are literals."""

    call: ast.Call
    temp: str
    receiver: str
    arguments: tuple | None


@dataclass
class LinePlan:
    """The compiled, instrumented line and what it captures."""

    code: str
    compiled: CodeType = field(init=False)
    chains: list[ChainCapture] = field(default_factory=list)
    views: list[ViewCapture] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    """Each temp's expression as the user wrote it."""

    @classmethod
    def parse(cls, code: str) -> LinePlan:
        """Check and instrument ``code``.

        Raises
        ------
        SyntaxError
            When the code does not parse.
        ValueError
            When it rebinds ``core`` or ``torch``, which name the engine in the session.
        """
        tree = ast.parse(code, "<console>")
        refuse_reserved_names(tree)
        plan = cls(code)
        temps = (f"{CAPTURE_PREFIX}{i}" for i in itertools.count())
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                plan._capture_chain(statement, temps)
        plan._capture_view_receivers(tree, temps)
        try:
            plan.compiled = compile(ast.fix_missing_locations(tree), "<console>", "exec")
        except SyntaxError:
            # An assignment expression is not allowed everywhere (a comprehension's
            # iterable): run the line as written, without captures. A line that is itself
            # wrong (`return` outside a function) raises its own error here.
            plan.chains, plan.views = [], []
            plan.compiled = compile(code, "<console>", "exec")
        return plan

    def take_captures(self, namespace: dict[str, object]) -> dict[str, object]:
        """Remove the captured values from ``namespace`` and return them by temp name."""
        return {
            name: namespace.pop(name) for name in list(namespace) if name.startswith(CAPTURE_PREFIX)
        }

    def _capture_chain(self, statement: ast.Assign, temps) -> None:
        names = tuple(target.id for target in statement.targets if isinstance(target, ast.Name))
        nodes = chain_nodes(statement.value)
        if not names or nodes is None or len(nodes) < 2:
            return
        labels = [ast.unparse(node) for node in nodes]  # before any node is wrapped
        steps = []
        for parent, node, label in zip(nodes, nodes[1:], labels[1:], strict=False):
            temp = next(temps)
            _wrap_child(parent, node, temp)
            steps.append((temp, label))
            self.labels[temp] = label
        self.chains.append(ChainCapture(names, labels[0], tuple(reversed(steps))))

    def _capture_view_receivers(self, tree: ast.Module, temps) -> None:
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "view"
            ):
                continue
            receiver = node.func.value
            if isinstance(receiver, ast.NamedExpr):  # already kept as a lineage step
                temp = receiver.target.id
                label = self.labels[temp]
            else:
                temp, label = next(temps), ast.unparse(receiver)
                _wrap_child(node, receiver, temp)
            try:
                arguments = tuple(ast.literal_eval(argument) for argument in node.args)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                arguments = None
            self.views.append(ViewCapture(node, temp, label, arguments))


def chain_nodes(value: ast.expr) -> list[ast.expr] | None:
    """``root.op(...)[...].T`` from the whole value down to its root name; None otherwise."""
    nodes = [value]
    node = value
    while not isinstance(node, ast.Name):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        elif isinstance(node, ast.Subscript | ast.Attribute):
            node = node.value
        else:
            return None
        nodes.append(node)
    return nodes


def _wrap_child(parent: ast.expr, child: ast.expr, temp: str) -> None:
    """Replace ``child`` under ``parent`` by ``(temp := child)``."""
    wrapped = ast.copy_location(ast.NamedExpr(ast.Name(temp, ast.Store()), child), child)
    if isinstance(parent, ast.Call):
        parent.func.value = wrapped
    else:
        parent.value = wrapped


def refuse_reserved_names(tree: ast.Module) -> None:
    """Raise ValueError when ``tree`` binds or deletes ``core`` or ``torch``."""
    for node in ast.walk(tree):
        bound: list[str] = []
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound = [node.id]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound = [(alias.asname or alias.name).split(".")[0] for alias in node.names]
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            bound = [node.name]
        for name in bound:
            if name in RESERVED_NAMES:
                raise ValueError(
                    translate(
                        "LinePlan",
                        "'{name}' is the engine here (core, or torch as you would write it): "
                        "keep it, and choose another name",
                    ).format(name=name)
                )


def assigned_names(code: str) -> list[str]:
    """Names the top-level statements of ``code`` bind, in source order."""
    names = []
    for statement in ast.parse(code).body:
        stored = [
            node
            for node in ast.walk(statement)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        ]
        names += [node.id for node in sorted(stored, key=lambda n: (n.lineno, n.col_offset))]
    return names
