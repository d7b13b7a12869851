"""Aishang Property (爱尚物业): command line and glue around the Tryton addons.

The Tryton modules themselves live in ``addons/aishang_*`` and are installed
as ``trytond.modules.aishang_*``; this package holds what is not a module:
the ``aishang`` command (:mod:`aishang.cli`), the test runner
(:mod:`aishang.testrun`) and the demo data loader (:mod:`aishang.demo_data`).
Importing it has no side effects.
"""

__version__ = '8.0.0'
