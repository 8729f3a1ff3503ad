// The pool's s113 agreement: read the current version, see who accepted it for your council and
// when, accept it (council admins), leave the pool, and see the councils that have accepted.
import { api, seg } from "../../api";
import type { Acceptance, AgreementVersion, CouncilAgreement } from "../../councilTypes";
import { errorSummary } from "../../components/errorSummary";
import { html, type SafeHtml } from "../../components/escape";
import { noErrors, type FormErrors } from "../../components/formErrors";
import { button } from "../../components/forms";
import { notificationBanner, type BannerOptions } from "../../components/notificationBanner";
import { table } from "../../components/table";
import { formatDate, formatDateTime } from "../../format";
import type { Page, View } from "../../page";
import { setFlash, takeFlash } from "../../session";
import type { ListPage } from "../../models";
import { backLink, failure, onSubmit, summaryRows, tag } from "./kit";

const TITLE = "The pool's agreement";

interface State {
  agreement: AgreementVersion;
  mine: CouncilAgreement | null;
  acceptances: Acceptance[];
}

function standing(mine: CouncilAgreement): SafeHtml {
  if (mine.accepted_current)
    return html`${tag("Accepted", "green")} Version ${mine.accepted_version}, accepted on ${formatDateTime(mine.accepted_at)}${mine.accepted_by_name ? html` by ${mine.accepted_by_name}` : ""}`;
  if (mine.left_at) return html`${tag("Left the pool", "grey")} Your council left the pool on ${formatDate(mine.left_at)}.`;
  if (mine.accepted_version)
    return html`${tag("Accept the new version", "yellow")} Your council accepted version ${mine.accepted_version}; version ${mine.current_version} needs accepting before new bookings can be made.`;
  return html`${tag("Not accepted", "red")} Your council has not accepted the agreement yet. No bookings can be made to or from it until it does.`;
}

export function agreementContent(state: State, canAct: boolean, banner: BannerOptions | null, errors: FormErrors): SafeHtml {
  const { agreement, mine } = state;
  return html`${errorSummary(errors.summary)}${banner ? notificationBanner(banner) : ""}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-l">${TITLE}</h1>
${mine ? html`<h2 class="govuk-heading-m">Your council</h2><p class="govuk-body" id="agreement-status">${standing(mine)}</p>` : ""}
<h2 class="govuk-heading-m">Version ${agreement.version}</h2>
${summaryRows([{ key: "Published", value: formatDate(agreement.published_at) }])}
<div class="govuk-inset-text" id="agreement-text">${agreement.text}</div>
<h3 class="govuk-heading-s">What officers agree to</h3>
<div class="govuk-inset-text" id="consent-text">${agreement.officer_consent_text}</div>
${mine && canAct && !mine.accepted_current ? html`<form method="post" action="/agreement" novalidate id="accept-form">
  <p class="govuk-body">By accepting, your council agrees to these terms with every other council in the pool.</p>
  ${button(mine.left_at ? "Accept and rejoin the pool" : "Accept the agreement")}
</form>` : ""}
${mine && canAct && mine.accepted_current ? html`<p class="govuk-body"><a class="govuk-link" href="/agreement/leave">Leave the pool</a></p>` : ""}
</div></div>
${table({
  id: "acceptances",
  caption: "Councils on this version",
  head: ["Council", "Accepted on"],
  rows: state.acceptances.map((a) => [a.council.name, formatDate(a.accepted_at)]),
  empty: "No council has accepted this version yet.",
})}`;
}

async function load(view: View): Promise<State> {
  const council = view.me?.council;
  const [agreement, mine, acceptances] = await Promise.all([
    api.get<AgreementVersion>("/agreement", { signal: view.signal }),
    council ? api.get<CouncilAgreement>(`/councils/${seg(council.id)}/agreement`, { signal: view.signal }) : Promise.resolve(null),
    api.get<ListPage<Acceptance>>("/agreement/acceptances?limit=200", { signal: view.signal }),
  ]);
  return { agreement, mine, acceptances: acceptances.items };
}

function draw(view: View, state: State, banner: BannerOptions | null, errors: FormErrors): void {
  const canAct = Boolean(view.me?.roles.includes("council_admin"));
  const main = view.show(agreementContent(state, canAct, banner, errors));
  onSubmit(main, "#accept-form", async () => {
    const council = view.me?.council;
    if (!council) return;
    try {
      await api.post(`/councils/${seg(council.id)}/agreement`, { version: state.agreement.version }, { signal: view.signal });
      const next = await load(view);
      draw(view, next, { heading: `Your council has accepted version ${state.agreement.version}`, success: true }, noErrors());
    } catch (error) {
      const failed = failure(error, {});
      if (failed && view.isCurrent()) draw(view, state, null, failed.errors);
    }
  });
}

export const agreementPage: Page = {
  path: "/agreement",
  title: TITLE,
  access: "signed-in",
  roles: ["council_admin", "finance"],
  async render(view) {
    const flash = takeFlash();
    draw(view, await load(view), flash, noErrors());
  },
};

export const leavePoolPage: Page = {
  path: "/agreement/leave",
  title: "Leave the pool",
  access: "signed-in",
  roles: ["council_admin"],
  render(view) {
    const council = view.me?.council;
    if (!council) return;
    const show = (errors: FormErrors): void => {
      const main = view.show(html`${backLink("/agreement")}
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">${errorSummary(errors.summary)}
<h1 class="govuk-heading-l">Are you sure you want ${council.name} to leave the pool?</h1>
<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>
<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>No new bookings can be made to or from your council. Bookings already made carry on.</strong></div>
<p class="govuk-body">To rejoin, a council admin accepts the agreement again.</p>
<form method="post" action="/agreement/leave" novalidate id="leave-form">
<div class="govuk-button-group">${button("Leave the pool", { warning: true })}<a class="govuk-link" href="/agreement">Cancel</a></div>
</form></div></div>`);
      onSubmit(main, "#leave-form", async () => {
        try {
          await api.delete(`/councils/${seg(council.id)}/agreement`, { signal: view.signal });
        } catch (error) {
          const failed = failure(error, {});
          if (failed && view.isCurrent()) show(failed.errors);
          return;
        }
        setFlash({ heading: `${council.name} has left the pool`, success: true });
        view.navigate("/agreement");
      });
    };
    show(noErrors());
  },
};
