import type { components } from "./generated/schema.ts";

/** An RFC 9457 problem document, as every error of the API is answered. */
export type Problem = components["schemas"]["Problem"];

/** An answer that is not a success, thrown by `unwrap` with its problem document. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly problem: Problem;

  // Plain fields, not parameter properties: Node runs this file by stripping its types.
  constructor(status: number, problem: Problem) {
    super(`${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ""}`);
    this.name = "ApiProblem";
    this.status = status;
    this.problem = problem;
  }

  /** The stable machine code, e.g. `USER.EMAIL_TAKEN`, when the problem has one. */
  get code(): string | undefined {
    return this.problem.code;
  }
}

const isProblem = (value: unknown): value is Problem =>
  typeof value === "object" && value !== null && "status" in value && "title" in value;

type Outcome = { data?: unknown; error?: unknown; response: Response };

/** What a successful call answers: its body, or undefined for one without (204). */
type DataOf<O extends Outcome> = [Exclude<O["data"], undefined>] extends [never]
  ? undefined
  : Exclude<O["data"], undefined>;

/**
 * The data of a successful call, or an `ApiProblem` thrown. A body that is not a problem
 * document (say, a proxy's error page) still becomes one, from the status line.
 */
export async function unwrap<O extends Outcome>(call: Promise<O>): Promise<DataOf<O>> {
  const { data, error, response } = await call;
  if (response.ok) return data as DataOf<O>;
  throw new ApiProblem(
    response.status,
    isProblem(error)
      ? error
      : { type: "about:blank", title: response.statusText || "Error", status: response.status },
  );
}
