/**
 * A content hash for the summary cache: two 32-bit FNV-1a passes with different offsets, as 16
 * hex digits. Not cryptographic: it only has to tell one version of a file from another, and it
 * runs in the core, which has no `crypto` of its own.
 */
export function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
