// Names that a plain JavaScript object answers from Object.prototype (`constructor`, `toString`,
// `__proto__`, ...) used as modules, imports, classes, functions, receivers, methods and option
// keys in the user's code. The analyzer looks names up in constant tables; such a name must read
// as unknown there, never as a function, so it yields no signal and no crash.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { languageFromEditorId, languageFromPath, SUPPORTED_LANGUAGES } from '../../server/src/analysis/languages.js';
import type { LanguageId } from '../../server/src/analysis/types.js';
import { testAnalyzer } from '../helpers/analyzer.js';

const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__proto__', '__defineGetter__', 'toLocaleString'];

/** One program per language that puts `n` in every role the analyzer looks up by name. */
const PROGRAMS: Readonly<Record<LanguageId, (n: string) => string>> = {
  python: (n) => `import ${n}\nfrom ${n} import ${n} as x\nimport requests as ${n}\nv = ${n}.${n}(${n}=1)\nw = x(${n}).${n}()\nfor item in ${n}.${n}: item.${n}()\n@${n}.${n}(${n}=${n})\ndef ${n}(self):\n    self.${n}(timeout=${n})\n`,
  javascript: (n) => `const ${n} = require('${n}');\nimport { ${n} as y } from '${n}';\nimport z from '${n}';\nconst v = new ${n}.${n}({ ${n}: 1 });\nv.${n}(y, z).${n}();\n${n}(async (${n}) => ${n}.${n}());\naxios.${n}('u', { ${n}: 1 });\n`,
  typescript: (n) => `import ${n} = require('${n}');\nimport { ${n} as y } from '${n}';\nconst v: ${n} = new ${n}.${n}({ ${n}: 1 } as ${n});\nv.${n}<${n}>(y).${n}();\n`,
  tsx: (n) => `import { ${n} } from '${n}';\nexport const C = () => <div onClick={() => ${n}.${n}({ ${n}: 1 })}>{${n}()}</div>;\n`,
  yaml: (n) => `apiVersion: ${n}\nkind: ${n}\n${n}:\n  ${n}: ${n}\n  schedule: "* * * * *"\non:\n  ${n}:\n    - cron: "0 0 * * *"\n`,
  ruby: (n) => `require "${n}"\nclass ${n.replace(/^_+/, 'X')} < ${n.replace(/^_+/, 'Y')}\n  include ${n.replace(/^_+/, 'Z')}\n  ${n} ${n}: 1\n  def ${n}(${n})\n    ${n}.${n}(${n}: 1).${n}\n    ${n.replace(/^_+/, 'W')}.${n}.perform_async(${n})\n  end\nend\n`,
  java: (n) => `import ${n}.${n};\nimport static ${n}.${n}.${n};\nclass A {\n  @${n}(${n} = ${n}.${n})\n  void f(${n} x) { var c = ${n}(); var t = new ${n}(); t.${n}(c.${n}()); ${n}.${n}(${n}.${n}); }\n}\n`,
  go: (n) => `package main\nimport (\n  "${n}"\n  ${n} "${n}"\n  "${n}/${n}"\n)\nfunc ${n}() { c := ${n}.${n}(); c.${n}(${n}.${n}{${n}: 1}); x := &${n}.${n}{}; x.${n}() }\n`,
};

describe('names from Object.prototype in the code', () => {
  before(async () => {
    for (const language of SUPPORTED_LANGUAGES) await testAnalyzer().prepare(language);
  });

  for (const language of SUPPORTED_LANGUAGES) {
    it(`${language}: no crash and no signal from any of ${NAMES.length} prototype names`, () => {
      for (const name of NAMES) {
        const text = PROGRAMS[language](name);
        const result = testAnalyzer().analyzeSync(text, language);
        assert.deepEqual(result.signals.map((s) => s.api), [], `${name}:\n${text}`);
        assert.deepEqual(result.findings.map((f) => f.rule), [], `${name}:\n${text}`);
      }
    });
  }

  it('a file or editor language named like a prototype member is not a supported language', () => {
    for (const name of NAMES) {
      assert.equal(languageFromPath(`a.${name}`), undefined, name);
      assert.equal(languageFromEditorId(name), undefined, name);
    }
  });
});
