// The benchmark's HTTP calls to the Workers under test.

export const get = (url, headers = {}) => fetch(url, { headers });

export const post = (url, body, headers = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** The JSON body of a 2xx answer; anything else is an error naming `what` was attempted. */
export async function json(response, what) {
  if (!response.ok) throw new Error(`${what}: ${response.status} ${await response.text()}`);
  return response.json();
}
