import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { mockFetch, settle } from "../test/fetchMock";
import { edinburgh, fiona, invoice, issued, line } from "../test/invoices";
import { issueAllOutcome, previewBanner } from "./invoiceRun";
import { useBrowserClock } from "../test/clock";

const toReading = invoice();
const toEdinburgh = invoice({
  id: "i2",
  customer: edinburgh,
  lines: [line({ booking_id: "b2", minutes: 210, amount_pence: 15925 }), line({ booking_id: "b3", purchase_order: null })],
  net_pence: 32988,
  vat_pence: 6598,
  gross_pence: 39586,
});

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: fiona },
    "POST /api/v1/invoice-runs": { status: 201, body: { invoices: [toReading, toEdinburgh] } },
    "GET /api/v1/invoices": { status: 200, body: { items: [issued(), toEdinburgh], next_cursor: null } },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

function rows(): string[][] {
  return [...document.querySelectorAll("#drafts tbody tr")].map((tr) =>
    [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim()),
  );
}

async function preview(month = "9", year = "2027"): Promise<void> {
  fill("period-month", month);
  fill("period-year", year);
  submit(document.querySelector<HTMLFormElement>("#run-form"));
  await settle();
}

useBrowserClock();

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("recharge run page", () => {
  it("offers last month by the server's clock, or shows the month in the address as it is", async () => {
    // The server's today is 12 January 2027; the browser's clock says 2031.
    const { calls } = mockFetch(routes({ "GET /api/v1/me": { status: 200, body: { ...fiona, today: "2027-01-12", current_week: "2027-W02" } } }));
    await startApp("/invoices/run");
    expect(document.title).toBe("Recharge run – LocalGov Talent Pool");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Invoices");
    expect((document.getElementById("period-month") as HTMLInputElement).value).toBe("12");
    expect((document.getElementById("period-year") as HTMLInputElement).value).toBe("2026");
    expect(document.querySelector("#drafts")).toBeNull();

    await startApp("/invoices/run?period=2027-09");
    expect((document.getElementById("period-month") as HTMLInputElement).value).toBe("9");
    // The month's invoices as they are, without rebuilding anything: drafts first.
    expect(calls.filter((c) => c.method === "POST")).toHaveLength(0);
    expect(calls.map((c) => c.url)).toContain("/api/v1/invoices?direction=outgoing&period=2027-09&limit=200");
    expect(rows().map((row) => row[5])).toEqual(["Issue the invoice to City of Edinburgh Council", "Issued WBK-2027-000001"]);
  });

  it("previews the drafts of a month", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/invoices/run");
    await preview();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/invoice-runs");
    expect(post.body).toEqual({ period: "2027-09" });
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-f");
    expect(text("#drafts caption")).toBe("Invoices for September 2027");
    expect(rows()).toEqual([
      ["Reading Borough Council", "1", "£170.63", "£34.13", "£204.76", "Issue the invoice to Reading Borough Council"],
      ["City of Edinburgh Council", "2", "£329.88", "£65.98", "£395.86", "Issue the invoice to City of Edinburgh Council"],
    ]);
    expect(document.querySelector("#drafts tbody a")?.getAttribute("href")).toBe("/invoices/i1");
    // Issuing is never one press from here: each goes to a page that checks it first.
    expect(document.querySelector("#drafts tbody tr:first-child td:last-child a")?.getAttribute("href")).toBe(
      "/invoices/i1/issue?back=%2Finvoices%2Frun%3Fperiod%3D2027-09",
    );
    expect(document.querySelector("#drafts form")).toBeNull();
    expect(text(".govuk-notification-banner__heading")).toBe("2 draft invoices for September 2027");
    expect(text(".govuk-notification-banner")).toContain("Check them, then issue them.");
    expect(text("#issue-all-link")).toBe("Issue all 2 drafts");
    expect(document.querySelector("#issue-all-link")?.getAttribute("href")).toBe("/invoices/issue-all?period=2027-09");
    // On narrow screens, a card for each council with its action at the foot.
    expect(document.querySelectorAll("#drafts-cards .tp-card-actions a")).toHaveLength(2);
  });

  it("checks the month before asking the server", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/invoices/run");
    await preview("", "2027");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    expect(text("#period-error")).toBe("Error: The month must include a month");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#period-month");
    expect(document.title).toBe("Error: Recharge run – LocalGov Talent Pool");
  });

  it("says when there is nothing to invoice", async () => {
    mockFetch(routes({ "POST /api/v1/invoice-runs": { status: 201, body: { invoices: [] } } }));
    await startApp("/invoices/run");
    await preview();
    expect(text("#no-drafts")).toBe("There are no completed bookings of September 2027 left to invoice.");
    expect(document.querySelector("#issue-all-link")).toBeNull();
  });

  it("counts the drafts in the right number", () => {
    expect(previewBanner("2027-09", [invoice()])).toEqual({ heading: "1 draft invoice for September 2027", text: "Check it, then issue it." });
    expect(previewBanner("2027-09", [])).toEqual({ heading: "Nothing to invoice for September 2027" });
  });

  it("shows a refusal from the server", async () => {
    mockFetch(
      routes({
        "POST /api/v1/invoice-runs": { status: 403, body: { title: "Forbidden", status: 403, detail: "Only finance officers and council admins handle invoices." } },
      }),
    );
    await startApp("/invoices/run");
    await preview();
    expect(text(".govuk-error-summary__list")).toBe("Only finance officers and council admins handle invoices");
    // The back link comes first, above the error summary.
    expect(document.querySelector("main > :first-child")?.className).toBe("govuk-back-link");
  });

  it("sums up issuing several", () => {
    const two = issueAllOutcome([issued(), issued({ id: "i2", number: "WBK-2027-000002", customer: edinburgh })], []);
    expect(two.banner).toEqual({
      heading: "2 invoices issued",
      text: "WBK-2027-000001 to Reading Borough Council, WBK-2027-000002 to City of Edinburgh Council",
      success: true,
    });
    expect(two.errors).toEqual([]);
    expect(issueAllOutcome([], [{ invoice: invoice(), message: "No." }]).banner).toBeNull();
  });
});
