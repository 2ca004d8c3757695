/**
 * The editor's HTTP client: keep-alive connections that stay open for the whole run, so a post
 * made while the server holds as many sockets as it may open (20k readers) still has its
 * connection, as a logged-in editor would. `warm` opens one before the readers arrive.
 */
import { Agent, request } from 'undici';

const agent = new Agent({ keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000, connections: 4 });

export async function sendJson(
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const response = await request(url, {
    method,
    dispatcher: agent,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.statusCode, text: await response.body.text() };
}

export async function warm(url: string): Promise<void> {
  await sendJson('GET', url);
}

export async function closeHttp(): Promise<void> {
  await agent.close();
}

/** An answer's bytes and headers as they crossed the wire (undici does not inflate). */
export async function getRaw(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ headers: Record<string, string>; body: Buffer }> {
  const response = await request(url, { method: 'GET', dispatcher: agent, headers });
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers))
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return { headers: flat, body: Buffer.from(await response.body.arrayBuffer()) };
}
