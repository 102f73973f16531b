/** The checklist items the user ticked, per workspace (VS Code's workspaceState). */
import type * as vscode from 'vscode';

const KEY = 'taskReliability.checklist.ticks';

export class ChecklistTicks {
  constructor(private readonly state: vscode.Memento) {}

  get(): Set<string> {
    const stored = this.state.get<unknown>(KEY);
    return new Set(Array.isArray(stored) ? stored.filter((v): v is string => typeof v === 'string') : []);
  }

  async set(ruleId: string, ticked: boolean): Promise<Set<string>> {
    const ticks = this.get();
    if (ticked) ticks.add(ruleId);
    else ticks.delete(ruleId);
    await this.state.update(KEY, [...ticks].sort());
    return ticks;
  }
}
