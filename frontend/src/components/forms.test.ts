import { describe, expect, it } from "vitest";
import { dateInput, datePartsOf, parseDateParts, select, textInput } from "./forms";

function render(markup: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = markup;
  document.body.append(div);
  return div;
}

describe("form controls", () => {
  it("renders a text input with inputmode, prefix and suffix", () => {
    const root = render(textInput({ id: "hours", label: "Hours", inputmode: "decimal", suffix: "hours", error: "Enter hours" }).toString());
    const input = root.querySelector("input")!;
    expect(input.getAttribute("inputmode")).toBe("decimal");
    expect(input.getAttribute("type")).toBe("text");
    expect(input.getAttribute("aria-describedby")).toBe("hours-error");
    expect(root.querySelector(".govuk-input__suffix")?.getAttribute("aria-hidden")).toBe("true");
  });

  it("renders a select with the value chosen, escaped", () => {
    const root = render(
      select({ id: "s", label: "Pick", items: [{ value: "", text: "Any" }, { value: "a<b", text: "<A>" }], value: "a<b" }).toString(),
    );
    const chosen = root.querySelector<HTMLSelectElement>("select")!;
    expect(chosen.value).toBe("a<b");
    expect(root.querySelectorAll("option")[1]!.textContent).toBe("<A>");
    expect(root.querySelector("label")?.getAttribute("for")).toBe("s");
  });

  it("renders a date input in a fieldset with day, month and year", () => {
    const root = render(dateInput({ id: "from", legend: "Start date", hint: "For example, 1 12 2026", error: "Enter a date", value: datePartsOf("2026-12-01") }).toString());
    expect(root.querySelector("fieldset")?.getAttribute("role")).toBe("group");
    expect(root.querySelector("fieldset")?.getAttribute("aria-describedby")).toBe("from-hint from-error");
    expect([...root.querySelectorAll("input")].map((i) => [i.id, i.value, i.getAttribute("inputmode")])).toEqual([
      ["from-day", "1", "numeric"],
      ["from-month", "12", "numeric"],
      ["from-year", "2026", "numeric"],
    ]);
  });

  it("checks dates", () => {
    expect(parseDateParts({ day: "1", month: "12", year: "2026" }, "The start date")).toEqual({ ok: true, value: "2026-12-01" });
    expect(parseDateParts({ day: "", month: "", year: "" }, "The start date")).toEqual({ ok: false, error: "Enter the start date" });
    expect(parseDateParts({ day: "1", month: "", year: "" }, "The start date")).toEqual({
      ok: false,
      error: "The start date must include a month and year",
    });
    expect(parseDateParts({ day: "31", month: "2", year: "2027" }, "The start date")).toEqual({ ok: false, error: "The start date must be a real date" });
    expect(parseDateParts({ day: "1", month: "1", year: "27" }, "The start date").ok).toBe(false);
    expect(datePartsOf(null)).toEqual({ day: "", month: "", year: "" });
  });
});
