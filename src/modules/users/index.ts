// The users module's public surface: accounts, sessions and who may act on them.

export { buildAdminRoutes } from "./http/admin.routes";
export { buildAuthRoutes } from "./http/auth.routes";
export { authenticateCaller, usersAuthenticator } from "./http/authentication";
export { usersSecretProbes } from "./http/secret-probes";
export { buildUsersRoutes, type CustomerOrders } from "./http/users.routes";
export { readJwtConfig } from "./infrastructure/jwt-config";
export { purgeEndedSessionsJob } from "./infrastructure/purge-ended-sessions.job";
export { userAggregate } from "./infrastructure/user.aggregate-definition";
