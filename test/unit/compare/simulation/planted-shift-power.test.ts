import test from 'ava';
import { compareRuns } from '../../../../harness/compare/compare-runs.ts';
import { verdictsOf } from '../../../../scenarios/verdicts-of.ts';
import { metricSets } from './metric-sets.ts';
import { seededRandom, syntheticComparison } from './simulate.ts';

// Per primary: an A/A comparison's power report gives the detectable change; a regression of
// that size is planted on the candidate of a fresh comparison; it must be found >= 80% of the time.
const trials = 30;

for (const [scenario, models] of Object.entries(metricSets)) {
  for (const primary of verdictsOf(scenario)?.primaries ?? []) {
    test(`${scenario}: a planted ${primary.metric} regression of the reported detectable size is found >= 80%`, (t) => {
      const random = seededRandom(7 + primary.metric.length);
      let found = 0;
      let planted = 0;
      const sizes: number[] = [];
      for (let i = 0; i < trials; i++) {
        const aa = compareRuns(syntheticComparison(scenario, models, 4, random), { verdictsOf });
        const d = aa.pairs[0]!.metrics.find((m) => m.key === primary.metric)?.primary?.detectable
          .absolute;
        if (d === null || d === undefined) continue;
        sizes.push(d);
        // "detectable" is "more than" this: a hair above it (matters only where runs never vary)
        const shift = (primary.direction === 'lower' ? 1 : -1) * d * (1 + 1e-6);
        const c = compareRuns(
          syntheticComparison(scenario, models, 4, random, { [primary.metric]: shift }),
          { verdictsOf },
        );
        planted++;
        if (c.pairs[0]!.metrics.find((m) => m.key === primary.metric)?.verdict === 'regressed')
          found++;
      }
      if (planted === 0) {
        // node-unreachable's eviction: the default profile never evicts inside smoke's window,
        // so its A/A has no observed value and no spread to compute a detectable change from
        t.log(`${primary.metric}: never observed in the A/A runs, no detectable change reported`);
        t.pass();
        return;
      }
      sizes.sort((a, b) => a - b);
      t.log(
        `${primary.metric}: found ${found} of ${planted}; detectable change (median) ${sizes[Math.floor(sizes.length / 2)]!.toPrecision(3)}`,
      );
      t.true(found / planted >= 0.8, `found ${found} of ${planted}`);
    });
  }
}
