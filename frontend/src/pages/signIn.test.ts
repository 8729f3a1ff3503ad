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
const byPassword = { status: 200, body: { method: "password" } };

function form(): HTMLFormElement | null {
  return document.querySelector<HTMLFormElement>("#sign-in-form");
}

/** The first step: the email, then Continue (the server says: password). */
async function throughEmail(email: string): Promise<void> {
  fill("email", email);
  submit(form());
  await settle();
}

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
    expect(document.querySelector("label[for=password]")).toBeNull(); // email first
  });

  it("checks for empty fields before asking the server", async () => {
    const { calls } = mockFetch({ "GET /api/v1/me": signedOut });
    await startApp("/sign-in");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    expect(calls.filter((c) => c.url.includes("login"))).toHaveLength(0);
    expect(document.title).toBe("Error: Sign in – LocalGov Talent Pool");
    const links = [...document.querySelectorAll(".govuk-error-summary a")].map((a) => [a.getAttribute("href"), a.textContent]);
    expect(links).toEqual([["#email", "Enter your email address"]]);
    expect(document.activeElement).toBe(document.querySelector(".govuk-error-summary"));
    expect(text("#email-error")).toBe("Error: Enter your email address");
    expect(document.getElementById("email")?.getAttribute("aria-describedby")).toBe("email-error");
  });

  it("checks the email address looks like one", async () => {
    const { calls } = mockFetch({ "GET /api/v1/me": signedOut });
    await startApp("/sign-in");
    fill("email", "olivia.officer");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    expect(calls.filter((c) => c.url.includes("login"))).toHaveLength(0);
    expect(text("#email-error")).toBe("Error: Enter an email address in the correct format, like name@example.gov.uk");
  });

  it("says so when the email or password is wrong, keeping the email", async () => {
    mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/discover": byPassword,
      "POST /api/v1/auth/login": { status: 401, body: { title: "Unauthorized", status: 401, detail: "Wrong" } },
    });
    await startApp("/sign-in");
    await throughEmail("olivia.officer@westberks.example.gov.uk");
    fill("password", "wrong-password-1");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    expect(window.location.pathname).toBe("/sign-in");
    expect(text(".govuk-error-summary__list")).toBe("Enter a correct email address and password");
    expect(text("#password-error")).toBe("Error: Enter a correct email address and password");
    expect(document.body.textContent).toContain("Signing in as olivia.officer@westberks.example.gov.uk");
    expect((document.getElementById("password") as HTMLInputElement).value).toBe("");
  });

  it("says when there have been too many attempts", async () => {
    mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/discover": byPassword,
      "POST /api/v1/auth/login": { status: 429, body: { title: "Too Many Requests", status: 429 } },
    });
    await startApp("/sign-in");
    await throughEmail("a@b.example");
    fill("password", "x");
    submit(document.querySelector<HTMLFormElement>("#sign-in-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toBe("Too many failed attempts. Wait 15 minutes and try again");
  });

  it("signs in, keeps the CSRF token and goes to the page asked for", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { calls } = mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/discover": byPassword,
      "POST /api/v1/auth/login": { status: 200, body: { user, csrf_token: "csrf-123" } },
      "GET /api/v1/officers/me": { status: 500, body: { title: "Boom", status: 500 } },
      "GET /api/v1/skills": { status: 200, body: { items: [], next_cursor: null } },
      "GET /api/v1/agreement": { status: 200, body: { version: "1", text: "", officer_consent_text: "" } },
    });
    await startApp("/sign-in?next=%2Fprofile");
    await throughEmail(user.email);
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

  it("asks for the password only on the second step, and checks it is there", async () => {
    const { calls } = mockFetch({ "GET /api/v1/me": signedOut, "POST /api/v1/auth/discover": byPassword });
    await startApp("/sign-in");
    await throughEmail("olivia.officer@westberks.example.gov.uk");
    expect(calls.find((c) => c.url === "/api/v1/auth/discover")?.body).toEqual({ email: "olivia.officer@westberks.example.gov.uk" });
    expect(document.querySelector("label[for=password]")).not.toBeNull();
    expect(document.querySelector("a[href='/password-reset']")?.textContent).toBe("Forgotten your password?");
    submit(form());
    await settle();
    expect(text("#password-error")).toBe("Error: Enter your password");
    expect(calls.filter((c) => c.url.includes("login"))).toHaveLength(0);
  });

  it("sends people whose council signs them in to their provider, with no password asked", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {}); // jsdom cannot navigate away
    const { calls } = mockFetch({ "GET /api/v1/me": signedOut, "POST /api/v1/auth/discover": { status: 200, body: { method: "sso" } } });
    await startApp("/sign-in");
    await throughEmail("nina@westberks.example.gov.uk");
    expect(calls.some((c) => c.url === "/api/v1/auth/discover")).toBe(true);
    expect(document.querySelector("label[for=password]")).toBeNull();
  });

  it("asks for the authenticator's code when the account has two-factor sign-in", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/discover": byPassword,
      "POST /api/v1/auth/login": [
        { status: 401, body: { type: "/problems/second-factor-required", title: "Second factor required", status: 401, detail: "Enter the code" } },
        { status: 401, body: { title: "Invalid credentials", status: 401, detail: "The code is not right" } },
        { status: 200, body: { user, csrf_token: "csrf-2" } },
      ],
    });
    await startApp("/sign-in");
    await throughEmail(user.email);
    fill("password", "demo-password-2026");
    submit(form());
    await settle();
    expect(document.querySelector("label[for=totp]")?.textContent).toBe("Code from your authenticator app");
    expect(document.querySelector(".govuk-error-summary")).toBeNull();
    fill("totp", "123456");
    submit(form());
    await settle();
    expect(text("#totp-error")).toBe("Error: Enter the code your authenticator app shows now");
    fill("totp", "654321");
    submit(form());
    await settle();
    const logins = calls.filter((c) => c.url === "/api/v1/auth/login");
    expect(logins.at(-1)?.body).toEqual({ email: user.email, password: "demo-password-2026", totp: "654321" });
    expect(window.location.pathname).toBe("/");
  });

  it("takes a recovery code instead", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/discover": byPassword,
      "POST /api/v1/auth/login": [
        { status: 401, body: { type: "/problems/second-factor-required", title: "Second factor required", status: 401 } },
        { status: 200, body: { user, csrf_token: "csrf-3" } },
      ],
    });
    await startApp("/sign-in");
    await throughEmail(user.email);
    fill("password", "demo-password-2026");
    submit(form());
    await settle();
    document.querySelector<HTMLButtonElement>("#switch-code")?.click();
    await settle();
    fill("recovery_code", "abcde-fghjk");
    submit(form());
    await settle();
    expect(calls.filter((c) => c.url === "/api/v1/auth/login").at(-1)?.body).toEqual({ email: user.email, password: "demo-password-2026", recovery_code: "abcde-fghjk" });
  });

  it("takes people who must set up two-factor sign-in straight there", async () => {
    mockFetch({
      "GET /api/v1/me": signedOut,
      "POST /api/v1/auth/discover": byPassword,
      "POST /api/v1/auth/login": { status: 200, body: { user: { ...user, roles: ["finance"], two_factor_setup_required: true }, csrf_token: "c" } },
      "POST /api/v1/auth/totp": { status: 201, body: { secret: "JBSWY3DPEHPK3PXP", otpauth_uri: "otpauth://totp/x", qr_svg: "data:image/svg+xml,%3Csvg%3E%3C/svg%3E" } },
    });
    await startApp("/sign-in?next=%2Finvoices");
    await throughEmail(user.email);
    fill("password", "demo-password-2026");
    submit(form());
    await settle();
    expect(window.location.pathname).toBe("/account/two-factor");
    expect(text("h1")).toBe("Set up two-factor sign-in");
    expect(text("#secret")).toBe("JBSW Y3DP EHPK 3PXP");
  });
});
