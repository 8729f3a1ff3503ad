// A fetch stand-in for tests: answers by "METHOD /path" and records every request.
import { vi } from "vitest";

export interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

export type Answer = { status: number; body?: unknown; contentType?: string } | (() => never);

export function jsonResponse(status: number, body?: unknown, contentType?: string): Response {
  const type = contentType ?? (status >= 400 ? "application/problem+json" : "application/json");
  if (status === 204 || body === undefined) return new Response(null, { status });
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": type } });
}

export function mockFetch(routes: Record<string, Answer | Answer[]>): { calls: Recorded[] } {
  const calls: Recorded[] = [];
  const queues = new Map<string, Answer[]>(
    Object.entries(routes).map(([key, answer]) => [key, Array.isArray(answer) ? [...answer] : [answer]]),
  );
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const method = (init.method ?? "GET").toUpperCase();
      const path = new URL(url, "http://localhost").pathname;
      calls.push({
        method,
        url,
        headers: { ...(init.headers as Record<string, string>) },
        body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
        credentials: init.credentials,
      });
      const queue = queues.get(`${method} ${path}`) ?? queues.get(`${method} ${url}`);
      if (!queue || queue.length === 0) return jsonResponse(404, { title: "Not found", status: 404 });
      const answer = queue.length > 1 ? queue.shift()! : queue[0]!;
      if (typeof answer === "function") return answer();
      return jsonResponse(answer.status, answer.body, answer.contentType);
    }),
  );
  return { calls };
}

/** Waits for pending promises and timers-free microtasks to settle. */
export async function settle(times = 10): Promise<void> {
  for (let i = 0; i < times; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}
