/**
 * The book's build outputs, read once from dist/ and kept: the catalog for the commands' pickers
 * and the report, and the prebuilt search index that the webview loads as it is.
 */
import * as fs from 'node:fs';
import type * as vscode from 'vscode';
import type { Catalog } from '../../../server/src/catalog/types';

export class BookData {
  private catalogCache: Catalog | undefined;
  private indexCache: string | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {}

  get catalog(): Catalog {
    this.catalogCache ??= JSON.parse(fs.readFileSync(this.context.asAbsolutePath('dist/catalog.json'), 'utf8')) as Catalog;
    return this.catalogCache;
  }

  get searchIndex(): string {
    this.indexCache ??= fs.readFileSync(this.context.asAbsolutePath('dist/search-index.json'), 'utf8');
    return this.indexCache;
  }
}
