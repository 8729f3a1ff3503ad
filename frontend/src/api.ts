// The one way the SPA talks to the server: JSON over fetch, same-origin cookies, and the CSRF
// token (kept in memory only) on every unsafe request. Failures become ProblemError.

export const API_BASE = "/api/v1";

export interface FieldError {
  loc: (string | number)[];
  msg: string;
}

interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldError[];
}

/** An RFC 9457 problem returned by the API (or made up here when the network fails). */
export class ProblemError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];

  constructor(status: number, body: ProblemBody = {}) {
    const title = body.title ?? defaultTitle(status);
    super(body.detail ?? title);
    this.name = "ProblemError";
    this.status = status;
    this.type = body.type ?? "about:blank";
    this.title = title;
    this.detail = body.detail ?? "";
    this.errors = Array.isArray(body.errors) ? body.errors.filter(isFieldError) : [];
  }

  /** Field errors keyed by the field name: the last string in `loc` after "body"/"query". */
  fieldErrors(): Map<string, string> {
    const out = new Map<string, string>();
    for (const error of this.errors) {
      const name = fieldName(error.loc);
      if (name && !out.has(name)) out.set(name, error.msg);
    }
    return out;
  }
}

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.loc) && typeof v.msg === "string";
}

/** ["body","display_name"] → "display_name"; ["body","skills",0] → "skills"; ["body"] → null. */
export function fieldName(loc: readonly (string | number)[]): string | null {
  const parts = loc.filter((part, i) => !(i === 0 && ["body", "query", "path", "header"].includes(String(part))));
  const first = parts.find((part) => typeof part === "string");
  return typeof first === "string" ? first : null;
}

function defaultTitle(status: number): string {
  if (status === 0) return "The service could not be reached";
  if (status === 401) return "Not signed in";
  if (status === 403) return "Forbidden";
  if (status === 404) return "Not found";
  if (status === 409) return "Conflict";
  if (status === 422) return "Invalid input";
  if (status === 429) return "Too many requests";
  if (status >= 500) return "Server error";
  return "Request failed";
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

type UnauthorizedHandler = (error: ProblemError) => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Called on any 401 (the session has ended), except where a request says it expects one. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** A 401 is a normal answer here (sign in, who am I): do not call the unauthorized handler. */
  expectUnauthorized?: boolean;
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json", ...options.headers };
  const init: RequestInit = { method, headers, credentials: "same-origin" };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  if (UNSAFE.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;

  let response: Response;
  try {
    response = await fetch(API_BASE + path, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ProblemError(0, {
      title: "The service could not be reached",
      detail: "Check your connection and try again.",
    });
  }

  const data = await readBody(response);
  if (response.ok) return data as T;

  const problem = new ProblemError(response.status, isObject(data) ? (data as ProblemBody) : {});
  if (response.status === 401 && !options.expectUnauthorized && onUnauthorized) onUnauthorized(problem);
  throw problem;
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined;
  const type = response.headers.get("Content-Type") ?? "";
  const text = await response.text();
  if (!text) return undefined;
  if (type.includes("json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("PUT", path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>("PATCH", path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options),
};

/** Encodes one path segment (an id or a token) for use in an API path. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Any failure as a ProblemError to show, or null when the request was only aborted (the person
 * moved on). Unexpected errors are logged and become a generic problem.
 */
export function toProblem(error: unknown): ProblemError | null {
  if (error instanceof ProblemError) return error;
  if (error instanceof DOMException && error.name === "AbortError") return null;
  console.error(error);
  return new ProblemError(0, {
    title: "Something went wrong",
    detail: "There was a problem with the service. Try again later.",
  });
}
