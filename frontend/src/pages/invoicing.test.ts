import { describe, expect, it } from "vitest";
import {
  documentHref,
  formatRateBps,
  invoiceStatusTag,
  isPeriod,
  ledgerHref,
  minutesText,
  monthBounds,
  nextNumbers,
  monthInput,
  parseMonthParts,
  payrollHref,
  periodLabel,
  previousMonth,
  vatLabel,
} from "./invoicing";

describe("invoice formatting", () => {
  it("shows minutes as hours, as everywhere else", () => {
    expect(minutesText(450)).toBe("7.5 hours");
    expect(minutesText(165)).toBe("2.75 hours");
    expect(minutesText(60)).toBe("1 hour");
    expect(minutesText(0)).toBe("0 hours");
  });

  it("counts on the numbers a run of drafts will take", () => {
    expect(nextNumbers("WBK-2027-000004", 3)).toEqual(["WBK-2027-000004", "WBK-2027-000005", "WBK-2027-000006"]);
    expect(nextNumbers("WBK-2027-000999", 2)).toEqual(["WBK-2027-000999", "WBK-2027-001000"]);
    expect(nextNumbers(null, 2)).toEqual([]);
    expect(nextNumbers(undefined, 1)).toEqual([]);
  });

  it("names months", () => {
    expect(periodLabel("2027-09")).toBe("September 2027");
    expect(periodLabel("2026-12")).toBe("December 2026");
    expect(periodLabel("nonsense")).toBe("nonsense");
    expect(isPeriod("2027-09")).toBe(true);
    expect(isPeriod("2027-13")).toBe(false);
    expect(isPeriod("2027-9")).toBe(false);
  });

  it("finds last month from the server's today, across a new year", () => {
    expect(previousMonth("2027-10-15")).toBe("2027-09");
    expect(previousMonth("2027-01-01")).toBe("2026-12");
    expect(previousMonth("2026-11-30")).toBe("2026-10");
    expect(previousMonth("")).toBe("");
  });

  it("knows the first and last day of a month, leap years included", () => {
    expect(monthBounds("2027-09")).toEqual(["2027-09-01", "2027-09-30"]);
    expect(monthBounds("2028-02")).toEqual(["2028-02-01", "2028-02-29"]);
    expect(monthBounds("2027-02")).toEqual(["2027-02-01", "2027-02-28"]);
  });

  it("checks a month and year", () => {
    expect(parseMonthParts({ month: "9", year: "2027" }, "The month")).toEqual({ ok: true, value: "2027-09" });
    expect(parseMonthParts({ month: "12", year: "2026" }, "The month")).toEqual({ ok: true, value: "2026-12" });
    expect(parseMonthParts({ month: "", year: "" }, "The month")).toEqual({ ok: false, error: "Enter the month" });
    expect(parseMonthParts({ month: "", year: "" }, "The month", true)).toEqual({ ok: true, value: "" });
    expect(parseMonthParts({ month: "9", year: "" }, "The month")).toEqual({ ok: false, error: "The month must include a year" });
    expect(parseMonthParts({ month: "", year: "2027" }, "The month")).toEqual({ ok: false, error: "The month must include a month" });
    expect(parseMonthParts({ month: "13", year: "2027" }, "The month")).toEqual({ ok: false, error: "The month must be a real month, like 9 2027" });
    expect(parseMonthParts({ month: "9", year: "27" }, "The month").ok).toBe(false);
    expect(parseMonthParts({ month: "9", year: "1999" }, "The month").ok).toBe(false);
  });

  it("renders the month input as a GOV.UK date input without the day", () => {
    const div = document.createElement("div");
    div.innerHTML = monthInput({ id: "period", legend: "Month", hint: "For example, 9 2027", error: "Enter the month", value: { month: "9", year: "2027" } }).toString();
    expect(div.querySelector("fieldset")?.getAttribute("aria-describedby")).toBe("period-hint period-error");
    expect([...div.querySelectorAll("input")].map((i) => [i.id, i.value, i.getAttribute("inputmode")])).toEqual([
      ["period-month", "9", "numeric"],
      ["period-year", "2027", "numeric"],
    ]);
    expect(div.querySelector("#period-day")).toBeNull();
  });

  it("describes VAT: the rate, or the reason for another treatment", () => {
    expect(formatRateBps(2000)).toBe("20%");
    expect(formatRateBps(1750)).toBe("17.5%");
    expect(formatRateBps(505)).toBe("5.05%");
    expect(formatRateBps(0)).toBe("0%");
    expect(vatLabel({ vat_category: "S", vat_rate_bps: 2000, vat_reason: null })).toBe("VAT at 20%");
    expect(vatLabel({ vat_category: "O", vat_rate_bps: 0, vat_reason: "Outside the scope of VAT" })).toBe("VAT: Outside the scope of VAT");
    expect(vatLabel({ vat_category: "Z", vat_rate_bps: 0, vat_reason: null })).toBe("VAT at 0% (zero rated)");
  });

  it("tags statuses and links to the documents and exports", () => {
    expect(invoiceStatusTag("paid").toString()).toBe('<strong class="govuk-tag govuk-tag--green">Paid</strong>');
    expect(documentHref("i/1", "ubl")).toBe("/api/v1/invoices/i%2F1/document?format=ubl");
    expect(ledgerHref("both", "2027-09-01", "2027-09-30")).toBe("/api/v1/exports/invoices.csv?direction=both&from=2027-09-01&to=2027-09-30");
    expect(payrollHref("2027-09")).toBe("/api/v1/exports/payroll.csv?period=2027-09");
  });
});
