"""Extraction: a DW article page -> an ArticleItem (one page class per design,
the cleaning rules, the item loader and its processors)."""
