import { afterEach, describe, expect, it } from "vitest";
import { setCsrfToken } from "../../api";
import { fill, startApp, stopApp, submit, text } from "../../test/app";
import { mockFetch, settle } from "../../test/fetchMock";
import { validateJoin } from "./join";

const register = { councils: [{ code: "WBK", name: "West Berkshire Council", nation: "England" }, { code: "RDG", name: "Reading Borough Council", nation: "England" }] };

afterEach(() => {
  stopApp();
  setCsrfToken(null);
});

describe("join the pool", () => {
  it("checks every field before sending", () => {
    expect(validateJoin({ council_code: "", name: "", job_title: "", email: "" }).summary.map((e) => e.href)).toEqual(["#council", "#name", "#job-title", "#email"]);
    expect(validateJoin({ council_code: "WBK", name: "Jo", job_title: "HR", email: "nope" }).fields.email).toMatch(/correct format/);
  });

  it("sends the request and says to check the email, whatever the answer means", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 401, body: { status: 401 } },
      "GET /api/v1/register/councils": { status: 200, body: register },
      "POST /api/v1/join-requests": { status: 202, body: { status: "check_your_email" } },
    });
    await startApp("/join");
    expect(text("h1")).toBe("Ask for your council to join the Talent Pool");
    const select = document.querySelector<HTMLSelectElement>("select[name=council_code]")!;
    expect([...select.options].map((o) => o.value)).toEqual(["", "WBK", "RDG"]);
    select.value = "RDG";
    fill("name", "Jo Joiner");
    fill("job-title", "Head of HR");
    fill("email", "jo@reading.gov.uk");
    submit(document.querySelector<HTMLFormElement>("#join-form"));
    await settle();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ council_code: "RDG", name: "Jo Joiner", job_title: "Head of HR", email: "jo@reading.gov.uk" });
    expect(text("h1")).toBe("Check your email");
    expect(document.body.textContent).toContain("jo@reading.gov.uk");
  });

  it("shows the errors of an empty form without sending", async () => {
    const { calls } = mockFetch({
      "GET /api/v1/me": { status: 401, body: { status: 401 } },
      "GET /api/v1/register/councils": { status: 200, body: register },
    });
    await startApp("/join");
    submit(document.querySelector<HTMLFormElement>("#join-form"));
    await settle();
    expect(text(".govuk-error-summary__list")).toContain("Select your council");
    expect(document.title).toBe("Error: Ask for your council to join the Talent Pool – LocalGov Talent Pool");
    expect(calls.filter((c) => c.method === "POST")).toEqual([]);
  });

  it("confirms the emailed link, or says why it cannot be used", async () => {
    mockFetch({
      "GET /api/v1/me": { status: 401, body: { status: 401 } },
      "POST /api/v1/join-requests/verify": [
        { status: 200, body: { council_name: "Reading Borough Council", status: "pending" } },
        { status: 409, body: { status: 409, detail: "This link has been used already: your request is with the pool's team." } },
      ],
    });
    await startApp("/join/verify/abc123abc123");
    expect(text("h1")).toBe("Request confirmed");
    expect(text(".govuk-panel__body")).toContain("Reading Borough Council");
    await startApp("/join/verify/abc123abc123");
    expect(text("h1")).toBe("This link cannot be used");
    expect(document.body.textContent).toContain("has been used already");
  });
});
