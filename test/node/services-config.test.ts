import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { SERVICES } from "../../scripts/lib/services.mjs";

// The services shape's wrangler configs (services/*/wrangler.toml, ADR 0040). Bindings and vars
// are not inherited by [env.production], so each is declared twice: the two must not drift.

/** The part of a wrangler config these tests read (wrangler's own types leave it loose here). */
interface ReadConfig {
  name: string;
  compatibility_date: string;
  alias?: Record<string, string>;
  observability?: unknown;
  vars: Record<string, unknown>;
  ratelimits: unknown[];
  services?: unknown[];
  durable_objects: { bindings: unknown[] };
  analytics_engine_datasets: unknown[];
  d1_databases: {
    binding: string;
    database_name?: string;
    database_id?: string;
    migrations_dir?: string;
  }[];
}

const read = (config: string, env?: string): ReadConfig => unstable_readConfig({ config, env });
const root = read("wrangler.toml");

/** What a config binds, by kind, in a form that compares across environments. */
const bindingsOf = (config: ReadConfig) => ({
  vars: Object.keys(config.vars).sort(),
  ratelimits: config.ratelimits,
  services: config.services,
  durableObjects: config.durable_objects.bindings,
  analytics: config.analytics_engine_datasets,
  databases: config.d1_databases.map(({ binding, database_name, migrations_dir }) => ({
    binding,
    database_name,
    migrations_dir,
  })),
});

describe.each(SERVICES)("services/$name/wrangler.toml", (service) => {
  const local = read(service.config);
  const production = read(service.config, "production");

  it("names the Worker edge-commerce-<service> in both environments", () => {
    expect(local.name).toBe(`edge-commerce-${service.name}`);
    expect(production.name).toBe(local.name);
  });

  it("binds the same in production as locally, with no database id there", () => {
    expect(bindingsOf(production)).toEqual(bindingsOf(local));
    expect(production.vars.ENVIRONMENT).toBe("production");
    for (const database of production.d1_databases) expect(database.database_id).toBeUndefined();
  });

  it("takes the root's settings: date, aliases, observability, limits it declares", () => {
    expect(local.compatibility_date).toBe(root.compatibility_date);
    expect(Object.keys(local.alias ?? {})).toEqual(Object.keys(root.alias ?? {}));
    expect(local.observability).toEqual(root.observability);
    for (const limit of local.ratelimits) {
      expect(root.ratelimits).toContainEqual(limit);
    }
    for (const [name, value] of Object.entries(local.vars)) {
      expect(root.vars[name], name).toBe(value);
    }
  });

  it(service.database ? "has its own D1 database, DB" : "has no D1 database", () => {
    expect(
      local.d1_databases.map(({ binding, database_name }) => [binding, database_name]),
    ).toEqual(service.database ? [["DB", `edge-commerce-${service.name}`]] : []);
  });
});

it("gives each service's local D1 an id of its own", () => {
  const ids = [root, ...SERVICES.map((service) => read(service.config))].flatMap((config) =>
    config.d1_databases.map((database) => database.database_id),
  );
  expect(new Set(ids).size).toBe(ids.length);
});
