"""The content as values: modules, exercises, instruments and safety texts, frozen and pure.

``bot.contentschema`` reads and checks the YAML into these types; the core, services and
the chat edge use them without knowing any YAML."""
