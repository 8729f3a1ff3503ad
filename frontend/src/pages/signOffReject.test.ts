import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { approval, user } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import { validateReason } from "./signOffReject";

const mark = user(["manager"], { csrf_token: "csrf-m" });
const waiting = approval("a1", "2026-W49", { approved_hours: 2, hours: 5 });

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: mark },
    "GET /api/v1/availability/a1": { status: 200, body: waiting },
    "GET /api/v1/approvals": { status: 200, body: { items: [], next_cursor: null } },
    "GET /api/v1/officers": { status: 200, body: { items: [], next_cursor: null } },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("rejecting hours", () => {
  it("needs a reason of at most 500 characters", () => {
    expect(validateReason("").fields.reason).toBe("Enter the reason you are not approving these hours");
    expect(validateReason("x".repeat(501)).fields.reason).toBe("The reason must be 500 characters or fewer");
    expect(validateReason("Busy").summary).toEqual([]);
  });

  it("rejects with a reason and goes back to sign-off with a banner", async () => {
    const { calls } = mockFetch(
      routes({ "POST /api/v1/availability/a1/reject": { status: 200, body: { ...waiting, pending_hours: 0, status: "approved", reject_reason: "Busy" } } }),
    );
    await startApp("/sign-off/a1/reject");
    expect(document.title).toBe("Reject hours – LocalGov Talent Pool");
    expect(text("h1")).toBe("Reject hours for Peter Price");
    expect(text(".govuk-summary-list")).toContain("w/c 30 Nov 2026");
    expect(document.body.textContent).toContain("The 2 hours approved before stay approved.");
    submit(document.querySelector<HTMLFormElement>("#reject-form"));
    await settle();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    expect(text("#reason-error")).toBe("Error: Enter the reason you are not approving these hours");

    fill("reason", "  The planning team needs Peter in December. ");
    submit(document.querySelector<HTMLFormElement>("#reject-form"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.body).toEqual({ reason: "The planning team needs Peter in December." });
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-m");
    expect(window.location.pathname).toBe("/sign-off");
    expect(text(".govuk-notification-banner__heading")).toBe("Hours rejected for Peter Price");
  });

  it("says when the hours are no longer waiting", async () => {
    mockFetch(routes({ "GET /api/v1/availability/a1": { status: 200, body: { ...waiting, status: "approved" } } }));
    await startApp("/sign-off/a1/reject");
    expect(document.querySelector("#reject-form")).toBeNull();
    expect(document.body.textContent).toContain("These hours are no longer waiting for sign-off.");
  });

  it("shows a conflict from the server", async () => {
    mockFetch(
      routes({ "POST /api/v1/availability/a1/reject": { status: 409, body: { status: 409, title: "Conflict", detail: "The week w/c 30 Nov 2026 is not waiting for sign-off (it is approved)." } } }),
    );
    await startApp("/sign-off/a1/reject");
    fill("reason", "No");
    submit(document.querySelector<HTMLFormElement>("#reject-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("The week w/c 30 Nov 2026 is not waiting for sign-off (it is approved)");
    expect((document.getElementById("reason") as HTMLTextAreaElement).value).toBe("No");
  });

  it("says Page not found for an id that is not one", async () => {
    mockFetch(routes({ "GET /api/v1/availability/nope": { status: 422, body: { status: 422, title: "Invalid input" } } }));
    await startApp("/sign-off/nope/reject");
    expect(text("h1")).toBe("Page not found");
  });
});
