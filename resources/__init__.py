"""StrideScope's data files (icons, and later lessons, styles, translations, timings).

A package only so that ``importlib.resources.files("resources")`` finds the files the
same way from a source tree, an editable install and a wheel.
"""
