// Every D1 table, for Drizzle's typed queries and for drizzle-kit's migration generator.
export { users } from "../modules/users/infrastructure/users.table";
export { domainEvents } from "./domain-events.table";
export { uniqueClaims } from "./unique-claims.table";
