"""The panels of the StrideScope window, one module per panel."""
