"""Side-by-side timings of core against NumPy and PyTorch (run by hand, never as tests)."""
