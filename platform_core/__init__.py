"""Qiaoban platform core: Django project and platform apps.

Named ``platform_core`` rather than ``platform``: a top-level package called
``platform`` shadows Python's standard-library module of that name, and ``uuid``
(imported by Django at start-up) then fails.

This ``__init__`` must stay free of Django imports: the pure-Python engine imports
``platform_core.errors`` and ``platform_core.registry``.
"""
