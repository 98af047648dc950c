"""Nitka: follow the thread through the data.

An analyst platform for police units that fight transnational crime, above all
trafficking in human beings, together with foreign partners.
"""

__version__ = "0.1.0"
