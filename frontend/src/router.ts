// A tiny client-side router on the history API: route patterns like "/invitations/:token",
// same-origin link clicks handled without a page load, Back and Forward through popstate.

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

interface Compiled<R> {
  route: R;
  segments: string[];
}

/** "/a/b/" → "/a/b"; "" → "/". */
export function normalisePath(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed === "" ? "/" : trimmed;
}

function split(path: string): string[] {
  const normal = normalisePath(path);
  return normal === "/" ? [] : normal.slice(1).split("/");
}

/** Finds the first route whose pattern matches the path; `:name` segments become params. */
export function matchRoute<R extends { path: string }>(routes: readonly R[], pathname: string): RouteMatch<R> | null {
  const compiled: Compiled<R>[] = routes.map((route) => ({ route, segments: split(route.path) }));
  const parts = split(pathname);
  for (const { route, segments } of compiled) {
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length; i += 1) {
      const pattern = segments[i] as string;
      const part = parts[i] as string;
      if (pattern.startsWith(":")) {
        let value: string;
        try {
          value = decodeURIComponent(part);
        } catch {
          ok = false;
          break;
        }
        if (value === "") {
          ok = false;
          break;
        }
        params[pattern.slice(1)] = value;
      } else if (pattern !== part) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, params };
  }
  return null;
}

/** A path we may send someone to after sign-in: same site, not the API, not sign-in itself. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.startsWith("/api/") || next === "/sign-in" || next.startsWith("/sign-in?") || next === "/sign-out") return "/";
  return next;
}

export interface Location {
  path: string;
  query: URLSearchParams;
  hash: string;
}

export type NavigateHandler = (location: Location, how: { initial: boolean; pop: boolean }) => void;

/**
 * Listens for link clicks and history changes, and calls `onNavigate` for each new location.
 * It decides nothing about what to show: that is the app's job.
 */
export class Router {
  private readonly onNavigate: NavigateHandler;
  private readonly win: Window;
  private started = false;

  constructor(onNavigate: NavigateHandler, win: Window = window) {
    this.onNavigate = onNavigate;
    this.win = win;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.win.addEventListener("popstate", this.handlePop);
    this.win.document.addEventListener("click", this.handleClick);
    this.onNavigate(this.location(), { initial: true, pop: false });
  }

  stop(): void {
    this.win.removeEventListener("popstate", this.handlePop);
    this.win.document.removeEventListener("click", this.handleClick);
    this.started = false;
  }

  location(): Location {
    const { pathname, search, hash } = this.win.location;
    return { path: normalisePath(pathname), query: new URLSearchParams(search), hash };
  }

  /** Goes to a same-site path ("/profile?x=1"), adding a history entry unless `replace`. */
  navigate(to: string, options: { replace?: boolean } = {}): void {
    const url = new URL(to, this.win.location.href);
    const target = url.pathname + url.search + url.hash;
    if (options.replace) this.win.history.replaceState(null, "", target);
    else this.win.history.pushState(null, "", target);
    this.onNavigate(this.location(), { initial: false, pop: false });
  }

  private readonly handlePop = (): void => {
    this.onNavigate(this.location(), { initial: false, pop: true });
  };

  private readonly handleClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const target = event.target as Element | null;
    const anchor = target?.closest?.("a[href]") as HTMLAnchorElement | null;
    if (!anchor) return;
    if (anchor.target && anchor.target !== "_self") return;
    if (anchor.hasAttribute("download") || anchor.getAttribute("rel")?.includes("external")) return;
    if (anchor.dataset.router === "off") return;
    const href = anchor.getAttribute("href") ?? "";
    if (href.startsWith("#")) return; // skip links, error summary links: in-page
    const url = new URL(anchor.href, this.win.location.href);
    if (url.origin !== this.win.location.origin) return;
    if (url.pathname.startsWith("/api/")) return; // downloads and documents from the API
    event.preventDefault();
    this.navigate(url.pathname + url.search + url.hash);
  };
}
