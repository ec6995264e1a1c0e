// A D1 binding that waits before every call reaches the database, as if D1's primary were far
// away. Bench-only: production code never sees it. Every way to reach D1 is delayed:
// prepare().bind().run/all/first/raw, batch, exec, and the same on a withSession() handle.

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `target` with some members replaced; every other member is the original, bound to it. */
const overriding = (target, overrides) =>
  new Proxy(target, {
    get(object, property) {
      if (Object.hasOwn(overrides, property)) return overrides[property];
      const value = object[property];
      return typeof value === "function" ? value.bind(object) : value;
    },
  });

/** Wraps a D1Database (or a D1 session) so that each call waits `ms` milliseconds first. */
export function delayedD1(database, ms) {
  // batch() must hand D1 its own statements, not our wrappers.
  const originals = new WeakMap();
  const delayed =
    (call) =>
    async (...args) => {
      await pause(ms);
      return call(...args);
    };

  const statement = (real) => {
    const wrapper = overriding(real, {
      bind: (...values) => statement(real.bind(...values)),
      run: delayed((...args) => real.run(...args)),
      all: delayed((...args) => real.all(...args)),
      first: delayed((...args) => real.first(...args)),
      raw: delayed((...args) => real.raw(...args)),
    });
    originals.set(wrapper, real);
    return wrapper;
  };

  const session = (real) =>
    overriding(real, {
      prepare: (query) => statement(real.prepare(query)),
      batch: delayed((statements) =>
        real.batch(statements.map((each) => originals.get(each) ?? each)),
      ),
      exec: delayed((query) => real.exec(query)),
      withSession: (...args) => session(real.withSession(...args)),
    });

  return session(database);
}
