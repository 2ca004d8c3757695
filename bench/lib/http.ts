/**
 * The editor's HTTP client: keep-alive connections that stay open for the whole run, so a post
 * made while the server holds as many sockets as it may open (20k readers) still has its
 * connection, as a logged-in editor would. `warm` opens one before the readers arrive.
 */
import { Agent, request } from 'undici';

const agent = new Agent({ keepAliveTimeout: 600_000, keepAliveMaxTimeout: 600_000, connections: 4 });

export async function sendJson(method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await request(url, {
    method, dispatcher: agent,
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
