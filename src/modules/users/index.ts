// The users module's public surface: its router for the gateway and its aggregate for the log.
export { usersRoutes } from "./http/users.routes";
export { userAggregate } from "./infrastructure/user.aggregate-definition";
