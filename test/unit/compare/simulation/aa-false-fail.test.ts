import test from 'ava';
import { compareRuns } from '../../../../harness/compare/compare-runs.ts';
import { verdictsOf } from '../../../../scenarios/verdicts-of.ts';
import { metricSets } from './metric-sets.ts';
import { seededRandom, syntheticComparison } from './simulate.ts';

// 100 A/A comparisons per scenario, 4 runs a side (the default --repeat): 400 in all
const comparisons = 100;

for (const [scenario, models] of Object.entries(metricSets)) {
  test(`${scenario}: A/A comparisons of its real metric set FAIL at most 5% of the time`, (t) => {
    const random = seededRandom(20261127);
    let fail = 0;
    for (let i = 0; i < comparisons; i++) {
      const c = compareRuns(syntheticComparison(scenario, models, 4, random), { verdictsOf });
      t.true(
        c.pairs[0]!.metrics.length >= models.length - 6,
        'the metric set reached the verdicts',
      );
      if (c.outcome.status === 'fail') fail++;
    }
    t.log(`${scenario}: ${models.length} metrics, ${fail} of ${comparisons} A/A comparisons FAIL`);
    t.true(fail / comparisons <= 0.05, `${fail} of ${comparisons} FAIL`);
  });
}
