import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDeadline, formatPence, formatRate, formatRoles, joinWords } from "./format";

describe("formatPence", () => {
  it.each([
    [0, "£0.00"],
    [1, "£0.01"],
    [10, "£0.10"],
    [99, "£0.99"],
    [100, "£1.00"],
    [4550, "£45.50"],
    [123456, "£1,234.56"],
    [123456789, "£1,234,567.89"],
    [-150, "-£1.50"],
    [-5, "-£0.05"],
  ])("%i pence is %s", (pence, expected) => {
    expect(formatPence(pence)).toBe(expected);
  });

  it("has no float rounding error on large amounts", () => {
    // 9007199254740991 is the largest safe integer.
    expect(formatPence(Number.MAX_SAFE_INTEGER)).toBe("£90,071,992,547,409.91");
    // 0.1 + 0.2 style errors would show here with float division.
    expect(formatPence(1015)).toBe("£10.15");
    expect(formatPence(29)).toBe("£0.29");
  });

  it("refuses fractions of a penny", () => {
    expect(() => formatPence(10.5)).toThrow(RangeError);
    expect(() => formatPence(Number.NaN)).toThrow(RangeError);
  });
});

describe("formatRate", () => {
  it("formats a rate per hour, or says it is not set", () => {
    expect(formatRate(4500)).toBe("£45.00 per hour");
    expect(formatRate(null)).toBe("Not set");
    expect(formatRate(undefined)).toBe("Not set");
  });
});

describe("dates", () => {
  it("formats a date in London time", () => {
    expect(formatDate("2026-12-03T10:00:00+00:00")).toBe("3 December 2026");
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    expect(formatDate("2026-06-30T23:30:00Z")).toBe("1 July 2026");
    expect(formatDate(null)).toBe("");
    expect(formatDate("not a date")).toBe("not a date");
  });

  it("formats a date and time the GOV.UK way", () => {
    expect(formatDateTime("2026-12-03T14:05:00Z")).toBe("3 December 2026 at 2:05pm");
    expect(formatDateTime("2026-07-01T08:00:00Z")).toBe("1 July 2026 at 9:00am");
    expect(formatDateTime("2026-11-28T00:30:00Z")).toBe("28 November 2026 at 12:30am");
    expect(formatDateTime("2026-07-01T11:15:00Z")).toBe("1 July 2026 at 12:15pm");
    expect(formatDateTime("2026-07-01T11:00:00Z")).toBe("1 July 2026 at midday");
    expect(formatDateTime("2026-11-28T00:00:00Z")).toBe("28 November 2026 at midnight");
  });

  it("formats deadlines at midnight as the end of the day before", () => {
    expect(formatDeadline("2026-11-28T00:00:00+00:00")).toBe("the end of 27 November 2026");
    expect(formatDeadline("2026-06-30T23:00:00Z")).toBe("the end of 30 June 2026"); // midnight BST
    expect(formatDeadline("2026-11-28T10:00:00Z")).toBe("28 November 2026 at 10:00am");
    expect(formatDeadline(null)).toBe("");
  });
});

describe("words", () => {
  it("labels roles and joins lists", () => {
    expect(formatRoles(["officer", "council_admin"])).toBe("Officer, Council admin");
    expect(joinWords(["a"])).toBe("a");
    expect(joinWords(["a", "b"])).toBe("a and b");
    expect(joinWords(["a", "b", "c"])).toBe("a, b and c");
  });
});
