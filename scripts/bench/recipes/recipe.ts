/** The pieces a benchmark file is built from: a header, blocks picked at random, an optional footer. */
export type Block = (i: number, pick: <T>(xs: readonly T[]) => T) => string;

export interface Recipe {
  readonly header: string;
  readonly blocks: readonly Block[];
  readonly separator: string;
  /** Closes what the header opened (Java's class). */
  readonly footer?: string;
}

export const NOUNS = ['invoice', 'order', 'payment', 'customer', 'refund', 'shipment', 'report', 'account', 'webhook', 'receipt'];
export const HOSTS = ['https://billing.internal', 'https://api.partner.example', 'https://ledger.svc', 'https://hooks.example.org'];

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
