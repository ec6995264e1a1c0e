CREATE TABLE `maintenance_cursors` (
	`job` text PRIMARY KEY NOT NULL,
	`cursor` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `unique_claims` ADD `version` integer DEFAULT 0 NOT NULL;