// A conversation on a request for help or a booking: the messages in order, and a box to write
// one. Plain text only; the page wires the form with `wireMessages`.
import { api, toProblem } from "../api";
import { formatDateTime } from "../format";
import type { ListPage, Message } from "../models";
import { html, type SafeHtml } from "./escape";
import { button, formText, textarea } from "./forms";
import { submitGuard } from "./submit";

export const MESSAGE_MAX = 4000;

export function messagesSection(messages: readonly Message[], error?: string, value = ""): SafeHtml {
  return html`<h2 class="govuk-heading-m" id="messages">Messages</h2>
${
  messages.length === 0
    ? html`<p class="govuk-body" id="no-messages">No messages yet.</p>`
    : html`<ol class="govuk-list tp-timeline" id="message-list">${messages.map(
        (m) => html`<li class="tp-timeline__item">
    <h3 class="govuk-heading-s tp-timeline__title">${m.mine ? "You" : m.author_name}${m.author_council && !m.mine ? html` <span class="govuk-body-s">(${m.author_council.name})</span>` : ""}</h3>
    <p class="govuk-body-s tp-timeline__date"><time datetime="${m.created_at}">${formatDateTime(m.created_at)}</time></p>
    <p class="govuk-body tp-timeline__text tp-message">${m.text}</p>
  </li>`,
      )}</ol>`
}
<form method="post" novalidate id="message-form">
  ${textarea({ id: "message-text", name: "text", label: "Write a message", labelClass: "govuk-label--s", hint: "Everyone in this conversation is told. Messages are kept with the record.", value, error, rows: 4, maxlength: MESSAGE_MAX })}
  ${button("Send message", { secondary: true })}
</form>`;
}

export async function loadMessages(path: string, signal: AbortSignal): Promise<Message[]> {
  const page = await api.get<ListPage<Message>>(`${path}?limit=200`, { signal });
  return page.items;
}

/** Sends the form's message to `path`; `redraw` gets the thread again (or the error). */
export function wireMessages(
  main: HTMLElement,
  path: string,
  signal: AbortSignal,
  redraw: (messages: Message[] | null, error?: string, value?: string) => void,
): void {
  submitGuard()(main.querySelector<HTMLFormElement>("#message-form"), async (form) => {
    const text = formText(form, "text");
    if (!text) return redraw(null, "Enter a message", text);
    if (text.length > MESSAGE_MAX) return redraw(null, `The message must be ${MESSAGE_MAX} characters or fewer`, text);
    try {
      await api.post<Message>(path, { text }, { signal });
      redraw(await loadMessages(path, signal));
    } catch (error) {
      const problem = toProblem(error);
      if (problem) redraw(null, problem.detail ?? "The message was not sent", text);
    }
  });
}
