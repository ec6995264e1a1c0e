import type { D1Migration } from "@cloudflare/vitest-plugin";
import type { LegacyWorkerOptions } from "miniflare";

export const SERVICES: readonly ["users", "products", "orders"];
export const GATEWAY_CONFIG: string;

/** What the "services" vitest project adds to its Miniflare options. */
export interface ServicesShape {
  /** The three services and the two switches as auxiliary Workers. */
  workers: LegacyWorkerOptions[];
  /** The gateway's service bindings, through the switches; USERS_SWITCH and PRODUCTS_SWITCH. */
  serviceBindings: Record<string, { name: string; entrypoint?: string }>;
  /** TEST_SHAPE and TEST_MIGRATIONS_USERS / _PRODUCTS / _ORDERS for the runner. */
  bindings: Record<string, string | D1Migration[]>;
  /** USERS_DB, PRODUCTS_DB, ORDERS_DB: the services' own databases, by id. */
  d1Databases: Record<string, { id: string }>;
  /** USERS_EVENT_LOG, PRODUCTS_EVENT_LOG, ORDERS_EVENT_LOG: the services' event-log classes. */
  durableObjects: Record<string, { className: string; scriptName: string; useSQLite: boolean }>;
}

export declare function servicesShape(testBindings: Record<string, string>): Promise<ServicesShape>;
