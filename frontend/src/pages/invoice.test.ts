import { afterEach, describe, expect, it } from "vitest";
import { ProblemError, setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { mockFetch, settle } from "../test/fetchMock";
import { user } from "../test/fixtures";
import { fiona, frank, invoice, issued, line } from "../test/invoices";
import { creditErrors, validateCredit, validatePaid } from "./invoice";

const twoLines = issued({
  lines: [line(), line({ booking_id: "b2", officer: "Olivia Okafor", week: "2027-W37", purchase_order: null, minutes: 450, amount_pence: 34125 })],
  net_pence: 51188,
  vat_pence: 10238,
  gross_pence: 61426,
});

function routes(body: unknown, extra: Record<string, unknown> = {}, me: unknown = fiona) {
  return {
    "GET /api/v1/me": { status: 200, body: me },
    "GET /api/v1/invoices/i1": { status: 200, body },
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

function summary(): Record<string, string> {
  return Object.fromEntries(
    [...document.querySelectorAll(".govuk-summary-list__row")].map((row) => [
      (row.querySelector("dt")?.textContent ?? "").trim(),
      (row.querySelector("dd")?.textContent ?? "").replace(/\s+/g, " ").trim(),
    ]),
  );
}

function cells(selector: string): string[][] {
  return [...document.querySelectorAll(`${selector} tbody tr`)].map((tr) =>
    [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim()),
  );
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("invoice checks", () => {
  it("checks the payment", () => {
    const empty = validatePaid({ reference: "", paidOn: { day: "", month: "", year: "" } });
    expect(empty.errors.summary).toEqual([
      { text: "Enter the payment reference", href: "#reference" },
      { text: "Enter the date paid", href: "#paid-on-day" },
    ]);
    expect(validatePaid({ reference: "BACS 991", paidOn: { day: "20", month: "9", year: "2027" } }).body).toEqual({
      reference: "BACS 991",
      paid_on: "2027-09-20",
    });
  });

  it("checks the credit note: everything, or hours of chosen lines", () => {
    expect(validateCredit(twoLines, { reason: "", hours: {} }).errors.fields).toEqual({
      "credit-reason": "Enter the reason for the credit note",
    });
    expect(validateCredit(twoLines, { reason: "Duplicate", hours: { b1: "", b2: "" } }).body).toEqual({ lines: [], reason: "Duplicate" });
    expect(validateCredit(twoLines, { reason: "Too many hours", hours: { b1: "", b2: "1.5" } }).body).toEqual({
      lines: [{ booking_id: "b2", minutes: 90 }],
      reason: "Too many hours",
    });
    // At most the line's hours (3.75 for 225 minutes), in quarter hours.
    const over = validateCredit(twoLines, { reason: "x", hours: { b1: "4", b2: "0.3" } });
    expect(over.errors.fields["credit-hours-0"]).toBe("Hours to credit for Peter Price, w/c 6 Sep 2027 must be 3.75 or fewer");
    expect(over.errors.fields["credit-hours-1"]).toMatch(/quarter hours/);
  });

  it("puts the server's line errors against the right field", () => {
    const problem = new ProblemError(422, {
      errors: [{ loc: ["body", "lines", 0, "minutes"], msg: "Only 30 minutes of this line are left to credit." }],
    });
    const errors = creditErrors(problem, twoLines, { lines: [{ booking_id: "b2", minutes: 90 }], reason: "x" });
    expect(errors.fields).toEqual({ "credit-hours-1": "Only 30 minutes of this line are left to credit" });
  });
});

describe("invoice page", () => {
  it("names a late cancellation's charge on its line", async () => {
    const late = line({ booking_id: "b9", kind: "late_cancellation", charge_percent: 50, minutes: 120, amount_pence: 9100 });
    mockFetch(routes(invoice({ lines: [late], net_pence: 9100, vat_pence: 1820, gross_pence: 10920 })));
    await startApp("/invoices/i1");
    expect(cells("#lines")[0]?.[0]).toBe("Peter Price: late cancellation charge (50% of the booked hours)");
  });

  it("shows a draft to the issuer with the lines, totals and the issue button", async () => {
    mockFetch(routes(invoice()));
    await startApp("/invoices/i1");
    expect(document.title).toBe("Draft invoice – LocalGov Talent Pool");
    expect(text("h1")).toBe("Draft invoice");
    expect(text(".govuk-caption-l")).toBe("To Reading Borough Council");
    expect(summary()).toMatchObject({
      Number: "Not issued yet",
      Status: "Draft",
      From: "West Berkshire Council",
      To: "Reading Borough Council",
      Period: "September 2027",
      Net: "£170.63",
      "VAT at 20%": "£34.13",
      Gross: "£204.76",
    });
    expect(summary()).not.toHaveProperty("Credited");
    // Hours as everywhere else in the service, not "3:45".
    expect(cells("#lines")).toEqual([["Peter Price", "w/c 6 Sep 2027", "PO-1234", "3.75 hours", "£45.50 per hour", "£170.63"]]);
    // On narrow screens each line is a card titled by its week: rate and amount on screen at 320 px.
    const card = document.querySelector("#lines-cards > li")!;
    expect(card.querySelector(".govuk-summary-card__title")?.textContent).toBe("w/c 6 Sep 2027");
    expect(card.textContent?.replace(/\s+/g, " ")).toContain("Rate£45.50 per hour");
    expect(card.textContent?.replace(/\s+/g, " ")).toContain("Amount£170.63");
    // Issuing is on a page of its own that checks it first.
    expect(document.querySelector("#issue-form")).toBeNull();
    expect(document.querySelector("#issue-link")?.getAttribute("href")).toBe("/invoices/i1/issue");
    expect(document.querySelector("a[href*='/document']")).toBeNull();
    expect(document.querySelector("#paid-form")).toBeNull();
    expect(document.querySelector("#credit-form")).toBeNull();
  });

  it("offers the documents, mark as paid and a credit note to the issuer once issued", async () => {
    mockFetch(routes(issued()));
    await startApp("/invoices/i1");
    const links = [...document.querySelectorAll<HTMLAnchorElement>("#downloads + ul a")];
    expect(links.map((a) => [a.getAttribute("href"), (a.textContent ?? "").trim()])).toEqual([
      ["/api/v1/invoices/i1/document?format=pdf", "PDF of WBK-2027-000001"],
      ["/api/v1/invoices/i1/document?format=csv", "CSV of WBK-2027-000001"],
      ["/api/v1/invoices/i1/document?format=ubl", "UBL (PEPPOL BIS Billing 3.0 XML) of WBK-2027-000001"],
    ]);
    expect(links.every((a) => a.hasAttribute("download"))).toBe(true);
    expect(document.querySelector("#paid-form")).not.toBeNull();
    expect(document.querySelector("#credit-form")).not.toBeNull();
    expect(document.querySelector("#issue-form")).toBeNull();
    expect(document.querySelector("#pay-form")).toBeNull();
  });

  it("marks it paid, checking the form first", async () => {
    const paid = issued({ status: "paid", paid_on: "2027-09-20", payment_reference: "BACS 991" });
    const { calls } = mockFetch(
      routes(issued(), {
        "GET /api/v1/invoices/i1": [
          { status: 200, body: issued() },
          { status: 200, body: paid },
        ],
        "POST /api/v1/invoices/i1/mark-paid": { status: 200, body: { ...paid, credit_notes: [] } },
      }),
    );
    await startApp("/invoices/i1");
    submit(document.querySelector<HTMLFormElement>("#paid-form"));
    await settle();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    expect(document.activeElement).toBe(document.querySelector(".govuk-error-summary"));
    expect(text("#reference-error")).toBe("Error: Enter the payment reference");

    fill("reference", "BACS 991");
    fill("paid-on-day", "20");
    fill("paid-on-month", "9");
    fill("paid-on-year", "2027");
    submit(document.querySelector<HTMLFormElement>("#paid-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ reference: "BACS 991", paid_on: "2027-09-20" });
    expect(text(".govuk-notification-banner__heading")).toBe("Invoice WBK-2027-000001 marked as paid");
    expect(summary()).toMatchObject({ Status: "Paid", "Paid on": "20 September 2027", "Payment reference": "BACS 991" });
    expect(document.querySelector("#paid-form")).toBeNull();
    expect(document.querySelector("#credit-form")).not.toBeNull();
  });

  it("shows the server's refusal of the payment date against the field", async () => {
    mockFetch(
      routes(issued(), {
        "POST /api/v1/invoices/i1/mark-paid": {
          status: 422,
          body: { title: "Invalid input", status: 422, errors: [{ loc: ["body", "paid_on"], msg: "The payment date cannot be in the future." }] },
        },
      }),
    );
    await startApp("/invoices/i1");
    fill("reference", "BACS 991");
    fill("paid-on-day", "1");
    fill("paid-on-month", "1");
    fill("paid-on-year", "2030");
    submit(document.querySelector<HTMLFormElement>("#paid-form"));
    await settle();
    expect(text("#paid-on-error")).toBe("Error: The payment date cannot be in the future");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#paid-on-day");
    expect((document.getElementById("paid-on-year") as HTMLInputElement).value).toBe("2030");
    expect((document.getElementById("reference") as HTMLInputElement).value).toBe("BACS 991");
  });

  it("issues a credit note for some hours and lists it", async () => {
    const note = { id: "n1", number: "WBK-CN-2027-000001", reason: "One hour was not worked", net_pence: 4550, vat_pence: 910, gross_pence: 5460, issue_date: "2027-09-16" };
    const after = { ...twoLines, credited_gross_pence: 5460, credit_notes: [note] };
    const { calls } = mockFetch(
      routes(twoLines, {
        "GET /api/v1/invoices/i1": [
          { status: 200, body: twoLines },
          { status: 200, body: after },
        ],
        "POST /api/v1/invoices/i1/credit-notes": { status: 201, body: note },
      }),
    );
    await startApp("/invoices/i1");
    expect(document.querySelector("label[for='credit-hours-1']")?.textContent?.trim()).toBe("Olivia Okafor, w/c 13 Sep 2027");
    fill("credit-reason", "One hour was not worked");
    fill("credit-hours-1", "1");
    submit(document.querySelector<HTMLFormElement>("#credit-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ lines: [{ booking_id: "b2", minutes: 60 }], reason: "One hour was not worked" });
    expect(text(".govuk-notification-banner__heading")).toBe("Credit note WBK-CN-2027-000001 issued for £54.60");
    expect(summary()).toMatchObject({ Credited: "£54.60", "Left to pay": "£559.66" });
    expect(cells("#credit-notes")).toEqual([["WBK-CN-2027-000001", "16 September 2027", "One hour was not worked", "£45.50", "£9.10", "£54.60"]]);
  });

  it("credits everything by default", async () => {
    const { calls } = mockFetch(
      routes(issued(), {
        "POST /api/v1/invoices/i1/credit-notes": {
          status: 201,
          body: { id: "n1", number: "WBK-CN-2027-000002", reason: "Duplicate", net_pence: 17063, vat_pence: 3413, gross_pence: 20476, issue_date: "2027-09-16" },
        },
      }),
    );
    await startApp("/invoices/i1");
    fill("credit-reason", "Duplicate");
    submit(document.querySelector<HTMLFormElement>("#credit-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ lines: [], reason: "Duplicate" });
  });

  it("shows a fully credited invoice without actions", async () => {
    mockFetch(routes(issued({ status: "credited", credited_gross_pence: 20476 })));
    await startApp("/invoices/i1");
    expect(document.querySelector("#paid-form")).toBeNull();
    expect(document.querySelector("#credit-form")).toBeNull();
    expect(summary()).toMatchObject({ Status: "Credited", Credited: "£204.76", "Left to pay": "£0.00" });
  });

  it("shows another VAT treatment's reason", async () => {
    mockFetch(routes(issued({ vat_category: "O", vat_rate_bps: 0, vat_reason: "Outside the scope of VAT", vat_pence: 0, gross_pence: 17063 })));
    await startApp("/invoices/i1");
    expect(summary()).toMatchObject({ "VAT: Outside the scope of VAT": "£0.00", Gross: "£170.63" });
  });

  it("shows the addresses when the invoice carries them", async () => {
    mockFetch(
      routes(
        issued({
          parties: {
            seller: { name: "West Berkshire Council", address_lines: ["West Berkshire Council", "Market Street, Newbury"], vat_number: "GB123456789" },
            buyer: { name: "Reading Borough Council", address_lines: ["Civic Offices, Reading"] },
          },
        }),
      ),
    );
    await startApp("/invoices/i1");
    expect(summary()).toMatchObject({
      From: "West Berkshire CouncilMarket Street, NewburyVAT number GB123456789",
      To: "Reading Borough CouncilCivic Offices, Reading",
    });
  });

  it("is read only for the council that pays, with card payment while it is due", async () => {
    const { calls } = mockFetch(
      routes(
        issued(),
        {
          "POST /api/v1/invoices/i1/stripe": {
            status: 200,
            body: { payment_intent_id: "pi_123", client_secret: "pi_123_secret", amount_pence: 20476, currency: "gbp" },
          },
        },
        frank,
      ),
    );
    await startApp("/invoices/i1");
    expect(text(".govuk-caption-l")).toBe("From West Berkshire Council");
    expect(document.querySelector("#issue-form")).toBeNull();
    expect(document.querySelector("#paid-form")).toBeNull();
    expect(document.querySelector("#credit-form")).toBeNull();
    expect(document.querySelectorAll("#downloads + ul a")).toHaveLength(3);
    expect(text("#pay-form button")).toBe("Pay by card");
    submit(document.querySelector<HTMLFormElement>("#pay-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.url).toBe("/api/v1/invoices/i1/stripe");
    expect(text(".govuk-notification-banner__heading")).toBe("Card payment of £204.76 started");
    expect(text(".govuk-notification-banner")).toContain("pi_123");
    expect(document.body.textContent).not.toContain("pi_123_secret");
  });

  it("says when card payment does not apply", async () => {
    mockFetch(
      routes(
        issued(),
        { "POST /api/v1/invoices/i1/stripe": { status: 409, body: { title: "Conflict", status: 409, detail: "West Berkshire Council does not take card payments." } } },
        frank,
      ),
    );
    await startApp("/invoices/i1");
    submit(document.querySelector<HTMLFormElement>("#pay-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("Card payment is not available for this invoice. West Berkshire Council does not take card payments.");
  });

  it("offers no card payment once paid, nor to a council admin without the finance role", async () => {
    mockFetch(routes(issued({ status: "paid", paid_on: "2027-09-20", payment_reference: "BACS 991" }), {}, frank));
    await startApp("/invoices/i1");
    expect(document.querySelector("#pay-form")).toBeNull();
    mockFetch(routes(issued(), {}, { ...frank, roles: ["council_admin"] }));
    await startApp("/invoices/i1");
    expect(text("h1")).toBe("Invoice WBK-2027-000001");
    expect(document.querySelector("#pay-form")).toBeNull();
  });

  it("treats an unknown or malformed id as not found", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: fiona },
      "GET /api/v1/invoices/nope": { status: 422, body: { title: "Invalid input", status: 422, errors: [] } },
    });
    await startApp("/invoices/nope");
    expect(text("h1")).toBe("Page not found");
  });

  it("is for finance officers and council admins only", async () => {
    mockFetch(routes(issued(), {}, user(["officer"])));
    await startApp("/invoices/i1");
    expect(text("h1")).toBe("You cannot use this page");
  });
});
