// What a page is. Each page of the service is one file in src/pages/ exporting a Page, listed
// once in src/routes.ts.
import type { SafeHtml } from "./components/escape";
import type { Me, Role } from "./models";

/** Who may open the page: anyone, only signed-in people, or only people not signed in. */
export type Access = "public" | "signed-in" | "signed-out";

export interface Page {
  /** Route pattern, e.g. "/profile" or "/invitations/:token". */
  path: string;
  /** Page title (without the service name); a page may change it with view.setTitle. */
  title: string;
  access: Access;
  /** For signed-in pages: the user needs at least one of these roles. */
  roles?: readonly Role[];
  /** Shown in the service navigation to people who may open the page. */
  nav?: { label: string; order: number };
  /** Fetches what the page needs and shows it with view.show (as often as it likes). */
  render(view: View): Promise<void> | void;
}

export interface View {
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly me: Me | null;
  /** Aborted when the person moves on to another page: pass it to API calls. */
  readonly signal: AbortSignal;
  /** False once another navigation has started: stop then. */
  isCurrent(): boolean;
  /** Sets document.title to "<title> – LocalGov Talent Pool". */
  setTitle(title: string): void;
  /**
   * Replaces the page's content (inside <main>), runs GOV.UK Frontend's JavaScript on it and
   * moves focus sensibly. Returns the <main> element, or null if the page is no longer current.
   */
  show(content: SafeHtml): HTMLElement | null;
  navigate(to: string, options?: { replace?: boolean }): void;
}
