/** A stand-in for the API, enough to drive the client's middleware without a server. */
export function fakeApi(handle: (request: Request, body: unknown) => Response | Promise<Response>) {
  const requests: { request: Request; body: unknown }[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const text = await request.clone().text();
    const body = text ? JSON.parse(text) : undefined;
    requests.push({ request, body });
    return handle(request, body);
  };
  return { fetch, requests };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });

export const problem = (status: number, extra: Record<string, unknown> = {}, headers = {}) =>
  new Response(JSON.stringify({ type: "about:blank", title: "Error", status, ...extra }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });

export const tokens = (n: number) => ({
  tokenType: "Bearer",
  accessToken: `access-${n}`,
  expiresIn: 900,
  refreshToken: `refresh-${n}`,
});

export const EXPIRED = { "www-authenticate": 'Bearer realm="api", error="invalid_token"' };
