import { afterEach, describe, expect, it, vi } from "vitest";
import { setCsrfToken } from "../api";
import { navItems } from "../layout";
import { pages } from "../routes";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { mockFetch } from "../test/fetchMock";
import { user } from "../test/fixtures";
import { edinburgh, fiona, frank, invoice, issued } from "../test/invoices";
import { defaultExports, filtersFrom, listQuery, validateFilters, validateLedger, validatePayroll } from "./invoices";
import { downloads } from "./invoicing";
import { useBrowserClock } from "../test/clock";

const outgoing = [
  invoice({ id: "i3", customer: edinburgh, gross_pence: 12000 }),
  issued({ credited_gross_pence: 4095 }),
];
const incoming = [issued({ id: "i9", number: "RDG-2027-000004", issuer: edinburgh, customer: fiona.council!, status: "paid" })];

function routes(extra: Record<string, unknown> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: fiona },
    "GET /api/v1/invoices": [
      { status: 200, body: { items: outgoing, next_cursor: null } },
      { status: 200, body: { items: incoming, next_cursor: null } },
    ],
    ...extra,
  } as Parameters<typeof mockFetch>[0];
}

function rows(id: string): string[][] {
  return [...document.querySelectorAll(`#${id} tbody tr`)].map((tr) =>
    [...tr.querySelectorAll("td")].map((td) => (td.textContent ?? "").replace(/\s+/g, " ").trim()),
  );
}

useBrowserClock();

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("invoice filters and exports", () => {
  it("reads and checks the filters", () => {
    expect(filtersFrom(new URLSearchParams("period=2027-09&status=paid"))).toEqual({ period: { month: "9", year: "2027" }, status: "paid" });
    expect(validateFilters({ period: { month: "9", year: "2027" }, status: "issued" }).query?.toString()).toBe("period=2027-09&status=issued");
    expect(validateFilters({ period: { month: "", year: "" }, status: "" }).query?.toString()).toBe("");
    const bad = validateFilters({ period: { month: "9", year: "" }, status: "lost" });
    expect(bad.query).toBeNull();
    expect(bad.errors.summary.map((e) => e.href)).toEqual(["#period-month", "#status"]);
    expect(listQuery("incoming", new URLSearchParams("period=2027-09"))).toBe("direction=incoming&period=2027-09&limit=200");
  });

  it("defaults the exports by the server's today and builds their addresses", () => {
    // From the first day of last month to today: last month's invoices, issued this month, are in it.
    const values = defaultExports("2027-10-04");
    expect(values).toEqual({
      direction: "both",
      from: { day: "1", month: "9", year: "2027" },
      to: { day: "4", month: "10", year: "2027" },
      payroll: { month: "9", year: "2027" },
    });
    expect(validateLedger(values).url).toBe("/api/v1/exports/invoices.csv?direction=both&from=2027-09-01&to=2027-10-04");
    expect(validatePayroll(values).url).toBe("/api/v1/exports/payroll.csv?period=2027-09");
    const backwards = validateLedger({ ...values, to: { day: "31", month: "8", year: "2027" } });
    expect(backwards.url).toBeNull();
    expect(backwards.errors.fields["ledger-to-day"]).toBe("The end date must be the same as or after the start date");
    expect(validatePayroll({ ...values, payroll: { month: "", year: "" } }).errors.fields["payroll-month"]).toBe("Enter the month");
  });

  it("puts Invoices in the navigation of finance officers and council admins only", () => {
    expect(navItems(pages, fiona, "/invoices/run").find((i) => i.current)?.label).toBe("Invoices");
    expect(navItems(pages, user(["council_admin"]), "/").map((i) => i.label)).toContain("Invoices");
    for (const role of ["officer", "manager", "booker"] as const) {
      expect(navItems(pages, user([role]), "/").map((i) => i.label)).not.toContain("Invoices");
    }
  });
});

describe("invoices page", () => {
  it("lists outgoing and incoming invoices", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/invoices");
    expect(document.title).toBe("Invoices – LocalGov Talent Pool");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Invoices");
    expect(calls.filter((c) => c.url.startsWith("/api/v1/invoices")).map((c) => c.url)).toEqual([
      "/api/v1/invoices?direction=outgoing&limit=200",
      "/api/v1/invoices?direction=incoming&limit=200",
    ]);
    expect(text("#outgoing caption")).toBe("Invoices to other councils");
    expect(rows("outgoing")).toEqual([
      ["Draft invoice, City of Edinburgh Council, September 2027", "City of Edinburgh Council", "September 2027", "£120.00", "Draft", "Not issued"],
      [
        "WBK-2027-000001 invoice, Reading Borough Council, September 2027",
        "Reading Borough Council",
        "September 2027",
        "£204.76 £40.95 credited",
        "Issued",
        "15 October 2027",
      ],
    ]);
    expect(document.querySelector("#outgoing tbody a")?.getAttribute("href")).toBe("/invoices/i3");
    expect(text("#incoming caption")).toBe("Invoices from other councils");
    expect(rows("incoming")[0]!.slice(1)).toEqual(["City of Edinburgh Council", "September 2027", "£204.76", "Paid", "15 October 2027"]);
    expect(document.querySelector("#run-link")?.getAttribute("href")).toBe("/invoices/run");
    // The exports start from the server's today (4 October 2027; the browser's clock says 2031):
    // the ledger from 1 September to today, payroll for September.
    expect((document.getElementById("ledger-from-day") as HTMLInputElement).value).toBe("1");
    expect((document.getElementById("ledger-from-month") as HTMLInputElement).value).toBe("9");
    expect((document.getElementById("ledger-to-day") as HTMLInputElement).value).toBe("4");
    expect((document.getElementById("ledger-to-month") as HTMLInputElement).value).toBe("10");
    expect((document.getElementById("ledger-to-year") as HTMLInputElement).value).toBe("2027");
    expect((document.getElementById("payroll-month") as HTMLInputElement).value).toBe("9");
    // "Exports" is a section of the page, not a second page title.
    expect(document.getElementById("exports")?.className).toBe("govuk-heading-m");
  });

  it("filters by month and status through the address", async () => {
    const { calls } = mockFetch(routes());
    await startApp("/invoices");
    fill("period-month", "9");
    fill("period-year", "2027");
    (document.getElementById("status") as HTMLSelectElement).value = "issued";
    submit(document.querySelector<HTMLFormElement>("#filters-form"));
    await vi.waitFor(() => expect(window.location.search).toBe("?period=2027-09&status=issued"));
    await vi.waitFor(() =>
      expect(calls.map((c) => c.url)).toContain("/api/v1/invoices?direction=incoming&period=2027-09&status=issued&limit=200"),
    );
  });

  it("says when nothing matches, and checks the month typed", async () => {
    mockFetch(routes({ "GET /api/v1/invoices": { status: 200, body: { items: [], next_cursor: null } } }));
    await startApp("/invoices?status=paid");
    expect(text("#outgoing-caption + p")).toBe("No invoices match the filters.");
    expect((document.getElementById("status") as HTMLSelectElement).value).toBe("paid");
    fill("period-month", "14");
    fill("period-year", "2027");
    submit(document.querySelector<HTMLFormElement>("#filters-form"));
    expect(text(".govuk-error-summary__list")).toBe("The month must be a real month, like 9 2027");
    expect(document.title).toBe("Error: Invoices – LocalGov Talent Pool");
    expect(window.location.search).toBe("?status=paid");
  });

  it("starts the export downloads, or shows what to fix", async () => {
    mockFetch(routes());
    const start = vi.spyOn(downloads, "start").mockImplementation(() => {});
    await startApp("/invoices");
    (document.getElementById("ledger-direction") as HTMLSelectElement).value = "incoming";
    submit(document.querySelector<HTMLFormElement>("#ledger-form"));
    expect(start).toHaveBeenCalledWith("/api/v1/exports/invoices.csv?direction=incoming&from=2027-09-01&to=2027-10-04");
    submit(document.querySelector<HTMLFormElement>("#payroll-form"));
    expect(start).toHaveBeenLastCalledWith("/api/v1/exports/payroll.csv?period=2027-09");

    fill("ledger-to-day", "31");
    fill("ledger-to-month", "2");
    submit(document.querySelector<HTMLFormElement>("#ledger-form"));
    expect(start).toHaveBeenCalledTimes(2);
    expect(text("#ledger-to-error")).toBe("Error: The end date must be a real date");
    expect(document.querySelector(".govuk-error-summary a")?.getAttribute("href")).toBe("#ledger-to-day");
    // What was typed stays.
    expect((document.getElementById("ledger-direction") as HTMLSelectElement).value).toBe("incoming");
  });

  it("lets the paying council's finance team see their invoices too", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: frank } }));
    await startApp("/invoices");
    expect(text("h1")).toBe("Invoices");
  });

  it("is for finance officers and council admins only", async () => {
    mockFetch(routes({ "GET /api/v1/me": { status: 200, body: user(["booker"]) } }));
    await startApp("/invoices");
    expect(text("h1")).toBe("You cannot use this page");
    // Either role opens the page: "or", not "and".
    expect(document.body.textContent).toContain("This page is for people with the finance or council admin role at their council.");
  });
});
