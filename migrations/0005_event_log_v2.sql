CREATE TABLE `maintenance_cursors` (
	`job` text PRIMARY KEY NOT NULL,
	`cursor` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `domain_events` ADD `correlation_id` text;--> statement-breakpoint
ALTER TABLE `domain_events` ADD `causation_id` text;--> statement-breakpoint
ALTER TABLE `unique_claims` ADD `version` integer DEFAULT 0 NOT NULL;