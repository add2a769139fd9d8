"""The chat edge: everything that speaks Telegram (the only importer of ``telegram``)."""
