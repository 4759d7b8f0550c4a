"""Tensor operations: views, factories, math, reductions, joining, indexing and in-place writes."""
