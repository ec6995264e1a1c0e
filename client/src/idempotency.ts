import type { Middleware } from "openapi-fetch";

/** An operation, as `METHOD` and the document's path template. */
export interface OperationRef {
  readonly method: string;
  readonly path: string;
}

const HEADER = "idempotency-key";

/**
 * Gives every request of an operation that takes an `Idempotency-Key` (order creation) a fresh
 * key, unless the caller passed one: pass your own to retry a call whose answer you never got.
 * A UUID is 36 printable ASCII characters, within the API's 1 to 255.
 */
export function idempotencyKeys(
  operations: readonly OperationRef[],
  newKey: () => string = () => crypto.randomUUID(),
): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      const takesKey = operations.some(
        (operation) => operation.method === request.method && operation.path === schemaPath,
      );
      if (!takesKey || request.headers.has(HEADER)) return undefined;
      request.headers.set(HEADER, newKey());
      return request;
    },
  };
}

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type IsKey<K> = Lowercase<K & string> extends typeof HEADER ? true : false;

/** A header object whose `Idempotency-Key` may be left out. */
type KeyOptional<H> = { [K in keyof H as IsKey<K> extends true ? never : K]: H[K] } & {
  [K in keyof H as IsKey<K> extends true ? K : never]?: H[K];
};

type WithGeneratedKey<Operation> = Operation extends {
  parameters: infer Parameters extends { header: infer Header };
}
  ? Omit<Operation, "parameters"> & {
      parameters: Omit<Parameters, "header"> &
        (RequiredKeys<KeyOptional<Header>> extends never
          ? { header?: KeyOptional<Header> }
          : { header: KeyOptional<Header> });
    }
  : Operation;

/** The API's paths, where the client generates the `Idempotency-Key` a caller may omit. */
export type WithGeneratedKeys<Paths> = {
  [Path in keyof Paths]: { [Method in keyof Paths[Path]]: WithGeneratedKey<Paths[Path][Method]> };
};
