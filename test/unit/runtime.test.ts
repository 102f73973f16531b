import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { packageRuntime, runtimeOfPath, type RuntimePlace } from '../../server/src/analysis/runtime.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { ConfigScope } from '../../server/src/config/scope.js';
import { testAnalyzer } from '../helpers/analyzer.js';

const FETCH = `export async function load(url: string) {\n  return fetch(url);\n}\n`;

/** Whether http-timeout reports the file's fetch: it is silent in browser code. */
function reported(text: string, place?: RuntimePlace, language: LanguageId = 'typescript'): boolean {
  const result = testAnalyzer().analyzeSync(text, language, place === undefined ? {} : { place });
  return result.findings.some((f) => f.rule === 'http-timeout');
}

describe('runtime: browser code by its path', () => {
  it('recognises front-end folders, pages and Rails asset folders', () => {
    for (const p of [
      'src/components/Invoice.ts', 'frontend/api.ts', 'client/src/fetcher.js', 'ui/src/api.ts', 'apps/web/ui/links/use-metatags.ts',
      'CTFd/themes/core/static/js/pages/main.js', 'public/js/app.js', 'app/javascript/controllers/select_user_controller.js',
      'app/webpacker/controllers/a.js', 'storefront/templates/app/assets/javascripts/checkout/address.js', 'src/pages/index.ts',
      'ui/src/components/jobs/JobsTable.ts',
      'netbox/project-static/src/util.ts', 'packages/lib/client-only/download-pdf.ts', 'site/assets/inline.js',
    ]) assert.equal(runtimeOfPath(p)?.runtime, 'browser', p);
  });

  it('recognises server folders and Next.js route handlers, API routes and middleware', () => {
    for (const p of [
      'src/pages/api/webhook.ts', 'apps/web/app/api/workspaces/[id]/import/bitly/route.ts', 'apps/web/app/og/route.tsx',
      'packages/auth/server/lib/utils/open-id.ts', 'backend/src/client/http.ts', 'src/middleware.ts', 'packages/jobs/send.ts',
      'app/(ee)/api/cron/route.ts', 'packages/lib/server-only/pdf/insert-field.ts',
    ]) assert.equal(runtimeOfPath(p)?.runtime, 'server', p);
  });

  it('takes Next.js App Router pages and layouts for Server Components, whatever their URL folders are named', () => {
    for (const p of [
      'apps/web/app/(dashboard)/settings/page.tsx', 'app/layout.tsx', 'src/app/components/page.jsx', 'app/[slug]/ui/template.tsx',
      'apps/web/app/app.dub.co/(dashboard)/[slug]/loading.tsx', 'app/not-found.js',
    ]) assert.equal(runtimeOfPath(p)?.runtime, 'server', p);
  });

  it('says nothing of a path with no marker', () => {
    for (const p of ['src/lib/http.ts', 'apps/web/lib/integrations/oauth-provider.ts', 'index.js', 'app/layout.ts', 'packages/app/src/page.ts', 'apps/web/app/(dashboard)/settings/error.tsx']) {
      assert.equal(runtimeOfPath(p), undefined, p);
    }
  });
});

describe('runtime: a package.json', () => {
  it('is a browser app when it builds a bundle and has no server framework', () => {
    assert.equal(packageRuntime({ dependencies: { react: '18', 'react-dom': '18' } }, []), 'browser');
    assert.equal(packageRuntime({ browserslist: ['defaults'] }, []), 'browser');
    assert.equal(packageRuntime({ dependencies: { axios: '1' } }, ['package.json', 'vite.config.ts']), 'browser');
  });

  it('is a server when it depends on a server framework and no UI library', () => {
    assert.equal(packageRuntime({ dependencies: { express: '4', axios: '1' } }, []), 'server');
  });

  it('says nothing for full-stack frameworks, mixed packages, libraries and malformed manifests', () => {
    assert.equal(packageRuntime({ dependencies: { next: '15', react: '19', 'react-dom': '19' } }, []), undefined);
    assert.equal(packageRuntime({ dependencies: { express: '4', 'react-dom': '18' } }, []), undefined);
    assert.equal(packageRuntime({ dependencies: { axios: '1' } }, ['package.json']), undefined);
    assert.equal(packageRuntime('not an object', []), undefined);
    assert.equal(packageRuntime(null, []), undefined);
  });
});

describe('runtime: http-timeout in browser and server code', () => {
  before(async () => {
    for (const language of ['typescript', 'javascript', 'tsx'] as const) await testAnalyzer().prepare(language);
  });

  it('is silent in a front-end folder and reported in a server one', () => {
    assert.equal(reported(FETCH, { path: 'ui/src/api.ts' }), false);
    assert.equal(reported(FETCH, { path: 'server/api.ts' }), true);
    assert.equal(reported(FETCH, { path: 'src/lib/api.ts' }), true);
    assert.equal(reported(FETCH), true);
  });

  it('reports a fetch in a Next.js page with no directive, and not in one marked "use client"', () => {
    const page = `export default async function Page() {\n  const res = await fetch('https://api.example.com/plans');\n  return <main>{(await res.json()).name}</main>;\n}\n`;
    assert.equal(reported(page, { path: 'apps/web/app/(dashboard)/billing/page.tsx' }, 'tsx'), true);
    assert.equal(reported(`'use client';\n${page}`, { path: 'apps/web/app/(dashboard)/billing/page.tsx' }, 'tsx'), false);
    assert.equal(reported(page, { path: 'apps/web/app/(dashboard)/billing/plan-card.tsx' }, 'tsx'), false);
  });

  it('lets the file\'s directive and server imports win over its folder', () => {
    assert.equal(reported(`'use server';\n${FETCH}`, { path: 'src/components/actions.ts' }), true);
    assert.equal(reported(`import fs from 'node:fs';\n${FETCH}`, { path: 'src/components/build.ts' }), true);
    assert.equal(reported(`"use client";\n${FETCH}`, { path: 'server/form.ts' }), false);
  });

  it('reads UI imports and browser globals, not their names in comments, strings or local declarations', () => {
    assert.equal(reported(`import { useState } from 'react';\n${FETCH}`), false);
    assert.equal(reported(`import { Role } from '@prisma/client';\nimport type { Request } from 'express';\nimport { useState } from 'react';\n${FETCH}`), false);
    assert.equal(reported(`${FETCH}export const here = () => window.location.href;\n`), false);
    assert.equal(reported(`export const useRequestRunner = () => {\n  return (url: string) => fetch(url);\n};\n`), false);
    assert.equal(reported(`export function useSettings() {\n  return fetch('/api/settings');\n}\n`), false);
    assert.equal(reported(`export const users = { useCache: true };\n${FETCH}const username = 'a';\n`), true);
    assert.equal(reported(`// window.location\nconst s = 'document.cookie';\n${FETCH}`), true);
    assert.equal(reported(`${FETCH}export function title(document: { title: string }) { return document.title; }\n`), true);
    assert.equal(reported(`${FETCH}export const names = (navigator) => navigator.name;\n`, undefined, 'javascript'), true);
  });

  it('counts a component file and a browser package last', () => {
    assert.equal(reported(FETCH, { path: 'src/lib/Widget.tsx' }, 'tsx'), false);
    assert.equal(reported(FETCH, { path: 'src/lib/api.ts', package: 'browser' }), false);
    assert.equal(reported(FETCH, { path: 'server/api.ts', package: 'browser' }), true);
  });
});

describe('runtime: the host reads the nearest package.json', () => {
  it('gives each JavaScript file its path and its package\'s verdict, and nothing to other languages', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-'));
    try {
      fs.mkdirSync(path.join(root, 'dashboard', 'src'), { recursive: true });
      fs.mkdirSync(path.join(root, 'api', 'src'), { recursive: true });
      fs.writeFileSync(path.join(root, 'dashboard', 'package.json'), JSON.stringify({ dependencies: { 'react-dom': '18' } }));
      fs.writeFileSync(path.join(root, 'api', 'package.json'), '{ not json');
      const scope = new ConfigScope(root, undefined);
      assert.deepEqual(scope.place(path.join(root, 'dashboard', 'src', 'api.ts')), { path: 'dashboard/src/api.ts', package: 'browser' });
      assert.deepEqual(scope.place(path.join(root, 'api', 'src', 'client.ts')), { path: 'api/src/client.ts' });
      assert.equal(scope.place(path.join(root, 'api', 'src', 'client.py')), undefined);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
