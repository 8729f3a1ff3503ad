import { afterEach, describe, expect, it, vi } from "vitest";
import { getCsrfToken, setCsrfToken } from "../api";
import { currentUser } from "../session";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { mockFetch, settle } from "../test/fetchMock";
import type { Me } from "../models";
import { user as signedIn } from "../test/fixtures";

const user: Me = signedIn(["officer"], {
  email: "olivia.officer@westberks.example.gov.uk",
  name: "Olivia Officer",
  officer_id: "o1",
  csrf_token: null,
});

const signedOut = { status: 401, body: { title: "Not signed in", status: 401 } };

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("sign in", () => {
  it("sends people who are not signed in to the sign-in page", async () => {
    mockFetch({ "GET /api/v1/me": signedOut });
    await startApp("/profile");
    expect(window.location.pathname).toBe("/sign-in");
    expect(window.location.search).toBe("?next=%2Fprofile");
    expect(document.title).toBe("Sign in – LocalGov Talent Pool");
    expect(document.querySelectorAll("h1")).toHaveLength(1);
    expect(text("h1")).toBe("Sign in");
    expect(document.querySelector("label[for=email]")).not.toBeNull();
    expect(document.querySelector("label[for=password]")).not.toBeNull();
  });

  it("checks for empty fields before asking the server", async () => {
    const { calls } = mockFetch({ "GET /api/v1/me": signedOut });
    await startApp("/sign-in");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    expect(calls.filter((c) => c.url.includes("login"))).toHaveLength(0);
    expect(document.title).toBe("Error: Sign in – LocalGov Talent Pool");
    const links = [...document.querySelectorAll(".govuk-error-summary a")].map((a) => [a.getAttribute("href"), a.textContent]);
    expect(links).toEqual([
      ["#email", "Enter your email address"],
      ["#password", "Enter your password"],
    ]);
    expect(document.activeElement).toBe(document.querySelector(".govuk-error-summary"));
    expect(text("#email-error")).toBe("Error: Enter your email address");
    expect(document.getElementById("email")?.getAttribute("aria-describedby")).toBe("email-error");
  });

  it("checks the email address looks like one", async () => {
    const { calls } = mockFetch({ "GET /api/v1/me": signedOut });
    await startApp("/sign-in");
    fill("email", "olivia.officer");
    fill("password", "x");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    expect(calls.filter((c) => c.url.includes("login"))).toHaveLength(0);
    expect(text("#email-error")).toBe("Error: Enter an email address in the correct format, like name@example.gov.uk");
  });

  it("says so when the email or password is wrong, keeping the email", async () => {
    mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/login": { status: 401, body: { title: "Unauthorized", status: 401, detail: "Wrong" } },
    });
    await startApp("/sign-in");
    fill("email", "olivia.officer@westberks.example.gov.uk");
    fill("password", "wrong-password-1");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    expect(window.location.pathname).toBe("/sign-in");
    expect(text(".govuk-error-summary__list")).toBe("Enter a correct email address and password");
    expect(text("#email-error")).toBe("Error: Enter a correct email address and password");
    expect((document.getElementById("email") as HTMLInputElement).value).toBe("olivia.officer@westberks.example.gov.uk");
    expect((document.getElementById("password") as HTMLInputElement).value).toBe("");
  });

  it("says when there have been too many attempts", async () => {
    mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/login": { status: 429, body: { title: "Too Many Requests", status: 429 } },
    });
    await startApp("/sign-in");
    fill("email", "a@b.example");
    fill("password", "x");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("Too many failed attempts. Wait 15 minutes and try again");
  });

  it("signs in, keeps the CSRF token and goes to the page asked for", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { calls } = mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/login": { status: 200, body: { user, csrf_token: "csrf-123" } },
      "GET /api/v1/officers/me": { status: 500, body: { title: "Boom", status: 500 } },
      "GET /api/v1/skills": { status: 200, body: { items: [], next_cursor: null } },
      "GET /api/v1/agreement": { status: 200, body: { version: "1", text: "", officer_consent_text: "" } },
    });
    await startApp("/sign-in?next=%2Fprofile");
    fill("email", user.email);
    fill("password", "demo-password-2026");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    const login = calls.find((c) => c.url === "/api/v1/auth/login")!;
    expect(login.body).toEqual({ email: user.email, password: "demo-password-2026" });
    expect(getCsrfToken()).toBe("csrf-123");
    expect(currentUser()?.name).toBe("Olivia Officer");
    expect(window.location.pathname).toBe("/profile");
    // The profile failed to load: the page says so, with its own title.
    expect(document.title).toBe("Sorry, there is a problem with the service – LocalGov Talent Pool");
    expect(text("#sign-out")).toBe("Sign out");
    expect(logged).toHaveBeenCalled();
  });

  it("shows the home page with the user's name, council and pages", async () => {
    mockFetch({ "GET /api/v1/me": { status: 200, body: { ...user, roles: ["officer", "council_admin"], csrf_token: "from-me" } } });
    await startApp("/");
    expect(getCsrfToken()).toBe("from-me");
    expect(document.title).toBe("Home – LocalGov Talent Pool");
    expect(text("#signed-in-as")).toBe("Signed in as Olivia Officer, West Berkshire Council");
    expect([...document.querySelectorAll(".tp-card a")].map((a) => a.getAttribute("href"))).toEqual(["/profile", "/availability", "/bookings", "/council", "/council/settings", "/agreement", "/council/officers", "/audit", "/invoices"]);
  });

  it("redirects signed-in people away from sign-in, and signs out", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 200, body: { ...user, csrf_token: "tok" } },
      "POST /api/v1/auth/logout": { status: 204 },
    });
    const app = await startApp("/sign-in");
    expect(window.location.pathname).toBe("/");
    app.navigate("/sign-out");
    await settle();
    const logout = calls.find((c) => c.url === "/api/v1/auth/logout")!;
    expect(logout.headers["X-CSRF-Token"]).toBe("tok");
    expect(window.location.pathname).toBe("/sign-in");
    expect(currentUser()).toBeNull();
    expect(getCsrfToken()).toBeNull();
    expect(text(".govuk-notification-banner__heading")).toBe("You have signed out");
  });

  it("shows Page not found for unknown paths", async () => {
    mockFetch({ "GET /api/v1/me": signedOut });
    await startApp("/no/such/page");
    expect(document.title).toBe("Page not found – LocalGov Talent Pool");
    expect(text("h1")).toBe("Page not found");
  });

  it("tells people without the role that they cannot use a page", async () => {
    mockFetch({ "GET /api/v1/me": { status: 200, body: { ...user, roles: ["finance"] } } });
    await startApp("/council");
    expect(text("h1")).toBe("You cannot use this page");
    expect(document.body.textContent).toContain("council admin role");
  });
});
