CREATE TABLE `order_holds` (
	`order_id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`units` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `order_holds_customer_idx` ON `order_holds` (`customer_id`,`expires_at`);