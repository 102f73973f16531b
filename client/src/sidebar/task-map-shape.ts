/**
 * Checks that a value has the task map's shape before the sidebar draws it. The map comes from
 * the language server, which is ours, but a server of another version or a bug must give a clear
 * "could not read" in the tab rather than a broken table. Optional fields may be absent; fields
 * the contract adds later are ignored.
 */
import type { MapEnqueueSite, MapFindingRef, MapRetry, MapSchedule, MapSettingSource, MapSideEffect, MapTask, TaskMap } from '../../../server/src/protocol';

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 4096;
const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isFlag = (v: unknown): v is boolean => typeof v === 'boolean';
const orNull = <T>(check: (v: unknown) => v is T) => (v: unknown): v is T | null => v === null || check(v);
const listOf = <T>(check: (v: unknown) => v is T) => (v: unknown): v is readonly T[] => Array.isArray(v) && v.every(check);
const isPlace = (v: Json): boolean => isText(v['file']) && isLine(v['line']);

function isRetry(v: unknown): v is MapRetry {
  return isObject(v)
    && (v['maxAttempts'] === null || (typeof v['maxAttempts'] === 'number' && Number.isInteger(v['maxAttempts']) && v['maxAttempts'] >= 0))
    && [null, 'none', 'fixed', 'exponential'].includes(v['backoff'] as string | null)
    && orNull(isFlag)(v['jitter']);
}

function isSource(v: unknown): v is MapSettingSource {
  return isObject(v) && isText(v['setting']) && isText(v['from']) && isPlace(v);
}

function isEffect(v: unknown): v is MapSideEffect {
  return isObject(v) && isText(v['kind']) && isText(v['api']) && isPlace(v) && (v['via'] === undefined || listOf(isText)(v['via']));
}

function isSite(v: unknown): v is MapEnqueueSite {
  return isObject(v) && isPlace(v) && isFlag(v['inTransaction']) && isFlag(v['afterCommit']) && isFlag(v['idempotencyKey'])
    && (v['fromHandler'] === undefined || isFlag(v['fromHandler']));
}

function isFindingRef(v: unknown): v is MapFindingRef {
  return isObject(v) && isText(v['rule']) && isPlace(v);
}

function isTask(v: unknown): v is MapTask {
  return isObject(v) && isText(v['name']) && isText(v['framework']) && isPlace(v)
    && orNull(isText)(v['queue']) && orNull(isRetry)(v['retry']) && orNull(isFlag)(v['acksLate'])
    && (v['timeLimit'] === undefined || v['timeLimit'] === null || (typeof v['timeLimit'] === 'number' && v['timeLimit'] >= 0))
    && (v['sources'] === undefined || listOf(isSource)(v['sources']))
    && listOf(isEffect)(v['sideEffects']) && listOf(isSite)(v['enqueuedFrom']) && listOf(isFindingRef)(v['findings']);
}

function isSchedule(v: unknown): v is MapSchedule {
  return isObject(v) && isText(v['name']) && isText(v['framework']) && isPlace(v)
    && orNull(isText)(v['schedule']) && orNull(isText)(v['task']) && listOf(isFindingRef)(v['findings']);
}

export function isTaskMap(value: unknown): value is TaskMap {
  return isObject(value) && value['version'] === 1 && listOf(isTask)(value['tasks']) && listOf(isSchedule)(value['schedules']);
}

/**
 * The segments of a map's folder-relative path, or undefined for a path that could leave the
 * folder (absolute, a drive, backslashes, `..`, `.` or empty segments): the webview names the file
 * to open, and the host opens only files inside the workspace folder.
 */
export function folderRelativeParts(file: string): string[] | undefined {
  const parts = file.split('/');
  if (file.startsWith('/') || /^[a-zA-Z]:/.test(file) || file.includes('\\') || file.includes('\u0000')) return undefined;
  return parts.some((p) => p === '..' || p === '.' || p === '') ? undefined : parts;
}
