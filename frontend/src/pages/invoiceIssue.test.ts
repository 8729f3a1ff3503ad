import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { startApp, stopApp, submit, text } from "../test/app";
import { mockFetch, settle } from "../test/fetchMock";
import { edinburgh, fiona, frank, invoice, issued, line } from "../test/invoices";
import { numberText } from "./invoiceIssue";

const draft = invoice({ next_number: "WBK-2027-000004" });
const toEdinburgh = invoice({
  id: "i2",
  customer: edinburgh,
  next_number: "WBK-2027-000004",
  lines: [line({ booking_id: "b2" }), line({ booking_id: "b3", officer: "Olivia Okafor" })],
});

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: fiona },
    "GET /api/v1/invoices/i1": { status: 200, body: draft },
    "GET /api/v1/invoices": { status: 200, body: { items: [draft, toEdinburgh], next_cursor: null } },
    "GET /api/v1/invoice-runs": { status: 404 },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("issuing one invoice", () => {
  it("says the number a draft will take, or the rule when the API does not say", () => {
    expect(numberText({ next_number: "WBK-2027-000004" })).toBe("WBK-2027-000004");
    expect(numberText({ next_number: null })).toBe("The next number in your council's sequence of invoice numbers");
    expect(numberText({})).toBe("The next number in your council's sequence of invoice numbers");
  });

  it("checks the invoice, says its number, issues it and goes back to the run", async () => {
    const back = "/invoices/run?period=2027-09";
    const { calls } = mockFetch(
      routes({
        "POST /api/v1/invoices/i1/issue": { status: 200, body: issued({ number: "WBK-2027-000004" }) },
        "GET /api/v1/invoices": { status: 200, body: { items: [issued({ number: "WBK-2027-000004" }), toEdinburgh], next_cursor: null } },
      }),
    );
    await startApp(`/invoices/i1/issue?back=${encodeURIComponent(back)}`);
    expect(document.title).toBe("Check the invoice before you issue it – LocalGov Talent Pool");
    expect(text("#next-number")).toBe("WBK-2027-000004");
    expect(text(".govuk-summary-list")).toContain("To Reading Borough Council");
    expect(text(".govuk-summary-list")).toContain("Gross £204.76");
    expect(text(".govuk-warning-text")).toContain("can never be changed or deleted");
    expect(text("#issue-form button")).toBe("Issue invoice WBK-2027-000004");
    expect(document.querySelector(".govuk-back-link")?.getAttribute("href")).toBe(back);
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    submit(document.querySelector<HTMLFormElement>("#issue-form"));
    await settle();
    const post = calls.find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/invoices/i1/issue");
    expect(post.headers["X-CSRF-Token"]).toBe("csrf-f");
    expect(window.location.pathname + window.location.search).toBe(back);
    expect(text(".govuk-notification-banner__heading")).toBe("Invoice WBK-2027-000004 issued to Reading Borough Council");
    expect(text(".govuk-notification-banner")).toContain("It is due on 15 October 2027.");
  });

  it("goes back to the invoice itself when opened from it, and copes without next_number", async () => {
    mockFetch(
      routes({
        "GET /api/v1/invoices/i1": [
          { status: 200, body: invoice() },
          { status: 200, body: invoice() },
          { status: 200, body: issued() },
        ],
        "POST /api/v1/invoices/i1/issue": { status: 200, body: issued() },
      }),
    );
    await startApp("/invoices/i1");
    expect(document.querySelector("#issue-form")).toBeNull(); // issuing is not one press on the invoice
    document.querySelector<HTMLAnchorElement>("#issue-link")!.click();
    await settle();
    expect(window.location.pathname).toBe("/invoices/i1/issue");
    expect(text("#next-number")).toBe("The next number in your council's sequence of invoice numbers");
    expect(text("#issue-form button")).toBe("Issue invoice");
    submit(document.querySelector<HTMLFormElement>("#issue-form"));
    await settle();
    expect(window.location.pathname).toBe("/invoices/i1");
    expect(text(".govuk-notification-banner__heading")).toBe("Invoice WBK-2027-000001 issued to Reading Borough Council");
    expect(text("h1")).toBe("Invoice WBK-2027-000001");
  });

  it("shows a refusal, and refuses an address that leads elsewhere", async () => {
    mockFetch(
      routes({
        "POST /api/v1/invoices/i1/issue": { status: 409, body: { status: 409, detail: "Add your council's bank details before issuing invoices." } },
      }),
    );
    await startApp(`/invoices/i1/issue?back=${encodeURIComponent("https://evil.example/")}`);
    expect(document.querySelector(".govuk-back-link")?.getAttribute("href")).toBe("/invoices/i1");
    submit(document.querySelector<HTMLFormElement>("#issue-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("Add your council's bank details before issuing invoices");
    expect(document.title).toBe("Error: Check the invoice before you issue it – LocalGov Talent Pool");
  });

  it("offers nothing to issue for an issued invoice, nor to the council that pays", async () => {
    mockFetch(routes({ "GET /api/v1/invoices/i1": { status: 200, body: issued() } }));
    await startApp("/invoices/i1/issue");
    expect(document.querySelector("#issue-form")).toBeNull();
    expect(text("#not-draft")).toBe("This invoice has been issued already, as WBK-2027-000001.");
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: frank } }));
    await startApp("/invoices/i1/issue");
    expect(document.querySelector("#issue-form")).toBeNull();
  });
});

describe("issuing all of a month's drafts", () => {
  it("lists the drafts with the numbers they will take, then issues them one after another", async () => {
    const { calls } = mockFetch(
      routes({
        "GET /api/v1/invoices": [
          { status: 200, body: { items: [issued({ id: "i0" }), draft, toEdinburgh], next_cursor: null } },
          { status: 200, body: { items: [issued({ number: "WBK-2027-000004" }), issued({ id: "i2", customer: edinburgh, number: "WBK-2027-000005" })], next_cursor: null } },
        ],
        "POST /api/v1/invoices/i1/issue": { status: 200, body: issued({ number: "WBK-2027-000004" }) },
        "POST /api/v1/invoices/i2/issue": { status: 200, body: issued({ id: "i2", customer: edinburgh, number: "WBK-2027-000005" }) },
      }),
    );
    await startApp("/invoices/issue-all?period=2027-09");
    expect(document.title).toBe("Check the invoices before you issue them – LocalGov Talent Pool");
    const rows = [...document.querySelectorAll("#to-issue tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim()));
    expect(rows).toEqual([
      ["Reading Borough Council", "£204.76", "WBK-2027-000004"],
      ["City of Edinburgh Council", "£204.76", "WBK-2027-000005"],
    ]);
    expect(text("#issue-all-form button")).toBe("Issue 2 invoices");
    submit(document.querySelector<HTMLFormElement>("#issue-all-form"));
    await settle();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/v1/invoices/i1/issue", "/api/v1/invoices/i2/issue"]);
    expect(window.location.pathname + window.location.search).toBe("/invoices/run?period=2027-09");
    expect(text(".govuk-notification-banner__heading")).toBe("2 invoices issued");
  });

  it("reports each one not issued, and shows the drafts left", async () => {
    mockFetch(
      routes({
        "GET /api/v1/invoices": [
          { status: 200, body: { items: [draft, toEdinburgh], next_cursor: null } },
          { status: 200, body: { items: [issued(), toEdinburgh], next_cursor: null } },
        ],
        "POST /api/v1/invoices/i1/issue": { status: 200, body: issued() },
        "POST /api/v1/invoices/i2/issue": { status: 409, body: { status: 409, detail: "Some of these bookings changed since the draft was built. Rebuild it." } },
      }),
    );
    await startApp("/invoices/issue-all?period=2027-09");
    submit(document.querySelector<HTMLFormElement>("#issue-all-form"));
    await settle();
    expect(window.location.pathname).toBe("/invoices/issue-all");
    expect(text(".govuk-notification-banner__heading")).toBe("1 invoice issued");
    expect(text(".govuk-error-summary__list")).toBe(
      "The invoice to City of Edinburgh Council was not issued: Some of these bookings changed since the draft was built. Rebuild it.",
    );
    expect([...document.querySelectorAll("#to-issue tbody tr")]).toHaveLength(1);
  });
});
