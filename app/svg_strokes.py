"""Strokes of a fixed width in an SVG, drawn so that every viewer keeps their width.

Qt draws a cosmetic pen (one as wide on screen at any zoom: a cell's outline, a plot's
curve) into an SVG as a shape in the zoomed coordinates of a group's ``transform``, marked
``vector-effect="non-scaling-stroke"``. Browsers honour that; librsvg (the desktop's image
viewer), office suites and some drawing programs do not, and draw a 3-pixel outline under
an 80-times zoom 240 pixels wide, over everything around it. :func:`strokes_in_place`
moves such shapes' points through the transform instead, which draws the same picture in
every viewer. No Qt here: the SVG's text in, the SVG's text out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
NON_SCALING = "non-scaling-stroke"
MATRIX = re.compile(r"matrix\(([^)]*)\)")
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
PAIR = re.compile(rf"({NUMBER}),({NUMBER})")
"""A point as Qt writes it in a path or a polyline: ``x,y``."""
POINT_LISTS = {"path": "d", "polyline": "points", "polygon": "points"}
BOXES = {"rect": (("x", "width"), ("y", "height")), "ellipse": (("cx", "rx"), ("cy", "ry"))}
"""Shapes given by a place and a size along each axis: moved only by a matrix that keeps
the axes (scales and shifts, no rotation)."""

Matrix = tuple[float, float, float, float, float, float]


def strokes_in_place(svg: str) -> str:
    """``svg`` with each group of fixed-width strokes drawn without a scaling transform."""
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", XLINK_NS)
    root = ElementTree.fromstring(svg)
    for group in root.iter(f"{{{SVG_NS}}}g"):
        matrix = _movable_matrix(group)
        if matrix is None:
            continue
        for shape in group:
            _move(shape, matrix)
        group.set("transform", "matrix(1,0,0,1,0,0)")
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def _movable_matrix(group: ElementTree.Element) -> Matrix | None:
    """The group's transform when all it holds is fixed-width strokes that can be moved
    through it (and it scales them); else None."""
    found = MATRIX.fullmatch(group.get("transform", ""))
    shapes = list(group)
    # A gradient or pattern is placed in the group's coordinates: moving the shapes alone
    # would leave it behind.
    if found is None or not shapes or "url(" in group.get("fill", ""):
        return None
    a, b, c, d, e, f = (float(number) for number in found.group(1).split(","))
    if abs(a) == abs(d) == 1 and b == c == 0:
        return None  # a shift or a flip leaves a stroke's width as it is
    for shape in shapes:
        kind = shape.tag.removeprefix(f"{{{SVG_NS}}}")
        if shape.get("vector-effect") != NON_SCALING or len(shape):
            return None
        if kind not in POINT_LISTS and not (kind in BOXES and b == c == 0):
            return None
    return a, b, c, d, e, f


def _move(shape: ElementTree.Element, matrix: Matrix) -> None:
    """Put ``shape``'s points where ``matrix`` takes them."""
    a, b, c, d, e, f = matrix
    kind = shape.tag.removeprefix(f"{{{SVG_NS}}}")
    if kind in POINT_LISTS:
        attribute = POINT_LISTS[kind]

        def moved(pair: re.Match) -> str:
            x, y = float(pair.group(1)), float(pair.group(2))
            return f"{_number(a * x + c * y + e)},{_number(b * x + d * y + f)}"

        shape.set(attribute, PAIR.sub(moved, shape.get(attribute, "")))
        return
    for (place, size), (scale, shift) in zip(BOXES[kind], ((a, e), (d, f)), strict=True):
        start = scale * float(shape.get(place, "0")) + shift
        extent = scale * float(shape.get(size, "0"))
        if kind == "rect" and extent < 0:  # flipped: the same box from its other corner
            start, extent = start + extent, -extent
        shape.set(place, _number(start))
        shape.set(size, _number(abs(extent)))


def _number(value: float) -> str:
    """``value`` as Qt writes numbers: short, without a trailing ``.0``."""
    return f"{value:.6g}"
