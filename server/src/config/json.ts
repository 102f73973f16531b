/**
 * A strict JSON parser that remembers where each value starts (for a property, where its name
 * starts). `JSON.parse` gives neither a position that is stable across Node versions (some of its
 * messages carry none) nor the place of a well-formed value of the wrong type, and a config
 * problem is only clear when it names a line.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A value's place in the document: object keys and array indexes from the root. */
export type JsonPath = readonly (string | number)[];

export type JsonParseResult =
  | { readonly ok: true; readonly value: JsonValue; readonly offsetOf: (path: JsonPath) => number | undefined }
  | { readonly ok: false; readonly offset: number; readonly message: string };

class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const pathKey = (path: JsonPath): string => JSON.stringify(path);

export function parseJson(text: string): JsonParseResult {
  const parser = new Parser(text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text);
  try {
    const value = parser.document();
    return { ok: true, value, offsetOf: (path) => parser.offsets.get(pathKey(path)) };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, offset: error.offset, message: error.message };
    throw error;
  }
}

/** 1-based line and column of an offset, as editors and compilers print them. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function describe(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the file';
  if (ch === '\n' || ch === '\r') return 'the end of the line';
  return `'${ch}'`;
}

class Parser {
  readonly offsets = new Map<string, number>();
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): JsonValue {
    this.space();
    if (this.pos >= this.text.length) this.fail('the file is empty: expected a JSON object');
    const value = this.value([]);
    this.space();
    if (this.pos < this.text.length) this.fail(`unexpected ${describe(this.text[this.pos])} after the end of the JSON value`);
    return value;
  }

  private fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, at);
  }

  private space(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos] ?? '')) this.pos++;
  }

  private value(path: JsonPath): JsonValue {
    this.space();
    this.offsets.set(pathKey(path), this.pos);
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(path);
    if (ch === '[') return this.array(path);
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return literal;
      }
    }
    if (ch === "'") this.fail('strings must use double quotes');
    return this.fail(`expected a value, found ${describe(ch)}`);
  }

  private object(path: JsonPath): JsonValue {
    // No prototype: a key such as "__proto__" is plain data here, as it is for JSON.parse.
    const out = Object.create(null) as Record<string, JsonValue>;
    this.pos++;
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      const ch = this.text[this.pos];
      if (ch !== '"') this.fail(ch === '}' ? "a comma before '}': JSON allows no trailing comma" : `expected a property name in double quotes, found ${describe(ch)}`);
      const keyStart = this.pos;
      const key = this.string();
      this.space();
      if (this.text[this.pos] !== ':') this.fail(`expected ':' after the property name "${key}"`);
      this.pos++;
      out[key] = this.value([...path, key]);
      // A problem with a property is shown at its name, where a reader looks for it.
      this.offsets.set(pathKey([...path, key]), keyStart);
      this.space();
      const next = this.text[this.pos];
      if (next === '}') {
        this.pos++;
        return out;
      }
      if (next !== ',') this.fail(`expected ',' or '}' after the value of "${key}", found ${describe(next)}`);
      this.pos++;
    }
  }

  private array(path: JsonPath): JsonValue {
    const out: JsonValue[] = [];
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] === ']') this.fail("a comma before ']': JSON allows no trailing comma");
      out.push(this.value([...path, out.length]));
      this.space();
      const next = this.text[this.pos];
      if (next === ']') {
        this.pos++;
        return out;
      }
      if (next !== ',') this.fail(`expected ',' or ']' after an array item, found ${describe(next)}`);
      this.pos++;
    }
  }

  private string(): string {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) this.fail('unterminated string', start);
      if (ch === '"') break;
      if (ch < ' ') this.fail(ch === '\n' ? 'unterminated string (a line break inside a string must be written \\n)' : 'a control character inside a string');
      this.pos += ch === '\\' ? 2 : 1;
    }
    this.pos++;
    try {
      // The token is well delimited; JSON.parse decodes its escapes exactly as the standard says.
      return JSON.parse(this.text.slice(start, this.pos)) as string;
    } catch {
      return this.fail('an invalid escape sequence in a string', start);
    }
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail('an invalid number');
    this.pos += match[0].length;
    return Number(match[0]);
  }
}
