export type { MapBackoff, MapEnqueueSite, MapFindingRef, MapFramework, MapRetry, MapSchedule, MapSettingSource, MapSideEffect, MapTask, TaskMap } from './types.js';
export type { MapFileFacts } from './facts.js';
export { joinTaskMap, type JoinOptions, type MapFileInput, type MapResolver } from './join.js';
export { taskMapDot, taskMapMarkdown } from './render.js';
export { joinProject, type JoinedSchedule, type JoinedSite, type JoinedTask, type ProjectJoin } from './join.js';
export { findingsOfJoin, projectFindings, rawFindingsOfJoin, type ProjectRawFindings, type ProjectFileInput, type ProjectFindings } from './project-findings.js';
