ALTER TABLE `refresh_tokens` ADD `authenticated_at` integer;--> statement-breakpoint
ALTER TABLE `refresh_tokens` ADD `user_agent` text;--> statement-breakpoint
CREATE INDEX `refresh_tokens_expires_idx` ON `refresh_tokens` (`expires_at`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_revoked_idx` ON `refresh_tokens` (`revoked_at`);