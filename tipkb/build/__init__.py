"""Building the bilingual site: per-language configuration, notebook execution with a
data-aware cache, Sphinx builds, search index and atomic publication."""
