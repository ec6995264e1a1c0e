import { env } from "cloudflare:workers";

/**
 * Which shape of the application the test runner drives: the modular monolith (src/index.ts, one
 * Worker, one D1 database, one event-log class) or the services shape (the gateway as the runner,
 * the users, products and orders services as auxiliary Workers, one D1 database and one event-log
 * class each). The vitest project sets TEST_SHAPE; the monolith is the default.
 */
export type Shape = "monolith" | "services";

export const SHAPE: Shape = env.TEST_SHAPE === "services" ? "services" : "monolith";

/**
 * Whether the test can look inside the event-log objects (runInDurableObject, readLog,
 * runDurableObjectAlarm): the test integration runs those only on the runner's own Durable Object
 * classes, and in the services shape the event logs are classes of the services' Workers.
 */
export const OBJECTS_INSPECTABLE = SHAPE === "monolith";

/** The services of the services shape, one per module that owns data. */
export type Service = "users" | "products" | "orders";

/** The service whose event log runs each aggregate type. */
const SERVICE_OF_AGGREGATE: Record<string, Service> = {
  user: "users",
  product: "products",
  order: "orders",
};

export function serviceOfAggregate(aggregateType: string): Service {
  const service = SERVICE_OF_AGGREGATE[aggregateType];
  if (!service) throw new Error(`no service runs the aggregate type ${aggregateType}`);
  return service;
}

function required<T>(binding: T | undefined, name: string): T {
  if (binding === undefined) {
    throw new Error(`the services-shape test project binds no ${name} (vitest.config.ts)`);
  }
  return binding;
}

/**
 * The D1 database that holds a service's tables. In the monolith every module's tables share
 * env.DB. In the services shape the runner (the gateway) has no D1 of its own: the project binds
 * it, for the tests only, to the same databases the services use (one Miniflare instance shares a
 * D1 database by id between its Workers).
 */
export function dbOf(service: Service): D1Database {
  if (SHAPE === "monolith") return env.DB;
  switch (service) {
    case "users":
      return required(env.USERS_DB, "USERS_DB");
    case "products":
      return required(env.PRODUCTS_DB, "PRODUCTS_DB");
    case "orders":
      return required(env.ORDERS_DB, "ORDERS_DB");
  }
}

/**
 * The event-log namespace that runs an aggregate type. In the services shape the project binds the
 * runner to each service's EventLog class (a Durable Object binding with the service's script
 * name): RPC to the objects works from the runner, but the test helpers that run code inside an
 * object (runInDurableObject, runDurableObjectAlarm) only reach the runner's own classes.
 */
export function eventLogOf(aggregateType: string): Env["EVENT_LOG"] {
  if (SHAPE === "monolith") return env.EVENT_LOG;
  switch (serviceOfAggregate(aggregateType)) {
    case "users":
      return required(env.USERS_EVENT_LOG, "USERS_EVENT_LOG");
    case "products":
      return required(env.PRODUCTS_EVENT_LOG, "PRODUCTS_EVENT_LOG");
    case "orders":
      return required(env.ORDERS_EVENT_LOG, "ORDERS_EVENT_LOG");
  }
}

/**
 * The monolith's one D1 database, for helpers that only the monolith's runner can use (they spy
 * on the isolate's D1 classes, or break a table every module's projections share). In the
 * services shape it throws, naming the helper, so that a test using it must say why it skips.
 */
export function monolithDb(helper: string): D1Database {
  if (SHAPE !== "monolith") throw new Error(`${helper} runs in the monolith shape only`);
  return env.DB;
}

/**
 * The monolith's one event-log namespace, for helpers that run code inside its objects or list
 * them all (runInDurableObject, runDurableObjectAlarm): the test integration runs those only on
 * the runner's own classes, and the services' event logs are classes of other Workers.
 */
export function monolithEventLog(helper: string): Env["EVENT_LOG"] {
  if (SHAPE !== "monolith") throw new Error(`${helper} runs in the monolith shape only`);
  return env.EVENT_LOG;
}

/** Every D1 database of the shape: the monolith's one, or each service's. */
export const everyDb = (): D1Database[] =>
  SHAPE === "monolith" ? [env.DB] : [dbOf("users"), dbOf("products"), dbOf("orders")];
