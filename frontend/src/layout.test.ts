import { describe, expect, it } from "vitest";
import { layout, navItems, pageTitle } from "./layout";
import { pages } from "./routes";
import type { Me } from "./models";
import { user } from "./test/fixtures";

function me(roles: Me["roles"]): Me {
  return user(roles, { email: "a@b", name: "A", csrf_token: null });
}

describe("layout", () => {
  it("shows each role its own pages in the navigation", () => {
    expect(navItems(pages, me(["officer"]), "/").map((i) => i.label)).toEqual(["Your profile", "Your availability", "Requests for help", "Bookings", "Your account", "Notifications"]);
    expect(navItems(pages, me(["council_admin"]), "/").map((i) => i.label)).toEqual(["Requests for help", "Bookings", "Your council", "Dashboard", "Invoices", "Settlements", "Your account", "Notifications"]);
    expect(navItems(pages, me(["manager"]), "/").map((i) => i.label)).toEqual(["Sign-off", "Find expertise", "Requests for help", "Bookings", "Dashboard", "Your account", "Notifications"]);
    expect(navItems(pages, me(["booker"]), "/").map((i) => i.label)).toEqual(["Find expertise", "Requests for help", "Bookings", "Your account", "Notifications"]);
    expect(navItems(pages, me(["officer", "council_admin"]), "/profile")).toEqual([
      { label: "Your profile", href: "/profile", current: true },
      { label: "Your availability", href: "/availability", current: false },
      { label: "Requests for help", href: "/requests", current: false },
      { label: "Bookings", href: "/bookings", current: false },
      { label: "Your council", href: "/council", current: false },
      { label: "Dashboard", href: "/dashboard", current: false },
      { label: "Invoices", href: "/invoices", current: false },
      { label: "Settlements", href: "/settlements", current: false },
      { label: "Your account", href: "/account", current: false },
      { label: "Notifications", href: "/notifications", current: false },
    ]);
    // A page's own sub-pages keep its navigation entry current.
    expect(navItems(pages, me(["officer"]), "/availability/2026-W49").find((i) => i.current)?.label).toBe("Your availability");
    expect(navItems(pages, me(["manager"]), "/sign-off/a1/reject").find((i) => i.current)?.label).toBe("Sign-off");
    expect(navItems(pages, me(["booker"]), "/bookings/b1/cancel").find((i) => i.current)?.label).toBe("Bookings");
    expect(navItems(pages, me(["finance"]), "/").map((i) => i.label)).toEqual(["Dashboard", "Invoices", "Settlements", "Your account", "Notifications"]);
    expect(navItems(pages, null, "/")).toEqual([]);
  });

  it("has a skip link, header, main and footer, and a sign out link when signed in", () => {
    document.body.innerHTML = layout(me(["officer"]), "/profile", pages).toString();
    const first = document.body.firstElementChild!;
    expect(first.matches("a.govuk-skip-link[href='#main-content']")).toBe(true);
    expect(document.querySelector("header")?.textContent).toContain("LocalGov Talent Pool");
    expect(document.querySelector("header svg")).toBeNull(); // no crown
    expect(document.querySelector("main#main-content")).not.toBeNull();
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Your profile");
    expect(document.querySelector("#sign-out")?.getAttribute("href")).toBe("/sign-out");
    const footer = document.querySelector("footer")!;
    expect(footer.querySelector("a[href='/accessibility']")).not.toBeNull();
    expect(footer.textContent).toMatch(/Council register: mySociety,\s+CC BY 4.0/);
  });

  it("has no navigation when signed out", () => {
    document.body.innerHTML = layout(null, "/sign-in", pages).toString();
    expect(document.querySelector(".govuk-service-navigation")).toBeNull();
    expect(document.querySelector("#sign-out")).toBeNull();
  });

  it("titles pages with the service name", () => {
    expect(pageTitle("Your profile")).toBe("Your profile – LocalGov Talent Pool");
  });
});
