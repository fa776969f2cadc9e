"""Generators of test material: office-style roadmap workbooks with the plan each must import to.

:mod:`tests.generators.layouts` makes random roadmap and non-roadmap workbooks (its docstring
lists every dimension); :mod:`tests.generators.scoring` compares what the reader made of them
with the plan they were built from.
"""
