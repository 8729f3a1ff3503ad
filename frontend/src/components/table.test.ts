import { describe, expect, it } from "vitest";
import { html } from "./escape";
import { table } from "./table";

function render(markup: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = markup;
  document.body.append(div);
  return div;
}

describe("table", () => {
  it("draws each row as a summary card too, for narrow screens, when asked", () => {
    const root = render(
      table({
        id: "weeks",
        caption: "Your weeks",
        head: ["Week", "Hours", "Action"],
        rows: [["w/c 7 Dec 2026", "3 hours", html`<a href="/availability/2026-W50">Change</a>`]],
        cards: { title: 0, actions: 2 },
      }).toString(),
    );
    expect(root.querySelector(".tp-table-scroll")?.classList.contains("tp-wide-only")).toBe(true);
    expect(root.querySelector("#weeks caption")?.textContent).toBe("Your weeks");
    const narrow = root.querySelector(".tp-narrow-only")!;
    expect(narrow.querySelector("h2")?.textContent).toBe("Your weeks");
    expect(narrow.querySelector("ul")?.getAttribute("aria-labelledby")).toBe(narrow.querySelector("h2")?.id);
    const card = narrow.querySelector("li.govuk-summary-card")!;
    expect(card.querySelector("h3.govuk-summary-card__title")?.textContent).toBe("w/c 7 Dec 2026");
    expect([...card.querySelectorAll(".govuk-summary-list__row")].map((row) => [row.querySelector("dt")?.textContent, row.querySelector("dd")?.textContent])).toEqual([
      ["Hours", "3 hours"],
    ]);
    expect(card.querySelector(".tp-card-actions a")?.getAttribute("href")).toBe("/availability/2026-W50");
    // Ids stay unique: the table's and the cards' headings are distinct.
    const ids = [...root.querySelectorAll("[id]")].map((el) => el.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("scrolls inside its own box without cards, and says so when empty", () => {
    const plain = render(table({ id: "t", caption: "People", head: ["Name"], rows: [["Ann"]] }).toString());
    expect(plain.querySelector(".tp-table-scroll")?.classList.contains("tp-wide-only")).toBe(false);
    expect(plain.querySelector(".tp-narrow-only")).toBeNull();
    const empty = render(table({ id: "e", caption: "Requests", head: ["Week"], rows: [], empty: "None.", level: 3, cards: { title: 0 } }).toString());
    expect(empty.querySelector("h3")?.textContent).toBe("Requests");
    expect(empty.querySelector("p")?.textContent).toBe("None.");
  });
});
