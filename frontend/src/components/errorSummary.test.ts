import { describe, expect, it } from "vitest";
import { ProblemError } from "../api";
import { errorSummary } from "./errorSummary";
import { addFieldError, errorTitle, errorsFromProblem, noErrors, tidyMessage } from "./formErrors";
import { initComponents } from "./govuk";

function render(markup: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = markup;
  document.body.append(div);
  return div;
}

describe("errorSummary", () => {
  it("renders nothing without errors", () => {
    expect(errorSummary([]).toString()).toBe("");
  });

  it("renders the GOV.UK error summary with links to fields, escaped", () => {
    const root = render(
      errorSummary([
        { text: "Enter your email address", href: "#email" },
        { text: "<b>Not</b> linked" },
      ]).toString(),
    );
    const summary = root.querySelector(".govuk-error-summary")!;
    expect(summary.getAttribute("data-module")).toBe("govuk-error-summary");
    expect(summary.querySelector("[role=alert]")).not.toBeNull();
    expect(summary.querySelector("h2")?.textContent).toBe("There is a problem");
    const items = summary.querySelectorAll("li");
    expect(items).toHaveLength(2);
    expect(items[0]!.querySelector("a")?.getAttribute("href")).toBe("#email");
    expect(items[1]!.querySelector("a")).toBeNull();
    expect(items[1]!.querySelector("b")).toBeNull();
    expect(items[1]!.textContent).toBe("<b>Not</b> linked");
  });

  it("takes focus when GOV.UK Frontend initialises it", () => {
    const root = render(`${errorSummary([{ text: "Enter a name", href: "#name" }])}<input id="name">`);
    initComponents(root);
    expect(document.activeElement).toBe(root.querySelector(".govuk-error-summary"));
  });
});

describe("form errors", () => {
  it("collects field errors once per field, in order", () => {
    const errors = noErrors();
    addFieldError(errors, "email", "Enter your email address");
    addFieldError(errors, "password", "Enter your password");
    addFieldError(errors, "email", "Second message is ignored");
    expect(errors.summary).toEqual([
      { text: "Enter your email address", href: "#email" },
      { text: "Enter your password", href: "#password" },
    ]);
    expect(errors.fields).toEqual({ email: "Enter your email address", password: "Enter your password" });
    expect(errorTitle("Sign in", errors)).toBe("Error: Sign in");
    expect(errorTitle("Sign in", noErrors())).toBe("Sign in");
  });

  it("maps a 422 problem onto the form's fields", () => {
    const problem = new ProblemError(422, {
      title: "Invalid input",
      errors: [
        { loc: ["body", "email"], msg: "Value error, email must be at one of the council's domains" },
        { loc: ["body", "roles", 0], msg: "Input should be 'officer', 'manager'" },
        { loc: ["body", "unknown_field"], msg: "Extra inputs are not permitted" },
      ],
    });
    const errors = errorsFromProblem(problem, { email: "invite-email", roles: "invite-roles" });
    expect(errors.fields).toEqual({
      "invite-email": "Email must be at one of the council's domains",
      "invite-roles": "Input should be 'officer', 'manager'",
    });
    expect(errors.summary).toEqual([
      { text: "Email must be at one of the council's domains", href: "#invite-email" },
      { text: "Input should be 'officer', 'manager'", href: "#invite-roles" },
      { text: "Extra inputs are not permitted" },
    ]);
  });

  it("uses the problem's detail when there are no field errors", () => {
    const errors = errorsFromProblem(new ProblemError(409, { detail: "Already invited" }), {});
    expect(errors.summary).toEqual([{ text: "Already invited" }]);
    const server = errorsFromProblem(new ProblemError(500, {}), {});
    expect(server.summary[0]!.text).toMatch(/Try again later/);
  });

  it("tidies validator messages, ending them as GOV.UK does: without a full stop", () => {
    expect(tidyMessage("Value error, bad thing")).toBe("Bad thing");
    expect(tidyMessage("")).toBe("Enter a valid value");
    expect(tidyMessage("The week has started. Book a later one.")).toBe("The week has started. Book a later one");
    expect(tidyMessage("Enter a number like 7.5")).toBe("Enter a number like 7.5");
    expect(tidyMessage("Wait...")).toBe("Wait...");
    expect(errorsFromProblem(new ProblemError(409, { detail: "Already invited." }), {}).summary).toEqual([{ text: "Already invited" }]);
  });
});
