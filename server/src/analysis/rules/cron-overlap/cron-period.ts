/**
 * The shortest gap between two runs of a set of five-field cron schedules (minute, hour, day of
 * month, month, day of week, in UTC as GitHub Actions reads them), or whether it is shorter than a
 * given number of minutes. Fire times are listed day by day over four years from a leap year, so
 * schedules on the 29th of February, on the 31st, or on a weekday of a given day of month are all
 * seen; the walk stops at the first gap that is short enough. Fields follow POSIX cron with the
 * usual extensions: `*`, `a`, `a-b`, `*\/n`, `a-b/n`, lists, and `7` for Sunday. When both day
 * fields are restricted a day matches either, as in Vixie cron and GitHub's scheduler. Anything else
 * (names such as `MON`, `@daily`, six fields) is not understood: the answer is then undefined.
 */

const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12 },
  { min: 0, max: 7 },
] as const;

interface Schedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly anyDay: boolean;
  readonly anyWeekday: boolean;
}

const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);
const DAYS = 4 * 366;

/** True when two runs can start less than `minutes` apart; undefined when a schedule is not understood. */
export function runsCloserThan(crons: readonly string[], minutes: number): boolean | undefined {
  const schedules = crons.map(parse);
  if (schedules.some((s) => s === undefined) || schedules.length === 0) return undefined;
  let previous: number | undefined;
  for (let day = 0; day < DAYS; day++) {
    const date = new Date(START + day * DAY_MS);
    const fires = new Set<number>();
    for (const s of schedules as Schedule[]) {
      if (!runsOn(s, date)) continue;
      for (const h of s.hours) for (const m of s.minutes) fires.add(h * 60 + m);
    }
    for (const minute of [...fires].sort((a, b) => a - b)) {
      const at = day * 1440 + minute;
      if (previous !== undefined && at - previous < minutes) return true;
      previous = at;
    }
  }
  return false;
}

function runsOn(s: Schedule, date: Date): boolean {
  if (!s.months.has(date.getUTCMonth() + 1)) return false;
  const byDay = s.days.has(date.getUTCDate());
  const byWeekday = s.weekdays.has(date.getUTCDay());
  if (s.anyDay && s.anyWeekday) return true;
  if (s.anyDay) return byWeekday;
  if (s.anyWeekday) return byDay;
  return byDay || byWeekday;
}

function parse(cron: string): Schedule | undefined {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return undefined;
  const values = parts.map((part, i) => field(part, FIELDS[i] ?? FIELDS[0]));
  const [minutes, hours, days, months, weekdays] = values;
  if (minutes === undefined || hours === undefined || days === undefined || months === undefined || weekdays === undefined) return undefined;
  const week = new Set([...weekdays].map((d) => d % 7));
  return {
    minutes: [...minutes].sort((a, b) => a - b),
    hours: [...hours].sort((a, b) => a - b),
    days,
    months,
    weekdays: week,
    anyDay: parts[2] === '*' || parts[2] === '?',
    anyWeekday: parts[4] === '*' || parts[4] === '?',
  };
}

function field(text: string, range: { min: number; max: number }): Set<number> | undefined {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const m = /^(\*|\?|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (m === null) return undefined;
    const step = m[4] === undefined ? 1 : Number(m[4]);
    const from = m[2] === undefined ? range.min : Number(m[2]);
    // `a/n` runs from a to the end of the range, as in Vixie cron.
    const to = m[2] === undefined ? range.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? range.max : from;
    if (step < 1 || from < range.min || to > range.max || from > to) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}
