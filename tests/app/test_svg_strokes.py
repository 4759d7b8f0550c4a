"""Fixed-width strokes in an SVG drawn without a scaling transform, so any viewer keeps them."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from app.svg_strokes import SVG_NS, strokes_in_place

HEAD = f'<svg xmlns="{SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100">'


def drawn(group: str) -> ElementTree.Element:
    """The first group of ``group`` (an SVG group's text) after :func:`strokes_in_place`."""
    root = ElementTree.fromstring(strokes_in_place(f"{HEAD}{group}</svg>"))
    return root.find(f"{{{SVG_NS}}}g")


def only_shape(group: ElementTree.Element) -> dict[str, str]:
    (shape,) = list(group)
    return dict(shape.attrib)


def test_a_cells_outline_is_drawn_where_it_shows_at_its_width():
    group = drawn(
        '<g fill="none" stroke="#f5a623" stroke-width="3" transform="matrix(10,0,0,20,5,7)">'
        '<rect vector-effect="non-scaling-stroke" x="1" y="2" width="1" height="1"/></g>'
    )
    assert group.get("transform") == "matrix(1,0,0,1,0,0)"
    assert group.get("stroke-width") == "3"
    shape = only_shape(group)
    assert [shape[key] for key in ("x", "y", "width", "height")] == ["15", "47", "10", "20"]


def test_a_curves_points_are_moved_through_the_matrix():
    group = drawn(
        '<g transform="matrix(2,0,0,-1,10,10)">'
        '<path vector-effect="non-scaling-stroke" d="M0,0 L1,2 C1,1 2,2 3,3 Z"/>'
        '<polyline vector-effect="non-scaling-stroke" points="0.5,1e-1 4,4 "/></g>'
    )
    path, polyline = list(group)
    assert path.get("d") == "M10,10 L12,8 C12,9 14,8 16,7 Z"
    assert polyline.get("points") == "11,9.9 18,6 "


def test_a_rotation_moves_points_too():
    group = drawn(
        '<g transform="matrix(0,3,-3,0,50,50)">'
        '<polygon vector-effect="non-scaling-stroke" points="1,0 0,1"/></g>'
    )
    assert only_shape(group)["points"] == "50,53 47,50"


def test_a_flipped_box_keeps_a_positive_size():
    group = drawn(
        '<g transform="matrix(1,0,0,-4,0,10)">'
        '<rect vector-effect="non-scaling-stroke" x="0" y="2" width="3" height="1"/>'
        '<ellipse vector-effect="non-scaling-stroke" cx="1" cy="1" rx="2" ry="0.5"/></g>'
    )
    rect, ellipse = (dict(shape.attrib) for shape in group)
    assert [rect[key] for key in ("x", "y", "width", "height")] == ["0", "-2", "3", "4"]
    assert [ellipse[key] for key in ("cx", "cy", "rx", "ry")] == ["1", "6", "2", "2"]


@pytest.mark.parametrize(
    "group",
    [
        # Strokes that scale with the drawing, as the group says.
        '<g transform="matrix(10,0,0,10,0,0)"><rect x="1" y="1" width="1" height="1"/></g>',
        # A gradient placed in the group's coordinates.
        '<g fill="url(#gradient1)" transform="matrix(10,0,0,10,0,0)">'
        '<rect vector-effect="non-scaling-stroke" x="1" y="1" width="1" height="1"/></g>',
        # Text beside the strokes.
        '<g transform="matrix(10,0,0,10,0,0)">'
        '<path vector-effect="non-scaling-stroke" d="M0,0 L1,1"/><text x="0" y="0">a</text></g>',
        # A rotated box is no box: left to the viewer.
        '<g transform="matrix(0,1,-1,0,0,0)">'
        '<rect vector-effect="non-scaling-stroke" x="1" y="1" width="1" height="1"/></g>',
        # Only moved: the width is kept whatever the viewer.
        '<g transform="matrix(1,0,0,-1,40,60)">'
        '<path vector-effect="non-scaling-stroke" d="M0,0 L1,1"/></g>',
    ],
)
def test_other_groups_are_left_as_they_are(group):
    before = ElementTree.fromstring(f"{HEAD}{group}</svg>").find(f"{{{SVG_NS}}}g")
    after = drawn(group)
    assert ElementTree.tostring(after) == ElementTree.tostring(before)


def test_the_rest_of_the_drawing_is_kept():
    svg = (
        f'{HEAD}<title>StrideScope</title><g font-family="Sans">'
        '<text xml:space="preserve" x="1" y="2"> x = y.t() </text>'
        '<image x="0" y="0" width="4" height="4" xlink:href="data:image/png;base64,AAAA"/>'
        "</g></svg>"
    )
    root = ElementTree.fromstring(strokes_in_place(svg))
    assert root.findtext(f"{{{SVG_NS}}}title") == "StrideScope"
    text = root.find(f".//{{{SVG_NS}}}text")
    assert text.text == " x = y.t() "
    assert text.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    image = root.find(f".//{{{SVG_NS}}}image")
    assert image.get("{http://www.w3.org/1999/xlink}href") == "data:image/png;base64,AAAA"
