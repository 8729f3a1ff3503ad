import { api, seg, toProblem } from "../api";
import { errorSummary } from "../components/errorSummary";
import { html } from "../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../components/formErrors";
import { button, formRaw, passwordInput } from "../components/forms";
import { submitGuard } from "../components/submit";
import type { Page, View } from "../page";
import { setFlash, startSession } from "../session";
import type { SessionResponse } from "../models";

const TITLE = "Set your password";
export const MIN_PASSWORD = 12;

export function validatePasswords(password: string, confirm: string): FormErrors {
  const errors = noErrors();
  if (!password) addFieldError(errors, "password", "Enter a password");
  else if (password.length < MIN_PASSWORD)
    addFieldError(errors, "password", `Password must be ${MIN_PASSWORD} characters or more`);
  if (!confirm) addFieldError(errors, "confirm-password", "Confirm your password");
  else if (password && confirm !== password) addFieldError(errors, "confirm-password", "Passwords must match");
  return errors;
}

function draw(view: View, errors: FormErrors): void {
  view.setTitle(errorTitle(TITLE, errors));
  const main = view.show(html`<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    ${errorSummary(errors.summary)}
    <h1 class="govuk-heading-l">${TITLE}</h1>
    <p class="govuk-body">You have been invited to join the LocalGov Talent Pool. Set a password to finish setting up your account.</p>
    <form method="post" action="${view.path}" novalidate id="accept-form">
      ${passwordInput({
        id: "password",
        label: "Create a password",
        hint: `Your password must be ${MIN_PASSWORD} characters or more. A few unrelated words make a strong password.`,
        autocomplete: "new-password",
        error: errors.fields.password,
      })}
      ${passwordInput({
        id: "confirm-password",
        name: "confirm_password",
        label: "Confirm your password",
        autocomplete: "new-password",
        error: errors.fields["confirm-password"],
      })}
      ${button("Set password and sign in")}
    </form>
  </div>
</div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#accept-form"), (form) =>
    submit(view, formRaw(form, "password"), formRaw(form, "confirm_password")),
  );
}

async function submit(view: View, password: string, confirm: string): Promise<void> {
  const errors = validatePasswords(password, confirm);
  if (hasErrors(errors)) {
    draw(view, errors);
    return;
  }
  const token = view.params.token ?? "";
  try {
    const response = await api.post<SessionResponse>(
      `/invitations/${seg(token)}/accept`,
      { password },
      { signal: view.signal, expectUnauthorized: true },
    );
    startSession(response);
  } catch (error) {
    const problem = toProblem(error);
    if (!problem || !view.isCurrent()) return;
    if (problem.status === 404 || problem.status === 410) {
      const text = problem.detail || "This invitation link has expired or has already been used. Ask your council admin for a new one";
      draw(view, { summary: [{ text }], fields: {} });
      return;
    }
    draw(view, errorsFromProblem(problem, { password: "password" }));
    return;
  }
  setFlash({ heading: "Your account is ready", text: "You are signed in.", success: true });
  view.navigate("/", { replace: true });
}

export const acceptInvitationPage: Page = {
  path: "/invitations/:token",
  title: TITLE,
  access: "public",
  render(view) {
    draw(view, noErrors());
  },
};
