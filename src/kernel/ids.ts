import { v7, validate } from "uuid";
import { type DomainError, invalid } from "./domain-error";
import { err, ok, type Result } from "./result";

/** A new time-ordered UUIDv7: indexes stay append-mostly and ids sort by creation. */
export const newId = (): string => v7();

/** Whether `raw` is a UUID of any version, in canonical lower- or upper-case form. */
export const isUuid = (raw: string): boolean => validate(raw);

/** Parses an aggregate id: any UUID, normalized to lower case; else an `invalid` error. */
export const parseId = <Id extends string>(raw: string, code: string): Result<Id, DomainError> =>
  isUuid(raw) ? ok(raw.toLowerCase() as Id) : err(invalid(code, "id", "must be a UUID"));
