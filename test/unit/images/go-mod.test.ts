import test from 'ava';
import {
  compareGoVersions,
  parseGoMod,
  pinLocalReplaces,
  renderWrapperGoMod,
  requiredWithPins,
} from '../../../clusters/images/go-mod.ts';

// Shaped like k8s.io/kubernetes' go.mod: staging modules replaced by directories, plus a
// versioned replace that must be left alone.
const kubernetesGoMod = `// This is a generated file. Do not edit directly.

module k8s.io/kubernetes

go 1.24.0

godebug default=go1.24

require (
	k8s.io/api v0.0.0
	k8s.io/client-go v0.0.0 // indirect
)

replace (
	k8s.io/api => ./staging/src/k8s.io/api
	k8s.io/client-go => ./staging/src/k8s.io/client-go // with a comment
	github.com/example/fork => github.com/example/fork v1.2.3
)

replace k8s.io/kms => ./staging/src/k8s.io/kms
replace "k8s.io/quoted" => "./staging/src/k8s.io/quoted"
`;

const etcdServerGoMod = `module go.etcd.io/etcd/server/v3

go 1.24

replace (
	go.etcd.io/etcd/api/v3 => ../api
	go.etcd.io/etcd/client/v3 => ../client/v3
)

// Bad imports are sometimes causing attempts to pull that code.
replace go.etcd.io/etcd => ./FORBIDDEN_DEPENDENCY
`;

test('parseGoMod reads module, go directive and directory replaces', (t) => {
  const facts = parseGoMod(kubernetesGoMod);
  t.is(facts.module, 'k8s.io/kubernetes');
  t.is(facts.go, '1.24.0');
  t.deepEqual(facts.localReplaces, [
    { path: 'k8s.io/api', dir: './staging/src/k8s.io/api' },
    { path: 'k8s.io/client-go', dir: './staging/src/k8s.io/client-go' },
    { path: 'k8s.io/kms', dir: './staging/src/k8s.io/kms' },
    { path: 'k8s.io/quoted', dir: './staging/src/k8s.io/quoted' },
  ]);
});

test('pinLocalReplaces pins staging modules to the published version', (t) => {
  t.deepEqual(pinLocalReplaces(kubernetesGoMod, { version: 'v0.34.4' }), [
    { path: 'k8s.io/api', version: 'v0.34.4' },
    { path: 'k8s.io/client-go', version: 'v0.34.4' },
    { path: 'k8s.io/kms', version: 'v0.34.4' },
    { path: 'k8s.io/quoted', version: 'v0.34.4' },
  ]);
});

test('pinLocalReplaces skips the directories it is told to (etcd FORBIDDEN_DEPENDENCY)', (t) => {
  const pins = pinLocalReplaces(etcdServerGoMod, {
    version: 'v3.6.5',
    skipDirs: ['FORBIDDEN_DEPENDENCY'],
  });
  t.deepEqual(pins, [
    { path: 'go.etcd.io/etcd/api/v3', version: 'v3.6.5' },
    { path: 'go.etcd.io/etcd/client/v3', version: 'v3.6.5' },
  ]);
});

test('renderWrapperGoMod writes requirements and sorted pins', (t) => {
  const text = renderWrapperGoMod({
    module: 'tuneproof.local/kubernetesbuild',
    go: '1.24.0',
    require: [
      { path: 'k8s.io/kubernetes', version: 'v1.34.4' },
      { path: 'k8s.io/api', version: 'v0.34.4' },
    ],
    replace: [
      { path: 'k8s.io/kms', version: 'v0.34.4' },
      { path: 'k8s.io/api', version: 'v0.34.4' },
    ],
  });
  t.is(
    text,
    [
      'module tuneproof.local/kubernetesbuild',
      '',
      'go 1.24.0',
      '',
      'require (',
      '\tk8s.io/kubernetes v1.34.4',
      '\tk8s.io/api v0.34.4',
      ')',
      '',
      'replace (',
      '\tk8s.io/api => k8s.io/api v0.34.4',
      '\tk8s.io/kms => k8s.io/kms v0.34.4',
      ')',
      '',
    ].join('\n'),
  );
  // What we write, we read back: none of these replaces is a directory.
  const back = parseGoMod(text);
  t.is(back.module, 'tuneproof.local/kubernetesbuild');
  t.is(back.go, '1.24.0');
  t.deepEqual(back.localReplaces, []);
});

test('compareGoVersions orders go directives numerically', (t) => {
  t.true(compareGoVersions('1.25.0', '1.24') > 0);
  t.true(compareGoVersions('1.9', '1.10') < 0);
  t.is(compareGoVersions('1.24', '1.24.0'), 0);
});

test('requiredWithPins adds only the pins the build uses, sorted', (t) => {
  const own = [{ path: 'k8s.io/kubernetes', version: 'v1.34.4' }];
  const pins = ['k8s.io/kms', 'k8s.io/sample-cli-plugin', 'k8s.io/api'].map((path) => ({
    path,
    version: 'v0.34.4',
  }));
  const used = new Set(['k8s.io/kubernetes', 'k8s.io/api', 'k8s.io/kms', 'github.com/x/y']);
  t.deepEqual(requiredWithPins(own, pins, used), [
    { path: 'k8s.io/kubernetes', version: 'v1.34.4' },
    { path: 'k8s.io/api', version: 'v0.34.4' },
    { path: 'k8s.io/kms', version: 'v0.34.4' },
  ]);
  // A pin that is also one of the program's own modules is not required twice.
  t.deepEqual(requiredWithPins(own, own, used), own);
});
