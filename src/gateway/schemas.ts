import { z } from "@hono/zod-openapi";
import { CURSOR_MAX_LENGTH } from "../db/keyset-pagination";
import type { DomainError } from "../kernel/domain-error";
import { parseCurrency } from "../kernel/money";
import type { Result } from "../kernel/result";
import { problemBody } from "./problem";

/** Validates a string with a domain value object's parser, so there is one rule, not two. */
export const checkedBy =
  (parse: (raw: string) => Result<unknown, DomainError>) =>
  (value: string, context: z.RefinementCtx) => {
    const parsed = parse(value);
    if (!parsed.ok) context.addIssue({ code: "custom", message: parsed.error.message });
  };

/**
 * A schema built on its first use and kept: for the query, path and header objects, which must
 * stay plain objects for the document (see below), so that start-up builds none of them. Routes
 * are built on the first request under their module (ADR 0032), and call these only then.
 */
export const builtOnFirstUse = <T>(build: () => T): (() => T) => {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
};

/**
 * Named schemas of bodies are built on their first use, not at start-up: building zod schemas was
 * most of the Worker's start-up CPU (ADR 0029). A request body's schema is built by the first
 * request that carries one, and a response's only ever by the document builder, since responses
 * are not validated at run time. `z.lazy` builds once and documents as the schema it wraps. Query,
 * path and header schemas stay plain objects, the document listing their fields as parameters,
 * built by `builtOnFirstUse`.
 */
export const ProblemSchema = z.lazy(() =>
  z
    .object({
      type: z.string().openapi({ example: "urn:problem:user.email_taken" }),
      title: z.string().openapi({ example: "Conflict" }),
      status: z.number().int().openapi({ example: 409 }),
      detail: z.string().optional(),
      instance: z.string().optional(),
      requestId: z.string().optional(),
      code: z.string().optional().openapi({ example: "USER.EMAIL_TAKEN" }),
      errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    })
    .passthrough()
    .openapi("Problem", {
      example: {
        type: "urn:problem:user.email_taken",
        title: "Conflict",
        status: 409,
        detail: "That email is already registered.",
        instance: "/api/users",
        requestId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f71",
        code: "USER.EMAIL_TAKEN",
      },
    }),
);

const DESCRIPTIONS: Record<number, string> = {
  400: "The request is malformed or a field is invalid.",
  401: "No valid bearer token (or wrong credentials); see `WWW-Authenticate`.",
  403: "Authenticated, but not allowed to do this.",
  404: "No such resource.",
  409: "The request conflicts with the resource's state.",
  412: "`If-Match` does not name the current version.",
  413: "The body is larger than 64 KiB.",
  415: "The body is not JSON.",
  429: "Too many attempts from this address; see `Retry-After`.",
  500: "The server is misconfigured or failed; quote the request id.",
  503: "A dependency is overloaded or briefly unavailable; retry after `Retry-After`.",
};

/** Where the OpenAPI examples of problem documents say they were answered. */
export const EXAMPLE_ANSWER = {
  instance: "/api/users/0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70",
  requestId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f71",
};

/** What a problem document with this status looks like, built as the API builds them. */
const problemExample = (status: number) =>
  problemBody(
    status === 400
      ? {
          status,
          detail: "The request json is not valid.",
          code: "VALIDATION_FAILED",
          errors: [{ field: "json.email", message: "is not an email" }],
        }
      : { status, detail: DESCRIPTIONS[status] as string },
    EXAMPLE_ANSWER,
  );

const problemResponse = (status: number) => ({
  description: DESCRIPTIONS[status] as string,
  content: {
    "application/problem+json": { schema: ProblemSchema, example: problemExample(status) },
  },
});

// One per status, shared by every route that declares it: built once, not once per route.
const PROBLEM_RESPONSES = new Map<number, ReturnType<typeof problemResponse>>();

/** OpenAPI responses for the given error statuses, each a problem document with an example. */
export const problemResponses = <S extends keyof typeof DESCRIPTIONS>(...statuses: S[]) =>
  Object.fromEntries(
    statuses.map((status) => {
      let response = PROBLEM_RESPONSES.get(status);
      if (!response) {
        response = problemResponse(status);
        PROBLEM_RESPONSES.set(status, response);
      }
      return [status, response];
    }),
  ) as Record<
    S,
    {
      description: string;
      content: {
        "application/problem+json": {
          schema: typeof ProblemSchema;
          example: ReturnType<typeof problemExample>;
        };
      };
    }
  >;

/**
 * What the gateway answers to any API operation, whatever its route declares: a bug or an
 * unusable JWT_SECRET (500), an overloaded or briefly unavailable D1 or object (503).
 */
export const GATEWAY_STATUSES = [500, 503] as const;

/**
 * What the gateway answers to any API request that carries a body (every method but GET and
 * HEAD), whatever its route declares: a body over 64 KiB (413) or not JSON (415).
 */
export const BODY_STATUSES = [413, 415] as const;

export const PAGE_LIMIT_MAX = 100;

/**
 * A whole number in a query string. Only digits count (not "1e3", " 7" or "0x10"), and an empty
 * value (`?maxPrice=` from a blank form field) is absent rather than 0. Its nine zod schemas are
 * built on the first request that has the parameter, not at start-up; the document describes it
 * by the `.openapi({ type: "integer", ... })` each use gives it.
 */
export const queryInteger = (min: number, max: number) =>
  z.lazy(() =>
    z.preprocess(
      (value) => (value === "" ? undefined : value),
      z
        .string()
        .regex(/^[0-9]{1,16}$/, "must be a whole number")
        .transform(Number)
        .pipe(z.number().int().min(min).max(max))
        .optional(),
    ),
  );

/** `?limit=&cursor=` for every list. */
export const PageQuerySchema = builtOnFirstUse(() =>
  z.object({
    limit: queryInteger(1, PAGE_LIMIT_MAX)
      .transform((limit) => limit ?? 20)
      .openapi({
        type: "integer",
        minimum: 1,
        maximum: PAGE_LIMIT_MAX,
        default: 20,
        description: `Items per page, 1 to ${PAGE_LIMIT_MAX}.`,
      }),
    cursor: z
      .string()
      .max(CURSOR_MAX_LENGTH)
      .optional()
      .openapi({ description: "`nextCursor` of the previous page." }),
  }),
);

export const IdParamSchema = builtOnFirstUse(() =>
  z.object({
    id: z.uuid().openapi({
      param: { name: "id", in: "path" },
      example: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70",
    }),
  }),
);

export const IfMatchHeaderSchema = builtOnFirstUse(() =>
  z.object({
    "if-match": z
      .string()
      .optional()
      .openapi({ description: 'The ETag last read, e.g. `"3"`; a stale one gets 412.' }),
  }),
);

export const IfNoneMatchHeaderSchema = builtOnFirstUse(() =>
  z.object({
    "if-none-match": z
      .string()
      .optional()
      .openapi({ description: "The ETag last read; 304 if current." }),
  }),
);

/** The OpenAPI security scheme every authenticated operation names. */
export const BEARER_AUTH = "bearerAuth";

/** OpenAPI fields for an operation that needs a bearer token. */
export const bearerSecurity = [{ [BEARER_AUTH]: [] }];

/** An aggregate's log as the API shows it. */
export const EventListSchema = z.lazy(() =>
  z
    .object({
      items: z.array(
        z.object({
          version: z.number().int(),
          type: z.string(),
          data: z.record(z.string(), z.unknown()),
          occurredAt: z.iso.datetime(),
          correlationId: z.string().nullable().openapi({
            description: "The business flow (e.g. the request that placed an order) across logs.",
          }),
          causationId: z.string().nullable().openapi({
            description: "The id of the command that appended the event.",
          }),
        }),
      ),
      nextCursor: z.string().nullable(),
    })
    .openapi("EventList", {
      example: {
        items: [
          {
            version: 1,
            type: "UserRegistered",
            data: {
              userId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f70",
              email: "ada@example.com",
              name: "Ada Lovelace",
              role: "customer",
            },
            occurredAt: "2026-11-20T09:30:00.000Z",
            correlationId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f71",
            causationId: "0190f3a2-7b1c-7cc0-8f1e-2b3c4d5e6f73",
          },
        ],
        nextCursor: null,
      },
    }),
);

export const CurrencyField = builtOnFirstUse(() =>
  z
    .string()
    .superRefine(checkedBy(parseCurrency))
    .openapi({ example: "EUR", description: "ISO 4217 code." }),
);

/**
 * A registered schema (one with an OpenAPI component name), or null. Use it instead of
 * `.nullable()` on such a schema: zod-to-openapi documents that as
 * `allOf: [{$ref}, {type: ["object", "null"]}]`, which no null satisfies, or, where it is the
 * component's first use, makes the component itself nullable everywhere. A union with null is
 * documented as `anyOf: [{$ref}, {type: "null"}]` (asteasolutions/zod-to-openapi#387).
 * openapi-rules.test.ts fails on any other spelling of a nullable reference.
 */
export const orNull = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** An amount of money, as every module shows it. */
export const MoneySchema = z.lazy(() =>
  z
    .strictObject({
      amount: z
        .number()
        .int()
        .min(0)
        .max(Number.MAX_SAFE_INTEGER)
        .openapi({ example: 1999, description: "In the currency's minor units (cents)." }),
      currency: CurrencyField(),
    })
    .openapi("Money"),
);
