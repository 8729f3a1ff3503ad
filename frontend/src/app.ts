// Puts it together: on each navigation, check who may see the page, draw the layout, and let the
// page render itself into <main>.
import { ProblemError, setUnauthorizedHandler } from "./api";
import { html, type SafeHtml } from "./components/escape";
import { initComponents } from "./components/govuk";
import { layout, pageTitle } from "./layout";
import type { Page, View } from "./page";
import { Router, matchRoute, type Location } from "./router";
import { currentUser, endSession, hasRole, loadSession } from "./session";
import { roleLabel, joinWords } from "./format";
import { refreshUnread } from "./unread";

// The pages a session that must still set up two-factor sign-in may open (app/dependencies.py).
const TWO_FACTOR_SET_UP_PATHS = new Set(["/account/two-factor", "/sign-out"]);

export interface AppOptions {
  root: HTMLElement;
  pages: readonly Page[];
  notFound: Page;
}

export class App {
  readonly router: Router;
  private readonly root: HTMLElement;
  private readonly pages: readonly Page[];
  private readonly notFound: Page;
  private sessionLoaded = false;
  private navigation = 0;
  private controller: AbortController | null = null;

  constructor(options: AppOptions) {
    this.root = options.root;
    this.pages = options.pages;
    this.notFound = options.notFound;
    this.router = new Router((location, how) => {
      void this.handle(location, how.initial, how.pop);
    });
  }

  start(): void {
    setUnauthorizedHandler(() => {
      // The session ended (expired, or signed out elsewhere): sign in again, then come back.
      endSession();
      const { pathname, search } = window.location;
      this.router.navigate(`/sign-in?next=${encodeURIComponent(pathname + search)}`, { replace: true });
    });
    this.router.start();
  }

  navigate(to: string, options: { replace?: boolean } = {}): void {
    this.router.navigate(to, options);
  }

  private async handle(location: Location, initial: boolean, pop: boolean): Promise<void> {
    const id = ++this.navigation;
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const isCurrent = (): boolean => id === this.navigation;

    if (!this.sessionLoaded) {
      try {
        await loadSession();
        this.sessionLoaded = true;
      } catch (error) {
        if (!isCurrent()) return;
        this.drawLayout(location.path);
        this.showProblem(error, initial);
        return;
      }
      if (!isCurrent()) return;
    }

    const me = currentUser();
    const match = matchRoute(this.pages, location.path);
    const page = match?.route ?? this.notFound;
    const params = match?.params ?? {};

    if (page.access === "signed-in" && !me) {
      const next = location.path + (location.query.toString() ? `?${location.query.toString()}` : "");
      this.router.navigate(next === "/" ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`, { replace: true });
      return;
    }
    // Identity (issue 12): a session that must set up two-factor sign-in goes there first.
    if (me?.two_factor_setup_required && page.access === "signed-in" && !TWO_FACTOR_SET_UP_PATHS.has(page.path)) {
      this.router.navigate("/account/two-factor", { replace: true });
      return;
    }
    if (page.access === "signed-out" && me) {
      this.router.navigate("/", { replace: true });
      return;
    }

    this.drawLayout(location.path);
    if (!pop) window.scrollTo(0, 0);

    let shown = 0;
    const view: View = {
      path: location.path,
      params,
      query: location.query,
      me,
      signal: controller.signal,
      isCurrent,
      setTitle: (title) => {
        if (isCurrent()) document.title = pageTitle(title);
      },
      show: (content) => {
        if (!isCurrent()) return null;
        const main = this.main();
        if (!main) return null;
        main.innerHTML = content.toString();
        initComponents(main);
        this.manageFocus(main, initial && shown === 0);
        shown += 1;
        if (shown === 1 && location.hash) this.scrollToHash(location.hash);
        return main;
      },
      navigate: (to, options) => {
        if (isCurrent()) this.router.navigate(to, options);
      },
    };
    view.setTitle(page.title);

    if (page.roles && page.roles.length > 0 && !hasRole(me, page.roles)) {
      view.setTitle("You cannot use this page");
      view.show(forbidden(page));
      return;
    }

    try {
      await page.render(view);
    } catch (error) {
      if (!isCurrent()) return;
      if (error instanceof DOMException && error.name === "AbortError") return;
      if (error instanceof ProblemError && error.status === 401) return; // the handler redirects
      if (error instanceof ProblemError && (error.status === 404 || error.status === 403)) {
        view.setTitle(error.status === 404 ? "Page not found" : "You cannot use this page");
        view.show(error.status === 404 ? notFoundContent() : forbidden(page));
        return;
      }
      console.error(error);
      view.setTitle("Sorry, there is a problem with the service");
      view.show(problemContent());
    }
  }

  private drawLayout(path: string): void {
    this.root.innerHTML = layout(currentUser(), path, this.pages).toString();
    initComponents(this.root);
    if (currentUser() && path !== "/sign-out") void refreshUnread(this.root);
  }

  private main(): HTMLElement | null {
    return this.root.querySelector<HTMLElement>("#main-content");
  }

  private showProblem(error: unknown, initial: boolean): void {
    console.error(error);
    document.title = pageTitle("Sorry, there is a problem with the service");
    const main = this.main();
    if (!main) return;
    main.innerHTML = problemContent().toString();
    this.manageFocus(main, initial);
  }

  /**
   * After a page load the browser puts focus at the start of the document; after a client-side
   * navigation we move it to the new page's heading, so screen readers announce it. An error
   * summary or a success banner takes focus itself (GOV.UK Frontend's JavaScript).
   */
  private manageFocus(main: HTMLElement, pageLoad: boolean): void {
    if (main.querySelector(".govuk-error-summary, .govuk-notification-banner[role='alert']")) return;
    if (pageLoad) return;
    const heading = main.querySelector<HTMLElement>("h1");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.classList.add("tp-focus-target");
    heading.focus({ preventScroll: true });
  }

  private scrollToHash(hash: string): void {
    let id: string;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch {
      return;
    }
    document.getElementById(id)?.scrollIntoView?.();
  }
}

function forbidden(page: Page): SafeHtml {
  // Any one of the roles opens the page: "the finance or council admin role".
  const roles = joinWords((page.roles ?? []).map((role) => roleLabel(role).toLowerCase()), "or");
  return html`<h1 class="govuk-heading-l">You cannot use this page</h1>
<p class="govuk-body">This page is for people with the ${roles} role at their council.</p>
<p class="govuk-body">If you need it, ask your council admin to give you the role.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Go to the home page</a></p>`;
}

export function notFoundContent(): SafeHtml {
  return html`<h1 class="govuk-heading-l">Page not found</h1>
<p class="govuk-body">If you typed the web address, check it is correct.</p>
<p class="govuk-body">If you pasted the web address, check you copied the entire address.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Go to the home page</a></p>`;
}

function problemContent(): SafeHtml {
  return html`<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>
<p class="govuk-body">Try again later.</p>
<p class="govuk-body"><a class="govuk-link" href="/">Go to the home page</a></p>`;
}
