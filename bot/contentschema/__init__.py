"""The content schema behind ``bot.content``: safe YAML reading, checks and dataclasses.

Import from ``bot.content``; the modules here are its parts:

- ``yamlread``: one YAML file -> plain values plus a field-path -> line map (hostile-safe).
- ``problems``: ``Problem``, ``ContentError`` and the per-file checker ``Doc``.
- ``texts``: bilingual ``Text`` and the shared field/option/step shapes.
- ``exercises`` / ``modules``: exercise kinds and module files.
- ``safety``, ``questionnaires``, ``locales``: the other content files.
"""
