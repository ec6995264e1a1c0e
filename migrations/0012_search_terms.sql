-- The terms of the full-text index, one row per occurrence (fts5vocab, type `instance`). A
-- search expands a word's prefix to the terms that start with it through this table, seeking
-- term by term, so FTS5 can walk each term's list from the newest row instead of merging a
-- prefix's whole list first (ADR 0036). It stores nothing: it reads `products_fts`'s index.
CREATE VIRTUAL TABLE `products_fts_terms` USING fts5vocab(products_fts, instance);
