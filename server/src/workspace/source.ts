import fs from 'node:fs/promises';

export type SourceRead =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'skipped'; readonly reason: string };

/**
 * Reads a file for analysis, or says why it is not analysed: too large (checked before reading,
 * so a huge generated file costs one stat), binary, or unreadable. The CLI and the workspace scan
 * apply the same limits.
 */
export async function readSource(file: string, maxFileSize: number): Promise<SourceRead> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > maxFileSize) return { kind: 'skipped', reason: `larger than maxFileSize (${maxFileSize} bytes)` };
    const text = await fs.readFile(file, 'utf8');
    if (text.includes('\u0000')) return { kind: 'skipped', reason: 'binary content' };
    return { kind: 'text', text };
  } catch (error) {
    return { kind: 'skipped', reason: `cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
}
