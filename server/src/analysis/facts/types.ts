import type { Node } from 'web-tree-sitter';
import type { LanguageId } from '../types.js';
import type { LineIndex } from '../parsing/positions.js';
import type { JavaBean, JobDefaults, Origin, TimeoutOption } from '../project/types.js';
import type { SpringConfig } from '../project/spring-config.js';

/**
 * Facts are what detectors read off a syntax tree, normalised across languages: calls resolved to
 * canonical API names through the file's imports, with their arguments. Rules read facts, never
 * raw text, so a name in a comment or a string can never become a finding.
 */

export type ValueKind =
  | 'none'
  | 'true'
  | 'false'
  | 'number'
  | 'string'
  | 'identifier'
  | 'member'
  | 'object'
  | 'array'
  | 'call'
  | 'function'
  | 'other';

export interface ValueFact {
  readonly kind: ValueKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** For object literals (JS) and dict displays with string keys (Python). */
  readonly object?: ObjectFact;
  /** For calls, the canonical API the call resolves to; for names, the canonical name they stand for. */
  readonly api?: string;
  /** For names and calls (Java, Go): the start of the call that created the value, when the file shows it. */
  readonly origin?: number;
  readonly node: Node;
}

export interface PropertyFact {
  readonly key: string;
  readonly value: ValueFact;
  readonly start: number;
  readonly end: number;
}

/** How a bracketed list (arguments, object or dict entries, imported names) is laid out, for fixes that append to it. */
export interface ListLayout {
  /** Offset just after the last item (or after the opening bracket when empty). */
  readonly insertAt: number;
  readonly isEmpty: boolean;
  /** Indentation of the items when they sit on their own lines; undefined for one-line lists. */
  readonly itemIndent: string | undefined;
  /** End of the comma after the last item, when the list has a trailing comma. */
  readonly trailingCommaEnd: number | undefined;
  /** End of a comment that follows the last item on its line. */
  readonly trailingCommentEnd: number | undefined;
}

export interface ObjectFact extends ListLayout {
  readonly props: ReadonlyMap<string, PropertyFact>;
  /** A spread (`...opts`, `**opts`) makes absent keys unknown rather than missing. */
  readonly hasSpread: boolean;
  readonly start: number;
  readonly end: number;
}

export interface ArgumentsFact extends ListLayout {
  readonly positional: readonly ValueFact[];
  readonly keywords: ReadonlyMap<string, PropertyFact>;
  /** `*args`, `**kwargs` or `...spread`: absent options are unknown, not missing. */
  readonly hasSplat: boolean;
  /**
   * Ruby: `**opts`, `...` or a computed key may pass keywords. A positional `*args` cannot since
   * Ruby 3.0 (a trailing hash in the array stays positional), so `retry_on(*ERRORS)` has no `wait:`.
   */
  readonly keywordSplat?: boolean;
  readonly start: number;
  readonly end: number;
}

export interface DecoratorInfo {
  /** The decorator's expression, without the `@`. */
  readonly start: number;
  readonly end: number;
  readonly functionName: string;
  readonly functionNode: Node;
}

export interface CallFact {
  /** Canonical API name: `requests.get`, `requests.Session.get`, `bullmq.Queue.add`, `fetch`. */
  readonly api: string;
  readonly start: number;
  readonly end: number;
  readonly calleeStart: number;
  readonly calleeEnd: number;
  /** Undefined for a bare decorator (`@retry`) that is not called. */
  readonly args: ArgumentsFact | undefined;
  readonly isNew: boolean;
  readonly decorator: DecoratorInfo | undefined;
  /** The call that created the receiver (`requests.Session()`, `axios.create({...})`), when known. */
  readonly receiver: CallFact | undefined;
  readonly node: Node;
}

export interface ImportFact {
  /** The canonical module or member the local name stands for. */
  readonly target: string;
  readonly local: string;
  readonly node: Node;
}

export interface MemberAssignment {
  /** Start offset of the call or literal that created the instance. */
  readonly origin: number;
  /** The member path below the instance: `Timeout`, `Producer.Idempotent`. */
  readonly path: string;
  readonly value: ValueFact;
  readonly start: number;
  readonly end: number;
}

/** A name of this file that stands for something another project module defines, where a call uses it. */
export interface ProjectUse {
  readonly start: number;
  readonly end: number;
  readonly local: string;
  readonly call: CallFact;
  /** "the Celery app defined in shop/celeryconf.py:7" */
  readonly description: string;
  readonly origin: Origin | undefined;
  /** What the project gives the value where it is built (ProjectName.configured), for rules that report through it. */
  readonly configured?: readonly string[] | 'unknown';
  /** For a queue built in another file: its `defaultJobOptions` (ProjectName.jobDefaults). */
  readonly jobDefaults?: JobDefaults;
  /** For an HTTP wrapper of another file: the option that alone bounds its call (ProjectName.timeoutOption). */
  readonly timeoutOption?: TimeoutOption;
}

export interface FileFacts {
  readonly language: LanguageId;
  readonly text: string;
  readonly lines: LineIndex;
  readonly calls: readonly CallFact[];
  /** Local name → import. */
  readonly imports: ReadonlyMap<string, ImportFact>;
  /** Module-level constants (name → value), used by fixes that prefer a named constant. */
  readonly constants: ReadonlyMap<string, ValueFact>;
  /** Assignments to well-known configuration members (`axios.defaults.timeout = ...`). */
  readonly configuredMembers: ReadonlySet<string>;
  /**
   * Members assigned on an instance after its creation (`api.defaults.timeout = 5000`), keyed by
   * the start offset of the call that created the instance.
   */
  readonly instanceConfig: ReadonlyMap<number, ReadonlySet<string>>;
  /** Assignments to members of an instance (`b.MaxElapsedTime = 0`), for rules that read the value (Go). */
  readonly memberAssignments?: readonly MemberAssignment[];
  /** Calls whose receiver comes from another project module (Python, Go), for hovers and related locations. */
  readonly projectUses?: readonly ProjectUse[];
  /**
   * Python: the task names the beat schedule of an imported Celery app runs (`CELERY_BEAT_SCHEDULE`
   * in the settings module it reads), from the project model.
   */
  readonly celeryBeat?: readonly string[];
  /** Java: the Spring Boot configuration of the file's source set, from the project model. */
  readonly spring?: SpringConfig;
  /** Java: the project's `@Bean` methods of library types, from the project model. */
  readonly beans?: readonly JavaBean[];
  /** The string quote the file uses most, for fixes that insert strings. */
  readonly quote: "'" | '"';
  readonly root: Node;
}
