"""Threat assessment: organised crime groups rated and scored under weight profiles
(``scale``, ``profiles``, ``scoring``, ``ratings``, ``suggest``), and the legal
criteria of UNTOC and the Trafficking Protocol as three-state checklists computed
from a case's statements (``facts``, ``criteria``, ``untoc``, ``protocol``,
``overrides``). The case facts are kept as docs/thb-case-data.md says.
"""
