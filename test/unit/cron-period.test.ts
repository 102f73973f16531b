import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runsCloserThan } from '../../server/src/analysis/rules/cron-overlap/cron-period.js';

describe('cron periods (GitHub Actions schedules)', () => {
  it('finds the shortest gap, across hours, days and schedules', () => {
    assert.equal(runsCloserThan(['17 2 * * *'], 360), false);
    assert.equal(runsCloserThan(['17 2 * * *'], 1441), true);
    assert.equal(runsCloserThan(['0 */2 * * *'], 121), true);
    assert.equal(runsCloserThan(['0 */2 * * *'], 120), false);
    // `*/7` runs at :56 and then at :00: four minutes apart.
    assert.equal(runsCloserThan(['*/7 * * * *'], 5), true);
    assert.equal(runsCloserThan(['0 3 * * *', '0 4 * * *'], 61), true);
    assert.equal(runsCloserThan(['0 3,15 * * *'], 720), false);
    // Weekdays only: Friday to Monday is the longest gap, Monday to Tuesday the shortest.
    assert.equal(runsCloserThan(['0 9 * * 1-5'], 1441), true);
    assert.equal(runsCloserThan(['0 9 * * 1-5'], 1440), false);
  });

  it('reads the day fields as cron does: either restricted day field matches', () => {
    // The 1st of a month, or any Monday: a Monday the 31st and Tuesday the 1st are a day apart.
    assert.equal(runsCloserThan(['0 0 1 * 1'], 1441), true);
    assert.equal(runsCloserThan(['0 0 29 2 *'], 1440 * 365), false, 'once in four years');
    assert.equal(runsCloserThan(['0 0 * * 0', '0 0 * * 7'], 1), false, '0 and 7 are both Sunday');
  });

  it('does not guess at what it cannot read', () => {
    for (const cron of ['@daily', '0 0 * * MON', '0 0 0 * * *', '61 * * * *', '5-1 * * * *', '*/0 * * * *']) {
      assert.equal(runsCloserThan([cron], 60), undefined, cron);
    }
    assert.equal(runsCloserThan([], 60), undefined);
  });
});
