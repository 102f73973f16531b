import type { Node } from 'web-tree-sitter';

/**
 * Where a JavaScript or TypeScript file runs: in a user's browser tab, on a server, or unknown.
 * Some findings only matter on a server: a `fetch` with no timeout in a React component holds
 * the user's tab, which the user can leave, not a worker that other requests wait for.
 *
 * Pure: the syntax tree, the file's path relative to its project root and what the host read of
 * the nearest package.json (`packageRuntime`) in, a verdict and its reason out. The evidence is
 * weighed from the most specific to the least:
 *
 * 1. a `"use client"` or `"use server"` directive at the top of the file;
 * 2. an import only a server can satisfy (`server-only`, `next/server`, Node's built-in modules,
 *    server frameworks);
 * 3. the path: Rails' `app/javascript/` and `assets/javascripts/` and webpacker folders are
 *    front end; Next.js route handlers, `pages/api/` and the App Router's pages and layouts
 *    (`page.tsx`, `layout.tsx`... anywhere under `app/`) are server code, since without a `"use client"`
 *    directive (read first) they are Server Components, and the folders above them are URL
 *    segments, not a code layout; otherwise the nearest folder that says which side it is
 *    (`server/`, `backend/` against `components/`, `frontend/`, `static/`, `public/`), then names
 *    both sides use (`client/`, `ui/`, `pages/` before `workers/`, `jobs/`);
 * 4. the file's syntax: an import of a UI library (React, Vue, Svelte, Angular, jQuery...), a
 *    React hook declared at the top level (`export const useRequestRunner = ...`), JSX, or the
 *    browser's globals (`window`, `document`, `localStorage`, `navigator`);
 * 5. a `.tsx` or `.jsx` component file;
 * 6. a package that is a browser app by its package.json (see `packageRuntime`).
 *
 * A file nothing speaks for is `unknown`, and rules treat it as server code.
 */

export type Runtime = 'browser' | 'server' | 'unknown';
/** What a package.json says of the code under it; undefined when it says nothing clear. */
export type PackageRuntime = 'browser' | 'server';

export interface RuntimeClass {
  readonly runtime: Runtime;
  /** Why, in a few words: "a \"use client\" directive", "in a components/ folder". */
  readonly reason: string;
}

/** What the host knows of a file besides its text. */
export interface RuntimePlace {
  /** The path relative to the project root, with forward slashes. */
  readonly path?: string;
  /** The verdict of the nearest package.json, from `packageRuntime`. */
  readonly package?: PackageRuntime;
}

const UNKNOWN: RuntimeClass = { runtime: 'unknown', reason: 'nothing says where it runs' };

/**
 * Modules only a server can load: Node's built-ins, server frameworks, Next.js server APIs. Not an
 * ORM's client: front ends import its generated enums and types (`@prisma/client`).
 */
/**
 * Node's built-ins that bundlers do not stand in for in the browser (`path`, `url`, `util`,
 * `events` and `buffer` often are, so they say nothing).
 */
const NODE_BUILTINS = new Set(
  'async_hooks child_process cluster crypto dgram dns fs fs/promises http http2 https net os perf_hooks readline tls v8 vm worker_threads'.split(' '),
);
const SERVER_MODULES = new Set([
  'server-only', 'next/server', 'next/headers', 'express', 'fastify', 'koa', 'hono', '@nestjs/common', '@nestjs/core',
  'bullmq', 'bull', 'kafkajs', '@aws-sdk/client-sqs', 'pg', 'mysql2', 'ioredis', 'nodemailer',
]);
/** UI libraries: a file that imports one is a component, a hook or a store of a front end. */
const UI_MODULES = new Set([
  'react', 'react-dom', 'react-dom/client', 'vue', 'svelte', 'preact', 'preact/hooks', 'solid-js', '@angular/core', 'jquery',
  'next/router', 'next/navigation', 'next/link', 'next/image', 'swr', '@tanstack/react-query', 'react-query', '@stimulus/core',
  '@hotwired/stimulus', 'stimulus', 'react-router', 'react-router-dom', 'react-redux', 'vue-router', 'pinia', 'vuex',
]);
const BROWSER_GLOBALS = new Set(['window', 'document', 'localStorage', 'sessionStorage', 'navigator']);

const SERVER_DIRS = new Set(['server', 'servers', 'server-only', 'backend', 'lambda', 'lambdas']);
/** Folders of server work that a front end may also name (a `jobs/` page of a dashboard): they count only outside one. */
const WEAK_SERVER_DIRS = new Set(['worker', 'workers', 'jobs', 'cron', 'crons', 'trigger']);
const BROWSER_DIRS = new Set(['components', 'frontend', 'client-only', 'static', 'public', 'webpacker', 'javascripts', 'webview', 'popup']);
/** `project-static/`, `static_src/`: folders of files served as they are. */
const STATIC_DIR = /^([a-z]+[-_])?static([-_][a-z]+)?$/;
/** Front-end folder names a server also uses (an API `client/` of a backend): a server folder anywhere above wins. */
const WEAK_BROWSER_DIRS = new Set(['client', 'ui', 'browser', 'widgets', 'pages', 'assets']);

/**
 * The App Router's special files that are Server Components by default. `error` and
 * `global-error` are left out: Next.js requires them to be Client Components.
 */
const NEXT_SERVER_COMPONENTS = new Set(['page', 'layout', 'template', 'default', 'not-found', 'loading']);

/** Classifies a JavaScript, TypeScript or TSX file by its tree (`root`) and its place. */
export function classifyRuntime(root: Node, place: RuntimePlace = {}): RuntimeClass {
  const top = root.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
  const directive = directiveOf(top);
  if (directive === 'use client') return { runtime: 'browser', reason: 'a "use client" directive' };
  if (directive === 'use server') return { runtime: 'server', reason: 'a "use server" directive' };
  const modules = importedModules(top);
  const serverModule = modules.find(isServerModule);
  if (serverModule !== undefined) return { runtime: 'server', reason: `it imports ${serverModule}` };
  const byPath = place.path === undefined ? undefined : runtimeOfPath(place.path);
  if (byPath !== undefined) return byPath;
  const uiModule = modules.find((m) => UI_MODULES.has(m) || m.startsWith('@angular/') || m.startsWith('@vue/'));
  if (uiModule !== undefined) return { runtime: 'browser', reason: `it imports ${uiModule}` };
  const hook = hookOf(top);
  if (hook !== undefined) return { runtime: 'browser', reason: `it declares the React hook ${hook}` };
  const browserSyntax = browserSyntaxOf(root);
  if (browserSyntax !== undefined) return { runtime: 'browser', reason: browserSyntax };
  if (place.path !== undefined && /\.[jt]sx$/.test(place.path)) return { runtime: 'browser', reason: 'a component file (.tsx/.jsx)' };
  if (place.package === 'browser') return { runtime: 'browser', reason: 'its package.json is a browser app' };
  if (place.package === 'server') return { runtime: 'server', reason: 'its package.json is a server' };
  return UNKNOWN;
}

/** The path's verdict, or undefined when no folder or file name says which side the file is on. */
export function runtimeOfPath(path: string): RuntimeClass | undefined {
  const segments = path.toLowerCase().split('/').filter((s) => s !== '' && s !== '.');
  const name = segments.pop() ?? '';
  const stem = name.replace(/\.[cm]?[jt]sx?$/, '');
  // Rails' app/javascript/ (webpacker, importmaps) and app/assets/ are served to the browser.
  const rails = segments.findIndex((s, i) => (s === 'javascript' || s === 'assets') && segments[i - 1] === 'app');
  if (rails >= 0) return { runtime: 'browser', reason: `in app/${segments[rails] ?? ''}/` };
  const app = segments.lastIndexOf('app');
  const pages = segments.lastIndexOf('pages');
  // Next.js: API routes, route handlers and middleware run on the server.
  if (pages >= 0 && segments[pages + 1] === 'api') return { runtime: 'server', reason: 'a Next.js API route (pages/api/)' };
  if (app >= 0 && (segments.slice(app + 1).includes('api') || stem === 'route')) return { runtime: 'server', reason: 'a Next.js route handler' };
  if (stem === 'middleware' && segments.length <= 2) return { runtime: 'server', reason: 'a Next.js middleware' };
  // App Router files that render on the server unless their own directive says otherwise.
  if (app >= 0 && NEXT_SERVER_COMPONENTS.has(stem) && /\.(jsx?|tsx)$/.test(name)) return { runtime: 'server', reason: `a Next.js ${stem} (a Server Component)` };
  // The nearest unambiguous folder decides; ambiguous names count only when none says anything.
  let weakBrowser: string | undefined;
  let weakServer: string | undefined;
  for (let i = segments.length - 1; i >= 0; i--) {
    const dir = segments[i] ?? '';
    if (SERVER_DIRS.has(dir)) return { runtime: 'server', reason: `in a ${dir}/ folder` };
    if (BROWSER_DIRS.has(dir) || STATIC_DIR.test(dir)) return { runtime: 'browser', reason: `in a ${dir}/ folder` };
    if (WEAK_BROWSER_DIRS.has(dir)) weakBrowser ??= dir;
    if (WEAK_SERVER_DIRS.has(dir)) weakServer ??= dir;
  }
  if (weakBrowser !== undefined) return { runtime: 'browser', reason: `in a ${weakBrowser}/ folder` };
  if (weakServer !== undefined) return { runtime: 'server', reason: `in a ${weakServer}/ folder` };
  return undefined;
}

/**
 * What a package.json says: a browser app when it builds a bundle (a `browserslist`, a bundler's
 * config file beside it, react-dom or another UI framework among its dependencies) and has no
 * server framework; a server when it depends on one and on no UI library. Full-stack frameworks
 * (Next.js, Nuxt, Remix, SvelteKit, Astro) hold both sides, and say nothing here: the file's own
 * path and syntax decide. `files` are the names of the files beside the package.json.
 */
export function packageRuntime(manifest: unknown, files: readonly string[]): PackageRuntime | undefined {
  if (typeof manifest !== 'object' || manifest === null) return undefined;
  const m = manifest as Record<string, unknown>;
  const deps = new Set<string>();
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies']) {
    const value = m[field];
    if (typeof value === 'object' && value !== null) for (const name of Object.keys(value)) deps.add(name);
  }
  const has = (names: readonly string[]): boolean => names.some((n) => deps.has(n));
  if (has(['next', 'nuxt', '@remix-run/node', '@remix-run/react', '@sveltejs/kit', 'astro', '@builder.io/qwik-city'])) return undefined;
  const server = has(['express', 'fastify', 'koa', 'hono', '@nestjs/core', '@hapi/hapi', 'bullmq', 'bull', 'kafkajs']);
  const bundler = files.some((f) => /^(vite|webpack|rollup|parcel|craco|vue|svelte|angular)\.config\.[cm]?[jt]s$|^angular\.json$|^\.browserslistrc$/.test(f));
  const ui = has(['react-dom', 'vue', 'svelte', '@angular/core', 'preact', 'solid-js', 'react-scripts', 'vite', '@vitejs/plugin-react']);
  if (server && !ui) return 'server';
  if (!server && (ui || bundler || m['browserslist'] !== undefined)) return 'browser';
  return undefined;
}

function isServerModule(module: string): boolean {
  if (module.startsWith('node:')) return true;
  return NODE_BUILTINS.has(module) || SERVER_MODULES.has(module) || module.startsWith('@nestjs/');
}

/**
 * A function or constant named like a React hook (`useSomething`) declared at the top level:
 * hooks run in components, and components of a file with no `"use server"` run in the browser.
 */
function hookOf(top: readonly Node[]): string | undefined {
  for (const statement of top) {
    const node = statement.type === 'export_statement' ? statement.childForFieldName('declaration') : statement;
    if (node === null) continue;
    const names = node.type === 'function_declaration'
      ? [node.childForFieldName('name')]
      : node.type === 'lexical_declaration' ? node.namedChildren.map((d) => (d?.type === 'variable_declarator' ? d.childForFieldName('name') : null)) : [];
    const hook = names.find((n) => n?.type === 'identifier' && HOOK_NAME.test(n.text));
    if (hook !== undefined && hook !== null) return hook.text;
  }
  return undefined;
}
const HOOK_NAME = /^use[A-Z]\w*$/;

/** The directive that opens the file (`"use client"`), if any; only the leading strings count. */
function directiveOf(top: readonly Node[]): string | undefined {
  for (const node of top) {
    if (node.type !== 'expression_statement') return undefined;
    const expression = node.namedChild(0);
    if (expression?.type !== 'string') return undefined;
    const value = expression.text.slice(1, -1);
    if (value === 'use client' || value === 'use server') return value;
  }
  return undefined;
}

/** Modules the file imports at its top level: `import ... from 'm'`, `import 'm'`, `require('m')`. */
function importedModules(top: readonly Node[]): string[] {
  const modules: string[] = [];
  const stringValue = (node: Node | null | undefined): string | undefined =>
    node?.type === 'string' ? node.text.slice(1, -1) : undefined;
  for (const node of top) {
    if (node.type === 'import_statement') {
      // `import type` brings no code: a component may name a server library's types.
      if (node.children.some((c) => c?.type === 'type')) continue;
      const source = stringValue(node.childForFieldName('source'));
      if (source !== undefined) modules.push(source);
      continue;
    }
    if (node.type !== 'lexical_declaration' && node.type !== 'variable_declaration' && node.type !== 'expression_statement') continue;
    const stack: Node[] = [node];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (n.type === 'call_expression' && n.childForFieldName('function')?.text === 'require') {
        const source = stringValue(n.childForFieldName('arguments')?.namedChild(0));
        if (source !== undefined) modules.push(source);
        continue;
      }
      if (n.type === 'arrow_function' || n.type === 'function_expression' || n.type === 'class') continue;
      for (const child of n.namedChildren) if (child !== null) stack.push(child);
    }
  }
  return modules;
}

/**
 * JSX, or a browser global read as an object (`window.location`, `document.cookie`) that the file
 * does not declare itself: server code often has a `document` of its own.
 */
function browserSyntaxOf(root: Node): string | undefined {
  const read = new Set<string>();
  const declared = new Set<string>();
  const stack: Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'jsx_element' || node.type === 'jsx_self_closing_element') return 'it renders JSX';
    if (node.type === 'member_expression') {
      const object = node.childForFieldName('object');
      if (object?.type === 'identifier' && BROWSER_GLOBALS.has(object.text)) read.add(object.text);
    } else if (node.type === 'identifier' || node.type === 'shorthand_property_identifier_pattern') {
      if (BROWSER_GLOBALS.has(node.text) && isDeclaration(node)) declared.add(node.text);
    }
    for (const child of node.namedChildren) if (child !== null && child.type !== 'comment' && child.type !== 'string' && child.type !== 'template_string') stack.push(child);
  }
  const global = [...read].find((name) => !declared.has(name));
  return global === undefined ? undefined : `it reads ${global}`;
}

/** A name being declared: a variable, a parameter, a destructured binding, an import or a function. */
function isDeclaration(name: Node): boolean {
  const parent = name.parent;
  if (parent === null) return false;
  if (name.type === 'shorthand_property_identifier_pattern') return true;
  switch (parent.type) {
    case 'variable_declarator':
    case 'function_declaration':
    case 'class_declaration':
      return parent.childForFieldName('name')?.id === name.id;
    case 'arrow_function':
      return parent.childForFieldName('parameter')?.id === name.id;
    case 'required_parameter':
    case 'optional_parameter':
      return parent.childForFieldName('pattern')?.id === name.id;
    case 'formal_parameters':
    case 'array_pattern':
    case 'import_specifier':
    case 'import_clause':
    case 'namespace_import':
    case 'pair_pattern':
    case 'assignment_pattern':
      return true;
    default:
      return false;
  }
}

const classified = new WeakMap<object, RuntimeClass>();

/**
 * `classifyRuntime` once per file's facts: rules ask only where they would report, and the
 * syntax walk then runs at most once per analysis.
 */
export function runtimeOfFile(facts: { readonly root: Node }, place: RuntimePlace | undefined): RuntimeClass {
  const known = classified.get(facts);
  if (known !== undefined) return known;
  const value = classifyRuntime(facts.root, place);
  classified.set(facts, value);
  return value;
}
