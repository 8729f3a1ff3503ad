import { afterEach, describe, expect, it, vi } from "vitest";
import { Router, matchRoute, normalisePath, safeNextPath } from "./router";

const routes = [{ path: "/" }, { path: "/profile" }, { path: "/invitations/:token" }, { path: "/a/:x/b/:y" }];

describe("matchRoute", () => {
  it("matches static paths, with or without a trailing slash", () => {
    expect(matchRoute(routes, "/")?.route.path).toBe("/");
    expect(matchRoute(routes, "/profile")?.route.path).toBe("/profile");
    expect(matchRoute(routes, "/profile/")?.route.path).toBe("/profile");
  });

  it("extracts and decodes params", () => {
    expect(matchRoute(routes, "/invitations/abc%2Fdef")).toEqual({
      route: { path: "/invitations/:token" },
      params: { token: "abc/def" },
    });
    expect(matchRoute(routes, "/a/1/b/2")?.params).toEqual({ x: "1", y: "2" });
  });

  it("returns null for unknown paths and malformed params", () => {
    expect(matchRoute(routes, "/nope")).toBeNull();
    expect(matchRoute(routes, "/profile/extra")).toBeNull();
    expect(matchRoute(routes, "/invitations/%E0%A4%A")).toBeNull();
  });

  it("normalises paths", () => {
    expect(normalisePath("")).toBe("/");
    expect(normalisePath("/x//")).toBe("/x");
  });
});

describe("safeNextPath", () => {
  it.each([
    [null, "/"],
    ["/profile", "/profile"],
    ["/council?x=1", "/council?x=1"],
    ["https://evil.example", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/api/v1/me", "/"],
    ["/sign-in", "/"],
  ])("%s → %s", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe("Router", () => {
  let router: Router | null = null;
  afterEach(() => {
    router?.stop();
    router = null;
    window.history.replaceState(null, "", "/");
  });

  function start(): ReturnType<typeof vi.fn> {
    const onNavigate = vi.fn();
    router = new Router(onNavigate);
    router.start();
    return onNavigate;
  }

  it("reports the first location on start", () => {
    window.history.replaceState(null, "", "/profile?x=1");
    const onNavigate = start();
    expect(onNavigate).toHaveBeenCalledTimes(1);
    const [location, how] = onNavigate.mock.calls[0]!;
    expect(location.path).toBe("/profile");
    expect(location.query.get("x")).toBe("1");
    expect(how).toEqual({ initial: true, pop: false });
  });

  it("navigates with pushState and replaceState", () => {
    const onNavigate = start();
    const before = window.history.length;
    router!.navigate("/council");
    expect(window.location.pathname).toBe("/council");
    expect(window.history.length).toBe(before + 1);
    router!.navigate("/profile", { replace: true });
    expect(window.location.pathname).toBe("/profile");
    expect(window.history.length).toBe(before + 1);
    expect(onNavigate).toHaveBeenCalledTimes(3);
    expect(onNavigate.mock.calls[2]![1]).toEqual({ initial: false, pop: false });
  });

  it("handles same-origin link clicks without a page load", () => {
    const onNavigate = start();
    document.body.innerHTML = `<a id="in" href="/profile"><span>Profile</span></a>`;
    const event = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0 });
    document.querySelector("span")!.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(window.location.pathname).toBe("/profile");
    expect(onNavigate).toHaveBeenCalledTimes(2);
  });

  it("leaves in-page, external, API, new-tab and modified clicks alone", () => {
    const onNavigate = start();
    document.body.innerHTML = `
      <a id="hash" href="#main-content">Skip</a>
      <a id="ext" href="https://www.mysociety.org/">mySociety</a>
      <a id="api" href="/api/v1/invoices/1/document?format=pdf">PDF</a>
      <a id="blank" href="/profile" target="_blank">New tab</a>
      <a id="mod" href="/profile">Ctrl</a>`;
    const click = (id: string, init: MouseEventInit = {}): boolean => {
      const event = new MouseEvent("click", { bubbles: true, cancelable: true, button: 0, ...init });
      // Stop jsdom from following the link.
      document.addEventListener("click", (e) => e.preventDefault(), { once: true });
      document.getElementById(id)!.dispatchEvent(event);
      return onNavigate.mock.calls.length > 1;
    };
    expect(click("hash")).toBe(false);
    expect(click("ext")).toBe(false);
    expect(click("api")).toBe(false);
    expect(click("blank")).toBe(false);
    expect(click("mod", { ctrlKey: true })).toBe(false);
  });

  it("reports Back and Forward as pops", () => {
    const onNavigate = start();
    window.dispatchEvent(new PopStateEvent("popstate"));
    expect(onNavigate.mock.calls[1]![1]).toEqual({ initial: false, pop: true });
  });
});
