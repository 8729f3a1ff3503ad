import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../api";
import { fill, startApp, stopApp, submit, text } from "../test/app";
import { mockFetch, settle } from "../test/fetchMock";
import { user, westBerks } from "../test/fixtures";
import type { Agreement, Me, Officer, Skill } from "../models";
import { groupSkills } from "../components/skills";
import { validate, valuesFrom } from "./profile";

const council = westBerks;
const me: Me = user(["officer"], {
  email: "olivia.officer@westberks.example.gov.uk",
  name: "Olivia Officer",
  officer_id: "o1",
});
const skills: Skill[] = [
  { slug: "user-research", name: "User research", family: "Digital, data and technology" },
  { slug: "highways", name: "Highway engineering", family: "Highways & transport" },
  { slug: "content-design", name: "Content design", family: "Digital, data and technology" },
];
const agreement: Agreement = {
  version: "2026-1",
  text: "The agreement.",
  officer_consent_text: "I agree to be placed at the disposal of other councils.\n\nMy council stays my employer.",
  published_at: "2026-11-01T00:00:00Z",
};
const officer: Officer = {
  id: "o1",
  council,
  display_name: "Olivia <Officer>",
  job_title: "Planner",
  summary: "Plans things.",
  skills: [skills[0]!],
  visible: false,
  rate_pence_per_hour: 4550,
  rate_is_council_default: false,
  consent_version: null,
  consented_at: null,
  consent_current: false,
};

function routes(extra: Record<string, { status: number; body?: unknown } | { status: number; body?: unknown }[]> = {}) {
  return {
    "GET /api/v1/me": { status: 200, body: me },
    "GET /api/v1/officers/me": { status: 200, body: officer },
    "GET /api/v1/skills": { status: 200, body: { items: skills, next_cursor: null } },
    "GET /api/v1/agreement": { status: 200, body: agreement },
    ...extra,
  };
}

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("profile helpers", () => {
  it("groups skills by family in order of appearance", () => {
    expect(groupSkills(skills).map(([family, list]) => [family, list.map((s) => s.slug)])).toEqual([
      ["Digital, data and technology", ["user-research", "content-design"]],
      ["Highways & transport", ["highways"]],
    ]);
  });

  it("validates lengths", () => {
    const values = valuesFrom(officer);
    expect(validate(values).summary).toEqual([]);
    expect(validate({ ...values, display_name: "" }).fields).toEqual({ display_name: "Enter your display name" });
    expect(validate({ ...values, summary: "x".repeat(2001) }).fields.summary).toMatch(/2000 characters/);
  });
});

describe("profile page", () => {
  it("shows the profile, escaped, consent before the form, skills in collapsed families", async () => {
    mockFetch(routes());
    await startApp("/profile");
    expect(document.title).toBe("Your profile – LocalGov Talent Pool");
    expect(document.querySelectorAll("h1")).toHaveLength(1);
    expect((document.getElementById("display_name") as HTMLInputElement).value).toBe("Olivia <Officer>");
    expect(text("#rate")).toBe("£45.50 per hour");
    // Consent comes first: it is read before anything is saved.
    const consent = document.getElementById("consent")!;
    const form = document.getElementById("profile-form")!;
    expect(consent.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const legends = [...document.querySelectorAll("#profile-form fieldset legend")].map((l) => l.textContent?.trim());
    expect(legends).toEqual(["Visibility", "Skills"]);
    // One collapsed group per family, open where something is chosen, saying how many.
    const families = [...document.querySelectorAll<HTMLDetailsElement>("#profile-form details")];
    expect(families.map((d) => [d.querySelector("summary")?.textContent?.trim(), d.open])).toEqual([
      ["Digital, data and technology (1 chosen)", true],
      ["Highways & transport", false],
    ]);
    expect((document.getElementById("skills") as HTMLInputElement).checked).toBe(true);
    expect((document.getElementById("skill-highways") as HTMLInputElement).checked).toBe(false);
    expect(document.querySelector("label[for=visible]")?.textContent).toBe("Show my profile to other councils");
    expect(document.querySelectorAll("#consent-text p")).toHaveLength(2);
    expect(document.querySelector("#consent-form button")?.textContent).toBe("I agree");
    expect(document.querySelector("[aria-current=page]")?.textContent?.trim()).toBe("Your profile");
  });

  it("saves and shows a success banner", async () => {
    const saved: Officer = { ...officer, job_title: "Senior planner", skills: [skills[0]!, skills[1]!], visible: true };
    const { calls } = mockFetch(routes({ "PUT /api/v1/officers/me": { status: 200, body: saved } }));
    await startApp("/profile");
    fill("job_title", "  Senior planner ");
    (document.getElementById("skill-highways") as HTMLInputElement).checked = true;
    (document.getElementById("visible") as HTMLInputElement).checked = true;
    submit(document.querySelector<HTMLFormElement>("#profile-form"));
    await settle();
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.headers["X-CSRF-Token"]).toBe("csrf-1");
    expect(put.body).toEqual({
      display_name: "Olivia <Officer>",
      job_title: "Senior planner",
      summary: "Plans things.",
      skills: ["user-research", "highways"],
      visible: true,
    });
    expect(text(".govuk-notification-banner__heading")).toBe("Profile saved");
    expect(document.activeElement).toBe(document.querySelector(".govuk-notification-banner"));
    expect((document.getElementById("job_title") as HTMLInputElement).value).toBe("Senior planner");
    expect((document.getElementById("skill-highways") as HTMLInputElement).checked).toBe(true);
  });

  it("shows 422 errors in the summary and by the fields", async () => {
    mockFetch(
      routes({
        "PUT /api/v1/officers/me": {
          status: 422,
          body: {
            title: "Invalid input",
            status: 422,
            errors: [
              { loc: ["body", "job_title"], msg: "String should have at most 120 characters" },
              { loc: ["body", "skills", 0], msg: "Unknown skill: nope" },
            ],
          },
        },
      }),
    );
    await startApp("/profile");
    submit(document.querySelector<HTMLFormElement>("#profile-form"));
    await settle();
    expect(document.title).toBe("Error: Your profile – LocalGov Talent Pool");
    const links = [...document.querySelectorAll(".govuk-error-summary a")].map((a) => a.getAttribute("href"));
    expect(links).toEqual(["#job_title", "#skills"]);
    expect(text("#job_title-error")).toBe("Error: String should have at most 120 characters");
    expect(text("#skills-error")).toBe("Error: Unknown skill: nope");
    expect(document.querySelector(".govuk-notification-banner")).toBeNull();
  });

  it("records consent and then shows when it was given", async () => {
    const consented: Officer = {
      ...officer,
      consent_version: "2026-1",
      consented_at: "2026-11-25T10:00:00+00:00",
      consent_current: true,
    };
    const { calls } = mockFetch(routes({ "POST /api/v1/officers/me/consent": { status: 200, body: consented } }));
    await startApp("/profile");
    submit(document.querySelector<HTMLFormElement>("#consent-form"));
    await settle();
    expect(calls.find((c) => c.url.endsWith("/consent"))?.body).toEqual({ version: "2026-1" });
    expect(text("#consent-status")).toBe("You gave consent on 25 November 2026 (version 2026-1)");
    expect(document.querySelector("#consent-form")).toBeNull();
  });

  it("lets an officer withdraw their consent after saying what that does (hours booked stand)", async () => {
    const consented: Officer = { ...officer, consent_version: "2026-1", consented_at: "2026-11-25T10:00:00+00:00", consent_current: true, visible: true };
    const withdrawn: Officer = { ...consented, consent_version: null, consented_at: null, consent_current: false, visible: false };
    const { calls } = mockFetch(
      routes({
        "GET /api/v1/officers/me": [
          { status: 200, body: consented },
          { status: 200, body: consented },
          { status: 200, body: withdrawn },
        ],
        "DELETE /api/v1/officers/me/consent": { status: 200, body: withdrawn },
      }),
    );
    await startApp("/profile");
    expect(text("#consent")).toBe("Your consent to be listed");
    document.querySelector<HTMLAnchorElement>("#withdraw-consent-link")!.click();
    await settle();
    expect(window.location.pathname).toBe("/profile/withdraw-consent");
    expect(document.title).toBe("Withdraw your consent to be listed – LocalGov Talent Pool");
    expect([...document.querySelectorAll("#withdraw-effects li")].map((li) => li.textContent)).toContain(
      "hours already booked stand: those bookings go ahead and are invoiced as usual",
    );
    expect(calls.some((c) => c.method === "DELETE")).toBe(false);
    submit(document.querySelector<HTMLFormElement>("#withdraw-consent-form"));
    await settle();
    const sent = calls.find((c) => c.method === "DELETE")!;
    expect(sent.url).toBe("/api/v1/officers/me/consent");
    expect(sent.headers["X-CSRF-Token"]).toBe("csrf-1");
    expect(window.location.pathname).toBe("/profile");
    expect(text(".govuk-notification-banner__heading")).toBe("You have withdrawn your consent");
    expect(text(".govuk-notification-banner")).toContain("Hours already booked stand.");
    // Consent can be given again.
    expect(document.querySelector("#consent-form button")?.textContent).toBe("I agree");
  });

  it("has nothing to withdraw without consent", async () => {
    mockFetch(routes());
    await startApp("/profile/withdraw-consent");
    expect(document.querySelector("#withdraw-consent-form")).toBeNull();
    expect(text("#no-consent")).toBe("You have not given your consent, so there is nothing to withdraw.");
  });

  it("says Not set when there is no rate", async () => {
    mockFetch(routes({ "GET /api/v1/officers/me": { status: 200, body: { ...officer, rate_pence_per_hour: null } } }));
    await startApp("/profile");
    expect(text("#rate")).toBe("Not set");
  });
});
