"""The layout's values: the boxes it is given, and the placed boxes and routed edges it returns."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """A node to place: its id and its size."""

    id: Hashable
    width: float
    height: float


@dataclass(frozen=True)
class PlacedBox:
    """A box placed: ``x`` and ``y`` are its left and top edges; layer 0 is leftmost."""

    id: Hashable
    layer: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class RoutedEdge:
    """An edge as a polyline from the source's right side to the target's left, x increasing."""

    source: Hashable
    target: Hashable
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class GraphLayout:
    """Placed boxes by id, one routed edge per input edge (in input order), the size, and the
    number of edge crossings between adjacent layers."""

    boxes: Mapping[Hashable, PlacedBox]
    edges: tuple[RoutedEdge, ...]
    width: float
    height: float
    crossings: int
