// The services shape's Workers (issue 16, ADR 0039), in the order `npm run deploy:services`
// deploys them: a service before whoever binds to it (orders call products; users call orders;
// the gateway calls all three). `npm run dev:services` and `npm run deploy:services` read this
// list; each Worker's bindings are in its own wrangler.toml.

/** Every secret any Worker of the project reads. */
export const ALL_SECRETS = [
  "JWT_SECRET",
  "JWT_SECRET_PREVIOUS",
  "ADMIN_BOOTSTRAP_TOKEN",
  "PII_MASTER_KEY",
  "PII_MASTER_KEY_PREVIOUS",
];

/**
 * `name`, its wrangler config, whether it has a D1 database (binding DB), and the secrets it
 * reads: only the users service reads any (tokens, the admin bootstrap, personal-data keys);
 * the gateway authenticates by asking it.
 */
export const SERVICES = [
  { name: "products", config: "services/products/wrangler.toml", database: true, secrets: [] },
  { name: "orders", config: "services/orders/wrangler.toml", database: true, secrets: [] },
  {
    name: "users",
    config: "services/users/wrangler.toml",
    database: true,
    secrets: ALL_SECRETS,
  },
  { name: "gateway", config: "services/gateway/wrangler.toml", database: false, secrets: [] },
];

/** The Workers in the order `wrangler dev -c … -c …` takes them: the gateway first, on --port. */
export const DEV_ORDER = [
  SERVICES.find((service) => service.name === "gateway"),
  ...SERVICES.filter((service) => service.name !== "gateway"),
];
