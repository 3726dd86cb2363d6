import * as vscode from 'vscode';

const API_KEY = 'foresight.apiKey';

/** The endpoint's API key, kept only in SecretStorage (never in settings, logs or recordings). */
export class ApiKeyStore {
  /** Fires when the key is set or cleared, in this window or another. */
  readonly onDidChange: vscode.Event<void>;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChange = (listener, thisArg, disposables) =>
      secrets.onDidChange((e) => e.key === API_KEY && listener.call(thisArg), undefined, disposables);
  }

  async get(): Promise<string | undefined> {
    const key = await this.secrets.get(API_KEY);
    return key ? key : undefined;
  }

  set(key: string): Thenable<void> {
    return this.secrets.store(API_KEY, key);
  }

  clear(): Thenable<void> {
    return this.secrets.delete(API_KEY);
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
