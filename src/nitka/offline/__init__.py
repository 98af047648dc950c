"""Offline copies of the watch lists for officers whose line to the server drops (MIND).

A copy is a Nitka SQLite store of its own holding only the watch-list
entries its account may see (``nitka offline pull``), so that ``nitka
screen`` and the check API work on it unchanged. It follows the server's
change sequence (``nitka offline sync``): every page it takes in is signed by
the server and refused if it does not verify. Checks made on the copy go to
its own check log and are uploaded on reconnect, each stored once on the
server. Client side here (``wire``, ``origin``, ``apply``, ``client``,
``transfer``); the server's side reads pages with ``source`` and answers
through ``nitka.services.offline``.
"""
