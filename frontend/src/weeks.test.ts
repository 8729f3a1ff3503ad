import { describe, expect, it } from "vitest";
import {
  addWeeks,
  firstOpenWeek,
  isWeek,
  monday,
  parseWeek,
  weekDays,
  weekLabel,
  weekOfDate,
  weekRange,
  weeksBetween,
  weeksInYear,
} from "./weeks";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("ISO weeks", () => {
  it("parses real weeks only", () => {
    expect(parseWeek("2026-W49")).toEqual({ year: 2026, week: 49 });
    expect(parseWeek("2026-W53")).toEqual({ year: 2026, week: 53 }); // 2026 starts on a Thursday
    expect(parseWeek("2027-W53")).toBeNull();
    expect(parseWeek("2026-W00")).toBeNull();
    expect(parseWeek("2026-W5")).toBeNull();
    expect(parseWeek("2026W49")).toBeNull();
    expect(parseWeek(null)).toBeNull();
    expect(isWeek("2026-W01")).toBe(true);
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2027)).toBe(52);
  });

  it("knows each week's Monday and the week of any date", () => {
    expect(monday("2026-W49").toISOString().slice(0, 10)).toBe("2026-11-30");
    expect(monday("2026-W01").toISOString().slice(0, 10)).toBe("2025-12-29");
    expect(weekOfDate(day("2026-11-25"))).toBe("2026-W48");
    expect(weekOfDate(day("2027-01-01"))).toBe("2026-W53");
    expect(weekOfDate(day("2027-01-04"))).toBe("2027-W01");
    expect(weekOfDate(day("2024-12-30"))).toBe("2025-W01");
    expect(weekOfDate(day("2026-12-27"))).toBe("2026-W52"); // a Sunday
  });

  it("adds weeks across years", () => {
    expect(addWeeks("2026-W52", 1)).toBe("2026-W53");
    expect(addWeeks("2026-W53", 1)).toBe("2027-W01");
    expect(addWeeks("2027-W01", -1)).toBe("2026-W53");
    expect(addWeeks("2026-W49", 12)).toBe("2027-W08");
    expect(weeksBetween("2026-W49", "2027-W08")).toBe(12);
    expect(weekRange("2026-W52", 3)).toEqual(["2026-W52", "2026-W53", "2027-W01"]);
  });

  it("names weeks by their Monday, as the server's emails do", () => {
    expect(weekLabel("2026-W49")).toBe("w/c 30 Nov 2026");
    expect(weekLabel("2026-W53")).toBe("w/c 28 Dec 2026");
    expect(weekLabel("2027-W05")).toBe("w/c 1 Feb 2027");
    expect(weekDays("2026-W49")).toBe("30 Nov to 6 Dec 2026");
    expect(weekDays("2026-W53")).toBe("28 Dec 2026 to 3 Jan 2027");
  });

  it("takes the first open week from the server's week, not the browser's clock", () => {
    expect(firstOpenWeek("2026-W48")).toBe("2026-W49");
    expect(firstOpenWeek("2026-W53")).toBe("2027-W01");
  });
});
