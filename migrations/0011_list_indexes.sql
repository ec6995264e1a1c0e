CREATE INDEX `order_holds_expires_idx` ON `order_holds` (`expires_at`);--> statement-breakpoint
CREATE INDEX `orders_customer_status_idx` ON `orders` (`customer_id`,`status`,`id`);