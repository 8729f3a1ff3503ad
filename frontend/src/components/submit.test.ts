import { describe, expect, it, vi } from "vitest";
import { settle } from "../test/fetchMock";
import { submitGuard } from "./submit";

function form(): HTMLFormElement {
  const element = document.createElement("form");
  document.body.append(element);
  return element;
}

function press(element: HTMLFormElement): SubmitEvent {
  const event = new SubmitEvent("submit", { bubbles: true, cancelable: true });
  element.dispatchEvent(event);
  return event;
}

describe("submitGuard", () => {
  it("sends one submission at a time, across the page's forms, then opens again", async () => {
    const on = submitGuard();
    const first = form();
    const second = form();
    let finish: () => void = () => {};
    const action = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const other = vi.fn();
    on(first, action);
    on(second, other);
    expect(press(first).defaultPrevented).toBe(true);
    press(first);
    press(second);
    expect(action).toHaveBeenCalledTimes(1);
    expect(other).not.toHaveBeenCalled();
    finish();
    await settle();
    press(second);
    expect(other).toHaveBeenCalledWith(second);
  });

  it("opens again after an action fails, and ignores a missing form", async () => {
    const on = submitGuard();
    const element = form();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const action = vi.fn(async () => {
      throw new Error("boom");
    });
    on(element, action);
    on(null, action);
    press(element);
    await settle();
    press(element);
    await settle();
    expect(action).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenCalledTimes(2);
  });
});
