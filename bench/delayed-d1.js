// A D1 binding that waits before every call reaches the database, as if D1's primary were far
// away. Bench-only: production code never sees it. Every way to reach D1 is delayed:
// prepare().bind().run/all/first/raw, batch, exec, and the same on a withSession() handle.
// Each call is also recorded (when it started and ended, on the Worker's clock, and its SQL), so
// the bench can count the D1 round trips a request waits on.

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const calls = [];
const MAX_KEPT_CALLS = 10_000;

/** The D1 calls made since the last take, oldest first: `{ sql, started, ended, source }`. */
export const takeD1Calls = () => calls.splice(0, calls.length);

/** The start of a statement's SQL on one line: enough to tell the calls apart. */
const sqlOf = (query) => String(query).replace(/\s+/g, " ").trim().slice(0, 90);

/** `target` with some members replaced; every other member is the original, bound to it. */
const overriding = (target, overrides) =>
  new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property];
      const value = object[property];
      return typeof value === "function" ? value.bind(object) : value;
    },
  });

/**
 * Wraps a D1Database (or a D1 session) so that each call waits `ms` milliseconds first. Each call
 * is recorded with `source()`, asked when the call starts: who made it (the Worker, an object, an
 * object's alarm).
 */
export function delayedD1(database, ms, source = () => undefined) {
  // batch() must hand D1 its own statements, not our wrappers.
  const originals = new WeakMap();
  const queries = new WeakMap();
  const delayed =
    (describe, call) =>
    async (...args) => {
      const started = Date.now();
      const by = source();
      try {
        await pause(ms);
        return await call(...args);
      } finally {
        // Bounded: a long run that never takes them keeps only the newest.
        if (calls.length >= MAX_KEPT_CALLS) calls.shift();
        calls.push({ sql: describe(...args), started, ended: Date.now(), source: by });
      }
    };

  const statement = (real, query) => {
    const sql = () => sqlOf(query);
    const wrapper = overriding(real, {
      bind: (...values) => statement(real.bind(...values), query),
      run: delayed(sql, (...args) => real.run(...args)),
      all: delayed(sql, (...args) => real.all(...args)),
      first: delayed(sql, (...args) => real.first(...args)),
      raw: delayed(sql, (...args) => real.raw(...args)),
    });
    originals.set(wrapper, real);
    queries.set(wrapper, query);
    return wrapper;
  };

  const batchSql = (statements) =>
    `batch of ${statements.length}: ${statements.map((each) => sqlOf(queries.get(each) ?? "?").slice(0, 40)).join("; ")}`;

  const session = (real) =>
    overriding(real, {
      prepare: (query) => statement(real.prepare(query), query),
      batch: delayed(batchSql, (statements) =>
        real.batch(statements.map((each) => originals.get(each) ?? each)),
      ),
      exec: delayed(sqlOf, (query) => real.exec(query)),
      withSession: (...args) => session(real.withSession(...args)),
    });

  return session(database);
}
