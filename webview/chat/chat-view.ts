import { endpointLabel } from '../../src/shared/endpoint-label.js';
import type { BackendReadiness, EndpointInfo, RuleFileInfo } from '../../src/shared/protocol.js';
import { button, el, setText } from '../shared/dom.js';
import { chatStatus } from './status.js';
import { forkedNotice, type Change, type ForkedEntry, type Transcript } from './transcript.js';
import { TurnView } from './turn-view.js';

export interface ChatViewActions {
  /** False when the message could not be sent yet (the host has not answered). */
  send(text: string): boolean;
  stop(): void;
  newChat(): void;
  /** Open the endpoint settings, the API key prompt, or the model picker. */
  configure(what: 'endpoint' | 'apiKey' | 'model'): void;
  /** Open a rule file the header lists. */
  openRuleFile(path: string): void;
}

/** The one line under the title: what Foresight does. */
export const TAGLINE = 'Runs read-only tools while the model thinks.';

/** The whole chat page: header, conversation, suggestions, composer and status line. */
export class ChatView {
  private readonly model = el('span', 'model');
  private readonly endpoint = el('span', 'endpoint');
  private readonly chooseModel = linkButton('Model…', 'choose-model', 'Choose a model from those the endpoint lists');
  private readonly demoNote = el('div', 'demo-note', 'demo: answers only its recorded prompts; Change… sets your endpoint.');
  private readonly rules = el('div', 'rule-files');
  private readonly ruleList = el('span', 'rule-list');
  private readonly rulesProblem = el('div', 'rules-problem');
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
  /** Unknown until the host says: the status must not claim "ready" before it is. */
  private readiness: BackendReadiness = { kind: 'opening' };
  private transcript: Transcript | undefined;

  constructor(root: HTMLElement, private readonly actions: ChatViewActions) {
    const header = el('header', 'header');
    const tagline = el('div', 'tagline', TAGLINE);
    tagline.dataset.testid = 'tagline';
    tagline.title = 'Foresight reads the model’s reasoning, recognises the tool call it is about to make, runs it early when it is read-only, and serves the result when the call arrives.';
    const line = el('div', 'header-line');
    this.endpoint.dataset.testid = 'endpoint-label';
    this.model.dataset.testid = 'model';
    line.append(this.endpoint, el('span', 'separator', ' · '), this.model);
    const change = linkButton('Change…', 'configure-endpoint', 'Change the endpoint and model (settings)');
    const key = linkButton('API key…', 'configure-api-key', 'Set the API key (kept in VS Code\'s secret storage)');
    change.addEventListener('click', () => actions.configure('endpoint'));
    key.addEventListener('click', () => actions.configure('apiKey'));
    this.chooseModel.addEventListener('click', () => actions.configure('model'));
    this.chooseModel.hidden = true;
    const links = el('div', 'header-links');
    links.append(this.chooseModel, change, key);
    this.rules.dataset.testid = 'rule-files';
    this.rules.append(el('span', 'rule-label', 'Rules: '), this.ruleList);
    this.rules.hidden = true;
    this.rulesProblem.dataset.testid = 'rules-problem';
    this.rulesProblem.setAttribute('role', 'alert');
    this.rulesProblem.hidden = true;
    header.append(tagline, line, links, this.demoNote, this.specReasonNote, this.rules, this.rulesProblem, this.problem, this.notices);
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
    // A name, not the URL: the URL (credentials already removed by the host) is only the tooltip.
    setText(this.endpoint, endpoint ? endpointLabel(endpoint).label : 'no endpoint');
    this.endpoint.title = endpoint?.baseUrl ?? '';
    setText(this.model, endpoint ? (endpoint.model ?? 'first listed model') : '');
    this.model.title = endpoint ? `tools: ${endpoint.tools.join(', ') || 'none'}` : '';
    this.chooseModel.hidden = endpoint?.kind !== 'remote';
    this.demoNote.hidden = endpoint?.kind !== 'demo';
    const spec = endpoint?.specReason;
    this.specReasonNote.hidden = !spec;
    // Untrusted text (settings, a server's model list): set as text.
    setText(this.specReasonNote, spec ? `SpecReason: ${spec.draftModel ?? 'first listed model'} drafts, ${endpoint?.model ?? 'the base model'} judges` : '');
    this.specReasonNote.title = spec ? `Draft endpoint: ${spec.draftBaseUrl}` : '';
    this.problem.hidden = !problem;
    setText(this.problem, problem ?? '');
  }

  /** The rule files the chat's speculation uses, each a button opening it; a refused file's sentence below. All as text. */
  setRuleFiles(files: readonly RuleFileInfo[], problem: string | undefined): void {
    this.rules.hidden = files.length === 0;
    const buttons = files.map((file) => {
      const b = linkButton(file.name, 'rule-file', `${file.path}${file.origin === 'shipped' ? ' (shipped)' : file.origin === 'settings' ? ' (foresight.speculation.ruleFiles)' : ' (added from the editor)'}${file.problem ? `\nlast save refused: ${file.problem}` : ''}`);
      b.dataset.origin = file.origin;
      if (file.problem) b.dataset.problem = 'true';
      b.addEventListener('click', () => this.actions.openRuleFile(file.path));
      return b;
    });
    this.ruleList.replaceChildren(...buttons.flatMap((b, i) => (i === 0 ? [b] : [el('span', 'separator', ' · '), b])));
    this.rulesProblem.hidden = !problem;
    setText(this.rulesProblem, problem ?? '');
  }

  /** The backend's readiness as the host reports it; the status line follows. */
  setReadiness(readiness: BackendReadiness): void {
    this.readiness = readiness;
    if (this.transcript) this.syncChrome(this.transcript);
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
    this.transcript = t;
    this.running = t.status.kind === 'running';
    this.empty = t.entries.length === 0;
    const status = chatStatus(t.status, this.readiness);
    setText(this.status, status.text);
    this.status.dataset.kind = status.kind;
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
