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
