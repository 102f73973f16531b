/**
 * The sidebar webview's HTML. Kept free of the `vscode` module so that a unit test can check the
 * Content-Security-Policy on the exact text the extension sets.
 */
import { randomBytes } from 'node:crypto';

export interface SidebarHtmlInput {
  /** `webview.cspSource`: the only origin styles, fonts and images may come from. */
  readonly cspSource: string;
  /** A fresh nonce for every HTML document; only the script that carries it runs. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly codiconsUri: string;
}

/** 128 bits from the OS's cryptographic generator: a nonce that cannot be guessed, unlike Math.random. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The page shown instead of the book when the sidebar cannot load (its bundle or the book is
 * missing from dist/): it says what happened and what to do, and runs no script at all.
 */
export function sidebarErrorHtml(input: { readonly cspSource: string; readonly styleUri: string; readonly message: string }): string {
  const policy = ["default-src 'none'", `style-src ${input.cspSource}`, "base-uri 'none'", "form-action 'none'"].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(policy)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(input.styleUri)}">
  <title>Task Reliability</title>
</head>
<body>
  <div id="app" class="app">
    <p class="load-error" role="alert">${attr(input.message)}</p>
  </div>
</body>
</html>
`;
}

export function sidebarHtml(input: SidebarHtmlInput): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, input.nonce))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(input.codiconsUri)}">
  <link rel="stylesheet" href="${attr(input.styleUri)}">
  <title>Task Reliability</title>
</head>
<body>
  <div id="app" class="app" aria-busy="true">
    <p class="loading" role="status">Loading the book…</p>
  </div>
  <script nonce="${attr(input.nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>
`;
}
