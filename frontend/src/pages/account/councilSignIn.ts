// A council admin registers the council's own OpenID Connect provider (Microsoft Entra ID or
// any other): issuer, client id and secret, the email domains it covers, whether new people
// from them arrive as officers; and whether everyone must use two-factor sign-in.
import { ProblemError, api, seg } from "../../api";
import { errorSummary } from "../../components/errorSummary";
import { html } from "../../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { button, checkboxes, formRaw, formText, formValues, passwordInput, textInput } from "../../components/forms";
import { notificationBanner } from "../../components/notificationBanner";
import { submitGuard } from "../../components/submit";
import type { components } from "../../types";
import type { Page, View } from "../../page";
import { takeFlash, setFlash } from "../../session";

type SignIn = components["schemas"]["SsoSettingsOut"];

const FIELDS = { issuer: "issuer", client_id: "client_id", client_secret: "client_secret", email_domains: "email_domains" };

function draw(view: View, current: SignIn, domains: string[], errors: FormErrors): void {
  const flash = takeFlash();
  view.setTitle(errorTitle("How your people sign in", errors));
  const main = view.show(html`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
  ${errorSummary(errors.summary)}
  ${flash && !hasErrors(errors) ? notificationBanner(flash) : ""}
  <h1 class="govuk-heading-l">How your people sign in</h1>
  <form novalidate id="sign-in-settings-form">
    <h2 class="govuk-heading-m">Single sign-on</h2>
    <p class="govuk-body">People at the email domains you choose sign in with your council's own account (OpenID Connect, such as Microsoft Entra ID), and their provider asks for any second factor. Register the Talent Pool with your provider first, with this redirect URI:</p>
    <p class="govuk-body"><code class="tp-break" id="redirect-uri">${current.redirect_uri}</code></p>
    <div class="govuk-inset-text">For Microsoft Entra ID the issuer is <code class="tp-break">https://login.microsoftonline.com/&lt;your tenant id&gt;/v2.0</code>.</div>
    ${textInput({ id: "issuer", label: "Issuer URL", hint: "Leave empty to turn single sign-on off", value: current.issuer ?? "", spellcheck: false, error: errors.fields.issuer })}
    ${textInput({ id: "client_id", label: "Client ID", value: current.client_id ?? "", spellcheck: false, error: errors.fields.client_id })}
    ${passwordInput({ id: "client_secret", label: "Client secret", hint: current.client_secret_set ? "A secret is stored (it is never shown). Leave empty to keep it." : "Stored encrypted; never shown again", autocomplete: "off", error: errors.fields.client_secret })}
    ${domains.length
      ? checkboxes({ idPrefix: "email_domains", name: "email_domains", legend: "Email domains it covers", legendSize: "s", error: errors.fields.email_domains, items: domains.map((d) => ({ value: d, text: d, checked: current.email_domains.includes(d) })) })
      : html`<p class="govuk-body">Your council has no email domains yet: <a class="govuk-link" href="/council/settings">add them under settings</a> first.</p>`}
    ${checkboxes({ idPrefix: "create_officers", name: "create_officers", legend: "New people", legendSize: "s", items: [{ value: "yes", text: "People from these domains who have no account yet join as officers", checked: current.create_officers }] })}
    <h2 class="govuk-heading-m">Two-factor sign-in</h2>
    ${checkboxes({ idPrefix: "require_two_factor", name: "require_two_factor", legend: "Who needs it", legendSize: "s", hint: "Finance, council admins and platform admins always need it when they sign in with a password.", items: [{ value: "yes", text: "Everyone at the council who signs in with a password", checked: current.require_two_factor }] })}
    ${button("Save")}
  </form>
</div></div>`);
  submitGuard()(main?.querySelector<HTMLFormElement>("#sign-in-settings-form"), (form) => save(view, current, domains, form));
}

async function save(view: View, current: SignIn, domains: string[], form: HTMLFormElement): Promise<void> {
  const issuer = formText(form, "issuer");
  const body = {
    issuer: issuer || null,
    client_id: formText(form, "client_id") || null,
    client_secret: formRaw(form, "client_secret") || null,
    email_domains: formValues(form, "email_domains"),
    create_officers: formValues(form, "create_officers").includes("yes"),
    require_two_factor: formValues(form, "require_two_factor").includes("yes"),
  };
  const found = noErrors();
  if (issuer && !/^https?:\/\/\S+$/.test(issuer)) addFieldError(found, "issuer", "Enter the issuer as a URL, like https://login.microsoftonline.com/…/v2.0");
  if (issuer && !body.client_id) addFieldError(found, "client_id", "Enter the client ID");
  if (hasErrors(found)) return draw(view, current, domains, found);
  try {
    const saved = await api.put<SignIn>(`/councils/${seg(view.me?.council?.id ?? "")}/sso`, body, { signal: view.signal });
    setFlash({ heading: "Sign-in settings saved", success: true });
    draw(view, saved, domains, noErrors());
  } catch (error) {
    if (error instanceof ProblemError) draw(view, current, domains, errorsFromProblem(error, FIELDS));
  }
}

export const councilSignInPage: Page = {
  path: "/council/sign-in",
  title: "How your people sign in",
  access: "signed-in",
  roles: ["council_admin"],
  async render(view) {
    const council = seg(view.me?.council?.id ?? "");
    const [current, settings] = await Promise.all([
      api.get<SignIn>(`/councils/${council}/sso`, { signal: view.signal }),
      api.get<{ email_domains: string[] }>(`/councils/${council}/settings`, { signal: view.signal }),
    ]);
    draw(view, current, settings.email_domains, noErrors());
  },
};
