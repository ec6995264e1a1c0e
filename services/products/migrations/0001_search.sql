-- Carried from the monolith's hand-written migrations/0003_products_search.sql and
-- migrations/0012_search_terms.sql, statement for statement (test/services/migrations.test.ts
-- compares the two schemas).
-- Full-text search over products' name and description (FTS5, an external-content table over
-- `products`, kept in step by triggers so every projection updates it in the same statement).
CREATE VIRTUAL TABLE `products_fts` USING fts5(
	name,
	description,
	content = 'products',
	content_rowid = 'rowid',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO products_fts (rowid, name, description) VALUES (new.rowid, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_delete` AFTER DELETE ON `products` BEGIN
	INSERT INTO products_fts (products_fts, rowid, name, description)
	VALUES ('delete', old.rowid, old.name, old.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_after_update` AFTER UPDATE OF name, description ON `products` BEGIN
	INSERT INTO products_fts (products_fts, rowid, name, description)
	VALUES ('delete', old.rowid, old.name, old.description);
	INSERT INTO products_fts (rowid, name, description) VALUES (new.rowid, new.name, new.description);
END;
--> statement-breakpoint
-- The terms of the full-text index, one row per occurrence (fts5vocab, type `instance`). A
-- search expands a word's prefix to the terms that start with it through this table, seeking
-- term by term, so FTS5 can walk each term's list from the newest row instead of merging a
-- prefix's whole list first (ADR 0036). It stores nothing: it reads `products_fts`'s index.
CREATE VIRTUAL TABLE `products_fts_terms` USING fts5vocab(products_fts, instance);
