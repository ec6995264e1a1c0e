// A test-only Worker that stands between two Workers of the services shape, on the real service
// binding, to make one service fail the way a deployed one can (ADR 0039): down (a call fails
// before it reaches the service), or losing answers (the call is applied, then its answer is
// lost on the way back). It is not a stand-in: every call that gets through reaches the real
// service's real D1 and Durable Objects. The tests flip it through its `Switch` entrypoint.
import { WorkerEntrypoint } from "cloudflare:workers";

/** Per RPC method: "down" or "lose-answer"; absent, calls pass. One isolate, one state. */
let failures = {};

/** How many calls of each method reached the real service. */
let passed = {};

export class Switch extends WorkerEntrypoint {
  /** Sets how each named method fails from now on; `{}` heals the service. */
  set(newFailures) {
    failures = { ...newFailures };
  }

  /** The calls of each method that reached the service, since the last `set`. */
  counts() {
    return { ...passed };
  }

  reset() {
    failures = {};
    passed = {};
  }
}

async function through(method, call) {
  if (failures[method] === "down") throw new Error(`The service is down (${method}).`);
  passed[method] = (passed[method] ?? 0) + 1;
  const answer = await call();
  if (failures[method] === "lose-answer") {
    throw new Error(`The connection was lost after ${method} reached the service.`);
  }
  return answer;
}

/** Every RPC method any service has; each one passes to the same method of REAL. */
class Passage extends WorkerEntrypoint {
  handle(request, forwarded) {
    return through("handle", () => this.env.REAL.handle(request, forwarded));
  }

  ready() {
    return through("ready", () => this.env.REAL.ready());
  }
}

export class UsersService extends Passage {
  authenticate(authorization, requestId) {
    return through("authenticate", () => this.env.REAL.authenticate(authorization, requestId));
  }
}

export class ProductsService extends Passage {
  execute(request) {
    return through("execute", () => this.env.REAL.execute(request));
  }

  catalogCurrencies(ids) {
    return through("catalogCurrencies", () => this.env.REAL.catalogCurrencies(ids));
  }
}

export default {
  fetch: () => new Response(null, { status: 404 }),
};
