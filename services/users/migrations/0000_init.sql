CREATE TABLE `domain_events` (
	`aggregate_type` text NOT NULL,
	`aggregate_id` text NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`occurred_at` text NOT NULL,
	`correlation_id` text,
	`causation_id` text,
	PRIMARY KEY(`aggregate_type`, `aggregate_id`, `version`)
);
--> statement-breakpoint
CREATE TABLE `maintenance_cursors` (
	`job` text PRIMARY KEY NOT NULL,
	`cursor` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `unique_claims` (
	`scope` text NOT NULL,
	`value` text NOT NULL,
	`owner` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`scope`, `value`)
);
--> statement-breakpoint
CREATE INDEX `unique_claims_owner_idx` ON `unique_claims` (`owner`);--> statement-breakpoint
CREATE TABLE `admin_seats` (
	`user_id` text PRIMARY KEY NOT NULL,
	`released_by` text,
	`released_at` text
);
--> statement-breakpoint
CREATE TABLE `pii_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`wrapped_key` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`family_id` text NOT NULL,
	`user_id` text NOT NULL,
	`credential_fingerprint` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`rotated_at` text,
	`revoked_at` text,
	`authenticated_at` integer,
	`user_agent` text
);
--> statement-breakpoint
CREATE INDEX `refresh_tokens_family_idx` ON `refresh_tokens` (`family_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_user_idx` ON `refresh_tokens` (`user_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_expires_idx` ON `refresh_tokens` (`expires_at`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_revoked_idx` ON `refresh_tokens` (`revoked_at`);--> statement-breakpoint
CREATE TABLE `user_credentials` (
	`user_id` text PRIMARY KEY NOT NULL,
	`password_hash` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_data_keys` (
	`user_id` text PRIMARY KEY NOT NULL,
	`wrapped_key` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`email_index` text,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`role` text DEFAULT 'customer' NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `users_email_idx` ON `users` (`email`);--> statement-breakpoint
CREATE INDEX `users_email_index_idx` ON `users` (`email_index`);--> statement-breakpoint
CREATE INDEX `users_status_id_idx` ON `users` (`status`,`id`);