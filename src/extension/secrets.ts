import * as vscode from 'vscode';

const API_KEY = 'foresight.apiKey';
const DRAFT_API_KEY = 'foresight.specReason.draftApiKey';

/** An endpoint's API key, kept only in SecretStorage (never in settings, logs or recordings). */
export class ApiKeyStore {
  /** Fires when the key is set or cleared, in this window or another. */
  readonly onDidChange: vscode.Event<void>;

  /** `id` is the SecretStorage key: the base endpoint's by default, `ApiKeyStore.draft` for SpecReason's draft endpoint. */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly id: string = API_KEY,
  ) {
    this.onDidChange = (listener, thisArg, disposables) =>
      secrets.onDidChange((e) => e.key === id && listener.call(thisArg), undefined, disposables);
  }

  /** The store of the draft model's key (foresight.specReason.draftBaseUrl), apart from the base endpoint's. */
  static draft(secrets: vscode.SecretStorage): ApiKeyStore {
    return new ApiKeyStore(secrets, DRAFT_API_KEY);
  }

  async get(): Promise<string | undefined> {
    const key = await this.secrets.get(this.id);
    return key ? key : undefined;
  }

  set(key: string): Thenable<void> {
    return this.secrets.store(this.id, key);
  }

  clear(): Thenable<void> {
    return this.secrets.delete(this.id);
  }
}

/** Asks for the key in a password box and stores it; false when the user cancelled. */
export async function promptForApiKey(store: ApiKeyStore): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: 'Foresight: API Key',
    prompt: 'API key for the endpoint in foresight.baseUrl (for NVIDIA NIM it starts with "nvapi-"). Stored in VS Code\'s secret storage.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length === 0 ? 'Enter a key, or press Escape to cancel.' : undefined),
  });
  if (key === undefined) return false;
  await store.set(key.trim());
  void vscode.window.showInformationMessage('Foresight: API key saved.');
  return true;
}

/** The same for the draft model's key; the key itself is never shown or logged. */
export async function promptForDraftApiKey(store: ApiKeyStore): Promise<boolean> {
  const key = await vscode.window.showInputBox({
    title: 'Foresight: Draft Model API Key',
    prompt: 'API key for the SpecReason draft endpoint in foresight.specReason.draftBaseUrl. Stored in VS Code\'s secret storage.',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length === 0 ? 'Enter a key, or press Escape to cancel.' : undefined),
  });
  if (key === undefined) return false;
  await store.set(key.trim());
  void vscode.window.showInformationMessage('Foresight: draft model API key saved.');
  return true;
}
