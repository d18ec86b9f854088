"""Matching parsed records against the user's network, and writing the result in one piece.

:class:`Planner` streams a parsed file and decides, record by record, who is
new, who is already there and what would change. It works in chunks of
``CHUNK_ROWS`` people (``WRITE_CHUNK_ROWS`` in an import): at the end of each chunk
the planned people are handed to a writer (an import) or given provisional ids (a
preview), folded into the network index so later rows of the file still match them,
and dropped. Memory
therefore grows only with the compact lookup keys of the network, never with the
file's rows.

:func:`import_file` runs the planner with the writer, each chunk in a short
transaction under the batch's hidden staging account, then publishes everything at
once (:mod:`coffeechat.imports.staging`: the import lands whole or not at all), with
bulk inserts, and records what it created and changed on the batch so that
:mod:`coffeechat.imports.undo` can take it back.
"""

from __future__ import annotations

from coffeechat.imports.engine.planner import Planner, problems_as_json
from coffeechat.imports.engine.preview import DuplicateFinder
from coffeechat.imports.engine.writer import import_file

__all__ = ["DuplicateFinder", "Planner", "import_file", "problems_as_json"]
