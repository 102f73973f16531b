import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FileResolver } from '../../server/src/workspace/resolver.js';

/** Writes files under a folder, making the folders on the way. */
function writer(base: string): (file: string, text: string) => void {
  return (file, text) => {
    fs.mkdirSync(path.dirname(path.join(base, file)), { recursive: true });
    fs.writeFileSync(path.join(base, file), text);
  };
}

describe('FileResolver', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tr-resolver-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('answers "not found" for a candidate that runs through a file (ENOTDIR), instead of throwing', () => {
    fs.writeFileSync(path.join(root, 'logo.png'), 'not an image');
    fs.writeFileSync(path.join(root, 'app.ts'), "import logo from './logo.png/inner';\n");
    fs.writeFileSync(path.join(root, 'util.ts'), 'export const x = 1;\n');
    const resolver = new FileResolver(root);
    const app = path.join(root, 'app.ts');
    assert.equal(resolver.resolve(app, './logo.png/inner', 'typescript'), undefined);
    assert.equal(resolver.resolve(app, './util', 'typescript'), path.join(root, 'util.ts'));
  });

  it('finds the Java sources that name an interface after implements (generics and lists too), an open document by its text, and forgets on a change on disk', () => {
    const java = path.join(root, 'java-repo');
    const write = writer(java);
    write('pom.xml', '<project/>');
    write('src/main/java/a/Mailer.java', 'package a;\npublic interface Mailer {}\n');
    write('src/main/java/a/SmtpMailer.java', 'package a;\npublic class SmtpMailer implements Mailer, AutoCloseable {}\n');
    write('src/main/java/a/Handler.java', 'package a;\npublic class Handler implements Consumer<Mailer> {}\n');
    write('src/main/java/a/Other.java', 'package a;\npublic class Other { Mailer mailer; }\n');
    const resolver = new FileResolver(java);
    const from = path.join(java, 'src/main/java/a/Other.java');
    const src = (name: string): string => path.join(java, 'src/main/java/a', name);
    assert.deepEqual(resolver.javaImplementations(from, 'Mailer'), [src('Handler.java'), src('SmtpMailer.java')]);
    assert.deepEqual(resolver.javaImplementations(from, 'Unknown'), []);
    resolver.setOpen(src('Other.java'), 'package a;\npublic class Other implements Mailer {}\n');
    assert.deepEqual(resolver.javaImplementations(from, 'Mailer'), [src('Handler.java'), src('Other.java'), src('SmtpMailer.java')]);
    resolver.setOpen(src('Other.java'), undefined);
    write('src/main/java/a/Smtp2.java', 'package a;\npublic class Smtp2 implements Mailer {}\n');
    resolver.forget();
    assert.deepEqual(resolver.javaImplementations(from, 'Mailer'), [src('Handler.java'), src('Smtp2.java'), src('SmtpMailer.java')]);
  });

  it('names the package whose main entry a file is, by the nearest package.json; other files, and a package.json that is not JSON, name none', () => {
    const lib = path.join(root, 'lib-repo');
    fs.mkdirSync(path.join(lib, 'src'), { recursive: true });
    fs.mkdirSync(path.join(lib, 'examples'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'package.json'), JSON.stringify({ name: 'kafkajs', main: 'index.js' }));
    fs.writeFileSync(path.join(lib, 'index.js'), "module.exports = require('./src');\n");
    fs.writeFileSync(path.join(lib, 'src', 'index.js'), 'module.exports = {};\n');
    fs.writeFileSync(path.join(lib, 'examples', 'producer.js'), "require('../index');\n");
    const resolver = new FileResolver(lib);
    const entry = resolver.resolve(path.join(lib, 'examples', 'producer.js'), '../index', 'javascript');
    assert.equal(entry, path.join(lib, 'index.js'));
    assert.equal(resolver.packageOf(entry as string), 'kafkajs');
    assert.equal(resolver.packageOf(path.join(lib, 'src', 'index.js')), undefined);
    fs.writeFileSync(path.join(lib, 'package.json'), '{ not json');
    resolver.forget();
    assert.equal(resolver.packageOf(path.join(lib, 'index.js')), undefined);
  });

  it('resolves a package of the root\'s workspaces by name, its entry and a subpath, and one with an exports map through the map; other packages stay unknown', () => {
    const mono = path.join(root, 'mono');
    const write = writer(mono);
    write('package.json', JSON.stringify({ name: 'mono', workspaces: ['packages/*', 'apps/web'] }));
    write('packages/lib/package.json', JSON.stringify({ name: '@acme/lib', main: './index.ts' }));
    write('packages/lib/index.ts', 'export const x = 1;\n');
    write('packages/lib/server-only/stripe/index.ts', "export const stripe = 1;\n");
    write('packages/ui/package.json', JSON.stringify({ name: '@acme/ui', exports: { '.': './src/index.ts' } }));
    write('packages/ui/src/index.ts', 'export const y = 1;\n');
    write('apps/web/package.json', JSON.stringify({ name: 'web' }));
    write('apps/web/app.ts', "import { stripe } from '@acme/lib/server-only/stripe';\n");
    const resolver = new FileResolver(mono);
    const app = path.join(mono, 'apps', 'web', 'app.ts');
    assert.equal(resolver.resolve(app, '@acme/lib/server-only/stripe', 'typescript'), path.join(mono, 'packages', 'lib', 'server-only', 'stripe', 'index.ts'));
    assert.equal(resolver.resolve(app, '@acme/lib', 'typescript'), path.join(mono, 'packages', 'lib', 'index.ts'));
    assert.equal(resolver.resolve(app, '@acme/ui', 'typescript'), path.join(mono, 'packages', 'ui', 'src', 'index.ts'));
    // A subpath the exports map does not name is closed to importers.
    assert.equal(resolver.resolve(app, '@acme/ui/src/index', 'typescript'), undefined);
    assert.equal(resolver.resolve(app, '@acme/library', 'typescript'), undefined);
    assert.equal(resolver.resolve(app, 'stripe', 'typescript'), undefined);
  });

  it('reads pnpm-workspace.yaml (`dir/*` and `dir/**`), exports patterns and conditions, and a build target from its source', () => {
    const mono = path.join(root, 'pnpm-mono');
    const write = writer(mono);
    write('package.json', JSON.stringify({ name: 'mono', private: true }));
    write('pnpm-workspace.yaml', "packages:\n  - 'apps/*'\n  - packages/**\n# - legacy/*\n");
    write('packages/billing/package.json', JSON.stringify({ name: '@acme/billing', exports: { '.': './src/index.ts', './*': './src/*.ts' } }));
    write('packages/billing/src/index.ts', 'export const stripe = 1;\n');
    write('packages/billing/src/pricing.ts', 'export const price = 1;\n');
    write('packages/nested/shared/package.json', JSON.stringify({
      name: '@acme/shared', main: './dist/src/index.js',
      exports: { '.': { types: './dist/src/index.d.ts', import: './dist/src/index.js' }, './src/server': { import: './dist/src/server/index.js' } },
    }));
    write('packages/nested/shared/src/index.ts', 'export const shared = 1;\n');
    write('packages/nested/shared/src/server/index.ts', 'export const server = 1;\n');
    write('legacy/old/package.json', JSON.stringify({ name: '@acme/old' }));
    write('legacy/old/index.js', 'module.exports = 1;\n');
    write('apps/web/package.json', JSON.stringify({ name: 'web' }));
    write('apps/web/app.ts', "import { stripe } from '@acme/billing';\n");
    const resolver = new FileResolver(mono);
    const app = path.join(mono, 'apps', 'web', 'app.ts');
    assert.equal(resolver.resolve(app, '@acme/billing', 'typescript'), path.join(mono, 'packages', 'billing', 'src', 'index.ts'));
    assert.equal(resolver.resolve(app, '@acme/billing/pricing', 'typescript'), path.join(mono, 'packages', 'billing', 'src', 'pricing.ts'));
    assert.equal(resolver.resolve(app, '@acme/shared', 'typescript'), path.join(mono, 'packages', 'nested', 'shared', 'src', 'index.ts'));
    assert.equal(resolver.resolve(app, '@acme/shared/src/server', 'typescript'), path.join(mono, 'packages', 'nested', 'shared', 'src', 'server', 'index.ts'));
    assert.equal(resolver.resolve(app, '@acme/old', 'typescript'), undefined);
  });

  it('from one package of a monorepo (the project rooted at apps/web), reads the sibling packages the workspace root above declares, and the modules they import; not past a repository of its own', () => {
    const mono = path.join(root, 'package-rooted');
    const write = writer(mono);
    write('.git/HEAD', 'ref: refs/heads/main\n');
    write('pnpm-workspace.yaml', 'packages:\n  - apps/*\n  - packages/*\n');
    write('packages/billing/package.json', JSON.stringify({ name: '@acme/billing', exports: { '.': './src/index.ts' } }));
    write('packages/billing/src/index.ts', "export { createStripeClient } from './lib/stripe';\n");
    write('packages/billing/src/lib/stripe.ts', "import Stripe from 'stripe';\nexport const createStripeClient = (key: string) => new Stripe(key);\n");
    write('apps/web/package.json', JSON.stringify({ name: 'web' }));
    write('apps/web/src/service.ts', "import { createStripeClient } from '@acme/billing';\n");
    write('apps/vendored/.git/HEAD', 'ref: refs/heads/main\n');
    write('apps/vendored/package.json', JSON.stringify({ name: 'vendored' }));
    write('apps/vendored/index.ts', "import { createStripeClient } from '@acme/billing';\n");
    const web = new FileResolver(path.join(mono, 'apps', 'web'));
    const index = web.resolve(path.join(mono, 'apps', 'web', 'src', 'service.ts'), '@acme/billing', 'typescript');
    assert.equal(index, path.join(mono, 'packages', 'billing', 'src', 'index.ts'));
    assert.equal(web.resolve(index as string, './lib/stripe', 'typescript'), path.join(mono, 'packages', 'billing', 'src', 'lib', 'stripe.ts'));
    const vendored = new FileResolver(path.join(mono, 'apps', 'vendored'));
    assert.equal(vendored.resolve(path.join(mono, 'apps', 'vendored', 'index.ts'), '@acme/billing', 'typescript'), undefined);
  });
});
