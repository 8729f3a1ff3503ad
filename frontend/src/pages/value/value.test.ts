import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { reading, user, westBerks } from "../../test/fixtures";
import { barChart, barHeights } from "./chart";
import { balanceText, monthLabel } from "./dashboard";
import { exchangeRange } from "./exchange";
import { lastMonth, recentMonths } from "./settlements";

const fiona = { ...user(["finance"], { id: "u5", name: "Fiona Finance" }), today: "2027-01-10" };
const frank = { ...fiona, id: "u6", council: { ...fiona.council!, id: reading.id, name: reading.name } };
const signedOut = { status: 401, body: { title: "Not signed in", status: 401 } };

const month = (m: string, lent: number, borrowed: number) => ({
  month: m, lent_bookings: lent ? 1 : 0, lent_hours: lent, lent_pence: lent * 4500, borrowed_bookings: borrowed ? 1 : 0,
  borrowed_hours: borrowed, borrowed_pence: borrowed * 4500, borrowed_savings_pence: 0, lent_savings_pence: 0, hours_with_market_rate: 0,
});
const board = {
  council: westBerks,
  months: [month("2026-11", 1, 0), month("2026-12", 1.5, 2)],
  skills_lent: [{ slug: "data-analyst", name: "Data analyst", family: "Digital: data", bookings: 3, hours: 2.5 }],
  skills_borrowed: [],
  partners: [{ council: reading, lent_hours: 2.5, lent_pence: 11250, borrowed_hours: 2, borrowed_pence: 9000, net_pence: 2250, outstanding_net_pence: -2700 }],
  borrowed_savings_pence: 0, lent_savings_pence: 0, savings_sources: [], estimate_label: "Estimated savings: an estimate.",
};
const statement = {
  id: "s1", reference: "SET-2026-12-RDG-WBK", period: "2026-12", councils: [reading, westBerks], payer: westBerks, payee: reading,
  a_to_b_pence: 10800, b_to_a_pence: 8100, net_pence: 2700, status: "open",
  invoices: [
    { kind: "invoice", invoice_id: "i1", credit_note_id: null, number: "WBK-2027-000001", issuer: westBerks, issue_date: "2027-01-06", gross_pence: 9450 },
    { kind: "credit_note", invoice_id: "i1", credit_note_id: "n1", number: "WBK-CN-2027-000001", issuer: westBerks, issue_date: "2027-01-07", gross_pence: 1350 },
  ],
  generated_at: "2027-01-08T10:00:00+00:00", payment_reference: null, paid_on: null, confirmed_at: null,
};

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("charts", () => {
  it("scales bars to the largest value and keeps zero at zero", () => {
    expect(barHeights([0, 5, 10], 10, 100)).toEqual([0, 50, 100]);
    expect(barHeights([0, 0], 0, 100)).toEqual([0, 0]);
    expect(barHeights([0.01, 10], 10, 100)).toEqual([1, 100]);
  });

  it("draws an SVG with a title and description, the same figures as a table, and a CSV link", () => {
    document.body.innerHTML = barChart({
      id: "c", title: "Hours lent", description: "Hours per month.", labels: ["Nov 2026", "Dec 2026"],
      series: [{ name: "Lent", values: [1, 2], tone: "a" }], format: (v) => `${v} h`, csvHref: "/x.csv",
    }).toString();
    const svg = document.querySelector("svg")!;
    expect(svg.getAttribute("role")).toBe("img");
    expect(svg.getAttribute("aria-labelledby")).toBe("c-title c-desc");
    expect(document.getElementById("c-desc")?.textContent).toBe("Hours per month.");
    expect(document.querySelectorAll("rect")).toHaveLength(2);
    expect(text("#c-table tbody")).toContain("Dec 20262 h");
    expect(document.querySelector("a[download]")?.getAttribute("href")).toBe("/x.csv");
  });
});

describe("helpers", () => {
  it("names months, balances and default ranges", () => {
    expect(monthLabel("2026-12")).toBe("Dec 2026");
    expect(balanceText(2700)).toBe("They owe you £27.00");
    expect(balanceText(-2700)).toBe("You owe them £27.00");
    expect(balanceText(0)).toBe("Nothing owed");
    expect(lastMonth("2027-01-10")).toBe("2026-12");
    expect(recentMonths("2027-01-10").slice(0, 2)).toEqual(["2027-01", "2026-12"]);
    expect(recentMonths("2027-01-10")[12]).toBe("2026-01");
    expect(exchangeRange(new URLSearchParams(""), "2027-01-10")).toEqual({ from: "2026-01-01", to: "2026-12-31" });
  });
});

describe("dashboard", () => {
  it("shows the months, skills and partners with the balance from this side", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: fiona },
      "GET /api/v1/dashboard": { status: 200, body: board },
    });
    await startApp("/dashboard");
    expect(text("h1")).toContain("Dashboard");
    expect(document.querySelectorAll("svg[role=img]").length).toBeGreaterThanOrEqual(3);
    expect(text("#hours-chart-table tbody")).toContain("Dec 20261.5 h2 h");
    expect(text("#partners")).toContain("You owe them £27.00");
    expect(text("main")).toContain("no savings are estimated");
    const csv = [...document.querySelectorAll("a[download]")].map((a) => a.getAttribute("href"));
    expect(csv).toContain("/api/v1/dashboard/months.csv?months=12");
    expect(csv).toContain("/api/v1/dashboard/partners.csv?months=12");
  });
});

describe("settlements", () => {
  it("lets the payer record the payment with its reference and date", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: fiona },
      "GET /api/v1/settlements/s1": { status: 200, body: statement },
      "POST /api/v1/settlements/s1/payment": { status: 200, body: { ...statement, status: "payment_recorded", payment_reference: "BACS 1", paid_on: "2027-01-09" } },
    });
    await startApp("/settlements/s1");
    expect(text("main")).toContain("You pay Reading Borough Council £27.00");
    expect(text("#documents")).toContain("-£13.50");
    submit(document.querySelector<HTMLFormElement>("#payment-form"));
    await settle();
    expect(text(".govuk-error-summary")).toContain("Enter the payment reference");
    fill("reference", "BACS 1");
    fill("paid-on-day", "9");
    fill("paid-on-month", "1");
    fill("paid-on-year", "2027");
    submit(document.querySelector<HTMLFormElement>("#payment-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ reference: "BACS 1", paid_on: "2027-01-09" });
    expect(text(".govuk-notification-banner")).toContain("Payment recorded");
    expect(document.querySelector("#payment-form")).toBeNull();
  });

  it("lets the payee confirm, and lists a month's statements", async () => {
    const recorded = { ...statement, status: "payment_recorded", payment_reference: "BACS 1", paid_on: "2027-01-09" };
    mockFetch({
      "GET /api/v1/me": { status: 200, body: frank },
      "GET /api/v1/settlements/s1": { status: 200, body: recorded },
      "POST /api/v1/settlements/s1/confirm": { status: 200, body: { ...recorded, status: "settled" } },
      "GET /api/v1/settlements": { status: 200, body: { items: [recorded] } },
    });
    await startApp("/settlements/s1");
    submit(document.querySelector<HTMLFormElement>("#confirm-form"));
    await settle();
    expect(text(".govuk-notification-banner")).toContain("Settled");
    await startApp("/settlements");
    expect(text("#statements")).toContain("West Berkshire Council pays you £27.00");
  });
});

describe("pool statistics", () => {
  it("is public and shows suppressed figures as [c]", async () => {
    mockFetch({
      "GET /api/v1/me": signedOut,
      "GET /api/v1/open-data/monthly.json": {
        status: 200,
        body: {
          title: "t", licence: "Open Government Licence v3.0", licence_url: "https://example.org/ogl", generated_on: "2027-01-10",
          months: ["2026-11", "2026-12"], suppression_threshold: 5,
          rows: [
            { month: "2026-12", dimension: "all", value: "All bookings", bookings: 9, hours: 8, estimated_savings_gbp: 0, hours_with_market_rate: 0, councils_lending: 2, councils_borrowing: 2 },
            { month: "2026-12", dimension: "skill_family", value: "Planning and building", bookings: null, hours: null, estimated_savings_gbp: null, hours_with_market_rate: null, councils_lending: null, councils_borrowing: null },
          ],
        },
      },
    });
    await startApp("/pool-statistics");
    expect(text("h1")).toBe("Pool statistics");
    expect(text("#pool-families")).toContain("Planning and building[c][c]");
    expect(text("#pool-months")).toContain("Dec 202698");
    expect(text("main")).toContain("Open Government Licence v3.0");
  });
});
