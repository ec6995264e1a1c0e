// The users module's public surface: accounts, sessions and who may act on them.

export { isAdmin } from "./domain/access-policy";
export { buildAdminRoutes } from "./http/admin.routes";
export { buildAuthRoutes } from "./http/auth.routes";
export {
  adminOnly,
  authenticated,
  identifyIfPresent,
  principalOf,
  requireAdmin,
} from "./http/authentication.middleware";
export { personalDataKeyProblem } from "./http/personal-data-keys";
export { buildUsersRoutes, type CustomerOrders } from "./http/users.routes";
export { readJwtConfig } from "./infrastructure/jwt-config";
export { purgeEndedSessionsJob } from "./infrastructure/purge-ended-sessions.job";
export { userAggregate } from "./infrastructure/user.aggregate-definition";
