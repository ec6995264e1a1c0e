CREATE TABLE `pii_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`wrapped_key` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `user_data_keys` (
	`user_id` text PRIMARY KEY NOT NULL,
	`wrapped_key` text NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `users` ADD `email_index` text;--> statement-breakpoint
CREATE INDEX `users_email_index_idx` ON `users` (`email_index`);