-- Custom SQL migration file, put your code below! --
-- Every admin that is active when the seats arrive gets one, so the last-admin guard counts them.
INSERT OR IGNORE INTO admin_seats (user_id)
SELECT id FROM users WHERE role = 'admin' AND status = 'active';
