/** The exit codes of the CLI contract (README, "The CLI"). */

/** Findings at error severity, or more warnings than `--max-warnings`. */
export const EXIT_FINDINGS = 1;

/** Bad usage, or a config file that cannot be read or parsed. */
export const EXIT_USAGE = 2;

/**
 * Some file could not be analysed: the check is incomplete and must not pass as clean. The
 * contract has one code for "not checked", the same as bad usage.
 */
export const EXIT_INCOMPLETE = EXIT_USAGE;
