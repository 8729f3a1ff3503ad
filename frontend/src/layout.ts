// The frame around every page: skip link, header, service navigation, <main>, footer.
import { html, type SafeHtml } from "./components/escape";
import type { Page } from "./page";
import { hasRole } from "./session";
import type { Me } from "./models";
import { UNREAD_ID } from "./unread";

export const NOTIFICATIONS_PATH = "/notifications";

export const SERVICE_NAME = "LocalGov Talent Pool";

export function pageTitle(title: string): string {
  return title && title !== SERVICE_NAME ? `${title} – ${SERVICE_NAME}` : SERVICE_NAME;
}

export interface NavItem {
  label: string;
  href: string;
  current: boolean;
}

/** The navigation a user sees: pages with a nav entry that their roles allow. */
export function navItems(pages: readonly Page[], me: Me | null, path: string): NavItem[] {
  if (!me) return [];
  return pages
    .filter((page) => page.nav && page.access === "signed-in" && hasRole(me, page.roles))
    .sort((a, b) => (a.nav?.order ?? 0) - (b.nav?.order ?? 0))
    .map((page) => ({
      label: page.nav?.label ?? page.title,
      href: page.path,
      current: path === page.path || path.startsWith(`${page.path}/`),
    }));
}

function header(): SafeHtml {
  return html`<header class="govuk-header tp-header">
  <div class="govuk-header__container govuk-width-container">
    <div class="govuk-header__logo tp-header__logo">
      <a href="/" class="govuk-header__link govuk-header__link--homepage tp-header__link">
        <span class="tp-header__service-name">${SERVICE_NAME}</span>
      </a>
    </div>
  </div>
</header>`;
}

function navLink(item: NavItem): SafeHtml {
  return html`<li class="govuk-service-navigation__item${item.current ? " govuk-service-navigation__item--active" : ""}">
  <a class="govuk-service-navigation__link" href="${item.href}"${item.current ? html` aria-current="page"` : ""}>${
    item.current ? html`<strong class="govuk-service-navigation__active-fallback">${item.label}</strong>` : item.label
  }${item.href === NOTIFICATIONS_PATH ? html` <span class="tp-unread-count" id="${UNREAD_ID}" hidden></span>` : ""}</a>
</li>`;
}

function serviceNavigation(items: readonly NavItem[], signedIn: boolean): SafeHtml {
  if (!signedIn) return html``;
  const all = items.length + 1;
  return html`<div class="govuk-service-navigation" data-module="govuk-service-navigation">
  <div class="govuk-width-container">
    <div class="govuk-service-navigation__container">
      <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
        ${all > 1 ? html`<button type="button" class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle" aria-controls="navigation" hidden aria-hidden="true">Menu</button>` : ""}
        <ul class="govuk-service-navigation__list" id="navigation">
          ${items.map(navLink)}
          <li class="govuk-service-navigation__item">
            <a class="govuk-service-navigation__link" href="/sign-out" id="sign-out">Sign out</a>
          </li>
        </ul>
      </nav>
    </div>
  </div>
</div>`;
}

function footer(): SafeHtml {
  return html`<footer class="govuk-footer">
  <div class="govuk-width-container">
    <div class="govuk-footer__meta">
      <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
        <h2 class="govuk-visually-hidden">Support links</h2>
        <ul class="govuk-footer__inline-list">
          <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/accessibility">Accessibility statement</a></li>
          <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/pool-statistics">Pool statistics</a></li>
        </ul>
        <p class="govuk-body-s tp-footer__credit">
          Council register: <a class="govuk-footer__link" href="https://www.mysociety.org/" rel="external">mySociety</a>,
          <a class="govuk-footer__link" href="https://creativecommons.org/licenses/by/4.0/" rel="license external">CC BY 4.0</a>
        </p>
      </div>
    </div>
  </div>
</footer>`;
}

export function layout(me: Me | null, path: string, pages: readonly Page[]): SafeHtml {
  return html`<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
${header()}
${serviceNavigation(navItems(pages, me, path), me !== null)}
<div class="govuk-width-container">
  <main class="govuk-main-wrapper" id="main-content"></main>
</div>
${footer()}`;
}
