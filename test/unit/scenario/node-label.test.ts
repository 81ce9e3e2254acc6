import test from 'ava';
import { stableNodeLabel } from '../../../harness/scenario/node-label.ts';

test('kind node names lose their cluster prefix, so runs on fresh clusters share labels', (t) => {
  t.is(stableNodeLabel('tp-3f2a1c', 'tp-3f2a1c-worker'), 'worker');
  t.is(stableNodeLabel('tp-3f2a1c', 'tp-3f2a1c-worker2'), 'worker2');
  t.is(stableNodeLabel('tp-3f2a1c', 'tp-3f2a1c-control-plane'), 'control-plane');
  t.is(
    stableNodeLabel('tp-9e8d7c', 'tp-9e8d7c-worker'),
    stableNodeLabel('tp-3f2a1c', 'tp-3f2a1c-worker'),
  );
});

test("other clusters' node names are kept whole", (t) => {
  t.is(stableNodeLabel('prod', 'ip-10-0-1-7.ec2.internal'), 'ip-10-0-1-7.ec2.internal');
  t.is(stableNodeLabel('tp-3f2a1c', 'tp-3f2a1c-'), 'tp-3f2a1c-');
  t.is(stableNodeLabel('tp-3f2a1c', 'tp-3f2a1cworker'), 'tp-3f2a1cworker');
});
