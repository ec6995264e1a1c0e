CREATE TABLE `domain_events` (
	`aggregate_type` text NOT NULL,
	`aggregate_id` text NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`occurred_at` text NOT NULL,
	PRIMARY KEY(`aggregate_type`, `aggregate_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `unique_claims` (
	`scope` text NOT NULL,
	`value` text NOT NULL,
	`owner` text NOT NULL,
	PRIMARY KEY(`scope`, `value`)
);
--> statement-breakpoint
CREATE INDEX `unique_claims_owner_idx` ON `unique_claims` (`owner`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `users_email_idx` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_status_id_idx` ON `users` (`status`,`id`);