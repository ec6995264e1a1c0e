export const DEFAULT_URL: string;
export const USAGE: string;
export function parsePromoteArguments(
  args: readonly string[],
): { ok: true; email: string; url: string } | { ok: false; problem: string };
export function bootstrapTokenFor(
  url: string,
  environment: Record<string, string | undefined>,
  devVarsText: string | undefined,
): string | undefined;
export function bootstrapRequest(input: { url: string; email: string; token: string }): Request;
export function promoteAdmin(input: {
  args: readonly string[];
  environment: Record<string, string | undefined>;
  devVarsText: string | undefined;
  send: (request: Request) => Promise<Response>;
  print: (line: string) => void;
  fail: (line: string) => void;
}): Promise<0 | 1 | 2>;
