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

/** Cloudflare's Pseudo IPv4 range, 240.0.0.0/4: stand-ins it makes up for IPv6 clients. */
function isPseudoIpv4(address: string): boolean {
  const firstOctet = /^(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(address)?.[1];
  return firstOctet !== undefined && Number(firstOctet) >= 240 && Number(firstOctet) <= 255;
}

/** The bucket of every request that did not come through Cloudflare (local tools, tests). */
const UNKNOWN_CLIENT = "unknown";

/**
 * Who is asking, for rate limits: the client address that Cloudflare sets on every request it
 * serves (`cf-connecting-ip`). Only when that is a Pseudo IPv4 stand-in does
 * `cf-connecting-ipv6` name the client: otherwise nothing vouches for that header, and trusting
 * it would give a caller a fresh bucket per made-up value. An IPv6 client controls at least a
 * /64, so the /64 is one client (an address with an embedded IPv4 counts whole). Without
 * `cf-connecting-ip` all callers share one bucket.
 */
export function clientAddress(c: Context<AppEnv>): string {
  const connecting = c.req.header("cf-connecting-ip");
  if (connecting === undefined) return UNKNOWN_CLIENT;
  const ipv6 = c.req.header("cf-connecting-ipv6");
  const address = ipv6 !== undefined && isPseudoIpv4(connecting) ? ipv6 : connecting;
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
