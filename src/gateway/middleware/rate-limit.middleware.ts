import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { HttpProblem } from "../problem";

/** The Rate Limiting bindings' window; they only offer 10 or 60 seconds. */
const PERIOD_SECONDS = 60;

/** The eight groups of an IPv6 address, `::` expanded, each without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return groups.map((group) => group.replace(/^0+(?=.)/, ""));
}

/** The prefix of `bits` (a multiple of 16) an IPv6 address belongs to, e.g. `2001:db8:1::/48`. */
const ipv6Prefix = (address: string, bits: 48 | 64): string =>
  `${ipv6Groups(address)
    .slice(0, bits / 16)
    .join(":")}::/${bits}`;

/** Cloudflare's Pseudo IPv4 range, 240.0.0.0/4: stand-ins it makes up for IPv6 clients. */
function isPseudoIpv4(address: string): boolean {
  const firstOctet = /^(\d{1,3})\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.exec(address)?.[1];
  return firstOctet !== undefined && Number(firstOctet) >= 240 && Number(firstOctet) <= 255;
}

/** IPv6 proper: an address with an embedded IPv4 (`::ffff:192.0.2.1`) counts as that IPv4. */
const isIpv6 = (address: string): boolean => address.includes(":") && !address.includes(".");

/** The bucket of every request that did not come through Cloudflare (local tools, tests). */
const UNKNOWN_CLIENT = "unknown";

/**
 * The client's address as Cloudflare vouches for it (`cf-connecting-ip`, set on every request
 * it serves). Only when that is a Pseudo IPv4 stand-in does `cf-connecting-ipv6` name the
 * client: otherwise nothing vouches for that header, and trusting it would give a caller a
 * fresh bucket per made-up value. Undefined when the request did not come through Cloudflare.
 */
function connectingAddress(c: Context<AppEnv>): string | undefined {
  const connecting = c.req.header("cf-connecting-ip");
  if (connecting === undefined) return undefined;
  const ipv6 = c.req.header("cf-connecting-ipv6");
  return ipv6 !== undefined && isPseudoIpv4(connecting) ? ipv6 : connecting;
}

/**
 * Who is asking, for rate limits: the client address (see connectingAddress). An IPv6 client
 * controls at least a /64, so the /64 is one client. Without `cf-connecting-ip` all callers
 * share one bucket.
 */
export function clientAddress(c: Context<AppEnv>): string {
  const address = connectingAddress(c);
  if (address === undefined) return UNKNOWN_CLIENT;
  return isIpv6(address) ? ipv6Prefix(address, 64) : address;
}

/**
 * The IPv6 /48 an IPv6 client's address belongs to, for the second, larger per-address
 * limits: a /48 (a site's usual allocation, a free tunnel broker's too) holds 65,536 /64s,
 * each a bucket of its own under clientAddress. Undefined for IPv4 clients, whose address is
 * already the whole client, and for requests that did not come through Cloudflare.
 */
export function clientNetwork(c: Context<AppEnv>): string | undefined {
  const address = connectingAddress(c);
  return address !== undefined && isIpv6(address) ? ipv6Prefix(address, 48) : undefined;
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

export interface RateLimitOptions {
  /**
   * A second, larger limit on the IPv6 /48 of the client (see clientNetwork), counted after
   * the per-address one; IPv4 clients are not counted against it.
   */
  readonly perNetwork?: (env: Env) => RateLimit;
}

/** Limits a route per client address with a Workers Rate Limiting binding. */
export const rateLimit = (
  limiter: (env: Env) => RateLimit,
  action: string,
  { perNetwork }: RateLimitOptions = {},
) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await enforceRateLimit(limiter(c.env), clientAddress(c), action);
    const network = perNetwork === undefined ? undefined : clientNetwork(c);
    if (perNetwork !== undefined && network !== undefined) {
      await enforceRateLimit(perNetwork(c.env), network, action);
    }
    await next();
  });
