import { v7, validate } from "uuid";

/** A new time-ordered UUIDv7: indexes stay append-mostly and ids sort by creation. */
export const newId = (): string => v7();

/** Whether `raw` is a UUID of any version, in canonical lower- or upper-case form. */
export const isUuid = (raw: string): boolean => validate(raw);
