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
    expect([...document.querySelectorAll("main p.govuk-body")].map((p) => p.textContent)).toEqual([
      "Plans <things>.",
      "And policy.",
      "Peter Price has no hours to book in the next 12 weeks.",
    ]);
    expect([...document.querySelectorAll("main li")].map((li) => li.textContent)).toEqual(["Town planning", "Planning policy"]);
    expect(text(".govuk-summary-list")).toContain("South East, England");
    expect(document.querySelector(".govuk-back-link")?.getAttribute("href")).toBe("/find?q=planning");
  });

  it("lists the weeks of the last search with hours to book, with a link to book each", async () => {
    const hit = (week: string, officer = peter) => ({
      officer,
      availability_id: `av-${week}`,
      week,
      week_start: "2026-12-07",
      available_hours: 7.5,
      rate_pence_per_hour: 4550,
      single_booking: week === "2026-W51",
      matched_skills: 0,
    });
    const { calls } = mockFetch(
      routes({
        "GET /api/v1/search/officers": {
          status: 200,
          body: { items: [hit("2026-W51"), hit("2026-W50", { ...peter, id: "o9" }), hit("2026-W50")], next_cursor: null },
        },
      }),
    );
    const app = await startApp("/find?week=2026-W50&to=2026-W52");
    app.navigate("/officers/o2");
    await settle();
    const search = calls.filter((c) => c.url.startsWith("/api/v1/search/officers")).pop()!;
    expect(search.url).toBe("/api/v1/search/officers?q=Peter+Price&limit=200&week=2026-W50&to=2026-W52");
    expect(text("#officer-weeks caption")).toBe("Weeks with hours to book");
    const rows = [...document.querySelectorAll("#officer-weeks tbody tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent?.replace(/\s+/g, " ").trim()),
    );
    expect(rows).toEqual([
      ["w/c 7 Dec 2026", "7.5 hours", "£45.50 per hour", "Book this week (w/c 7 Dec 2026)"],
      ["w/c 14 Dec 2026 Single booking", "7.5 hours", "£45.50 per hour", "Book this week (w/c 14 Dec 2026)"],
    ]);
    expect(document.querySelector("#officer-weeks a")?.getAttribute("href")).toBe("/book?officer=o2&week=2026-W50");
  });

  it("shows managers the weeks without booking links", async () => {
    const hit = { officer: peter, availability_id: "a1", week: "2026-W50", week_start: "2026-12-07", available_hours: 3, rate_pence_per_hour: 4550, single_booking: false, matched_skills: 0 };
    mockFetch(
      routes({
        "GET /api/v1/me": { status: 200, body: user(["manager"], { council: reading }) },
        "GET /api/v1/search/officers": { status: 200, body: { items: [hit], next_cursor: null } },
      }),
    );
    await startApp("/officers/o2");
    expect(text("#officer-weeks-caption")).toBe("Weeks with hours to book");
    expect([...document.querySelectorAll("#officer-weeks th")].map((th) => th.textContent)).toEqual(["Week", "Available", "Rate"]);
    expect(document.querySelector("a[href^='/book?']")).toBeNull();
  });

  it("says Page not found for an officer that cannot be seen", async () => {
    mockFetch(routes({ "GET /api/v1/officers/o9": { status: 404, body: { status: 404, title: "Not found" } } }));
    await startApp("/officers/o9");
    expect(text("h1")).toBe("Page not found");
  });
});
