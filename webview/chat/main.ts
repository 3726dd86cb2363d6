import '@vscode-elements/elements/dist/vscode-button/index.js';
import { isHostMessage, Messenger, type HostToWebview, type WebviewMessage, type WebviewToHost } from '../../src/shared/protocol.js';
import { ChatView } from './chat-view.js';
import { applyChatEvent, emptyTranscript, reconcileRunning, restoreTranscript, type Transcript } from './transcript.js';
import { vscodeApi } from '../shared/vscode-api.js';

const SAVE_EVERY_MS = 300;

const vscode = vscodeApi<WebviewMessage, Transcript>();
let transcript = restoreTranscript(vscode.getState()) ?? emptyTranscript('');
const messenger = new Messenger<WebviewToHost, HostToWebview>((message) => vscode.postMessage(message));

const root = document.getElementById('app');
if (!root) throw new Error('the chat page has no #app element');
// Until the host's first chat/state names the conversation, its events could not be matched.
let connected = false;
const view = new ChatView(root, {
  send: (text) => {
    if (connected) messenger.send('chat/send', { text });
    return connected;
  },
  stop: () => messenger.send('chat/stop', {}),
  newChat: () => messenger.send('chat/new', {}),
  configure: (what) => messenger.send('chat/configure', { what }),
  openRuleFile: (path) => messenger.send('chat/openRuleFile', { path }),
});
view.render(transcript);

// Persisting the whole transcript on every streamed token would be wasteful; coalesce.
let saveTimer: ReturnType<typeof setTimeout> | undefined;
function save(now = false): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = undefined;
  if (now) vscode.setState(transcript);
  else saveTimer = setTimeout(() => save(true), SAVE_EVERY_MS);
}

messenger.on('chat/state', (state) => {
  connected = true;
  if (state.conversationId !== transcript.conversationId) transcript = emptyTranscript(state.conversationId);
  // A view that was closed when the chat was forked has not seen the event.
  if (state.forked && transcript.entries[0]?.kind !== 'forked') applyChatEvent(transcript, state.forked);
  reconcileRunning(transcript, state.running);
  view.setEndpoint(state.endpoint, state.problem);
  view.setNotices(state.notices ?? []);
  view.setSuggestions(state.suggestions);
  view.render(transcript);
  save(true);
});

messenger.on('chat/event', ({ conversationId, event }) => {
  if (event.type === 'forked') {
    // A fork opens a new conversation, possibly before chat/state names it.
    if (conversationId !== transcript.conversationId) transcript = emptyTranscript(conversationId);
    applyChatEvent(transcript, event);
    view.render(transcript);
    save(true);
    return;
  }
  if (conversationId !== transcript.conversationId) return;
  view.update(transcript, applyChatEvent(transcript, event));
  save(event.type === 'runEnd' || event.type === 'runStart');
});

messenger.on('config/changed', ({ endpoint, problem, suggestions, notices }) => {
  view.setEndpoint(endpoint, problem);
  view.setNotices(notices ?? []);
  view.setSuggestions(suggestions);
});

messenger.on('chat/readiness', ({ readiness }) => view.setReadiness(readiness));

messenger.on('chat/rules', ({ files, problem }) => view.setRuleFiles(files, problem));

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostMessage(e.data)) messenger.receive(e.data);
});
messenger.send('chat/ready', {});
