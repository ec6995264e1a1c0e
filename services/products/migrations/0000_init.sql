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
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`price_amount` integer NOT NULL,
	`price_currency` text NOT NULL,
	`stock` integer NOT NULL,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `products_sku_idx` ON `products` (`sku`);--> statement-breakpoint
CREATE INDEX `products_status_created_idx` ON `products` (`status`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `products_status_price_idx` ON `products` (`status`,`price_amount`,`id`);--> statement-breakpoint
CREATE INDEX `products_status_name_idx` ON `products` (`status`,`name`,`id`);