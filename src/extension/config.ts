import * as vscode from 'vscode';
import { chooseUserValue, needsNewBackend, normaliseSettings, USER_ONLY_SETTINGS, type ChatSettings, type SettingKey } from '../core/chat-session/settings.js';

export interface ConfigChange {
  settings: ChatSettings;
  /** The change needs a new endpoint, client or tool set. */
  backendChanged: boolean;
}

/**
 * The one reader of the `foresight.*` settings: normalised once per change, problems logged.
 * User-only settings (endpoint, tool root, read-only tools) are taken from the user's settings
 * or the default, whatever a workspace says, even on a VS Code that ignores `scope`.
 */
export class Config implements vscode.Disposable {
  private current: ChatSettings;
  private readonly changed = new vscode.EventEmitter<ConfigChange>();
  private readonly listener: vscode.Disposable;
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.current = this.read();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('foresight')) return;
      const previous = this.current;
      this.current = this.read();
      this.changed.fire({ settings: this.current, backendChanged: needsNewBackend(previous, this.current) });
    });
  }

  get settings(): ChatSettings {
    return this.current;
  }

  /** Writes a setting into the user's settings (never the workspace's); the change event follows. */
  async setUserValue(key: SettingKey, value: unknown): Promise<void> {
    await vscode.workspace.getConfiguration('foresight').update(key, value, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }

  private read(): ChatSettings {
    const section = vscode.workspace.getConfiguration('foresight');
    const ignored: string[] = [];
    const { settings, problems } = normaliseSettings((key: SettingKey) => {
      if (!USER_ONLY_SETTINGS.has(key)) return plainCopy(section.get<unknown>(key));
      const chosen = chooseUserValue(key, section.inspect<unknown>(key));
      if (chosen.problem) ignored.push(chosen.problem);
      return plainCopy(chosen.value);
    });
    for (const problem of [...ignored, ...problems]) this.log.warn(problem);
    return settings;
  }
}

/** VS Code hands out read-only proxies (structuredClone refuses them); settings are JSON, so copy as JSON. */
function plainCopy(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}
