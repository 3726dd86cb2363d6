import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { SpeculationSetup } from '../core/agent/agent-loop.js';
import type { SpeculationSettings } from '../core/engine/speculation-setup.js';
import { Calibration, type RuleRecord } from '../core/speculation/calibration.js';
import { LatencyStats } from '../core/speculation/latency-stats.js';
import { createSpeculationSetup, type RuleSource } from '../core/engine/speculation-setup.js';

const CALIBRATION_KEY = 'foresight.calibration';

/**
 * The chat's speculation: the shipped default rules plus the user's rule files, the policy
 * from settings, and calibration kept per workspace so measured hit rates survive restarts.
 */
export class Speculation {
  private readonly calibration: Calibration;
  private readonly latency = new LatencyStats();

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
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    for (const file of trusted ? settings.ruleFiles : []) {
      const path = isAbsolute(file) ? file : folder ? join(folder, file) : file;
      const editing = open.get(path);
      open.delete(path);
      try {
        sources.push({ name: file, text: editing ?? (await readFile(path, 'utf8')) });
      } catch (err) {
        this.log.warn(`foresight.speculation.ruleFiles: cannot read ${path} (${err instanceof Error ? err.message : String(err)}); it is left out.`);
      }
    }
    for (const [name, text] of open) sources.push({ name, text });
    const { setup, problems } = createSpeculationSetup(settings, sources, this.calibration, this.latency);
    for (const p of problems) this.log.warn(`rule file problem, rule left out: ${p}`);
    return setup;
  }

  /** Keeps what this run taught the calibration. */
  async save(): Promise<void> {
    await this.extension.workspaceState.update(CALIBRATION_KEY, this.calibration.toJSON());
  }
}
