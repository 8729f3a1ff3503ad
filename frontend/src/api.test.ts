import { afterEach, describe, expect, it, vi } from "vitest";
import { ProblemError, api, fieldName, getCsrfToken, setCsrfToken, setUnauthorizedHandler, toProblem } from "./api";
import { mockFetch } from "./test/fetchMock";

afterEach(() => {
  setCsrfToken(null);
  setUnauthorizedHandler(null);
});

describe("api", () => {
  it("gets JSON from /api/v1 with the session cookie and no CSRF header", async () => {
    setCsrfToken("t0ken");
    const { calls } = mockFetch({ "GET /api/v1/skills": { status: 200, body: { items: [], next_cursor: null } } });
    const result = await api.get<{ items: unknown[] }>("/skills");
    expect(result).toEqual({ items: [], next_cursor: null });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe("/api/v1/skills");
    expect(calls[0]!.credentials).toBe("same-origin");
    expect(calls[0]!.headers["X-CSRF-Token"]).toBeUndefined();
  });

  it.each(["post", "put", "patch"] as const)("%s sends JSON and the CSRF token", async (method) => {
    setCsrfToken("t0ken");
    const { calls } = mockFetch({ [`${method.toUpperCase()} /api/v1/thing`]: { status: 200, body: { ok: true } } });
    await api[method]("/thing", { a: 1 });
    expect(calls[0]!.method).toBe(method.toUpperCase());
    expect(calls[0]!.headers["X-CSRF-Token"]).toBe("t0ken");
    expect(calls[0]!.headers["Content-Type"]).toBe("application/json");
    expect(calls[0]!.body).toEqual({ a: 1 });
  });

  it("delete sends the CSRF token; 204 gives undefined", async () => {
    setCsrfToken("abc");
    const { calls } = mockFetch({ "DELETE /api/v1/thing/1": { status: 204 } });
    await expect(api.delete("/thing/1")).resolves.toBeUndefined();
    expect(calls[0]!.headers["X-CSRF-Token"]).toBe("abc");
  });

  it("sends no CSRF header when there is no token", async () => {
    const { calls } = mockFetch({ "POST /api/v1/auth/logout": { status: 204 } });
    await api.post("/auth/logout");
    expect(calls[0]!.headers["X-CSRF-Token"]).toBeUndefined();
    expect(calls[0]!.body).toBeUndefined();
    expect(getCsrfToken()).toBeNull();
  });

  it("turns problem+json into a ProblemError with field errors", async () => {
    mockFetch({
      "PUT /api/v1/officers/me": {
        status: 422,
        body: {
          type: "about:blank",
          title: "Unprocessable",
          status: 422,
          detail: "Check the fields",
          errors: [
            { loc: ["body", "display_name"], msg: "String should have at least 1 character" },
            { loc: ["body", "skills", 2], msg: "Unknown skill" },
            { loc: ["body"], msg: "Something overall" },
          ],
        },
      },
    });
    const error = await api.put("/officers/me", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    const problem = error as ProblemError;
    expect(problem.status).toBe(422);
    expect(problem.title).toBe("Unprocessable");
    expect(problem.detail).toBe("Check the fields");
    expect(problem.errors).toHaveLength(3);
    expect([...problem.fieldErrors()]).toEqual([
      ["display_name", "String should have at least 1 character"],
      ["skills", "Unknown skill"],
    ]);
  });

  it("makes a ProblemError even when the error body is not JSON", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response("Bad gateway", { status: 502, headers: { "Content-Type": "text/plain" } })));
    const problem = (await api.get("/me").catch((e: unknown) => e)) as ProblemError;
    expect(problem).toBeInstanceOf(ProblemError);
    expect(problem.status).toBe(502);
    expect(problem.title).toBe("Server error");
  });

  it("reports a network failure as status 0", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    const problem = (await api.get("/me").catch((e: unknown) => e)) as ProblemError;
    expect(problem.status).toBe(0);
    expect(problem.detail).toMatch(/connection/);
  });

  it("calls the unauthorized handler on 401 unless the caller expects one", async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    mockFetch({ "GET /api/v1/me": { status: 401, body: { title: "Not signed in", status: 401 } } });
    await expect(api.get("/me", { expectUnauthorized: true })).rejects.toBeInstanceOf(ProblemError);
    expect(handler).not.toHaveBeenCalled();
    await expect(api.get("/me")).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("toProblem passes problems through and ignores aborts", () => {
    const problem = new ProblemError(409, { detail: "Taken" });
    expect(toProblem(problem)).toBe(problem);
    expect(toProblem(new DOMException("aborted", "AbortError"))).toBeNull();
    vi.spyOn(console, "error").mockImplementation(() => {});
    expect(toProblem(new Error("boom"))?.status).toBe(0);
  });
});

describe("fieldName", () => {
  it.each([
    [["body", "display_name"], "display_name"],
    [["body", "skills", 0], "skills"],
    [["query", "limit"], "limit"],
    [["email"], "email"],
    [["body"], null],
    [[], null],
  ] as const)("%j → %s", (loc, expected) => {
    expect(fieldName(loc as unknown as (string | number)[])).toBe(expected);
  });
});
