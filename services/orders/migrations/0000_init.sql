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
CREATE TABLE `idempotency_keys` (
	`customer_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`order_id` text NOT NULL,
	`lease_until` integer NOT NULL,
	`response_status` integer,
	`response_headers` text,
	`response_body` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `order_holds` (
	`order_id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`units` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_holds_customer_idx` ON `order_holds` (`customer_id`,`expires_at`);--> statement-breakpoint
CREATE INDEX `order_holds_expires_idx` ON `order_holds` (`expires_at`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`status` text NOT NULL,
	`currency` text,
	`total_amount` integer,
	`lines` text NOT NULL,
	`payment_due_at` text,
	`cancellation_reason` text,
	`version` integer NOT NULL,
	`placed_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_customer_idx` ON `orders` (`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `orders_status_idx` ON `orders` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `orders_customer_status_idx` ON `orders` (`customer_id`,`status`,`id`);