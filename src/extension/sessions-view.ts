import { copyFile, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { Session } from '../core/session/format.js';
import { readSessionFile } from '../core/session/session-reader.js';
import { listedDate, summarizeSession } from '../core/session/session-summary.js';
import { replayReplacement } from '../core/session/replay-replacement.js';
import type { Ctx } from './ctx.js';
import type { TracePanel } from './trace-panel.js';

/** One session of a file (a corpus file may hold many). */
export class SessionItem extends vscode.TreeItem {
  constructor(
    readonly session: Session,
    readonly file: string,
    readonly deletable: boolean,
    /** The file's modification time (ISO), shown when the session states no date of its own. */
    fileDate = '',
  ) {
    const s = summarizeSession(session);
    super(s.title, vscode.TreeItemCollapsibleState.None);
    const date = listedDate(s.createdAt || fileDate);
    this.description = [date, s.model, `${s.turns} turn${s.turns === 1 ? '' : 's'}`, `${s.hits} hit${s.hits === 1 ? '' : 's'}`].filter(Boolean).join(' · ');
    this.tooltip = `${s.title}\n${file}`;
    this.contextValue = deletable ? 'foresight.session.recorded' : 'foresight.session.readonly';
    this.iconPath = new vscode.ThemeIcon(session.header.demo ? 'beaker' : 'history');
    this.command = { command: 'foresight.sessions.open', title: 'Replay', arguments: [this] };
  }
}

class FolderItem extends vscode.TreeItem {
  constructor(
    label: string,
    readonly dir: string,
    readonly deletable: boolean,
  ) {
    super(label, vscode.TreeItemCollapsibleState.Expanded);
    this.iconPath = new vscode.ThemeIcon('folder');
    this.contextValue = 'foresight.sessionFolder';
  }
}

type Item = SessionItem | FolderItem;

async function modifiedAt(file: string): Promise<string> {
  try {
    return (await stat(file)).mtime.toISOString();
  } catch {
    return '';
  }
}

/** The Sessions view: the recorded (and imported) sessions, newest first, and the demo sessions. */
export class SessionsView implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  static readonly viewId = 'foresight.sessions';
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(item: Item): vscode.TreeItem {
    return item;
  }

  async getChildren(item?: Item): Promise<Item[]> {
    if (!item) {
      return [
        new FolderItem('Recorded', this.ctx.sessionsDir(), true),
        new FolderItem('Demo', this.ctx.demoSessionsDir(), false),
      ];
    }
    if (item instanceof SessionItem) return [];
    let names: string[];
    try {
      names = (await readdir(item.dir)).filter((n) => n.endsWith('.jsonl') || n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    if (item.deletable) names.reverse();
    const out: SessionItem[] = [];
    for (const name of names) {
      const file = join(item.dir, name);
      const read = await readSessionFile(file);
      for (const p of read.problems) this.ctx.log.warn(`${p.file}:${p.line}: ${p.message}`);
      // An imported file's sessions often state no date; the day it was written is the next best.
      // Not for the shipped demos: their files' dates are the install's.
      const fileDate = item.deletable ? await modifiedAt(file) : '';
      for (const session of read.sessions) out.push(new SessionItem(session, file, item.deletable, fileDate));
    }
    return out;
  }

  /** Copies a corpus or session file into the sessions folder, so it lists (and replays) with the rest. */
  async import(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Import', filters: { Sessions: ['jsonl', 'json'] } });
    const source = picked?.[0];
    if (!source) return;
    const read = await readSessionFile(source.fsPath);
    if (read.sessions.length === 0) {
      void vscode.window.showErrorMessage(`Foresight: ${basename(source.fsPath)} holds no session: ${read.problems[0]?.message ?? 'nothing readable'}`);
      return;
    }
    const dir = this.ctx.sessionsDir();
    await mkdir(dir, { recursive: true });
    await copyFile(source.fsPath, join(dir, `imported-${basename(source.fsPath)}`));
    this.refresh();
    void vscode.window.showInformationMessage(`Foresight: imported ${read.sessions.length} session${read.sessions.length === 1 ? '' : 's'} from ${basename(source.fsPath)}.`);
  }

  async export(item: SessionItem | undefined): Promise<void> {
    if (!item) return;
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(basename(item.file)), filters: { Sessions: ['jsonl', 'json'] } });
    if (!target) return;
    await copyFile(item.file, target.fsPath);
  }

  async delete(item: SessionItem | undefined): Promise<void> {
    if (!item?.deletable) return;
    const yes = 'Delete';
    const answer = await vscode.window.showWarningMessage(`Delete the session file ${basename(item.file)}?`, { modal: true }, yes);
    if (answer !== yes) return;
    await unlink(item.file);
    this.refresh();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Replays `session` in the trace panel, asking first when another session's replay is on
 * screen (it is the user's, maybe half-watched); the same session's is only shown again.
 */
export async function replaceAsking(trace: TracePanel, session: Session, file: string): Promise<void> {
  const current = trace.currentReplay;
  const open = current ? { sessionId: current.session.header.id, file: current.file, playing: current.state.playing, position: current.state.position } : undefined;
  switch (replayReplacement(open, { sessionId: session.header.id, file })) {
    case 'reveal':
      trace.open();
      return;
    case 'ask': {
      const replace = 'Replace';
      const was = current?.session.header.title ?? current?.session.header.id ?? '';
      const where = current?.state.playing ? 'is playing' : current && current.state.position > 0 ? `is paused at ${current.state.position} of ${current.state.total} events` : 'is open';
      const answer = await vscode.window.showWarningMessage(
        `Replace the replay of «${was}» with «${session.header.title ?? session.header.id}»?`,
        { modal: true, detail: `The replay of «${was}» ${where} in the trace panel. Replacing it starts the new one from the beginning.` },
        replace,
      );
      if (answer !== replace) return;
      break;
    }
    case 'open':
      break;
  }
  await trace.openReplay(session, file);
}
