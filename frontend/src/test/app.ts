import { App } from "../app";
import { notFoundPage, pages } from "../routes";
import { endSession } from "../session";
import { setUnauthorizedHandler } from "../api";
import { settle } from "./fetchMock";

let current: App | null = null;

/** Starts the whole SPA at `path` in jsdom (fetch must be mocked first). */
export async function startApp(path: string): Promise<App> {
  current?.router.stop();
  endSession();
  setUnauthorizedHandler(null);
  window.history.replaceState(null, "", path);
  document.body.innerHTML = `<div id="app"></div>`;
  const root = document.getElementById("app")!;
  current = new App({ root, pages, notFound: notFoundPage });
  current.start();
  await settle();
  return current;
}

export function stopApp(): void {
  current?.router.stop();
  current = null;
}

export function submit(form: HTMLFormElement | null): void {
  if (!form) throw new Error("no form");
  form.dispatchEvent(new SubmitEvent("submit", { bubbles: true, cancelable: true }));
}

export function fill(id: string, value: string): void {
  const field = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
  if (!field) throw new Error(`no field #${id}`);
  field.value = value;
}

export function text(selector: string): string {
  return (document.querySelector(selector)?.textContent ?? "").replace(/\s+/g, " ").trim();
}
