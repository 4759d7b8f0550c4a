"""StrideScope's Qt GUI and command line, drawn from the tensor engine in ``core``."""
