import type { Node } from 'web-tree-sitter';
import { unquote } from '../facts/common.js';

/**
 * django-split-settings: a Django settings module that runs other files in its own namespace
 * (`include('settings.dist.py', optional('local_settings.py'))`), so the settings Celery reads
 * through `config_from_object('django.conf:settings')` live in those files.
 */

/**
 * The files a django-split-settings `include('base.py', optional('local.py'))` runs in this
 * module's namespace, as written (relative to the module's directory). A glob (`components/*.py`)
 * names no one file and is left out.
 */
export function splitSettingsIncludes(call: Node, imports: Readonly<Record<string, string>>): string[] {
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'identifier' || imports[callee.text] !== 'split_settings.tools.include') return [];
  const files: string[] = [];
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    let file = arg;
    if (arg?.type === 'call') {
      const inner = arg.childForFieldName('function');
      if (inner?.type !== 'identifier' || imports[inner.text] !== 'split_settings.tools.optional') continue;
      file = arg.childForFieldName('arguments')?.namedChild(0) ?? null;
    }
    if (file?.type !== 'string') continue;
    const name = unquote(file.text);
    if (name.endsWith('.py') && !/[*?[]/.test(name)) files.push(name);
  }
  return files;
}

/**
 * The path of a file named relative to a module's directory (`components/base.py`,
 * `../local.py`), with the module path's own separator; undefined when it climbs above the root.
 */
export function besideModule(modulePath: string, file: string): string | undefined {
  const sep = modulePath.includes('/') ? '/' : '\\';
  const parts = modulePath.split(sep).slice(0, -1);
  for (const part of file.split('/')) {
    if (part === '.' || part === '') continue;
    if (part === '..') {
      if (parts.length <= 1) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join(sep);
}
