export const REQUEST_ID_HEADER = "x-request-id";

// A client's id is kept only when it is short and cannot smuggle anything into logs or headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A request's id: the client's `x-request-id` when it sent a sane one, else a new UUID. */
export const requestIdFrom = (offered: string | null): string =>
  offered !== null && SANE_REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
