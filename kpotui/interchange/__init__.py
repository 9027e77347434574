"""The ``kpotui/1`` file format: parse, validate, import, export (see ``docs/format.md``).

One format, three encodings: a TOML or JSON document holding arrays of records
(:mod:`~kpotui.interchange.document`), or one CSV file per kind
(:mod:`~kpotui.interchange.csv_codec`). :mod:`~kpotui.interchange.inputs` opens inputs,
:mod:`~kpotui.interchange.importer` writes them in bulk, all or nothing, and
:mod:`~kpotui.interchange.exporter` writes the database back out, canonically.
"""
