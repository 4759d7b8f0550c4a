"""Colours shared by the panels: one colour per tensor over a storage, readable in both themes."""

from __future__ import annotations

# Tableau-10 hues without grey: distinct from each other on white and on the dark theme's
# navy, and for the common kinds of colour blindness in the first four.
FAMILY_COLORS: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
)


def family_color(position: int) -> str:
    """The colour of the tensor at ``position`` in ``Session.family()`` (colours repeat after 8)."""
    return FAMILY_COLORS[position % len(FAMILY_COLORS)]
