import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { HttpProblem } from "../problem";

/** The Rate Limiting bindings' window; they only offer 10 or 60 seconds. */
const PERIOD_SECONDS = 60;

/** The /64 an IPv6 address belongs to, e.g. `2001:db8:1234:5678::/64`. */
function ipv6Prefix64(address: string): string {
  const [head = "", tail] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * Who is asking, for rate limits: the client address that Cloudflare sets on every request it
 * serves. An IPv6 client controls at least a /64, so the /64 is one client (an address with an
 * embedded IPv4 counts whole). Without the header (local tools) all callers share one bucket.
 */
export function clientAddress(c: Context<AppEnv>): string {
  // With Pseudo IPv4 in "overwrite" mode, cf-connecting-ip holds a stand-in IPv4 address and
  // the real one is in cf-connecting-ipv6.
  const address =
    c.req.header("cf-connecting-ipv6") ?? c.req.header("cf-connecting-ip") ?? "unknown";
  return address.includes(":") && !address.includes(".") ? ipv6Prefix64(address) : address;
}

/** Counts one attempt under `key`; a 429 with `Retry-After` once the binding says no. */
export async function enforceRateLimit(limiter: RateLimit, key: string, action: string) {
  const { success } = await limiter.limit({ key: `${action}:${key}` });
  if (!success) {
    throw new HttpProblem(
      {
        status: 429,
        code: "RATE_LIMITED",
        detail: `Too many ${action} attempts; try again in a minute.`,
      },
      { "retry-after": String(PERIOD_SECONDS) },
    );
  }
}

/** Limits a route per client address with a Workers Rate Limiting binding. */
export const rateLimit = (limiter: (env: Env) => RateLimit, action: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await enforceRateLimit(limiter(c.env), clientAddress(c), action);
    await next();
  });
