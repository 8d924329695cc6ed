"""What publishes the table beyond the API: the documentation pages (:mod:`.docs`, which
the HTTP face also serves), the static export (:mod:`.export`), the client's generated
types (:mod:`.typescript`), and a Markdown table into the registry (:mod:`.table_import`,
``flask registry import``, with tomlkit: never imported by the service), reading pages with
:mod:`.page`, which ``flask catalog table-import`` shares.
"""
