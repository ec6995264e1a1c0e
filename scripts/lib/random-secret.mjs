import { randomBytes } from "node:crypto";

/**
 * A new random secret: 32 bytes, base64url (43 characters), which is what JWT_SECRET and
 * ADMIN_BOOTSTRAP_TOKEN each need at least. `npm run dev` writes them to .dev.vars and
 * `npm run deploy` sets them on the Worker.
 */
export const randomSecret = () => randomBytes(32).toString("base64url");
