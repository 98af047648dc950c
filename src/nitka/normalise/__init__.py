"""Names and identifiers normalised across scripts: pure functions, no store.

Search, matching, entity resolution and analysis all compare names written in
Cyrillic and Latin (``Олександр Петренко`` = ``Oleksandr Petrenko``) and
identifiers written in many forms (passport numbers, IBANs, plates, phones);
they share these keys so that what one finds, the others agree with.
"""
