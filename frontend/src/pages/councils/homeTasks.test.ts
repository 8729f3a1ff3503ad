import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { startApp, stopApp, text } from "../../test/app";
import { mockFetch } from "../../test/fetchMock";
import { user } from "../../test/fixtures";

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("what needs doing", () => {
  it("lists the tasks waiting, with counts and links", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: user(["manager", "booker"]) },
      "GET /api/v1/home": {
        status: 200,
        body: { tasks: [
          { key: "requests", count: 2, text: "Booking requests to answer", href: "/bookings" },
          { key: "approvals", count: 0, text: "Hours waiting for your sign-off", href: "/sign-off" },
          { key: "hours_to_record", count: 1, text: "Bookings to record hours for", href: "/bookings" },
        ] },
      },
    });
    await startApp("/");
    const items = [...document.querySelectorAll("#tasks li")].map((li) => li.textContent?.replace(/\s+/g, " ").trim());
    expect(items).toEqual(["Booking requests to answer 2", "Bookings to record hours for 1"]);
    expect(document.querySelector("#tasks a")?.getAttribute("href")).toBe("/bookings");
  });

  it("says when nothing is waiting, and shows platform admins their pages", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 200, body: user([], { council: null, is_platform_admin: true }) },
      "GET /api/v1/home": { status: 200, body: { tasks: [{ key: "join_requests", count: 0, text: "Join requests to answer", href: "/platform/join-requests" }] } },
    });
    await startApp("/");
    expect(text("#nothing-to-do")).toBe("Nothing is waiting for you.");
    expect(document.querySelector(".tp-card a[href='/platform/join-requests']")).not.toBeNull();
    expect(document.body.textContent).not.toContain("There is nothing here for your roles yet");
  });
});
