// `npm run bench -- --shape services`: the latency of both shapes side by side, in one run
// (issue 16, ADR 0039). The same three requests go to the monolith and to the services shape's
// gateway, in alternation, one at a time: a read, a command and a 3-line order placement. Then,
// for the services shape, the RPC calls between Workers each request makes, counted by the
// wrappers around its Workers (bench/counted-rpc.js); and, in each shape, a 3-line order with
// D1 `latencyMs` away: its p50 and the D1 calls it waits on (bench/delayed-d1.js).
import { createAdmin } from "./admin.mjs";
import { get, json, post } from "./http.mjs";
import {
  afterAnswer,
  alarmsDuring,
  median,
  percentile,
  sequentialChain,
  waitedOn,
} from "./round-trips.mjs";
import { LATENCY_SUFFIX, workerName } from "./shapes-runtime.mjs";

const ADJUST = { delta: -1, reason: "bench" };
const PRODUCTS = 12;
const LINES = 3;
// A customer's unpaid orders are capped at 5 (ORDER_MAX_UNPAID_ORDERS), and its placements at 10 a
// minute: each customer places 5, from an address of its own (30 a minute per address).
const ORDERS_PER_CUSTOMER = 5;
const CUSTOMER_PASSWORD = "bench customer password";
// Untimed requests of each scenario and shape before the timed ones.
const WARM_UP = 5;
// Requests whose RPC calls are counted, per scenario.
const COUNTED = 5;
// The issue's target for a 3-line order: at most 5 D1 round trips, so at 50 ms of D1 latency a
// p50 of at most 300 ms (5 waits and 50 ms for the rest); at another latency, 6 times it.
const ORDER_TARGET = { roundTrips: 5, latencies: 6 };

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let addresses = 0;
/** A client address no other customer of the run has: the per-address limits stay apart. */
const nextAddress = () => {
  const index = addresses++;
  return { "cf-connecting-ip": `10.30.${index >> 8}.${index & 255}` };
};

/**
 * Customers for orders, a new one every ORDERS_PER_CUSTOMER orders. `ready()` registers and logs
 * in the next one when the current one is used up (before a timed request: registration is not
 * the order's time); `take()` returns the current one's headers and uses it once.
 */
function customers(baseUrl, label) {
  let current;
  let left = 0;
  let count = 0;
  return {
    async ready() {
      if (left > 0) return;
      const address = nextAddress();
      const email = `bench-${label}-${count++}-${crypto.randomUUID()}@example.com`;
      const account = { email, name: "Bench customer", password: CUSTOMER_PASSWORD };
      json(await post(`${baseUrl}/api/users`, account, address), "registering a customer");
      const { accessToken } = json(
        await post(`${baseUrl}/api/auth/login`, { email, password: CUSTOMER_PASSWORD }, address),
        "logging in a customer",
      );
      current = { ...address, authorization: `Bearer ${accessToken}` };
      left = ORDERS_PER_CUSTOMER;
    },
    take() {
      if (left === 0) throw new Error("No customer ready: call ready() first");
      left--;
      return current;
    },
  };
}

/** An admin, PRODUCTS products and a supply of customers, made through `baseUrl`. */
async function setUp(baseUrl, label, database) {
  const { headers: admin } = await createAdmin(baseUrl, `bench-${label}-admin@example.com`, {
    database,
  });
  const products = [];
  for (let index = 0; index < PRODUCTS; index++) {
    const product = json(
      await post(
        `${baseUrl}/api/products`,
        {
          sku: `SHAPE-${label}-${index}`,
          name: `Shape tea ${index}`,
          description: "A blend for comparing the shapes",
          price: { amount: 300 + index * 10, currency: "EUR" },
          stock: 1_000_000_000,
        },
        admin,
      ),
      "creating a product",
    );
    products.push(product.id);
  }
  return { baseUrl, label, admin, products, customers: customers(baseUrl, label) };
}

/** The three requests of the comparison, on one shape's `side`; `index` picks the products. */
const SCENARIOS = [
  {
    name: "read",
    label: "GET /api/products/{id}",
    send: (side, index) => get(`${side.baseUrl}/api/products/${side.products[index % PRODUCTS]}`),
  },
  {
    name: "command",
    label: "POST /api/products/{id}/stock (admin)",
    send: (side, index) =>
      post(
        `${side.baseUrl}/api/products/${side.products[index % PRODUCTS]}/stock`,
        ADJUST,
        side.admin,
      ),
  },
  {
    name: "order",
    label: `POST /api/orders, ${LINES} lines (customer)`,
    // Needs `side.customers.ready()` first.
    send: (side, index) => {
      const items = Array.from({ length: LINES }, (_, line) => ({
        productId: side.products[(index + line) % PRODUCTS],
        quantity: 1,
      }));
      const headers = {
        ...side.customers.take(),
        "idempotency-key": `bench-${side.label}-${crypto.randomUUID()}`,
      };
      return post(`${side.baseUrl}/api/orders`, { items }, headers);
    },
  },
];

/** Sends one request, timed from here (the client's side, as bench/load.mjs times them). */
async function timed(send) {
  const started = performance.now();
  const response = await send();
  return { ms: performance.now() - started, status: response.status, response };
}

/** `samples` requests of each scenario to each side, in alternation, one at a time. */
async function compareLatency(sides, samples, log) {
  const results = [];
  for (const scenario of SCENARIOS) {
    log(`${scenario.name}… `);
    const latencies = new Map(sides.map((side) => [side.label, []]));
    const failures = new Map(sides.map((side) => [side.label, new Map()]));
    for (let index = 0; index < WARM_UP + samples; index++) {
      for (const side of sides) {
        // An order's customer is made before it, untimed: registration is not the order's time.
        if (scenario.name === "order") await side.customers.ready();
        const { ms, status } = await timed(() => scenario.send(side, index));
        if (index < WARM_UP) continue;
        latencies.get(side.label).push(ms);
        if (status < 200 || status >= 300) {
          const counts = failures.get(side.label);
          counts.set(status, (counts.get(status) ?? 0) + 1);
        }
      }
    }
    results.push({
      scenario,
      sides: sides.map((side) => ({
        label: side.label,
        p50: percentile(latencies.get(side.label), 50),
        p99: percentile(latencies.get(side.label), 99),
        samples: latencies.get(side.label).length,
        failed: [...failures.get(side.label)].map(([status, count]) => `${count}× ${status}`),
      })),
    });
  }
  return results;
}

/** Every RPC call the services shape's Workers recorded since the last read, by Worker. */
async function takeServiceCalls(urls) {
  const taken = {};
  for (const name of ["gateway", "users", "products", "orders"]) {
    taken[name] = json(
      await get(`${urls[workerName(name)]}/__bench/rpc-calls`),
      `reading ${name}'s RPC calls`,
    );
  }
  return taken;
}

/**
 * The RPC calls between Workers of COUNTED requests of each scenario, through the gateway: per
 * request, how many of each (caller → binding.method), how many in sequence (each Worker's
 * longest chain of calls that do not overlap, summed: a callee's calls happen inside its
 * caller's), and any made after the answer.
 */
async function countServiceCalls(side, urls, log) {
  const counts = [];
  for (const scenario of SCENARIOS) {
    log(`${scenario.name}… `);
    const perRequest = [];
    for (let index = 0; index < COUNTED; index++) {
      // A customer made for this request registers and logs in through the gateway: before the
      // calls are taken, so only the order's own are counted.
      if (scenario.name === "order") await side.customers.ready();
      await takeServiceCalls(urls);
      const response = await scenario.send(side, index);
      if (!response.ok) throw new Error(`${scenario.label}: ${response.status} ${response.text()}`);
      // Work the answer left behind (an object's alarm, a waitUntil) gets a moment to show.
      await pause(200);
      const taken = await takeServiceCalls(urls);
      const window = taken.gateway.requests.at(-1);
      const edges = new Map();
      let inSequence = 0;
      let after = 0;
      let alarms = 0;
      for (const [caller, { calls }] of Object.entries(taken)) {
        const during = waitedOn(calls, window);
        after += afterAnswer(calls, window).length;
        alarms += alarmsDuring(calls, window).length;
        inSequence += sequentialChain(during).length;
        for (const call of during) {
          const edge = `${caller} → ${call.binding.toLowerCase()}.${call.method}`;
          edges.set(edge, (edges.get(edge) ?? 0) + 1);
        }
      }
      perRequest.push({ edges, inSequence, after, alarms });
    }
    counts.push({ scenario, perRequest });
  }
  return counts;
}

/** The D1 calls and the requests the monolith's instrumented Worker recorded since the last take. */
const monolithD1Calls = (baseUrl) => async () =>
  json(await get(`${baseUrl}/__bench/d1-calls`), "reading D1 calls");

/**
 * The D1 calls the services shape's Workers of `suffix` recorded since the last take, all
 * together (one machine, one clock), and the requests their gateway answered.
 */
const servicesD1Calls = (urls, suffix) => async () => {
  const calls = [];
  for (const name of ["users", "products", "orders"]) {
    const url = `${urls[`${workerName(name)}${suffix}`]}/__bench/d1-calls`;
    calls.push(...json(await get(url), `reading ${name}'s D1 calls`).calls);
  }
  const { requests } = json(
    await get(`${urls[`${workerName("gateway")}${suffix}`]}/__bench/rpc-calls`),
    "reading the gateway's requests",
  );
  return { calls, requests };
};

/**
 * 3-line orders with every D1 call `latencyMs` away, through `baseUrl` (a Worker whose D1 calls
 * `take()` hands over): the p50 of `samples` orders, and per order the D1 calls it waited on,
 * how many of them in sequence, and the calls left running after the answer.
 */
export async function orderUnderLatency(
  baseUrl,
  samples,
  latencyMs,
  log,
  { shape = "monolith", database = "monolith", take = monolithD1Calls(baseUrl) } = {},
) {
  log(`${shape}: 3-line orders at ${latencyMs} ms D1 latency… `);
  const side = await setUp(baseUrl, `${shape}-latency`, database);
  const order = SCENARIOS.find((scenario) => scenario.name === "order");
  const latencies = [];
  const orders = [];
  for (let index = 0; index < WARM_UP + samples; index++) {
    await side.customers.ready();
    // Whatever the last order left running (a projection, an alarm) ends before this one.
    await pause(latencyMs * 4);
    await take();
    const { ms, status, response } = await timed(() => order.send(side, index));
    if (status < 200 || status >= 300) {
      throw new Error(`An order at ${latencyMs} ms latency failed: ${status} ${response.text()}`);
    }
    await pause(latencyMs * 4);
    const { calls, requests } = await take();
    if (index < WARM_UP) continue;
    const window = requests.at(-1);
    const during = waitedOn(calls, window);
    latencies.push(ms);
    orders.push({
      ms,
      calls: during,
      chain: sequentialChain(during),
      after: afterAnswer(calls, window),
      alarms: alarmsDuring(calls, window),
    });
  }
  const typical = [...orders].sort((a, b) => a.ms - b.ms)[Math.floor(orders.length / 2)];
  return {
    shape,
    latencyMs,
    samples,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    calls: median(orders.map((each) => each.calls.length)),
    inSequence: median(orders.map((each) => each.chain.length)),
    after: median(orders.map((each) => each.after.length)),
    alarms: median(orders.map((each) => each.alarms.length)),
    typical,
  };
}

/**
 * Sets up both shapes and measures them. `urls` are the Workers' base URLs by name
 * (bench/shapes-runtime.mjs).
 */
export async function compareShapes({ urls, samples, latencyMs, latencySamples, log }) {
  log("setting up… ");
  const monolith = await setUp(urls.monolith, "monolith", "monolith");
  const services = await setUp(urls[workerName("gateway")], "services", "services");
  const latency = await compareLatency([monolith, services], samples, log);
  const counts = await countServiceCalls(services, urls, log);
  const order = await orderUnderLatency(urls["monolith-latency"], latencySamples, latencyMs, log);
  const servicesOrder = await orderUnderLatency(
    urls[`${workerName("gateway")}${LATENCY_SUFFIX}`],
    latencySamples,
    latencyMs,
    log,
    { shape: "services", database: "services", take: servicesD1Calls(urls, LATENCY_SUFFIX) },
  );
  return { latency, counts, order, servicesOrder };
}

// Report --------------------------------------------------------------------------------------

const ms = (value) => value.toFixed(1);
const each = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** The RPC calls of a scenario's counted requests, on average per request. */
function callsPerRequest({ perRequest }) {
  const totals = new Map();
  for (const { edges } of perRequest) {
    for (const [edge, count] of edges) totals.set(edge, (totals.get(edge) ?? 0) + count);
  }
  const average = (total) => total / perRequest.length;
  const all = average([...totals.values()].reduce((sum, count) => sum + count, 0));
  return {
    all,
    inSequence: median(perRequest.map((request) => request.inSequence)),
    after: median(perRequest.map((request) => request.after)),
    alarms: median(perRequest.map((request) => request.alarms)),
    edges: [...totals].map(([edge, total]) => `${edge} ×${each(average(total))}`).join(", "),
  };
}

/** Prints the side-by-side table, the services shape's RPC calls and the order target. */
export function printShapes({ latency, counts, order, servicesOrder }, samples) {
  console.log(
    `\nBoth shapes, one request at a time: ${samples} timed requests of each (after ${WARM_UP} ` +
      "untimed), monolith and services in alternation; ms, client side, local D1 (no latency).",
  );
  console.log(
    "\n| request | monolith p50 / p99 | services p50 / p99 | services − monolith, p50 | " +
      "RPC calls between Workers (in sequence) | not 2xx |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | --- |");
  for (const [index, { scenario, sides }] of latency.entries()) {
    const [monolith, services] = sides;
    const calls = callsPerRequest(counts[index]);
    const failed = [...monolith.failed, ...services.failed].join(", ") || "0";
    console.log(
      `| ${scenario.name}: ${scenario.label} | ${ms(monolith.p50)} / ${ms(monolith.p99)} | ` +
        `${ms(services.p50)} / ${ms(services.p99)} | ${services.p50 >= monolith.p50 ? "+" : ""}` +
        `${ms(services.p50 - monolith.p50)} | ${each(calls.all)} (${each(calls.inSequence)}) | ` +
        `${failed} |`,
    );
  }
  console.log(
    `\nThe services shape's RPC calls between Workers, counted in its Workers, per request ` +
      `(the mean of ${COUNTED} requests of each; a callee's calls are inside its caller's):`,
  );
  for (const [index, { scenario }] of latency.entries()) {
    const calls = callsPerRequest(counts[index]);
    const after = calls.after > 0 ? `; ${each(calls.after)} more after the answer` : "";
    const alarms = calls.alarms > 0 ? `; ${each(calls.alarms)} by objects' alarms meanwhile` : "";
    console.log(`  ${scenario.name}: ${calls.edges || "none"}${after}${alarms}`);
  }
  printOrderUnderLatency(order);
  printOrderUnderLatency(servicesOrder);
}

/** Prints the monolith's 3-line order at D1 latency: p50, D1 round trips, the target. */
export function printOrderUnderLatency(order) {
  const p50Target = ORDER_TARGET.latencies * order.latencyMs;
  const met = order.inSequence <= ORDER_TARGET.roundTrips && order.p50 <= p50Target;
  console.log(
    `\nThe ${order.shape === "monolith" ? "monolith" : "services shape"}, a ${LINES}-line order ` +
      `with every D1 call ${order.latencyMs} ms away ` +
      `(${order.samples} orders, one at a time):`,
  );
  console.log(
    `  p50 ${ms(order.p50)} ms, p99 ${ms(order.p99)} ms; D1 calls waited on ${each(order.calls)}, ` +
      `of them in sequence ${each(order.inSequence)}; left running after the answer ` +
      `${each(order.after)}; made meanwhile by objects' alarms (earlier orders' upkeep, not ` +
      `waited on) ${each(order.alarms)} (medians per order)`,
  );
  const { typical } = order;
  const start = Math.min(...typical.calls.map((call) => call.started));
  const inChain = new Set(typical.chain);
  console.log(
    `  The D1 calls of the median order (${ms(typical.ms)} ms), ms from its first; * in sequence:`,
  );
  for (const call of [...typical.calls].sort((a, b) => a.started - b.started)) {
    console.log(
      `    ${inChain.has(call) ? "*" : " "} ${String(call.started - start).padStart(4)}–` +
        `${String(call.ended - start).padEnd(4)} ${call.sql}`,
    );
  }
  for (const call of typical.after) console.log(`    after the answer: ${call.sql}`);
  for (const call of typical.alarms) console.log(`    an object's alarm, meanwhile: ${call.sql}`);
  console.log(`\nTarget (issue 16), ${order.shape}:`);
  console.log(
    `  ${met ? "met    " : "NOT MET"}  a ${LINES}-line order at ${order.latencyMs} ms D1 latency ` +
      `in ≤ ${ORDER_TARGET.roundTrips} D1 round trips (≤ ${p50Target} ms p50): ` +
      `${each(order.inSequence)} in sequence (${each(order.calls)} calls), p50 ${ms(order.p50)} ms`,
  );
}
