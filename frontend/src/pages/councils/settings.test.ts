import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { user } from "../../test/fixtures";
import { SECTIONS, display, parseField, sectionComplete } from "./settings";

const admin = user(["council_admin"], { id: "u4", name: "Alice Admin", csrf_token: "csrf-a" });
const finance = user(["finance"], { id: "u5", name: "Fiona Finance" });

// The settings contract of API.md, bank details and structured address included.
const settings = {
  council_id: "c1",
  vat_rate_bps: 2000,
  vat_treatment: "standard",
  vat_reason: null,
  vat_number: "GB123456789",
  invoice_address: "Council Offices\nMarket Street\nNewbury\nRG14 5LD",
  address_lines: ["Council Offices", "Market Street"],
  town: "Newbury",
  postcode: "RG14 5LD",
  finance_email: "finance@westberks.gov.uk",
  payment_terms_days: 30,
  po_required: false,
  cancellation_notice_days: 5,
  late_cancellation_charge_percent: 0,
  email_domains: ["westberks.gov.uk"],
  stripe_enabled: false,
  default_rate_pence_per_hour: 4500,
  bank_account_name: null,
  bank_sort_code: null,
  bank_account_number: null,
  remittance_email: null,
  ledger_code: null,
  cost_centre: null,
  subjective_code: null,
};

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("council settings", () => {
  it("knows which groups are complete and how to show and read values", () => {
    const [invoicing, bookings, people, payments] = SECTIONS;
    expect(sectionComplete(invoicing!, settings)).toBe(true);
    expect(sectionComplete(bookings!, settings)).toBe(true);
    expect(sectionComplete(people!, { ...settings, email_domains: [] })).toBe(false);
    expect(sectionComplete(payments!, settings)).toBe(false);
    const rate = bookings!.fields.find((f) => f.key === "default_rate_pence_per_hour")!;
    expect(display(rate, 4550)).toBe("£45.50 an hour");
    expect(parseField(rate, "£52.25")).toEqual({ ok: true, value: 5225 });
    const vat = invoicing!.fields.find((f) => f.key === "vat_rate_bps")!;
    expect(parseField(vat, "17.5")).toEqual({ ok: true, value: 1750 });
    expect(parseField(vat, "lots").ok).toBe(false);
    const domains = people!.fields[0]!;
    expect(parseField(domains, "A.gov.uk\nb.gov.uk, a.gov.uk")).toEqual({ ok: true, value: ["a.gov.uk", "b.gov.uk"] });
  });

  it("shows the task list; finance reads without change links", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: finance },
      "GET /api/v1/councils/c1/settings": { status: 200, body: settings },
    });
    await startApp("/council/settings");
    expect(text("#task-payments-status")).toBe("Incomplete");
    expect(text("#task-invoicing-status")).toBe("Completed");
    expect(document.querySelector("a[href='/council/settings/payments']")).toBeNull();
    expect(text("#card-invoicing")).toContain("Council Offices, Market Street");
  });

  it("fills in the payments group, checks the answers and saves only what changed", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/councils/c1/settings": { status: 200, body: settings },
      "PATCH /api/v1/councils/c1/settings": { status: 200, body: settings },
    });
    await startApp("/council/settings/payments");
    expect(text("h1")).toBe("Payments");
    fill("bank-account-name", "West Berkshire Council");
    fill("bank-sort-code", "30-99-50");
    fill("bank-account-number", "12345678");
    (document.getElementById("stripe-enabled") as HTMLInputElement).checked = true;
    submit(document.querySelector<HTMLFormElement>("#settings-form"));
    await settle();
    expect(text("h1")).toBe("Check your changes");
    expect(text(".govuk-summary-list")).toContain("30-99-50");
    expect(calls.some((c) => c.method === "PATCH")).toBe(false);
    submit(document.querySelector<HTMLFormElement>("#check-form"));
    await settle();
    const patch = calls.find((c) => c.method === "PATCH")!;
    expect(patch.body).toEqual({ bank_account_name: "West Berkshire Council", bank_sort_code: "30-99-50", bank_account_number: "12345678", stripe_enabled: true });
    expect(window.location.pathname).toBe("/council/settings");
    expect(text(".govuk-notification-banner__heading")).toBe("Payments saved");
  });

  it("takes the server's field errors back to the form", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/councils/c1/settings": { status: 200, body: settings },
      "PATCH /api/v1/councils/c1/settings": {
        status: 422,
        body: { status: 422, detail: "The request has invalid or missing fields.", errors: [{ loc: ["body", "postcode"], msg: "Value error, must be a UK postcode, like RG1 2LU" }] },
      },
    });
    await startApp("/council/settings/invoicing");
    fill("postcode", "nowhere");
    submit(document.querySelector<HTMLFormElement>("#settings-form"));
    await settle();
    submit(document.querySelector<HTMLFormElement>("#check-form"));
    await settle();
    expect(text("h1")).toBe("Invoicing and VAT");
    expect(text("#postcode-error")).toBe("Error: Must be a UK postcode, like RG1 2LU");
    expect((document.getElementById("postcode") as HTMLInputElement).value).toBe("nowhere");
  });

  it("refuses a badly typed number before anything is sent", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: admin },
      "GET /api/v1/councils/c1/settings": { status: 200, body: settings },
    });
    await startApp("/council/settings/bookings");
    fill("cancellation-notice-days", "five");
    submit(document.querySelector<HTMLFormElement>("#settings-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("Enter the cancellation notice as a whole number");
    expect(calls.filter((c) => c.method === "PATCH")).toEqual([]);
  });
});
