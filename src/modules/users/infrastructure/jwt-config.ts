import { byteLength, SECRET_MIN_BYTES } from "../../../kernel/secret-length";

/** Who issues and who accepts our access tokens when JWT_ISSUER / JWT_AUDIENCE are empty. */
export const WORKER_NAME = "edge-commerce-api";

/** The JWT_SECRET of .dev.vars.example: public, so never a key. */
export const JWT_SECRET_PLACEHOLDER = "change-me-to-at-least-32-random-bytes-please";

/** The key that signs, every key that may verify (the previous one during a rotation), and the
 * `iss` and `aud` every token names. */
export interface JwtConfig {
  readonly signing: string;
  readonly verifying: readonly string[];
  readonly issuer: string;
  readonly audience: string;
}

export type JwtConfigResult = { ok: true; config: JwtConfig } | { ok: false; problem: string };

const HOW_TO_SET =
  "Set it with `wrangler secret put JWT_SECRET` (locally: .dev.vars, which `npm run dev` fills).";

function problemWith(secret: string | undefined): string | undefined {
  if (!secret) return `JWT_SECRET is not set; it needs ${SECRET_MIN_BYTES} bytes. ${HOW_TO_SET}`;
  if (byteLength(secret) < SECRET_MIN_BYTES) {
    return `JWT_SECRET is shorter than ${SECRET_MIN_BYTES} bytes. ${HOW_TO_SET}`;
  }
  if (secret === JWT_SECRET_PLACEHOLDER) {
    return `JWT_SECRET is the placeholder from .dev.vars.example. ${HOW_TO_SET}`;
  }
  return undefined;
}

/**
 * Reads `JWT_SECRET` (and `JWT_SECRET_PREVIOUS`), refusing a missing, short or placeholder one,
 * and the token parties `JWT_ISSUER` and `JWT_AUDIENCE` (default: the Worker's name).
 */
export function readJwtConfig(env: JwtSettings): JwtConfigResult {
  // Read on every authenticated request; the settings are the same until a deploy changes them.
  if (last && sameSettings(last.env, env)) return last.result;
  const result = readJwtConfigNow(env);
  last = {
    env: {
      JWT_SECRET: env.JWT_SECRET,
      JWT_SECRET_PREVIOUS: env.JWT_SECRET_PREVIOUS,
      JWT_ISSUER: env.JWT_ISSUER,
      JWT_AUDIENCE: env.JWT_AUDIENCE,
    },
    result,
  };
  return result;
}

interface JwtSettings {
  JWT_SECRET?: string;
  JWT_SECRET_PREVIOUS?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
}

let last: { env: JwtSettings; result: JwtConfigResult } | undefined;

const sameSettings = (a: JwtSettings, b: JwtSettings): boolean =>
  a.JWT_SECRET === b.JWT_SECRET &&
  a.JWT_SECRET_PREVIOUS === b.JWT_SECRET_PREVIOUS &&
  a.JWT_ISSUER === b.JWT_ISSUER &&
  a.JWT_AUDIENCE === b.JWT_AUDIENCE;

function readJwtConfigNow(env: JwtSettings): JwtConfigResult {
  const secret = env.JWT_SECRET;
  const problem = problemWith(secret);
  if (problem !== undefined || secret === undefined) return { ok: false, problem: problem ?? "" };
  const previous = env.JWT_SECRET_PREVIOUS;
  const verifying = previous && problemWith(previous) === undefined ? [secret, previous] : [secret];
  return {
    ok: true,
    config: {
      signing: secret,
      verifying,
      issuer: env.JWT_ISSUER || WORKER_NAME,
      audience: env.JWT_AUDIENCE || WORKER_NAME,
    },
  };
}
