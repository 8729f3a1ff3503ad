import { html, type SafeHtml } from "../components/escape";
import { notificationBanner } from "../components/notificationBanner";
import type { Page } from "../page";
import { takeFlash } from "../session";
import type { Me, Role } from "../models";
import { loadTasks, platformCards, tasksSection } from "./councils/homeTasks";

interface Card {
  href: string;
  title: string;
  text: string;
  roles: readonly Role[];
}

// One card per page a role can use. Later pages (bookings, invoices) add a card here.
export const CARDS: readonly Card[] = [
  {
    href: "/profile",
    title: "Your profile",
    text: "Your skills, job title and summary that other councils see, and your consent to be listed.",
    roles: ["officer"],
  },
  {
    href: "/availability",
    title: "Your availability",
    text: "The spare hours you offer other councils each week, and whether your manager has signed them off.",
    roles: ["officer"],
  },
  {
    href: "/sign-off",
    title: "Sign-off",
    text: "Approve or reject the hours your officers offer, and give standing permissions.",
    roles: ["manager"],
  },
  {
    href: "/find",
    title: "Find expertise",
    text: "Search officers at other councils by skill, week, hours, place and rate.",
    roles: ["booker", "manager"],
  },
  {
    href: "/bookings",
    title: "Bookings",
    text: "Requests to answer, upcoming bookings, hours to record and bookings completed.",
    roles: ["officer", "booker", "manager", "council_admin"],
  },
  {
    href: "/council",
    title: "Your council",
    text: "People at your council, their roles, and invitations to join the Talent Pool.",
    roles: ["council_admin"],
  },
  {
    href: "/council/settings",
    title: "Council settings",
    text: "Invoicing and VAT, bookings rules, email domains and bank details.",
    roles: ["council_admin", "finance"],
  },
  {
    href: "/agreement",
    title: "The pool's agreement",
    text: "The s113 agreement your council has accepted, and the councils in the pool.",
    roles: ["council_admin", "finance"],
  },
  {
    href: "/council/officers",
    title: "Officers and rates",
    text: "Your council's officers and what other councils are charged for their time.",
    roles: ["manager", "council_admin"],
  },
  {
    href: "/audit",
    title: "Audit trail",
    text: "Every change made at your council: who, what and when, with a CSV download.",
    roles: ["council_admin", "finance"],
  },
  {
    href: "/invoices",
    title: "Invoices",
    text: "Run a month's recharge, issue invoices to other councils, record payments and credit notes, and see invoices sent to your council.",
    roles: ["finance", "council_admin"],
  },
];

export function cardsFor(me: Me): Card[] {
  return CARDS.filter((card) => card.roles.some((role) => me.roles.includes(role)));
}

function signedInAs(me: Me): SafeHtml {
  return me.council
    ? html`Signed in as <strong>${me.name}</strong>, ${me.council.name}`
    : html`Signed in as <strong>${me.name}</strong>`;
}

export const homePage: Page = {
  path: "/",
  title: "Home",
  access: "signed-in",
  async render(view) {
    const me = view.me;
    if (!me) return;
    const flash = takeFlash();
    const cards = cardsFor(me);
    const tasks = await loadTasks(view.signal);
    view.show(html`${flash ? notificationBanner(flash) : ""}
<h1 class="govuk-heading-l">LocalGov Talent Pool</h1>
<p class="govuk-body-l" id="signed-in-as">${signedInAs(me)}</p>
${tasksSection(tasks)}
${platformCards(me)}
${
  cards.length > 0
    ? html`<h2 class="govuk-heading-m">What you can do</h2>
<ul class="govuk-list tp-cards">
  ${cards.map(
    (card) => html`<li class="tp-card">
    <h3 class="govuk-heading-s tp-card__title"><a class="govuk-link govuk-link--no-visited-state" href="${card.href}">${card.title}</a></h3>
    <p class="govuk-body tp-card__text">${card.text}</p>
  </li>`,
  )}
</ul>`
    : me.is_platform_admin
      ? ""
      : html`<p class="govuk-body">There is nothing here for your roles yet. More of the Talent Pool is coming soon.</p>`
}`);
  },
};
