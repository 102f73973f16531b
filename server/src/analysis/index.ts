/** The analysis core's public surface: the LSP layer, the CLI and the tests import from here. */
export { Analyzer, AnalyzedDocument, emptyResult, type TextChange } from './session.js';
export { fixAll, minimalEdit } from './fix-all.js';
export { applyEdits } from './fixes/apply.js';
export { mayHaveSignals } from './prefilter.js';
export { LineIndex } from './parsing/positions.js';
export { languageFromEditorId, languageFromPath, SUPPORTED_LANGUAGES } from './languages.js';
export { classifyFile, DEFAULT_TEST_CODE_MODE, TEST_CODE_MODES, treatmentOf, type FileClass, type FileKind, type TestCodeMode, type Treatment } from './file-kind.js';
export { RULES, RULES_BY_ID } from './rules/index.js';
export type { RuleMeta } from './rules/rule.js';
export { SIGNAL_CHAPTERS, SIGNAL_RISKS } from './signals.js';
export type { WasmLocator } from './parsing/parser.js';
export * from './types.js';
export { ProjectModel, SummaryCache, sameSummary } from './project/model.js';
export type { Literal, ModuleResolver, ModuleSummary, ProjectView } from './project/types.js';
export { canonicalKey, type SpringConfig, type SpringEntry } from './project/spring-config.js';
export * from './map/index.js';
