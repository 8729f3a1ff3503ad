import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { bob, booking } from "../test/bookings";
import { peter, reading, user, westBerks } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import type { HelpRequest, Message, Offer } from "../models";
import { validateRequest } from "./requestNew";
import { validateOffer } from "./requests";

const request: HelpRequest = {
  id: "r1",
  council: reading,
  title: "Planning <backlog>",
  description: "Householder applications.",
  skills: [{ slug: "town-planning", name: "Town planning", family: "Planning and building" }],
  from_week: "2026-W50",
  to_week: "2026-W51",
  hours_per_week: 6,
  max_rate_pence: 9000,
  closes_on: "2026-12-04",
  purchase_order: "PO-9",
  status: "open",
  created_at: "2026-11-25T10:00:00+00:00",
  offer_count: 1,
  mine: true,
};

const offer: Offer = {
  id: "f1",
  request_id: "r1",
  officer: peter,
  weeks: [
    { week: "2026-W50", week_start: "2026-12-07", hours: 6, approved_hours: 6, booking_id: null },
    { week: "2026-W51", week_start: "2026-12-14", hours: 4, approved_hours: 0, booking_id: null },
  ],
  note: "Done lots of these",
  status: "made",
  created_at: "2026-11-25T11:00:00+00:00",
  ready: false,
  cost: { hours: 10, rate_pence_per_hour: 4550, net_pence: 45500, vat_pence: 9100, gross_pence: 54600 },
};

const message = (text: string, mine: boolean): Message => ({ id: text, author_id: "u", author_name: "Peter Price", author_council: westBerks, text, created_at: "2026-11-25T12:00:00+00:00", mine });

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("request helpers", () => {
  it("checks a request before posting it", () => {
    const empty = { title: "", description: "", skills: [], from_week: "", to_week: "", hours_per_week: "", max_rate: "", closes_on: { day: "", month: "", year: "" }, purchase_order: "" };
    const bad = validateRequest(empty, true);
    expect(bad.body).toBeNull();
    expect(bad.errors.summary.map((e) => e.href)).toEqual(["#title", "#description", "#skills", "#from_week", "#to_week", "#hours_per_week", "#closes_on-day", "#purchase_order"]);
    const good = validateRequest({ ...empty, title: "T", description: "D", skills: ["town-planning"], from_week: "2026-W50", to_week: "2026-W51", hours_per_week: "6", max_rate: "90", closes_on: { day: "4", month: "12", year: "2026" } }, false);
    expect(good.body).toEqual({ title: "T", description: "D", skills: ["town-planning"], from_week: "2026-W50", to_week: "2026-W51", hours_per_week: 6, max_rate_pence: 9000, closes_on: "2026-12-04" });
    expect(validateOffer({ weeks: [], hours: "x", note: "" }).errors.summary).toHaveLength(2);
    expect(validateOffer({ weeks: ["2026-W50"], hours: "2", note: "" }).body).toEqual({ weeks: [{ week: "2026-W50", hours: 2 }], note: "" });
  });
});

describe("a request's page", () => {
  it("shows the asking council the offers side by side and accepts one", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/requests/r1": { status: 200, body: request },
      "GET /api/v1/requests/r1/offers": { status: 200, body: { items: [offer], next_cursor: null } },
      "GET /api/v1/requests/r1/messages": { status: 200, body: { items: [message("Is it remote?", false)], next_cursor: null } },
      "POST /api/v1/offers/f1/accept": { status: 201, body: { offer: { ...offer, status: "accepted" }, bookings: [booking({ reference: "WBK-0007" })] } },
    });
    await startApp("/requests/r1");
    expect(text("h1")).toBe("Planning <backlog>");
    const row = document.querySelector("#offers tbody tr")!;
    expect(row.textContent).toContain("Peter Price");
    expect(row.textContent).toContain("£546.00");
    expect(row.textContent).toContain("(waiting for sign-off)");
    expect(text("#message-list")).toContain("Is it remote?");
    submit(document.querySelector<HTMLFormElement>("form.tp-accept"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/offers/f1/accept");
    expect(post.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(text(".govuk-notification-banner__heading")).toBe("Offer accepted: 1 booking requested");
    expect(text(".govuk-notification-banner")).toContain("WBK-0007");
  });

  it("lets an officer of another council offer weeks and hours", async () => {
    const officerMe = user(["officer"], { id: "u2", officer_id: peter.id });
    const theirs = { ...request, mine: false, purchase_order: null, offer_count: null };
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: officerMe },
      "GET /api/v1/requests/r1": { status: 200, body: theirs },
      "GET /api/v1/requests/r1/offers": [
        { status: 200, body: { items: [], next_cursor: null } },
        { status: 200, body: { items: [offer], next_cursor: null } },
      ],
      "GET /api/v1/requests/r1/messages": { status: 404, body: { status: 404, title: "Not found" } },
      "POST /api/v1/requests/r1/offers": { status: 201, body: offer },
    });
    await startApp("/requests/r1");
    expect(document.querySelector("#offers")).toBeNull(); // not theirs to compare
    expect(document.querySelector("#message-form")).toBeNull(); // not in the conversation yet
    submit(document.querySelector<HTMLFormElement>("#offer-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toContain("Select the weeks you can offer");
    document.querySelectorAll<HTMLInputElement>("input[name=week]").forEach((box) => (box.checked = true));
    fill("offer-hours", "6");
    submit(document.querySelector<HTMLFormElement>("#offer-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ weeks: [{ week: "2026-W50", hours: 6 }, { week: "2026-W51", hours: 6 }], note: "" });
    expect(text(".govuk-notification-banner__heading")).toBe("Offer sent");
    expect(text("#your-offer")).toBe("Your offer");
    expect(document.querySelector("#withdraw-form")).not.toBeNull();
  });
});
