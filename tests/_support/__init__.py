"""Helpers shared by every test module: ``from _support.builders import SP, order``.

The suite imports test modules with ``--import-mode=importlib``, which keeps one test
module from importing another; pyproject's ``pythonpath = ["tests"]`` puts this package
on ``sys.path`` instead, and ``tests/conftest.py`` adds the same directory to
``PYTHONPATH`` for the worker processes the tests start (``tests/contract/_*_worker.py``).

* :mod:`_support.builders`: small value builders and constants (the São Paulo zone, a
  fixed instant, the fast password hasher, the repository's paths).
* :mod:`_support.strategies`: Hypothesis strategies for junk input (JSON-like values).
* :mod:`_support.cli`: run the command line in-process and capture what it printed.
* :mod:`_support.workers`: the start line of the multi-process workers.

Nothing here is part of otocore; strategies for otocore's own types live in
``otocore.testing``.
"""
