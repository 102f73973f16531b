import type { Node } from 'web-tree-sitter';
import { unquote } from '../facts/common.js';

/**
 * Where a Python project keeps what a module needs from elsewhere: the files a Django settings
 * module runs with django-split-settings (`include('settings.dist.py', optional('local_settings.py'))`),
 * whose settings Celery reads through `config_from_object('django.conf:settings')`, and the
 * package a module belongs to, whose `__init__.py` loads the Celery app a `@shared_task` runs on.
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
    let file: Node | null = arg;
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

/**
 * The outermost package a Python module belongs to: the highest folder above it, without a gap,
 * that has an `__init__.py` (`apps/api/plane/bgtasks/x.py` → `plane`, `apps/api/plane/__init__.py`).
 */
export function topPackage(modulePath: string, exists: (path: string) => boolean): { name: string; init: string } | undefined {
  const sep = modulePath.includes('/') ? '/' : '\\';
  const parts = modulePath.split(sep).slice(0, -1);
  let found: { name: string; init: string } | undefined;
  for (let depth = 0; parts.length > 0 && depth < MAX_PACKAGE_DEPTH; depth++) {
    const init = [...parts, '__init__.py'].join(sep);
    if (!exists(init)) break;
    found = { name: parts[parts.length - 1] ?? '', init };
    parts.pop();
  }
  return found;
}

/** How many folders up a package is looked for: real packages nest a few levels. */
const MAX_PACKAGE_DEPTH = 12;
