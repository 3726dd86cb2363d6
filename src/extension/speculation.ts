import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { SpeculationSetup } from '../core/agent/agent-loop.js';
import type { SpeculationSettings } from '../core/engine/speculation-setup.js';
import { Calibration, type RuleRecord } from '../core/speculation/calibration.js';
import { LatencyStats } from '../core/speculation/latency-stats.js';
import { createSpeculationSetup, type RuleSource } from '../core/engine/speculation-setup.js';
import type { RuleFileInfo } from '../shared/protocol.js';
import { ChatRuleFiles, type RuleFileOutcome } from './chat-rule-files.js';

const CALIBRATION_KEY = 'foresight.calibration';

/**
 * The chat's speculation: the shipped default rules plus the user's rule files, the policy
 * from settings, and calibration kept per workspace so measured hit rates survive restarts.
 */
export class Speculation {
  private readonly calibration: Calibration;
  private readonly latency = new LatencyStats();
  /** Rule files added from the editor ("Use This Rule File in Chat"), for this window. */
  private readonly chatFiles = new ChatRuleFiles();
  private readonly rulesChanged = new vscode.EventEmitter<{ problem?: string }>();
  /** The chat's rule files changed (added, saved, refused); `problem` says why a text was refused. */
  readonly onDidChangeRuleFiles = this.rulesChanged.event;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.calibration = new Calibration(extension.workspaceState.get<Record<string, RuleRecord>>(CALIBRATION_KEY) ?? {});
  }

  /**
   * The setup for the next run, or undefined when speculation is switched off. With
   * `openEditors`, every `.sniff` file open in an editor is used with its current, possibly
   * unsaved, text: the rules being tuned take effect as they are typed (the trace panel's
   * re-sniff uses this; a chat run uses the saved files). In Restricted Mode only the shipped
   * rules are used: a workspace's rule files are its own text, not the user's.
   */
  async setup(settings: SpeculationSettings, openEditors = false): Promise<SpeculationSetup | undefined> {
    if (!settings.enabled) return undefined;
    const trusted = vscode.workspace.isTrusted;
    const sources: RuleSource[] = [];
    const open = new Map<string, string>();
    if (openEditors && trusted) for (const doc of vscode.workspace.textDocuments) if (doc.languageId === 'sniff' || doc.fileName.endsWith('.sniff')) open.set(doc.fileName, doc.getText());
    const defaults = vscode.Uri.joinPath(this.extension.extensionUri, 'media', 'rules', 'default.sniff');
    sources.push({ name: 'default.sniff', text: open.get(defaults.fsPath) ?? (await readFile(defaults.fsPath, 'utf8')) });
    open.delete(defaults.fsPath);
    for (const file of trusted ? settings.ruleFiles : []) {
      const path = this.resolve(file);
      const editing = open.get(path);
      open.delete(path);
      try {
        sources.push({ name: file, text: editing ?? (await readFile(path, 'utf8')) });
      } catch (err) {
        this.log.warn(`foresight.speculation.ruleFiles: cannot read ${path} (${err instanceof Error ? err.message : String(err)}); it is left out.`);
      }
    }
    const fromSettings = new Set(settings.ruleFiles.map((f) => this.resolve(f)));
    for (const source of trusted ? this.chatFiles.sources() : []) {
      if (fromSettings.has(source.name)) continue;
      const editing = open.get(source.name);
      open.delete(source.name);
      sources.push(editing !== undefined ? { name: source.name, text: editing } : source);
    }
    for (const [name, text] of open) sources.push({ name, text });
    const { setup, problems } = createSpeculationSetup(settings, sources, this.calibration, this.latency);
    for (const p of problems) this.log.warn(`rule file problem, rule left out: ${p}`);
    return setup;
  }

  /**
   * Adds a rule file to the chat's rules (or takes its current text), from the editor. A
   * malformed text is refused with the line at fault; the rules in use stay as they were.
   */
  useInChat(path: string, text: string): RuleFileOutcome {
    const outcome = this.chatFiles.use(path, text);
    this.rulesChanged.fire(outcome.ok ? {} : { problem: `${basename(path)} was not used: ${outcome.problem}` });
    return outcome;
  }

  /** A file was saved: a rule file the chat uses is read again (its previous rules kept if the new text is malformed). */
  saved(path: string, text: string): void {
    const outcome = this.chatFiles.saved(path, text);
    if (!outcome) return;
    if (!outcome.ok) this.log.warn(`${path}: ${outcome.problem}; the chat keeps its previous rules`);
    this.rulesChanged.fire(outcome.ok ? {} : { problem: `${basename(path)} was not reloaded, its previous rules are kept: ${outcome.problem}` });
  }

  /** The settings' rule files changed: the chat's list follows. */
  settingsChanged(): void {
    this.rulesChanged.fire({});
  }

  /** Every rule file the chat's next run uses, for its header: shipped, from the settings, added from the editor. */
  activeRuleFiles(settings: SpeculationSettings): RuleFileInfo[] {
    if (!settings.enabled) return [];
    const defaults = vscode.Uri.joinPath(this.extension.extensionUri, 'media', 'rules', 'default.sniff').fsPath;
    const files: RuleFileInfo[] = [{ name: 'default.sniff', path: defaults, origin: 'shipped' }];
    if (!vscode.workspace.isTrusted) return files;
    const seen = new Set<string>();
    for (const file of settings.ruleFiles) {
      const path = this.resolve(file);
      seen.add(path);
      files.push({ name: basename(path), path, origin: 'settings' });
    }
    for (const { path, problem } of this.chatFiles.listed()) {
      if (!seen.has(path)) files.push({ name: basename(path), path, origin: 'chat', ...(problem ? { problem } : {}) });
    }
    return files;
  }

  /** Keeps what this run taught the calibration. */
  async save(): Promise<void> {
    await this.extension.workspaceState.update(CALIBRATION_KEY, this.calibration.toJSON());
  }

  /** A foresight.speculation.ruleFiles entry as a path: relative ones from the first workspace folder. */
  private resolve(file: string): string {
    if (isAbsolute(file)) return file;
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    return folder ? join(folder, file) : file;
  }
}
