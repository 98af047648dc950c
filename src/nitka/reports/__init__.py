"""The unit's periodic statistics and their reports (issue 25, points 4 and 5).

Figures are computed from the store, never typed in: THB case facts are read as
``docs/thb-case-data.md`` keeps them (``facts``), exchange figures come from the
exchange's own records through the service layer (this package sits beside
``nitka.exchange`` and does not import it), and the tables are shaped as UNODC's
GLOTIP data and Eurostat's trafficking statistics (``statistics``). The reports
are XLSX with native charts, PDF and CSV, in English, Ukrainian and Bulgarian
(``render_xlsx``, ``render_pdf``, ``render_csv``, ``labels``). The anonymised
victim file made for people outside the unit is ``anonymised`` (issue 25, point 3).
"""
