/** An answer read in full: status, headers and the body as JSON (or `undefined` when it is not JSON). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
}

/** `GET url` with a real HTTP client; redirects are returned, not followed. */
export async function get(url: string, authorization?: string): Promise<HttpAnswer> {
  const response = await fetch(url, {
    redirect: 'manual',
    headers: authorization === undefined ? {} : { authorization },
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json };
}
