import type { Result, Router } from "hono/router";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";

type Route<T> = { method: string; path: string; handler: T };

/** A prefix whose routes are added by `mount`, called on the first request under the prefix. */
type LazyMount<T> = {
  prefix: string;
  /** `prefix/`, made once rather than on every request's match. */
  below: string;
  mount: () => void;
  routes: Route<T>[];
  router?: Router<T>;
};

/** Hono's default router, which the app would otherwise have. */
const defaultRouter = <T>(): Router<T> =>
  new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] });

/**
 * The gateway's router: Hono's default one, except that a module's routes are added, and its
 * router (zod validators, route definitions) built, on the first request under the module's
 * prefix rather than at start-up (ADR 0032). A request builds only what it needs: `/health`
 * builds no module, `/api/products/…` only the products module.
 *
 * Answers are the same as with every route added at start-up. Each mounted prefix gets its own
 * router holding every route in the order the app registered them, with the module's routes in
 * its place among them: the gateway's middleware before, its later routes after. Another
 * module's routes are left out, and cannot matter, since they all sit under their own prefix,
 * and no prefix lies inside another. A path under no mounted prefix is matched against the
 * gateway's own routes alone, for the same reason.
 */
export class LazyMountRouter<T> implements Router<T> {
  name = "LazyMountRouter";
  readonly #entries: (Route<T> | LazyMount<T>)[] = [];
  readonly #lazyMounts: LazyMount<T>[] = [];
  #mounting: LazyMount<T> | undefined;
  #gatewayRouter: Router<T> | undefined;
  #matched = false;

  add(method: string, path: string, handler: T): void {
    const route = { method, path, handler };
    if (this.#mounting) {
      if (!isUnder(this.#mounting.prefix, path)) {
        throw new Error(`${path} is not under ${this.#mounting.prefix}, where it is mounted`);
      }
      this.#mounting.routes.push(route);
      return;
    }
    // Like Hono's RegExpRouter: the routers built so far would not see it.
    if (this.#matched) throw new Error(`${method} ${path} is added after the first request`);
    this.#entries.push(route);
  }

  /**
   * Registers `prefix` (like `/api/products`), whose routes `mount` adds to the app when the
   * first request under it arrives. Its place among the app's routes is where this is called.
   */
  mountLazily(prefix: string, mount: () => void): void {
    const overlapping = this.#lazyMounts.find(
      (other) => isUnder(other.prefix, prefix) || isUnder(prefix, other.prefix),
    );
    if (overlapping) throw new Error(`${prefix} overlaps ${overlapping.prefix}`);
    const lazyMount = { prefix, below: `${prefix}/`, mount, routes: [] };
    this.#entries.push(lazyMount);
    this.#lazyMounts.push(lazyMount);
  }

  match(method: string, path: string): Result<T> {
    this.#matched = true;
    const lazyMount = this.#lazyMounts.find((candidate) =>
      isUnder(candidate.prefix, path, candidate.below),
    );
    if (!lazyMount) {
      this.#gatewayRouter ??= this.#routerWith(undefined);
      return this.#gatewayRouter.match(method, path);
    }
    lazyMount.router ??= this.#build(lazyMount);
    return lazyMount.router.match(method, path);
  }

  #build(lazyMount: LazyMount<T>): Router<T> {
    this.#mounting = lazyMount;
    try {
      lazyMount.mount();
    } catch (error) {
      // A bug in building the router: the next request under the prefix tries again, afresh.
      lazyMount.routes = [];
      throw error;
    } finally {
      this.#mounting = undefined;
    }
    return this.#routerWith(lazyMount);
  }

  /** A router of the gateway's routes, with `lazyMount`'s in its place when there is one. */
  #routerWith(lazyMount: LazyMount<T> | undefined): Router<T> {
    const router = defaultRouter<T>();
    for (const entry of this.#entries) {
      const routes = "prefix" in entry ? (entry === lazyMount ? entry.routes : []) : [entry];
      for (const { method, path, handler } of routes) router.add(method, path, handler);
    }
    return router;
  }
}

/**
 * Whether `path` is `prefix` or below it: `/api/products/1`, not `/api/productsX`. `below` is
 * `prefix/`, which a caller on the request path passes made once.
 */
const isUnder = (prefix: string, path: string, below = `${prefix}/`): boolean =>
  path === prefix || path.startsWith(below);
