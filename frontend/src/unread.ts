// The unread count beside "Notifications" in the service navigation. Fetched after each layout
// is drawn, so it follows what happens (a notification page marks some read, a new booking
// arrives); failing quietly, since the page itself matters more than the count.
import { api } from "./api";

export const UNREAD_ID = "unread-count";

export function unreadLabel(count: number): string {
  return count === 1 ? "1 unread notification" : `${count} unread notifications`;
}

/** Shows `count` in the navigation's badge (hidden at 0). */
export function showUnread(root: ParentNode, count: number): void {
  const badge = root.querySelector<HTMLElement>(`#${UNREAD_ID}`);
  if (!badge) return;
  badge.hidden = count <= 0;
  badge.innerHTML = "";
  if (count <= 0) return;
  const number = document.createElement("span");
  number.setAttribute("aria-hidden", "true");
  number.textContent = count > 99 ? "99+" : String(count);
  const words = document.createElement("span");
  words.className = "govuk-visually-hidden";
  words.textContent = ` (${unreadLabel(count)})`;
  badge.append(number, words);
}

export async function refreshUnread(root: ParentNode, signal?: AbortSignal): Promise<void> {
  if (!root.querySelector(`#${UNREAD_ID}`)) return;
  try {
    // A 401 here is not the page's business (signing out races this request): no redirect.
    const options = { expectUnauthorized: true, ...(signal ? { signal } : {}) };
    const { unread } = await api.get<{ unread: number }>("/notifications/unread-count", options);
    showUnread(root, unread);
  } catch {
    // No count is better than a broken page.
  }
}
