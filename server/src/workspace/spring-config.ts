import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';
import { canonicalKey, type Literal, type SpringConfig, type SpringEntry } from '../analysis/index.js';

/**
 * Spring Boot's application configuration for a Java file: the `application.*` files of the
 * `resources` folder beside the `java` source root that holds the file, then of its `config/`
 * folder, which Boot reads after (so they win). In one folder `.properties` wins over YAML, as
 * Boot documents. Profile files (`application-prod.yml`) and profile documents are read too, with
 * their keys marked as profiled.
 */
const BASE_NAMES = ['application.yml', 'application.yaml', 'application.properties'];

export function springConfigFor(javaFile: string, read: (file: string) => string | undefined, list: (dir: string) => readonly string[]): SpringConfig | undefined {
  const parts = javaFile.split(path.sep);
  const at = parts.lastIndexOf('java');
  if (at < 1) return undefined;
  const resources = path.join(parts.slice(0, at).join(path.sep) || path.sep, 'resources');
  const entries: Record<string, SpringEntry> = {};
  const files: string[] = [];
  for (const dir of [resources, path.join(resources, 'config')]) {
    const names = list(dir);
    const profiles = names.filter((n) => /^application-[\w.-]+\.(?:ya?ml|properties)$/.test(n)).sort();
    for (const name of [...BASE_NAMES.filter((n) => names.includes(n)), ...profiles]) {
      const file = path.join(dir, name);
      const text = read(file);
      if (text === undefined) continue;
      files.push(file);
      const profiled = name !== 'application.yml' && name !== 'application.yaml' && name !== 'application.properties';
      const read1 = name.endsWith('.properties') ? readProperties(text) : readYaml(text);
      for (const entry of read1) {
        const key = canonicalKey(entry.key);
        const before = entries[key];
        // A profile's value does not replace the default: it only makes the key depend on the profile.
        if (profiled || entry.profiled) entries[key] = { ...(before ?? { ...entry, origin: { path: file, ...entry.at } }), profiled: true };
        else entries[key] = { key: entry.key, value: entry.value, origin: { path: file, ...entry.at }, profiled: before?.profiled ?? false };
      }
    }
  }
  return files.length === 0 ? undefined : { entries, files };
}

interface Read {
  readonly key: string;
  readonly value: Literal;
  readonly at: { line: number; character: number; endLine: number; endCharacter: number };
  readonly profiled: boolean;
}

/** Every scalar of every document, by dotted key (`a.b[0].c`); a document with `on-profile` is profiled. */
function readYaml(text: string): Read[] {
  const out: Read[] = [];
  const lines = new LineCounter();
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines });
  } catch {
    return out;
  }
  if (!Array.isArray(docs)) return out;
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    const found: Read[] = [];
    const visit = (node: unknown, prefix: string, keyNode: YamlNode | undefined): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
          if (key !== undefined) visit(pair.value, prefix === '' ? key : `${prefix}.${key}`, pair.key as YamlNode);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => visit(item, `${prefix}[${i}]`, keyNode));
      } else if (isScalar(node) && keyNode?.range != null) {
        const start = lines.linePos(keyNode.range[0]);
        const end = lines.linePos(keyNode.range[1]);
        const value = node.value;
        const literal: Literal = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : { unknown: true };
        found.push({ key: prefix, value: literal, at: { line: start.line - 1, character: start.col - 1, endLine: end.line - 1, endCharacter: end.col - 1 }, profiled: false });
      }
    };
    visit(doc.contents, '', undefined);
    const profiled = found.some((r) => /^spring\.(?:config\.activate\.on-?profile|profiles)$/i.test(r.key));
    for (const r of found) out.push(profiled ? { ...r, profiled } : r);
  }
  return out;
}

/** `key=value`, `key: value` or `key value` per line; comments start with `#` or `!`; a continued line is not read. */
function readProperties(text: string): Read[] {
  const out: Read[] = [];
  const rows = text.split(/\r?\n/);
  let continued = false;
  rows.forEach((row, line) => {
    const was = continued;
    continued = /(?:^|[^\\])(?:\\\\)*\\$/.test(row);
    const trimmed = row.trimStart();
    if (was || trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('!')) return;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(trimmed);
    if (m === null || continued) return;
    const character = row.length - trimmed.length;
    const key = m[1] as string;
    out.push({ key, value: (m[2] as string).trim(), at: { line, character, endLine: line, endCharacter: character + key.length }, profiled: false });
  });
  return out;
}
