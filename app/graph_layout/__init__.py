"""Layered (Sugiyama) layout of a DAG, left to right: the autograd graph panel's geometry.

Written here rather than taken from a library, because none fits: grandalf (the one pure-Python
Sugiyama layout) is barely maintained, networkx has no layered layout with crossing reduction,
and graphviz needs its own binary. The steps, run by ``layered_layout`` (``layout``):

1. layers (``layering``): longest path to the sinks (as late as possible: a leaf, and whatever
   is computed from leaves alone, sits just before its first use), then each node with more
   incoming than outgoing edges is pulled left as far as its predecessors allow;
2. the proper graph (``layering``): an edge spanning several layers runs through one dummy node
   per layer between. The long edges of a node that starts (or ends) several of them share one
   chain of dummies, a *bus*: a weight reused at every step of a loop costs one dummy per layer,
   not one per use (what graphviz calls ``concentrate``);
3. order within each layer (``ordering``): a depth-first start (planar for trees), then rounds
   of barycenter sweeps down and up (a layer's new order kept only if it adds no crossings) and
   adjacent swaps ("transpose"), keeping the order with the fewest crossings, each layer pair's
   counted as inversions in O(E log V);
4. coordinates (``layout`` and ``placement``): x from the layer (columns as wide as their
   widest box, ``layer_gap`` apart); y by sweeps that put each layer as close as possible to
   the medians of its neighbours, exactly, as a weighted isotonic regression (pool adjacent
   violators) under the no-overlap constraints; dummies weigh more than boxes, and each run of
   them is then levelled where its neighbours leave room, which straightens long edges.

Each round is O((V + D + E) log V), D the dummies; the rounds are bounded, and fewer for a
huge graph, so the time grows about linearly with V + D + E. Connected components are laid
out one by one and stacked top to bottom.
"""

from app.graph_layout.layout import layered_layout
from app.graph_layout.values import Box, GraphLayout, PlacedBox, RoutedEdge

__all__ = ["Box", "GraphLayout", "PlacedBox", "RoutedEdge", "layered_layout"]
