import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { bob } from "../test/bookings";
import { mockFetch, settle } from "../test/fetchMock";
import { savedQuery } from "./savedSearches";

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

const saved = { id: "s1", name: "Planners", query: { skill: ["town-planning"], min_hours: null, nation: null, region: null, max_rate_pence: null, q: null }, created_at: "2026-11-25T10:00:00+00:00", find_path: "/find?skill=town-planning" };

describe("saved searches", () => {
  it("keeps the filters and leaves out the weeks", () => {
    expect(savedQuery(new URLSearchParams("skill=a&skill=b&week=2026-W50&to=2026-W52&min_hours=2&max_rate_pence=6000&q=plan&nation="))).toEqual({
      skill: ["a", "b"],
      min_hours: 2,
      max_rate_pence: 6000,
      q: "plan",
    });
  });

  it("saves the search from Find expertise", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/skills": { status: 200, body: { items: [], next_cursor: null } },
      "GET /api/v1/search/people": { status: 200, body: { items: [], total: 0, next_cursor: null } },
      "POST /api/v1/saved-searches": { status: 201, body: saved },
    });
    await startApp("/find?skill=town-planning&week=2026-W50");
    submit(document.querySelector<HTMLFormElement>("#save-search-form"));
    await settle();
    expect(text("#saved-name-error")).toBe("Error: Enter a name for the search");
    fill("saved-name", "Planners");
    submit(document.querySelector<HTMLFormElement>("#save-search-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ name: "Planners", query: { skill: ["town-planning"] } });
    expect(text(".govuk-notification-banner__heading")).toBe("Search saved: Planners");
  });

  it("lists saved searches and deletes one", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/saved-searches": [
        { status: 200, body: { items: [saved], next_cursor: null } },
        { status: 200, body: { items: [], next_cursor: null } },
      ],
      "DELETE /api/v1/saved-searches/s1": { status: 204 },
    });
    await startApp("/saved-searches");
    expect(document.querySelector("#saved a")?.getAttribute("href")).toBe("/find?skill=town-planning");
    submit(document.querySelector<HTMLFormElement>("form.tp-delete-saved"));
    await settle();
    expect(calls.some((c) => c.method === "DELETE")).toBe(true);
    expect(text(".govuk-notification-banner__heading")).toBe("Saved search deleted");
  });
});
