import type { EndpointInfo } from '../../src/shared/protocol.js';
import { button, el, setText } from '../shared/dom.js';
import { forkedNotice, statusText, type Change, type ForkedEntry, type Transcript } from './transcript.js';
import { TurnView } from './turn-view.js';

export interface ChatViewActions {
  /** False when the message could not be sent yet (the host has not answered). */
  send(text: string): boolean;
  stop(): void;
  newChat(): void;
  /** Open the endpoint and model settings, or the API key prompt. */
  configure(what: 'endpoint' | 'apiKey'): void;
}

/** The whole chat page: header, conversation, suggestions, composer and status line. */
export class ChatView {
  private readonly model = el('span', 'model');
  private readonly endpoint = el('span', 'endpoint');
  private readonly demoNote = el('div', 'demo-note', 'demo: hand-written recorded sessions');
  private readonly specReasonNote = el('div', 'specreason-note');
  private readonly problem = el('div', 'problem');
  private readonly notices = el('div', 'tool-notices');
  private readonly conversation = el('div', 'conversation');
  private readonly suggestionBlock = el('section', 'suggestions');
  private readonly suggestionList = el('div', 'suggestion-list');
  private readonly prompt = el('textarea', 'prompt');
  private readonly sendButton = button('Send', 'send', { title: 'Send (Enter); Shift+Enter for a new line' });
  private readonly stopButton = button('Stop', 'stop', { secondary: true });
  private readonly newButton = button('New chat', 'new-chat', { secondary: true });
  private readonly status = el('div', 'status');
  private entryViews: (HTMLElement | TurnView)[] = [];
  private suggestions: string[] = [];
  private running = false;
  private empty = true;

  constructor(root: HTMLElement, private readonly actions: ChatViewActions) {
    const header = el('header', 'header');
    const line = el('div', 'header-line');
    line.append(this.model, el('span', 'separator', ' · '), this.endpoint);
    const change = linkButton('Change…', 'configure-endpoint', 'Change the endpoint and model (settings)');
    const key = linkButton('API key…', 'configure-api-key', 'Set the API key (kept in VS Code\'s secret storage)');
    change.addEventListener('click', () => actions.configure('endpoint'));
    key.addEventListener('click', () => actions.configure('apiKey'));
    const links = el('div', 'header-links');
    links.append(change, key);
    header.append(line, links, this.demoNote, this.specReasonNote, this.problem, this.notices);
    this.specReasonNote.dataset.testid = 'specreason-note';
    this.specReasonNote.hidden = true;
    this.notices.dataset.testid = 'tool-notices';
    this.notices.hidden = true;
    this.demoNote.hidden = true;
    this.problem.hidden = true;

    this.prompt.dataset.testid = 'prompt';
    this.prompt.rows = 3;
    this.prompt.placeholder = 'Ask the agent… (Enter to send, Shift+Enter for a new line)';
    this.prompt.setAttribute('aria-label', 'Message');
    this.status.dataset.testid = 'status';
    this.status.setAttribute('role', 'status');

    const actionsRow = el('div', 'actions');
    actionsRow.append(this.sendButton, this.stopButton, this.newButton);
    const composer = el('footer', 'composer');
    composer.append(this.prompt, actionsRow, this.status);
    this.suggestionBlock.append(el('div', 'label', 'Try a prompt'), this.suggestionList);
    root.append(header, this.suggestionBlock, this.conversation, composer);

    this.prompt.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    this.sendButton.addEventListener('click', () => this.submit());
    this.stopButton.addEventListener('click', () => actions.stop());
    this.newButton.addEventListener('click', () => actions.newChat());
  }

  setEndpoint(endpoint: EndpointInfo | null, problem: string | undefined): void {
    setText(this.model, endpoint ? (endpoint.model ?? 'first listed model') : 'no endpoint');
    setText(this.endpoint, endpoint?.baseUrl ?? '');
    this.model.title = endpoint ? `tools: ${endpoint.tools.join(', ') || 'none'}` : '';
    this.demoNote.hidden = endpoint?.kind !== 'demo';
    const spec = endpoint?.specReason;
    this.specReasonNote.hidden = !spec;
    // Untrusted text (settings, a server's model list): set as text.
    setText(this.specReasonNote, spec ? `SpecReason: ${spec.draftModel ?? 'first listed model'} drafts, ${endpoint?.model ?? 'the base model'} judges` : '');
    this.specReasonNote.title = spec ? `Draft endpoint: ${spec.draftBaseUrl}` : '';
    this.problem.hidden = !problem;
    setText(this.problem, problem ?? '');
  }

  /** One line per notice about the tools (Restricted Mode, a server that failed); as text. */
  setNotices(notices: readonly string[]): void {
    this.notices.hidden = notices.length === 0;
    this.notices.replaceChildren(
      ...notices.map((text) => {
        const line = el('div', 'tool-notice', text);
        line.dataset.testid = 'tool-notice';
        return line;
      }),
    );
  }

  setSuggestions(suggestions: string[]): void {
    this.suggestions = suggestions;
    this.suggestionList.replaceChildren(
      ...suggestions.map((text) => {
        // Native, so a long prompt wraps instead of being cut off.
        const b = el('button', 'suggestion', text);
        b.type = 'button';
        b.dataset.testid = 'suggestion';
        b.addEventListener('click', () => {
          if (!this.running) this.actions.send(text);
        });
        return b;
      }),
    );
    this.syncSuggestions();
  }

  /** Redraws everything, as after a reload or a new chat. */
  render(t: Transcript): void {
    this.entryViews = [];
    this.conversation.replaceChildren();
    t.entries.forEach((_, i) => this.drawEntry(t, i));
    this.syncChrome(t);
    this.conversation.scrollTop = this.conversation.scrollHeight;
  }

  /** Redraws what one event changed. */
  update(t: Transcript, change: Change): void {
    const stick = this.nearBottom();
    if (change.entry !== undefined) this.drawEntry(t, change.entry);
    if (change.status) this.syncChrome(t);
    if (stick) this.conversation.scrollTop = this.conversation.scrollHeight;
  }

  private drawEntry(t: Transcript, index: number): void {
    const entry = t.entries[index];
    if (!entry) return;
    let view = this.entryViews[index];
    if (!view) {
      view = entry.kind === 'user' ? el('div', 'user-message', entry.text) : entry.kind === 'forked' ? forkedNoticeView(entry) : new TurnView();
      this.entryViews[index] = view;
      this.conversation.append(view instanceof TurnView ? view.root : view);
    }
    if (entry.kind === 'turn' && view instanceof TurnView) view.update(entry);
  }

  private syncChrome(t: Transcript): void {
    this.running = t.status.kind === 'running';
    this.empty = t.entries.length === 0;
    setText(this.status, statusText(t.status));
    this.status.dataset.kind = t.status.kind;
    this.sendButton.toggleAttribute('disabled', this.running);
    this.stopButton.toggleAttribute('disabled', !this.running);
    this.syncSuggestions();
  }

  private syncSuggestions(): void {
    this.suggestionBlock.hidden = !this.empty || this.suggestions.length === 0;
  }

  private submit(): void {
    const text = this.prompt.value.trim();
    if (!text || this.running) return;
    if (this.actions.send(text)) this.prompt.value = '';
  }

  private nearBottom(): boolean {
    const c = this.conversation;
    return c.scrollHeight - c.scrollTop - c.clientHeight < 40;
  }
}

function forkedNoticeView(entry: ForkedEntry): HTMLElement {
  const notice = el('div', 'fork-notice', forkedNotice(entry));
  notice.dataset.testid = 'fork-notice';
  return notice;
}

/** A quiet text button, for header actions. */
function linkButton(label: string, testId: string, title: string): HTMLButtonElement {
  const b = el('button', 'link-button', label);
  b.type = 'button';
  b.dataset.testid = testId;
  b.title = title;
  return b;
}
