// The users module's public surface: accounts, sessions and who may act on them.

export { isAdmin } from "./domain/access-policy";
export { authRoutes } from "./http/auth.routes";
export {
  adminOnly,
  authenticated,
  identifyIfPresent,
  principalOf,
  requireAdmin,
} from "./http/authentication.middleware";
export { usersRoutes } from "./http/users.routes";
export { readJwtKeys } from "./infrastructure/jwt-keys";
export { userAggregate } from "./infrastructure/user.aggregate-definition";
