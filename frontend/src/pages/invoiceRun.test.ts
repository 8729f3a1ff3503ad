import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { mockFetch, settle } from "../test/fetchMock";
import { edinburgh, fiona, invoice, issued, line } from "../test/invoices";
import { issueAllOutcome } from "./invoiceRun";

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

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2027-01-12T10:00:00Z"));
});

afterEach(() => {
  vi.useRealTimers();
  stopApp();
  setCsrfToken(null);
});

describe("recharge run page", () => {
  it("offers last month by the browser's clock, or the month in the address", async () => {
    mockFetch(routes());
    await startApp("/invoices/run");
    expect(document.title).toBe("Recharge run – LocalGov Talent Pool");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Invoices");
    expect((document.getElementById("period-month") as HTMLInputElement).value).toBe("12");
    expect((document.getElementById("period-year") as HTMLInputElement).value).toBe("2026");
    expect(document.querySelector("#drafts")).toBeNull();

    await startApp("/invoices/run?period=2027-09");
    expect((document.getElementById("period-month") as HTMLInputElement).value).toBe("9");
  });

  it("previews the drafts of a month", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/invoices/run");
    await preview();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/invoice-runs");
    expect(post.body).toEqual({ period: "2027-09" });
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-f");
    expect(text("#drafts caption")).toBe("Drafts for September 2027");
    expect(rows()).toEqual([
      ["Reading Borough Council", "1", "£170.63", "£34.13", "£204.76", "Issue the invoice to Reading Borough Council"],
      ["City of Edinburgh Council", "2", "£329.88", "£65.98", "£395.86", "Issue the invoice to City of Edinburgh Council"],
    ]);
    expect(document.querySelector("#drafts tbody a")?.getAttribute("href")).toBe("/invoices/i1");
    expect(text(".govuk-notification-banner__heading")).toBe("2 draft invoices for September 2027");
    expect(text("#issue-all-form button")).toBe("Issue all 2 draft invoices");
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
    expect(document.querySelector("#issue-all-form")).toBeNull();
  });

  it("shows a refusal from the server", async () => {
    mockFetch(
      routes({
        "POST /api/v1/invoice-runs": { status: 403, body: { title: "Forbidden", status: 403, detail: "Only finance officers and council admins handle invoices." } },
      }),
    );
    await startApp("/invoices/run");
    await preview();
    expect(text(".govuk-error-summary__list")).toBe("Only finance officers and council admins handle invoices.");
  });

  it("issues one draft", async () => {
    const { calls } = mockFetch(routes({ "POST /api/v1/invoices/i1/issue": { status: 200, body: issued() } }));
    await startApp("/invoices/run");
    await preview();
    submit(document.querySelector<HTMLFormElement>("form[data-issue='i1']"));
    await settle();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/invoice-runs", "/api/v1/invoices/i1/issue"]);
    expect(text(".govuk-notification-banner__heading")).toBe("Invoice WBK-2027-000001 issued to Reading Borough Council");
    expect(document.activeElement).toBe(document.querySelector(".govuk-notification-banner"));
    expect(rows()[0]![5]).toBe("Issued WBK-2027-000001");
    // One draft is left: no "Issue all".
    expect(document.querySelector("#issue-all-form")).toBeNull();
    expect(document.querySelector("form[data-issue='i2']")).not.toBeNull();
  });

  it("issues all the drafts one after another and reports each", async () => {
    const { calls } = mockFetch(
      routes({
        "POST /api/v1/invoices/i1/issue": { status: 200, body: issued() },
        "POST /api/v1/invoices/i2/issue": {
          status: 409,
          body: { title: "Conflict", status: 409, detail: "Some of these bookings changed since the draft was built. Rebuild it." },
        },
      }),
    );
    await startApp("/invoices/run");
    await preview();
    submit(document.querySelector<HTMLFormElement>("#issue-all-form"));
    await settle();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual([
      "/api/v1/invoice-runs",
      "/api/v1/invoices/i1/issue",
      "/api/v1/invoices/i2/issue",
    ]);
    expect(text(".govuk-notification-banner__heading")).toBe("1 invoice issued");
    expect(text(".govuk-error-summary__list")).toBe(
      "The invoice to City of Edinburgh Council was not issued: Some of these bookings changed since the draft was built. Rebuild it.",
    );
    expect(rows().map((row) => row[5])).toEqual(["Issued WBK-2027-000001", "Issue the invoice to City of Edinburgh Council"]);
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
