import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { startApp, stopApp, submit, text } from "../test/app";
import { bob, booking } from "../test/bookings";
import { mockFetch, settle } from "../test/fetchMock";
import type { AppNotification } from "../models";
import { costRows } from "./booking";

function note(id: string, textValue: string, read = false, link: string | null = "/bookings/b1"): AppNotification {
  return { id, kind: "booking", text: textValue, link, created_at: "2026-11-25T10:00:00+00:00", read_at: read ? "2026-11-25T11:00:00+00:00" : null };
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("notifications", () => {
  it("lists notifications, shows the unread count in the navigation and marks one read", async () => {
    const first = [note("n1", "Reading asks for 6 hours of <Peter>'s time [WBK-0001]"), note("n2", "Your hours are approved", true, null)];
    const after = [{ ...first[0]!, read_at: "2026-11-25T12:00:00+00:00" }, first[1]!];
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/notifications/unread-count": { status: 200, body: { unread: 1 } },
      "GET /api/v1/notifications": [
        { status: 200, body: { items: first, next_cursor: null } },
        { status: 200, body: { items: after, next_cursor: null } },
      ],
      "POST /api/v1/notifications/read": { status: 200, body: { marked: 1, unread: 0 } },
    });
    await startApp("/notifications");
    expect(text("h1")).toBe("Notifications");
    expect(text("#unread-count")).toBe("1 (1 unread notification)");
    const link = document.querySelector<HTMLAnchorElement>("#notification-n1 a");
    expect(link?.getAttribute("href")).toBe("/bookings/b1");
    expect(link?.textContent).toContain("<Peter>"); // text, never markup
    expect(text("#notification-n1 .govuk-tag")).toBe("Unread");
    expect(document.querySelector("#notification-n2 .govuk-tag")).toBeNull();
    submit(document.querySelector<HTMLFormElement>("#notification-n1 form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ ids: ["n1"] });
    expect(text(".govuk-notification-banner__heading")).toBe("1 notification marked as read");
    expect(document.querySelector<HTMLElement>("#unread-count")?.hidden).toBe(true);
    expect(document.querySelector("#notification-n1 .govuk-tag")).toBeNull();
  });

  it("marks everything read, and keeps the unread filter in the URL", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/notifications/unread-count": { status: 200, body: { unread: 2 } },
      "GET /api/v1/notifications": [
        { status: 200, body: { items: [note("n1", "One"), note("n2", "Two")], next_cursor: "abc" } },
        { status: 200, body: { items: [], next_cursor: null } },
      ],
      "POST /api/v1/notifications/read": { status: 200, body: { marked: 2, unread: 0 } },
    });
    await startApp("/notifications?unread=true");
    expect(calls.some((c) => c.url === "/api/v1/notifications?limit=50&unread=true")).toBe(true);
    expect(document.querySelector('a[rel="next"]')?.getAttribute("href")).toBe("/notifications?unread=true&cursor=abc");
    submit(document.querySelector<HTMLFormElement>("#mark-all-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ all: true });
    expect(text("#no-notifications")).toBe("You have no unread notifications.");
  });
});

describe("booking cost", () => {
  it("shows hours x rate, VAT and the total, or no VAT by the lending council's treatment", () => {
    const rows = costRows(booking());
    expect(rows.map((r) => r.key)).toEqual(["6 hours booked at £45.50 per hour", "VAT at 20%", "Total"]);
    expect(rows.map((r) => String(r.value))).toEqual([
      expect.stringContaining("£273.00"),
      expect.stringContaining("£54.60"),
      expect.stringContaining("£327.60"),
    ]);
    const zero = costRows(booking({ cost: { ...booking().cost, vat_treatment: "outside_scope", vat_rate_bps: 0, vat_pence: 0, gross_pence: 27300 } }));
    expect(String(zero[1]?.value)).toContain("outside the scope of VAT");
  });

  it("shows the reference and who to contact on each side", async () => {
    const contacts = {
      booking: [{ name: "Bob Barker", email: "bob@reading.example.gov.uk", role: "booker" as const }],
      lending: [
        { name: "Peter Price", email: "peter@westberks.example.gov.uk", role: "officer" as const },
        { name: "Mark Mensah", email: "mark@westberks.example.gov.uk", role: "manager" as const },
      ],
    };
    mockFetch({
      "GET /api/v1/me": { status: 200, body: bob },
      "GET /api/v1/bookings/b1": { status: 200, body: booking({ contacts }) },
      "GET /api/v1/bookings/b1/history": { status: 200, body: [] },
    });
    await startApp("/bookings/b1");
    expect(text("#booking-reference")).toBe("WBK-0001");
    expect(text("#cost-gross")).toBe("£327.60");
    expect(text("#contacts")).toBe("Who to contact");
    expect(document.querySelector('a[href="mailto:mark@westberks.example.gov.uk"]')).not.toBeNull();
  });
});
