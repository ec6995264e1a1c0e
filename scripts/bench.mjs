// `npm run bench`: latency and throughput of the main paths against a local `wrangler dev`
// (workerd, local D1 and Durable Objects) on loopback. Numbers are for comparing commits on one
// machine, not a forecast of production, where D1 and the objects are remote.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = 8900 + Math.floor(Math.random() * 90);
const API = `http://127.0.0.1:${PORT}`;
const state = mkdtempSync(join(tmpdir(), "bench-"));
const ADMIN = { email: "bench-admin@example.com", password: "bench password long enough" };
const shared = ["--persist-to", state];

const run = (args, options = {}) =>
  spawn("wrangler", args, { shell: process.platform === "win32", ...options });

async function waitUntilReady() {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`${API}/health`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("wrangler dev did not become ready in 60 s");
}

const call = async (path, init = {}) => {
  const response = await fetch(`${API}${path}`, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
  });
  await response.arrayBuffer();
  return response;
};

/** Sends `total` requests, `concurrency` at a time; returns latency percentiles and rate. */
async function measure(name, total, concurrency, send) {
  const latencies = [];
  const statuses = new Map();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const begin = performance.now();
        const response = await send(index);
        latencies.push(performance.now() - begin);
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  return {
    name,
    requests: total,
    concurrency,
    "req/s": Math.round(total / seconds),
    "p50 ms": at(50).toFixed(1),
    "p95 ms": at(95).toFixed(1),
    "p99 ms": at(99).toFixed(1),
    statuses: [...statuses].map(([status, count]) => `${status}×${count}`).join(" "),
  };
}

const migrate = run(["d1", "migrations", "apply", "DB", "--local", ...shared], {
  stdio: "ignore",
  env: { ...process.env, CI: "true" },
});
await new Promise((resolve) => migrate.on("exit", resolve));
const server = run(
  [
    "dev",
    "--port",
    String(PORT),
    "--ip",
    "127.0.0.1",
    ...shared,
    "--var",
    `ADMIN_EMAILS:${ADMIN.email}`,
  ],
  { stdio: "ignore" },
);
try {
  await waitUntilReady();
  await call("/api/users", { method: "POST", body: JSON.stringify({ ...ADMIN, name: "Bench" }) });
  const login = await fetch(`${API}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  const { accessToken } = await login.json();
  const admin = { authorization: `Bearer ${accessToken}` };
  const product = (index) =>
    JSON.stringify({
      sku: `BENCH-${index}`,
      name: `Bench tea ${index % 50}`,
      description: `A blend for benchmarks, batch ${index % 7}`,
      price: { amount: (index % 40) * 50, currency: "EUR" },
      stock: 1_000_000,
    });

  const results = [];
  results.push(await measure("GET /health", 1000, 10, () => call("/health")));
  results.push(
    await measure("POST /api/products (admin)", 300, 10, (i) =>
      call("/api/products", { method: "POST", headers: admin, body: product(i) }),
    ),
  );
  const { items } = await (await fetch(`${API}/api/products?limit=1`)).json();
  const hot = items[0].id;
  results.push(
    await measure("POST /api/products/:id/stock, one product", 300, 10, () =>
      call(`/api/products/${hot}/stock`, {
        method: "POST",
        headers: admin,
        body: JSON.stringify({ delta: -1, reason: "bench" }),
      }),
    ),
  );
  results.push(
    await measure("GET /api/products/:id", 1000, 10, () => call(`/api/products/${hot}`)),
  );
  results.push(
    await measure("GET /api/products?sort=price&limit=20", 500, 10, () =>
      call("/api/products?sort=price&limit=20"),
    ),
  );
  results.push(
    await measure("GET /api/products?q=blend&limit=20", 500, 10, () =>
      call("/api/products?q=blend%20batch&limit=20"),
    ),
  );
  results.push(
    await measure("GET /api/users/me (JWT + D1)", 1000, 10, () =>
      call("/api/users/me", { headers: admin }),
    ),
  );
  results.push(
    await measure("POST /api/auth/login (PBKDF2 100k)", 30, 2, (i) =>
      call("/api/auth/login", {
        method: "POST",
        headers: { "cf-connecting-ip": `198.51.100.${i}` },
        body: JSON.stringify(ADMIN),
      }),
    ),
  );
  console.table(results);
} finally {
  server.kill("SIGTERM");
  rmSync(state, { recursive: true, force: true });
}
