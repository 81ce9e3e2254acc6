import test from 'ava';
import {
  counterDelta,
  histogramDelta,
  histogramQuantile,
  parseScrape,
} from '../../../harness/measure/prometheus.ts';

const scrape = (getCount: number, buckets: [string, number][]) =>
  parseScrape(`# HELP apiserver_request_total x
# TYPE apiserver_request_total counter
apiserver_request_total{code="200",verb="GET",resource="configmaps"} ${getCount}
apiserver_request_total{code="429",verb="GET",resource="configmaps"} 2
# HELP apiserver_request_duration_seconds x
# TYPE apiserver_request_duration_seconds histogram
${buckets.map(([le, c]) => `apiserver_request_duration_seconds_bucket{verb="GET",resource="configmaps",le="${le}"} ${c}`).join('\n')}
apiserver_request_duration_seconds_sum{verb="GET",resource="configmaps"} 1
apiserver_request_duration_seconds_count{verb="GET",resource="configmaps"} ${buckets.at(-1)![1]}
`);

test('counter deltas per label', (t) => {
  const d = counterDelta(
    scrape(10, [['+Inf', 0]]),
    scrape(110, [['+Inf', 0]]),
    'apiserver_request_total',
    'code',
  );
  t.is(d.get('200'), 100);
  t.is(d.get('429'), 0);
});

test('histogram quantiles interpolate inside the bucket, like histogram_quantile', (t) => {
  const before = scrape(0, [
    ['0.1', 0],
    ['0.2', 0],
    ['+Inf', 0],
  ]);
  const after = scrape(0, [
    ['0.1', 50],
    ['0.2', 100],
    ['+Inf', 100],
  ]);
  const h = histogramDelta(before, after, 'apiserver_request_duration_seconds', 'verb').get('GET')!;
  t.is(h.count, 100);
  t.is(histogramQuantile(0.5, h), 0.1);
  t.true(Math.abs(histogramQuantile(0.99, h)! - 0.198) < 1e-9);
  t.is(histogramQuantile(0.5, { buckets: [], count: 0, sum: 0 }), undefined);
});

test('labelled histograms stay apart per label (what parse-prometheus-text-format got wrong)', (t) => {
  const text = (n: number) => `# TYPE d histogram
d_bucket{verb="GET",le="1"} ${n}
d_bucket{verb="GET",le="+Inf"} ${n}
d_count{verb="GET"} ${n}
d_sum{verb="GET"} 0.5
d_bucket{verb="PUT",le="1"} 0
d_bucket{verb="PUT",le="+Inf"} ${2 * n}
d_count{verb="PUT"} ${2 * n}
d_sum{verb="PUT"} 9
`;
  const d = histogramDelta(parseScrape(text(1)), parseScrape(text(5)), 'd', 'verb');
  t.is(d.get('GET')?.count, 4);
  t.is(d.get('PUT')?.count, 8);
  t.deepEqual(d.get('PUT')?.buckets, [
    [1, 0],
    [Number.POSITIVE_INFINITY, 8],
  ]);
});
