// Secrets are not in wrangler.toml, so `wrangler types` cannot see them. Optional on purpose:
// a deployment may lack them, and the code must say so rather than crash.
interface WorkerSecrets {
  /** Signs and verifies access tokens (HS256); at least 32 bytes. */
  JWT_SECRET?: string;
  /** The previous JWT_SECRET, still accepted for verification during a key rotation. */
  JWT_SECRET_PREVIOUS?: string;
  /**
   * Lets its holder make an existing user the first admin (POST /api/admin/bootstrap, `npm run
   * admin:promote`); at least 32 bytes. Unset, or once any admin exists, that endpoint does not
   * exist (404).
   */
  ADMIN_BOOTSTRAP_TOKEN?: string;
  /**
   * The root of the personal-data keys (ADR 0037): a key-encryption key is derived from it that
   * wraps every user's data key and the email blind index's key; at least 32 bytes.
   */
  PII_MASTER_KEY?: string;
  /** The previous PII_MASTER_KEY, still accepted to unwrap keys during a rotation. */
  PII_MASTER_KEY_PREVIOUS?: string;
}

interface Env extends WorkerSecrets {}

declare namespace Cloudflare {
  interface Env extends WorkerSecrets {}
}
