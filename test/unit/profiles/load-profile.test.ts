import { join } from 'node:path';
import test from 'ava';
import { ConfigError } from '../../../harness/errors.ts';
import { loadProfile } from '../../../harness/profiles/index.ts';

const broken = (name: string) =>
  join(import.meta.dirname, '../../fixtures/profiles/broken', `${name}.yaml`);

test('the built-in profiles load without problems', (t) => {
  const def = loadProfile('default');
  const tuned = loadProfile('tuned');
  t.deepEqual(def.warnings, []);
  t.deepEqual(tuned.warnings, []);
  t.is(tuned.profile.values.get('apiServer.max-requests-inflight')?.value, 1500);
  // inherited from default through extends
  t.is(tuned.profile.values.get('kubelet.nodeStatusUpdateFrequency')?.value, '10s');
  t.is(tuned.profile.values.get('kubelet.nodeStatusUpdateFrequency')?.origin.profile, 'default');
  t.regex(tuned.profile.values.get('kubelet.serializeImagePulls')?.reason ?? '', /block/);
  t.not(def.profile.digest, tuned.profile.digest);
  t.deepEqual(
    tuned.profile.files.map((f) => f.split('/').pop()),
    ['tuned.yaml', 'default.yaml'],
  );
});

const rejects = test.macro({
  exec(t, fixture: string, expected: { line?: number; path: string; message: RegExp }[]) {
    const error = t.throws(() => loadProfile(broken(fixture)), { instanceOf: ConfigError });
    const errors = error!.problems.filter((p) => p.severity === 'error');
    t.is(errors.length, expected.length, errors.map((p) => p.message).join('\n'));
    for (const [i, want] of expected.entries()) {
      const got = errors[i]!;
      t.truthy(got.file, 'names the file');
      if (want.line !== undefined) t.is(got.line, want.line, `line of ${want.path}`);
      t.is(got.path, want.path);
      t.regex(got.message, want.message);
    }
  },
  title: (_, fixture) => `rejects ${fixture}`,
});

test(rejects, 'unknown-key', [
  { line: 8, path: 'spec.kubelet.fooBar', message: /unknown kubelet knob "fooBar"/ },
]);
test(rejects, 'misspelt-flag', [
  {
    line: 7,
    path: 'spec.apiServer.max-request-inflight',
    message: /did you mean "max-requests-inflight"/,
  },
]);
test(rejects, 'wrong-type', [
  { line: 7, path: 'spec.kubelet.serializeImagePulls', message: /expected true or false/ },
]);
test(rejects, 'out-of-range', [
  {
    line: 7,
    path: 'spec.controllerManager.unhealthy-zone-threshold',
    message: /out of range: must be between 0 and 1/,
  },
]);
test(rejects, 'bad-yaml', [{ line: 8, path: '', message: /^YAML: / }]);
test(rejects, 'cycle-a', [
  {
    line: 5,
    path: 'extends',
    message: /extends cycle: cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml/,
  },
]);
test(rejects, 'missing-base', [
  { line: 5, path: 'extends', message: /"no-such-profile" not found/ },
]);
test(rejects, 'contradictory', [
  {
    line: 8,
    path: 'spec.controllerManager.node-monitor-grace-period',
    message: /at least 2x the kubelet's nodeStatusUpdateFrequency/,
  },
  {
    line: 8,
    path: 'spec.controllerManager.node-monitor-grace-period',
    message: /lease renew interval/,
  },
]);
test(rejects, 'wrong-section', [
  {
    line: 7,
    path: 'spec.apiServer.node-monitor-grace-period',
    message: /belongs to spec.controllerManager/,
  },
]);
test(rejects, 'duration-unit', [
  { line: 7, path: 'spec.kubelet.nodeStatusUpdateFrequency', message: /add a unit/ },
]);
test(
  'every problem of a file is reported at once, cross-field rules included',
  rejects,
  'several',
  [
    { line: 8, path: 'spec.kubelet.maxPods', message: /out of range/ },
    { line: 12, path: 'spec.kubeletx', message: /did you mean "kubelet"/ },
    { line: 11, path: 'spec.etcd.election-timeout', message: /at least 5x heartbeat-interval/ },
  ],
);
