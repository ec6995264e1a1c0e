// The users module's public surface: accounts, sessions and who may act on them.
export { authRoutes } from "./http/auth.routes";
export { authenticate, principalOf, requireAdmin } from "./http/authentication.middleware";
export { usersRoutes } from "./http/users.routes";
export { readJwtKeys } from "./infrastructure/jwt-keys";
export { userAggregate } from "./infrastructure/user.aggregate-definition";
