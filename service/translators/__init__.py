"""The translators' tools: the gettext toolchain around the catalogs, as Babel keeps its own
in ``babel.messages``. The service never imports this package (no polib or
translate-toolkit at run time).

:mod:`.extract` (the ``pybabel extract`` extractor), :mod:`.check` (the catalog rules)
with :mod:`.typography`, :mod:`.glossary` and :mod:`.placeholders`, :mod:`.pseudo`
(pseudo-locales), :mod:`.xliff` (CAT tools), and :mod:`.commands` (``flask catalog …``).
"""
