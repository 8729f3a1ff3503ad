import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { startApp, stopApp, text } from "../test/app";
import { peter, reading, user } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";

const bob = user(["booker"], { council: reading });

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: bob },
    "GET /api/v1/officers/o2": { status: 200, body: { ...peter, summary: "Plans <things>.\n\nAnd policy." } },
    "GET /api/v1/skills": { status: 200, body: { items: [], next_cursor: null } },
    "GET /api/v1/search/officers": { status: 200, body: { items: [], next_cursor: null } },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("officer page", () => {
  it("shows the profile, escaped, with a link back to the search", async () => {
    mockFetch(routes());
    const app = await startApp("/find?q=planning");
    app.navigate("/officers/o2");
    await settle();
    expect(document.title).toBe("Peter Price – LocalGov Talent Pool");
    expect(text("h1")).toBe("Peter Price");
    expect(text(".govuk-caption-l")).toBe("West Berkshire Council");
    expect(text("#officer-rate")).toBe("£45.50 per hour");
    expect([...document.querySelectorAll("main p.govuk-body")].map((p) => p.textContent)).toEqual(["Plans <things>.", "And policy."]);
    expect([...document.querySelectorAll("main li")].map((li) => li.textContent)).toEqual(["Town planning", "Planning policy"]);
    expect(text(".govuk-summary-list")).toContain("South East, England");
    expect(document.querySelector(".govuk-back-link")?.getAttribute("href")).toBe("/find?q=planning");
  });

  it("says Page not found for an officer that cannot be seen", async () => {
    mockFetch(routes({ "GET /api/v1/officers/o9": { status: 404, body: { status: 404, title: "Not found" } } }));
    await startApp("/officers/o9");
    expect(text("h1")).toBe("Page not found");
  });
});
