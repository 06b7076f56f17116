"""Garbage collection in a worker process.

A Django process holds a large heap from the moment it has loaded its apps (models, URL patterns, translation
catalogues, templates): hundreds of thousands of objects that live as long as the process. Python's cyclic
collector walks all of them on every full collection, and a report request that builds a few thousand rows triggers
several: on the city tier the county's month dashboard spent about 40 % of its time in the collector (cProfile with
and without gc.disable()). gc.freeze() (Python 3.7+) moves everything alive at that point into a permanent
generation the collector no longer walks; the Python documentation recommends it for pre-forking servers (it also
keeps the pages shared between gunicorn workers after fork). Cycles created later are collected as before."""
from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Collect what start-up left behind, then exempt every object still alive from later collections."""
    gc.collect()
    gc.freeze()
