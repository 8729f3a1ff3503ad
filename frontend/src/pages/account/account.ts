// "Your account": who you are, your password, two-factor sign-in, the sessions you have (with
// "sign out everywhere else") and your API tokens (made with a name, shown once, revoked).
import { ProblemError, api, seg } from "../../api";
import { errorSummary } from "../../components/errorSummary";
import { html, type SafeHtml } from "../../components/escape";
import { addFieldError, errorTitle, errorsFromProblem, hasErrors, noErrors, type FormErrors } from "../../components/formErrors";
import { button, formText, textInput } from "../../components/forms";
import { notificationBanner } from "../../components/notificationBanner";
import { submitGuard } from "../../components/submit";
import { summaryList } from "../../components/summaryList";
import { table } from "../../components/table";
import { formatDateTime } from "../../format";
import type { components } from "../../types";
import type { Page, View } from "../../page";
import { takeFlash } from "../../session";

type Schemas = components["schemas"];
export type SessionRow = Schemas["SessionOut"];
export type TokenRow = Schemas["TokenOut"];
export type TwoFactor = Schemas["TwoFactorOut"];

interface Data {
  sessions: SessionRow[];
  tokens: TokenRow[];
  twoFactor: TwoFactor;
}

async function load(view: View): Promise<Data> {
  const [sessions, tokens, twoFactor] = await Promise.all([
    api.get<{ items: SessionRow[] }>("/auth/sessions", { signal: view.signal }),
    api.get<{ items: TokenRow[] }>("/auth/tokens", { signal: view.signal }),
    api.get<TwoFactor>("/auth/totp", { signal: view.signal }),
  ]);
  return { sessions: sessions.items, tokens: tokens.items.filter((t) => !t.revoked_at), twoFactor };
}

function twoFactorSection(data: Data, signedInWith: string | null | undefined): SafeHtml {
  const status = data.twoFactor.enabled
    ? `On (${data.twoFactor.recovery_codes_left} recovery codes left)`
    : data.twoFactor.required
      ? "Off: your role needs it"
      : "Off";
  const action = data.twoFactor.enabled
    ? html`<a class="govuk-link" href="/account/two-factor/reset">Reset two-factor sign-in<span class="govuk-visually-hidden"> (for example on a new phone)</span></a>`
    : html`<a class="govuk-link" href="/account/two-factor">Set up two-factor sign-in</a>`;
  const sso = signedInWith === "sso" ? html`<p class="govuk-body">You signed in with your council's account: its own sign-in service asks for any second factor.</p>` : "";
  return html`<h2 class="govuk-heading-m">Two-factor sign-in</h2>
  ${sso}
  ${summaryList([{ key: "Status", value: status }])}
  <p class="govuk-body">${action}</p>`;
}

function sessionsSection(data: Data): SafeHtml {
  const others = data.sessions.filter((s) => !s.current).length;
  return html`${table({
    id: "sessions",
    caption: "Where you are signed in",
    head: ["Device", "Signed in", "Last used", "From", ""],
    rows: data.sessions.map((s) => [
      html`${s.device}${s.current ? html` <strong class="govuk-tag govuk-tag--green">This browser</strong>` : ""}`,
      `${formatDateTime(s.created_at)}${s.method === "sso" ? " (council account)" : ""}`,
      formatDateTime(s.last_seen_at),
      s.ip ?? "Unknown",
      s.current
        ? ""
        : html`<form class="end-session-form" data-id="${s.id}">${button(html`Sign out<span class="govuk-visually-hidden"> ${s.device}</span>`, { secondary: true, classes: "govuk-!-margin-bottom-0" })}</form>`,
    ]),
    cards: { title: 0, actions: 4 },
  })}
  ${others > 0 ? html`<form id="end-others-form">${button("Sign out everywhere else", { warning: true })}</form>` : ""}`;
}

function tokensSection(data: Data, errors: FormErrors, made: string | null): SafeHtml {
  return html`<h2 class="govuk-heading-m">API tokens</h2>
  <p class="govuk-body">For your council's own systems to use the Talent Pool's API as you.</p>
  ${made ? html`<div class="govuk-panel govuk-panel--confirmation govuk-!-text-align-left" id="new-token"><h3 class="govuk-panel__title govuk-!-font-size-27">Copy your new token now</h3><div class="govuk-panel__body govuk-!-font-size-19"><code class="tp-break">${made}</code><br>It will not be shown again.</div></div>` : ""}
  ${table({
    id: "tokens",
    caption: "Your tokens",
    captionSize: "s",
    level: 3,
    head: ["Name", "Made", ""],
    rows: data.tokens.map((t) => [
      t.name,
      formatDateTime(t.created_at),
      html`<form class="revoke-token-form" data-id="${t.id}">${button(html`Revoke<span class="govuk-visually-hidden"> ${t.name}</span>`, { secondary: true, classes: "govuk-!-margin-bottom-0" })}</form>`,
    ]),
    empty: "You have no API tokens.",
    cards: { title: 0, actions: 2 },
  })}
  <form id="token-form" novalidate>
    ${textInput({ id: "token-name", name: "name", label: "Name of a new token", hint: "What will use it, like 'Ledger export'", error: errors.fields["token-name"], inputClass: "govuk-!-width-two-thirds" })}
    ${button("Make a token", { secondary: true })}
  </form>`;
}

function draw(view: View, data: Data, errors: FormErrors = noErrors(), made: string | null = null): void {
  const me = view.me;
  const flash = takeFlash();
  view.setTitle(errorTitle("Your account", errors));
  const main = view.show(html`${errorSummary(errors.summary)}
${flash && !hasErrors(errors) ? notificationBanner(flash) : ""}
<h1 class="govuk-heading-l">Your account</h1>
${summaryList([
  { key: "Name", value: me?.name ?? "" },
  { key: "Email address", value: me?.email ?? "" },
])}
<h2 class="govuk-heading-m">Password</h2>
<p class="govuk-body"><a class="govuk-link" href="/account/password">Change your password</a></p>
${twoFactorSection(data, me?.signed_in_with)}
${sessionsSection(data)}
${tokensSection(data, errors, made)}`);
  if (!main) return;
  const on = submitGuard();
  const reload = async (madeToken: string | null = null) => draw(view, await load(view), noErrors(), madeToken);
  main.querySelectorAll<HTMLFormElement>(".end-session-form").forEach((form) =>
    on(form, async () => {
      await api.delete(`/auth/sessions/${seg(form.dataset.id ?? "")}`, { signal: view.signal });
      await reload();
    }),
  );
  on(main.querySelector<HTMLFormElement>("#end-others-form"), async () => {
    await api.post("/auth/sessions/end-others", undefined, { signal: view.signal });
    await reload();
  });
  main.querySelectorAll<HTMLFormElement>(".revoke-token-form").forEach((form) =>
    on(form, async () => {
      await api.delete(`/auth/tokens/${seg(form.dataset.id ?? "")}`, { signal: view.signal });
      await reload();
    }),
  );
  on(main.querySelector<HTMLFormElement>("#token-form"), async (form) => {
    const name = formText(form, "name");
    const found = noErrors();
    if (!name) addFieldError(found, "token-name", "Enter a name for the token");
    if (hasErrors(found)) return draw(view, data, found);
    try {
      const made = await api.post<{ token: string }>("/auth/tokens", { name }, { signal: view.signal });
      await reload(made.token);
    } catch (error) {
      if (error instanceof ProblemError) draw(view, data, errorsFromProblem(error, { name: "token-name" }));
    }
  });
}

export const accountPage: Page = {
  path: "/account",
  title: "Your account",
  access: "signed-in",
  nav: { label: "Your account", order: 90 },
  async render(view) {
    draw(view, await load(view));
  },
};
