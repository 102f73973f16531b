import { formatPath, readLayer, type SettingsLayer } from '../config/layer.js';

/**
 * Reads the `taskReliability` section as the client sent it. VS Code's client sends only the
 * values the user set (see client/src/settings.ts), and other editors send what their user wrote,
 * so a missing key means "not set here" and the project config or the default applies. Anything
 * of the wrong type is reported once and ignored; the rest of the settings still apply.
 */
export function readEditorSettings(raw: unknown): { layer: SettingsLayer; problems: string[] } {
  if (raw === null || raw === undefined) return { layer: {}, problems: [] };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { layer: {}, problems: ['taskReliability settings must be an object; using the defaults'] };
  }
  const problems: { path: readonly (string | number)[]; message: string }[] = [];
  const layer = readLayer(raw as Record<string, unknown>, ['enable', 'rules', 'maxFileSize', 'exclude', 'fixTimeoutSeconds', 'scanOnStartup', 'analysisTimeBudgetMs', 'testCode'], problems);
  return { layer, problems: problems.map((p) => `taskReliability.${formatPath(p.path)} ${p.message}; ignoring it`) };
}
