"""The ``nitka`` command line: one module per command group."""
