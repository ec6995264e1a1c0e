/** The Hono environment every router shares: the Worker's bindings and per-request values. */
export type AppEnv = {
  Bindings: Env;
  Variables: { requestId: string };
};
