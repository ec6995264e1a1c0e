CREATE TABLE `admin_seats` (
	`user_id` text PRIMARY KEY NOT NULL,
	`released_by` text,
	`released_at` text
);
