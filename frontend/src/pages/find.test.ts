import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { peter, reading, user } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import type { PersonHit, Skill } from "../models";
import { countText, filtersFrom, searchQuery, validateFilters } from "./find";
import { useBrowserClock } from "../test/clock";

const bob = user(["booker"], { id: "u6", name: "Bob Barker", council: reading });
const skills: Skill[] = [
  { slug: "user-researcher", name: "User researcher", family: "Digital: user-centred design" },
  { slug: "town-planning", name: "Town planning", family: "Planning and building" },
  { slug: "planning-policy", name: "Planning policy", family: "Planning and building" },
];

function person(weeks: string[], extra: Partial<PersonHit> = {}, single = false): PersonHit {
  return {
    officer: peter,
    matched_skills: 1,
    free_hours: 3 * weeks.length,
    weeks: weeks.map((week) => ({ availability_id: `av-${week}`, week, week_start: "2026-11-30", available_hours: 3, single_booking: single })),
    ...extra,
  };
}

const other = { ...peter, id: "o9", display_name: "Olivia Okafor" };

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: bob },
    "GET /api/v1/skills": { status: 200, body: { items: skills, next_cursor: null } },
    "GET /api/v1/search/people": { status: 200, body: { items: [person(["2026-W49", "2026-W50"]), person(["2026-W50"], { officer: other })], total: 2, next_cursor: null } },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

useBrowserClock();

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("search filters", () => {
  it("reads the address's query, for the form and for the API", () => {
    const query = new URLSearchParams("skill=town-planning&skill=planning-policy&week=2026-W49&to=2026-W52&max_rate_pence=4550&q=planning&other=x&nation=");
    expect(filtersFrom(query)).toEqual({
      skills: ["town-planning", "planning-policy"],
      week: "2026-W49",
      to: "2026-W52",
      min_hours: "",
      nation: "",
      region: "",
      max_rate: "45.50",
      q: "planning",
    });
    expect(searchQuery(query, "abc").toString()).toBe(
      "skill=town-planning&skill=planning-policy&from=2026-W49&to=2026-W52&max_rate_pence=4550&q=planning&limit=20&cursor=abc",
    );
    // A first week alone searches that week.
    expect(searchQuery(new URLSearchParams("week=2026-W49")).toString()).toBe("from=2026-W49&to=2026-W49&limit=20");
  });

  it("checks the form and converts pounds to pence", () => {
    const base = { skills: ["town-planning"], week: "", to: "", min_hours: "", nation: "", region: "", max_rate: "", q: "" };
    expect(validateFilters({ ...base, max_rate: "60", min_hours: "2", nation: "England", region: "South East" }).query?.toString()).toBe(
      "skill=town-planning&min_hours=2&nation=England&region=South+East&max_rate_pence=6000",
    );
    expect(validateFilters({ ...base, max_rate: "0.29" }).query?.get("max_rate_pence")).toBe("29");
    const bad = validateFilters({ ...base, week: "2026-W52", to: "2026-W49", min_hours: "2.2", max_rate: "lots" });
    expect(bad.query).toBeNull();
    expect(bad.errors.summary.map((e) => e.href)).toEqual(["#to", "#min_hours", "#max_rate"]);
    const many = validateFilters({ ...base, skills: Array.from({ length: 11 }, (_, i) => `s${i}`) });
    expect(many.errors.fields.skills).toBe("Choose 10 skills or fewer");
  });

  it("counts results", () => {
    expect(countText(0, false)).toBe("No officers with free hours match your search.");
    expect(countText(1, false)).toBe("1 officer match.");
    expect(countText(20, true, 57)).toBe("57 officers match. Showing the first 20: load more to see the rest.");
  });
});

describe("find expertise page", () => {
  it("searches with the filters in the address and shows summary cards", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/find?skill=town-planning&week=2026-W49&to=2026-W52&max_rate_pence=6000");
    expect(document.title).toBe("Find expertise – LocalGov Talent Pool");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Find expertise");
    const search = calls.find((c) => c.url.startsWith("/api/v1/search/people"))!;
    expect(search.url).toBe("/api/v1/search/people?skill=town-planning&from=2026-W49&to=2026-W52&max_rate_pence=6000&limit=20");
    // The form shows the filters.
    expect((document.getElementById("skill-town-planning") as HTMLInputElement).checked).toBe(true);
    expect((document.getElementById("skills") as HTMLInputElement).checked).toBe(false);
    const families = [...document.querySelectorAll("details.tp-skill-family")];
    expect(families.map((d) => d.querySelector("summary")?.textContent?.replace(/\s+/g, " ").trim())).toEqual([
      "Digital: user-centred design",
      "Planning and building (1 chosen)",
    ]);
    expect(families.map((d) => d.hasAttribute("open"))).toEqual([false, true]);
    expect((document.getElementById("week") as HTMLSelectElement).value).toBe("2026-W49");
    expect((document.getElementById("week") as HTMLSelectElement).options[1]!.textContent).toBe("w/c 30 Nov 2026");
    expect((document.getElementById("to") as HTMLSelectElement).value).toBe("2026-W52");
    expect((document.getElementById("max_rate") as HTMLInputElement).value).toBe("60");
    expect(document.getElementById("max_rate")?.getAttribute("inputmode")).toBe("decimal");
    // The results.
    const cards = [...document.querySelectorAll("#results .govuk-summary-card")];
    expect(cards).toHaveLength(2);
    const first = cards[0]!;
    expect(first.querySelector("h3 a")?.getAttribute("href")).toBe("/officers/o2");
    expect(first.querySelector("h3")?.textContent).toBe("Peter Price");
    const rows = [...first.querySelectorAll(".govuk-summary-list__row")].map((row) => [
      row.querySelector("dt")?.textContent,
      row.querySelector("dd")?.textContent?.trim(),
    ]);
    expect(rows).toEqual([
      ["Job title", "Principal planning officer"],
      ["Council", "West Berkshire Council"],
      ["Skills", "Town planning, Planning policy"],
      ["Rate", "£45.50 per hour"],
      ["Available", "6 hours in 2 weeks"],
    ]);
    expect(text("#results-count")).toBe("2 officers match.");
    expect(document.querySelector("#load-more")).toBeNull();
    // The officer's weeks, once each, in date order, to tick.
    const labels = [...first.querySelectorAll(".govuk-checkboxes__label")].map((l) => l.textContent?.trim());
    expect(labels).toEqual(["w/c 30 Nov 2026: 3 hours", "w/c 7 Dec 2026: 3 hours"]);
  });

  it("books one ticked week on the booking form, several on the weeks form", async () => {
    mockFetch(routes());
    await startApp("/find?skill=town-planning");
    const form = document.querySelector<HTMLFormElement>('form.tp-book-weeks[data-officer="o2"]')!;
    submit(form);
    await settle();
    expect(text(".tp-tick-error")).toBe("Error: Select the weeks to book");
    const boxes = form.querySelectorAll<HTMLInputElement>("input[name=week]");
    boxes[0]!.checked = true;
    boxes[1]!.checked = true;
    submit(form);
    await settle();
    expect(window.location.pathname + window.location.search).toBe("/book/weeks?officer=o2&week=2026-W49&week=2026-W50");
  });

  it("offers no booking to managers, who cannot book", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: user(["manager"]) } }));
    await startApp("/find");
    expect(document.querySelectorAll("#results .govuk-summary-card")).toHaveLength(2);
    expect(document.querySelector("form.tp-book-weeks")).toBeNull();
    expect([...document.querySelectorAll(`#results .govuk-summary-card[data-officer="o2"] .tp-week-strip li`)].map((li) => li.textContent)).toEqual(["w/c 30 Nov 2026: 3 hours", "w/c 7 Dec 2026: 3 hours"]);
  });

  it("puts the filters in the address when searching, and focuses the results", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/find");
    expect(calls.find((c) => c.url.startsWith("/api/v1/search/people"))?.url).toBe("/api/v1/search/people?limit=20");
    (document.getElementById("skill-town-planning") as HTMLInputElement).checked = true;
    (document.getElementById("week") as HTMLSelectElement).value = "2026-W50";
    fill("min_hours", "2");
    (document.getElementById("nation") as HTMLSelectElement).value = "England";
    (document.getElementById("region") as HTMLSelectElement).value = "South East";
    fill("max_rate", "£60.5");
    fill("q", "planning");
    submit(document.querySelector<HTMLFormElement>("#find-form"));
    await settle();
    expect(window.location.pathname + window.location.search).toBe(
      "/find?skill=town-planning&week=2026-W50&min_hours=2&nation=England&region=South+East&max_rate_pence=6050&q=planning",
    );
    const searches = calls.filter((c) => c.url.startsWith("/api/v1/search/people"));
    expect(searches[1]?.url).toBe(
      "/api/v1/search/people?skill=town-planning&from=2026-W50&to=2026-W50&min_hours=2&nation=England&region=South+East&max_rate_pence=6050&q=planning&limit=20",
    );
    expect(document.activeElement?.id).toBe("results-heading");
    expect((document.getElementById("max_rate") as HTMLInputElement).value).toBe("60.50");
  });

  it("checks the filters before searching", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/find");
    fill("min_hours", "1.3");
    submit(document.querySelector<HTMLFormElement>("#find-form"));
    await settle();
    expect(calls.filter((c) => c.url.startsWith("/api/v1/search/people"))).toHaveLength(1);
    expect(text("#min_hours-error")).toBe("Error: Minimum hours must be in quarter hours, like 7.25, 7.5 or 7.75");
    expect(document.title).toBe("Error: Find expertise – LocalGov Talent Pool");
    expect(window.location.search).toBe("");
  });

  it("loads more results with the cursor and moves focus to the first new one", async () => {
    const { calls } = mockFetch(
      routes({
        "GET /api/v1/search/people": [
          { status: 200, body: { items: [person(["2026-W49"])], total: 2, next_cursor: "c1" } },
          { status: 200, body: { items: [person(["2026-W50"], { officer: other }, true)], total: 2, next_cursor: null } },
        ],
      }),
    );
    await startApp("/find?skill=town-planning");
    expect(text("#results-count")).toBe("2 officers match. Showing the first 1: load more to see the rest.");
    document.querySelector<HTMLButtonElement>("#load-more")!.click();
    await settle();
    const searches = calls.filter((c) => c.url.startsWith("/api/v1/search/people"));
    expect(searches[1]?.url).toBe("/api/v1/search/people?skill=town-planning&limit=20&cursor=c1");
    const cards = document.querySelectorAll("#results .govuk-summary-card");
    expect(cards).toHaveLength(2);
    expect(cards[1]!.textContent).toContain("single booking");
    expect(document.activeElement).toBe(cards[1]!.querySelector("a"));
    expect(document.querySelector("#load-more")).toBeNull();
    expect(text("#results-count")).toBe("2 officers match.");
    // The new card's booking form works too.
    submit(cards[1]!.querySelector<HTMLFormElement>("form.tp-book-weeks"));
    await settle();
    expect(text(".tp-tick-error")).toBe("Error: Select the weeks to book");
  });

  it("says so when nothing matches", async () => {
    mockFetch(routes({ "GET /api/v1/search/people": { status: 200, body: { items: [], total: 0, next_cursor: null } } }));
    await startApp("/find?q=astronaut");
    expect(text("#results-count")).toBe("No officers with free hours match your search.");
    expect(document.querySelector("#no-results")).not.toBeNull();
    expect((document.getElementById("q") as HTMLInputElement).value).toBe("astronaut");
  });

  it("shows the API's 422 against the field", async () => {
    mockFetch(
      routes({
        "GET /api/v1/search/people": {
          status: 422,
          body: { title: "Invalid input", status: 422, detail: "Unknown skills: nope.", errors: [{ loc: ["query", "skill"], msg: "Unknown skills: nope." }] },
        },
      }),
    );
    await startApp("/find?skill=nope");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#skills");
    expect(text("#skills-error")).toBe("Error: Unknown skills: nope");
    expect(document.querySelector("details.tp-skill-family")?.hasAttribute("open")).toBe(true);
    expect(document.querySelector("#results")).toBeNull();
  });

  it("is for bookers and managers", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: user(["officer"]) } }));
    await startApp("/find");
    expect(text("h1")).toBe("You cannot use this page");
  });
});
