import { describe, expect, it } from "vitest";
import { formatHours, hoursText, parseHours, parsePounds, parseWhole, penceToPounds } from "./numbers";

const messages = { empty: "Enter the hours", name: "Hours" };

describe("hours", () => {
  it("accepts quarter hours", () => {
    expect(parseHours("7.5", messages)).toEqual({ ok: true, value: 7.5 });
    expect(parseHours(" 7.25 ", messages)).toEqual({ ok: true, value: 7.25 });
    expect(parseHours("3", messages)).toEqual({ ok: true, value: 3 });
    expect(parseHours("0.75", messages)).toEqual({ ok: true, value: 0.75 });
    expect(parseHours(".5", messages)).toEqual({ ok: true, value: 0.5 });
    expect(parseHours("7.50", messages)).toEqual({ ok: true, value: 7.5 });
    expect(parseHours("60", messages)).toEqual({ ok: true, value: 60 });
    expect(parseHours("3 hours", messages)).toEqual({ ok: true, value: 3 });
  });

  it("refuses anything else with a message naming the field", () => {
    expect(parseHours("", messages)).toEqual({ ok: false, error: "Enter the hours" });
    expect(parseHours("seven", messages)).toEqual({ ok: false, error: "Hours must be a number, like 7.5" });
    expect(parseHours("7,5", messages).ok).toBe(false);
    expect(parseHours("-1", messages).ok).toBe(false);
    expect(parseHours("1e1", messages).ok).toBe(false);
    expect(parseHours(".", messages).ok).toBe(false);
    expect(parseHours("7.3", messages)).toEqual({ ok: false, error: "Hours must be in quarter hours, like 7.25, 7.5 or 7.75" });
    expect(parseHours("7.125", messages).ok).toBe(false);
    expect(parseHours("0", messages)).toEqual({ ok: false, error: "Hours must be more than 0" });
    expect(parseHours("60.25", messages)).toEqual({ ok: false, error: "Hours must be 60 or fewer" });
    expect(parseHours("99999999999", messages)).toEqual({ ok: false, error: "Hours must be 60 or fewer" });
  });

  it("formats hours", () => {
    expect(formatHours(7.5)).toBe("7.5");
    expect(formatHours(3)).toBe("3");
    expect(formatHours(0.25)).toBe("0.25");
    expect(hoursText(1)).toBe("1 hour");
    expect(hoursText(3)).toBe("3 hours");
  });
});

describe("pounds", () => {
  it("turns pounds into whole pence without floats", () => {
    expect(parsePounds("60", "Rate")).toEqual({ ok: true, value: 6000 });
    expect(parsePounds("£45.5", "Rate")).toEqual({ ok: true, value: 4550 });
    expect(parsePounds("45.05", "Rate")).toEqual({ ok: true, value: 4505 });
    expect(parsePounds("0.29", "Rate")).toEqual({ ok: true, value: 29 }); // 0.29 * 100 is 28.999… as a float
    expect(parsePounds("1,250.00", "Rate")).toEqual({ ok: true, value: 125000 });
    expect(parsePounds("45.505", "Rate").ok).toBe(false);
    expect(parsePounds("abc", "Rate")).toEqual({ ok: false, error: "Rate must be an amount in pounds, like 45 or 45.50" });
    expect(parsePounds("0", "Rate")).toEqual({ ok: false, error: "Rate must be more than £0" });
  });

  it("puts pence back as pounds", () => {
    expect(penceToPounds(6000)).toBe("60");
    expect(penceToPounds(4550)).toBe("45.50");
    expect(penceToPounds(5)).toBe("0.05");
    expect(penceToPounds(-1)).toBe("");
  });
});

describe("whole numbers", () => {
  it("checks the range", () => {
    expect(parseWhole("12", "Weeks", 1, 52, "Enter weeks")).toEqual({ ok: true, value: 12 });
    expect(parseWhole("", "Weeks", 1, 52, "Enter weeks")).toEqual({ ok: false, error: "Enter weeks" });
    expect(parseWhole("1.5", "Weeks", 1, 52, "Enter weeks")).toEqual({ ok: false, error: "Weeks must be a whole number, like 12" });
    expect(parseWhole("53", "Weeks", 1, 52, "Enter weeks")).toEqual({ ok: false, error: "Weeks must be between 1 and 52" });
  });
});

describe("negative numbers", () => {
  it("are numbers that are too small, in every number field", () => {
    expect(parseWhole("-3", "Number of weeks", 1, 52, "Enter the number of weeks")).toEqual({ ok: false, error: "Number of weeks must be between 1 and 52" });
    expect(parseHours("-2", { empty: "Enter hours", name: "Hours per week" })).toEqual({ ok: false, error: "Hours per week must be more than 0" });
    expect(parseHours("-0.5", { empty: "Enter hours", name: "Hours" })).toEqual({ ok: false, error: "Hours must be more than 0" });
    expect(parsePounds("-45", "Maximum rate")).toEqual({ ok: false, error: "Maximum rate must be more than £0" });
    expect(parsePounds("-£45", "Maximum rate")).toEqual({ ok: false, error: "Maximum rate must be more than £0" });
    // Not numbers at all are still said to be so.
    expect(parseHours("-x", { empty: "Enter hours", name: "Hours" })).toEqual({ ok: false, error: "Hours must be a number, like 7.5" });
  });
});
