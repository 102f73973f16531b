export type { MapBackoff, MapEnqueueSite, MapFindingRef, MapFramework, MapRetry, MapSchedule, MapSettingSource, MapSideEffect, MapTask, TaskMap } from './types.js';
export type { MapFileFacts } from './facts.js';
export { joinTaskMap, type JoinOptions, type MapFileInput, type MapResolver } from './join.js';
export { taskMapDot, taskMapMarkdown } from './render.js';
