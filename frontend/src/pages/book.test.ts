import { afterEach, describe, expect, it } from "vitest";
import { ProblemError, setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { bob, booking, event } from "../test/bookings";
import { peter } from "../test/fixtures";
import { mockFetch, settle } from "../test/fetchMock";
import type { SearchHit } from "../models";
import { isAgreementProblem, takenMessage, validateBooking } from "./book";

function hit(available: number, extra: Partial<SearchHit> = {}): SearchHit {
  return {
    officer: peter,
    availability_id: "av1",
    week: "2026-W50",
    week_start: "2026-12-07",
    available_hours: available,
    rate_pence_per_hour: 4550,
    single_booking: false,
    matched_skills: 0,
    ...extra,
  };
}

const someoneElse = { ...hit(3), officer: { ...peter, id: "o9", display_name: "Peter Other" } };

function found(...hits: SearchHit[]) {
  return { status: 200, body: { items: hits, next_cursor: null } };
}

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: bob },
    "GET /api/v1/officers/o2": { status: 200, body: peter },
    "GET /api/v1/search/officers": found(someoneElse, hit(7.5)),
    "GET /api/v1/bookings/b1": { status: 200, body: booking() },
    "GET /api/v1/bookings/b1/history": { status: 200, body: [event("booking.request", "Bob Barker (Reading Borough Council) asked for 6 hours")] },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

const PATH = "/book?officer=o2&week=2026-W50";

function form(): HTMLFormElement | null {
  return document.querySelector<HTMLFormElement>("#book-form");
}

function fillForm(hours: string, purpose = "Clear the backlog", po = "PO-7"): void {
  fill("hours", hours);
  fill("purpose", purpose);
  fill("purchase_order", po);
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("booking form checks", () => {
  const state = { officer: peter, week: "2026-W50", hit: hit(7.5), poRequired: false };

  it("needs hours up to those available, a purpose and a tidy purchase order number", () => {
    expect(validateBooking({ hours: "", purpose: "", purchase_order: "" }, state).errors.summary).toEqual([
      { text: "Enter the hours you want to book", href: "#hours" },
      { text: "Enter what the work is", href: "#purpose" },
    ]);
    expect(validateBooking({ hours: "8", purpose: "x", purchase_order: "" }, state).errors.fields.hours).toBe(
      "You can book at most the 7.5 hours available",
    );
    expect(validateBooking({ hours: "2.1", purpose: "x", purchase_order: "" }, state).errors.fields.hours).toMatch(/quarter hours/);
    expect(validateBooking({ hours: "2", purpose: "x", purchase_order: "PO<1>" }, state).errors.fields.purchase_order).toMatch(/letters, numbers/);
    expect(validateBooking({ hours: "2", purpose: "x".repeat(1001), purchase_order: "" }, state).errors.fields.purpose).toMatch(/1000 characters/);
    expect(validateBooking({ hours: "7.5", purpose: "Work", purchase_order: "" }, state).body).toEqual({
      officer_id: "o2",
      week: "2026-W50",
      hours: 7.5,
      purpose: "Work",
    });
    expect(validateBooking({ hours: "1.25", purpose: "Work", purchase_order: "PO-1/2" }, state).body?.purchase_order).toBe("PO-1/2");
    // A council that needs one: asked for in the page, before anything is sent.
    const needs = { ...state, poRequired: true };
    expect(validateBooking({ hours: "2", purpose: "Work", purchase_order: "" }, needs).errors.summary).toEqual([
      { text: "Enter your council's purchase order number", href: "#purchase_order" },
    ]);
    expect(validateBooking({ hours: "2", purpose: "Work", purchase_order: "PO-1" }, needs).body?.purchase_order).toBe("PO-1");
  });

  it("tells the hours gone from the agreement refusal", () => {
    expect(isAgreementProblem(new ProblemError(409, { detail: "Reading has not accepted the pool's s113 agreement yet" }))).toBe(true);
    expect(isAgreementProblem(new ProblemError(409, { detail: "There are not enough approved hours left" }))).toBe(false);
    expect(takenMessage(peter, hit(1.5))).toBe("Someone else has just booked those hours. Peter Price now has 1.5 hours left in this week");
    expect(takenMessage(peter, null)).toBe("Someone else has just booked those hours. Peter Price has no hours left in this week");
  });
});

describe("book page", () => {
  it("shows the officer's week and what is available", async () => {
    const { calls } = mockFetch(routes());
    await startApp(PATH);
    expect(document.title).toBe("Book Peter Price – LocalGov Talent Pool");
    expect(text("h1")).toBe("Book Peter Price");
    expect(text(".govuk-summary-list")).toContain("w/c 7 Dec 2026");
    // Reading needs a purchase order number (from /me): the form says so before sending.
    expect(text("label[for=purchase_order]")).toBe("Purchase order number");
    expect(text("#purchase_order-hint")).toBe("Your council needs a purchase order number on every booking. It is printed on the invoice.");
    expect(text("#available-hours")).toBe("7.5 hours");
    expect(text(".govuk-summary-list")).toContain("£45.50 per hour");
    expect(text("#hours-hint")).toContain("Up to 7.5 hours.");
    expect(document.getElementById("hours")?.getAttribute("inputmode")).toBe("decimal");
    expect(document.querySelector(".govuk-back-link")?.getAttribute("href")).toBe("/find");
    const search = calls.find((c) => c.url.startsWith("/api/v1/search/officers"))!;
    expect(search.url).toBe("/api/v1/search/officers?week=2026-W50&q=Peter+Price&limit=200");
  });

  it("books with an Idempotency-Key and goes to the booking with a banner", async () => {
    const { calls } = mockFetch(routes({ "POST /api/v1/bookings": { status: 201, body: booking() } }));
    await startApp(PATH);
    fillForm(" 6 ", " Clear the <backlog> ", "PO-42");
    submit(form());
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/bookings");
    expect(post.body).toEqual({ officer_id: "o2", week: "2026-W50", hours: 6, purpose: "Clear the <backlog>", purchase_order: "PO-42" });
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-b");
    expect(post.headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(window.location.pathname).toBe("/bookings/b1");
    expect(text(".govuk-notification-banner__heading")).toBe("Booking requested: 6 hours of Peter Price's time");
    expect(document.activeElement).toBe(document.querySelector(".govuk-notification-banner"));
  });

  it("checks the form before asking the server", async () => {
    const { calls } = mockFetch(routes());
    await startApp(PATH);
    fillForm("8");
    submit(form());
    await settle();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    expect(document.title).toBe("Error: Book Peter Price – LocalGov Talent Pool");
    expect(text("#hours-error")).toBe("Error: You can book at most the 7.5 hours available");
    expect((document.getElementById("purpose") as HTMLTextAreaElement).value).toBe("Clear the backlog");
  });

  it("asks for the purchase order number in the page when the council needs one", async () => {
    const { calls } = mockFetch(routes());
    await startApp(PATH);
    fillForm("6", "Clear the backlog", "");
    submit(form());
    await settle();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    expect(text("#purchase_order-error")).toBe("Error: Enter your council's purchase order number");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#purchase_order");
  });

  it("says the number is optional where the council does not need one", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: { ...bob, council: { ...bob.council!, po_required: false } } } }));
    await startApp(PATH);
    expect(text("label[for=purchase_order]")).toBe("Purchase order number (optional)");
    expect(text("#purchase_order-hint")).toBe("If your council raises one for this work, it is printed on the invoice.");
  });

  it("shows the purchase order refusal against its field", async () => {
    // The council's setting changed since the page was opened: the server still says so.
    mockFetch(
      routes({
        "GET /api/v1/me": { status: 200, body: { ...bob, council: { ...bob.council!, po_required: false } } },
        "POST /api/v1/bookings": {
          status: 422,
          body: { status: 422, title: "Invalid input", errors: [{ loc: ["body", "purchase_order"], msg: "Your council requires a purchase order number on every booking." }] },
        },
      }),
    );
    await startApp(PATH);
    fillForm("6", "Clear the backlog", "");
    submit(form());
    await settle();
    const link = document.querySelector(".govuk-error-summary a")!;
    expect(link.textContent).toBe("Your council requires a purchase order number on every booking");
    expect(link.getAttribute("href")).toBe("#purchase_order");
    expect(text("#purchase_order-error")).toContain("purchase order number");
    expect(document.activeElement).toBe(document.querySelector(".govuk-error-summary"));
    expect((document.getElementById("hours") as HTMLInputElement).value).toBe("6");
  });

  it("says plainly when someone else has just booked the hours, and shows what is left", async () => {
    mockFetch(
      routes({
        "GET /api/v1/search/officers": [found(hit(7.5)), found(hit(1.5))],
        "POST /api/v1/bookings": { status: 409, body: { status: 409, title: "Conflict", detail: "There are not enough approved hours left in 2026-W50: someone else may just have booked them." } },
      }),
    );
    await startApp(PATH);
    fillForm("4");
    submit(form());
    await settle();
    const summary = text(".govuk-error-summary__list");
    expect(summary).toBe("Someone else has just booked those hours. Peter Price now has 1.5 hours left in this week");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#hours");
    expect(text("#available-hours")).toBe("1.5 hours");
    expect((document.getElementById("hours") as HTMLInputElement).value).toBe("4");
  });

  it("says so when no hours are left at all", async () => {
    mockFetch(
      routes({
        "GET /api/v1/search/officers": [found(hit(3)), found()],
        "POST /api/v1/bookings": { status: 409, body: { status: 409, detail: "Peter Price has no approved hours in 2026-W50." } },
      }),
    );
    await startApp(PATH);
    fillForm("3");
    submit(form());
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("Someone else has just booked those hours. Peter Price has no hours left in this week");
    expect(document.querySelector(".govuk-error-summary a")).toBeNull();
    expect(form()).toBeNull();
    expect(text("#none-left")).toBe("Peter Price has no hours left to book in this week.");
  });

  it("shows the agreement refusal as the server words it", async () => {
    const detail = "City of Edinburgh Council has not accepted the pool's s113 agreement yet, so bookings between these councils cannot be made.";
    mockFetch(routes({ "POST /api/v1/bookings": { status: 409, body: { status: 409, detail } } }));
    await startApp(PATH);
    fillForm("3");
    submit(form());
    await settle();
    expect(text(".govuk-error-summary__list")).toBe(detail.slice(0, -1)); // without the full stop
  });

  it("sends the same key again when the same form is resent after a network failure", async () => {
    const { calls } = mockFetch(
      routes({
        "POST /api/v1/bookings": [
          () => {
            throw new TypeError("Failed to fetch");
          },
          { status: 201, body: booking() },
        ],
      }),
    );
    await startApp(PATH);
    fillForm("6", "Work", "PO-42");
    submit(form());
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("Check your connection and try again");
    submit(form());
    await settle();
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts).toHaveLength(2);
    expect(posts[1]!.headers["Idempotency-Key"]).toBe(posts[0]!.headers["Idempotency-Key"]);
    expect(window.location.pathname).toBe("/bookings/b1");
  });

  it("uses a new key for a changed form, and after a refusal", async () => {
    const { calls } = mockFetch(
      routes({
        "POST /api/v1/bookings": [
          () => {
            throw new TypeError("Failed to fetch");
          },
          { status: 422, body: { status: 422, errors: [{ loc: ["body", "purchase_order"], msg: "Required" }] } },
          { status: 201, body: booking() },
        ],
      }),
    );
    await startApp(PATH);
    fillForm("6");
    submit(form());
    await settle();
    fillForm("5");
    submit(form());
    await settle();
    fillForm("5");
    submit(form());
    await settle();
    const keys = calls.filter((c) => c.method === "POST").map((c) => c.headers["Idempotency-Key"]);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
  });

  it("shows no form when the officer has no hours left in the week", async () => {
    mockFetch(routes({ "GET /api/v1/search/officers": found(someoneElse) }));
    await startApp(PATH);
    expect(form()).toBeNull();
    expect(text("#available-hours")).toBe("None left");
    expect(text("#none-left")).toBe("Peter Price has no hours left to book in this week.");
  });

  it("says Page not found without an officer and a week", async () => {
    mockFetch(routes());
    await startApp("/book?officer=o2&week=2026-W99");
    expect(text("h1")).toBe("Page not found");
  });

  it("is for bookers only", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: { ...bob, roles: ["manager"] } } }));
    await startApp(PATH);
    expect(text("h1")).toBe("You cannot use this page");
  });
});
