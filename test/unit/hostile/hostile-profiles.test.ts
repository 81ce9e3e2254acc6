import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { kindRenderContext } from '../../../clusters/kind/kind-render-context.ts';
import { ConfigError } from '../../../harness/errors.ts';
import { loadProfile, renderProfile } from '../../../harness/profiles/index.ts';

/**
 * Hostile profiles, by class: each must end in one ConfigError (exit 2) naming the field and
 * line, quickly, never a hang, a stack trace or a value passed on to a component.
 */
const dir = mkdtempSync(join(tmpdir(), 'tp-hostile-'));
const header =
  'apiVersion: tuneproof.dev/v1alpha1\nkind: TuningProfile\nmetadata: {name: hostile}\n';

function profile(name: string, body: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, header + body);
  return path;
}

function problemsOf(path: string): { path: string; line?: number; message: string }[] {
  const started = Date.now();
  try {
    loadProfile(path);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (Date.now() - started > 15_000) throw new Error(`took ${Date.now() - started} ms`);
    return e.problems.filter((p) => p.severity === 'error');
  }
  return [];
}

const rejects = test.macro({
  exec(t, body: string, want: { path: string; line?: number; message: RegExp }) {
    const problems = problemsOf(profile(t.title.replace(/\W+/g, '-'), body));
    const hit = problems.find((p) => p.path === want.path && want.message.test(p.message));
    t.truthy(
      hit,
      `want ${want.path}: ${want.message}; got:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
    );
    if (hit && want.line !== undefined) t.is(hit.line, want.line);
  },
  title: (title) => title ?? '',
});

// Silently accepted values: each knob carries the upstream type's range
const spec = (section: string, line: string) => `spec:\n  ${section}:\n    ${line}\n`;
test(
  '1e30 inflight is beyond a Go int',
  rejects,
  spec('apiServer', 'max-requests-inflight: 1e30'),
  { path: 'spec.apiServer.max-requests-inflight', line: 6, message: /out of range/ },
);
test('maxPods beyond int32', rejects, spec('kubelet', 'maxPods: 2147483648'), {
  path: 'spec.kubelet.maxPods',
  message: /2147483647 \(int32\)/,
});
test('kubeAPIBurst negative', rejects, spec('kubelet', 'kubeAPIBurst: -1'), {
  path: 'spec.kubelet.kubeAPIBurst',
  message: /out of range/,
});
test('conntrack.min beyond int32', rejects, spec('kubeProxy', 'conntrack.min: 3000000000'), {
  path: 'spec.kubeProxy.conntrack.min',
  message: /int32/,
});
test('kube-api-qps beyond float32', rejects, spec('scheduler', 'kube-api-qps: 1e39'), {
  path: 'spec.scheduler.kube-api-qps',
  message: /out of range/,
});
test(
  'integer beyond 2^53 cannot be carried exactly',
  rejects,
  spec('kubelet', 'maxOpenFiles: 9223372036854775807'),
  { path: 'spec.kubelet.maxOpenFiles', message: /2\^53-1/ },
);
test('sysctl 1e21 is not rendered as 1e+21', rejects, spec('sysctls', 'net.core.somaxconn: 1e21'), {
  path: 'spec.sysctls.net.core.somaxconn',
  message: /out of range/,
});
test('sysctl beyond its u8 handler', rejects, spec('sysctls', 'net.ipv4.tcp_syn_retries: 200'), {
  path: 'spec.sysctls.net.ipv4.tcp_syn_retries',
  message: /between 1 and 127/,
});
test(
  'sysctl with a leading zero (octal to the kernel)',
  rejects,
  spec('sysctls', 'net.core.somaxconn: "0100"'),
  { path: 'spec.sysctls.net.core.somaxconn', message: /no leading zeros/ },
);
test(
  'sysctl port range with one value',
  rejects,
  spec('sysctls', 'net.ipv4.ip_local_port_range: "1024"'),
  { path: 'spec.sysctls.net.ipv4.ip_local_port_range', message: /2 integers/ },
);
test(
  'sysctl port range reversed',
  rejects,
  spec('sysctls', 'net.ipv4.ip_local_port_range: "60000 1024"'),
  { path: 'spec.sysctls.net.ipv4.ip_local_port_range', message: /must not be above/ },
);
test(
  'sysctl port beyond 65535',
  rejects,
  spec('sysctls', 'net.ipv4.ip_local_port_range: "1024 70000"'),
  { path: 'spec.sysctls.net.ipv4.ip_local_port_range', message: /65535/ },
);
test(
  '.inf eviction threshold',
  rejects,
  spec('kubelet', 'evictionHard: {memory.available: .inf}'),
  { path: 'spec.kubelet.evictionHard.memory.available', message: /\.inf \(infinity\)/ },
);
test(
  'eviction percentage above 100',
  rejects,
  spec('kubelet', 'evictionHard: {nodefs.available: "101%"}'),
  { path: 'spec.kubelet.evictionHard.nodefs.available', message: /above 100%/ },
);
test('quantity beyond int64', rejects, spec('kubelet', 'kubeReserved: {memory: 9Ei}'), {
  path: 'spec.kubelet.kubeReserved.memory',
  message: /2\^63-1/,
});
test('numeric quantity 1e30', rejects, spec('kubelet', 'systemReserved: {memory: 1e30}'), {
  path: 'spec.kubelet.systemReserved.memory',
  message: /out of range/,
});
test('duration beyond Go', rejects, spec('kubelet', 'imageMinimumGCAge: 2562048h'), {
  path: 'spec.kubelet.imageMinimumGCAge',
  message: /Go's duration range/,
});
test(
  'duration far beyond Go',
  rejects,
  spec('kubeProxy', 'conntrack.tcpEstablishedTimeout: 99999999999999999999h'),
  { path: 'spec.kubeProxy.conntrack.tcpEstablishedTimeout', message: /Go's duration range/ },
);
test(
  'image GC percentage above 100',
  rejects,
  spec('kubelet', 'imageGCHighThresholdPercent: 101'),
  { path: 'spec.kubelet.imageGCHighThresholdPercent', message: /between 0 and 100/ },
);
test('-.inf integer', rejects, spec('etcd', 'snapshot-count: -.inf'), {
  path: 'spec.etcd.snapshot-count',
  message: /-\.inf/,
});
test(
  'string with a line break into a flag',
  rejects,
  spec('etcd', 'auto-compaction-retention: "1\\n--foo=bar"'),
  { path: 'spec.etcd.auto-compaction-retention', message: /line breaks/ },
);
test(
  'extraArgs value with a line break',
  rejects,
  spec('apiServer', 'extraArgs: {audit-log-path: "a\\nb"}'),
  { path: 'spec.apiServer.extraArgs.audit-log-path', message: /one line/ },
);
test(
  'same knob nested and dotted',
  rejects,
  'spec:\n  kubeProxy:\n    conntrack:\n      min: 10\n    conntrack.min: 20\n',
  { path: 'spec.kubeProxy.conntrack.min', line: 8, message: /set twice.*line 7/ },
);
test(
  'same sysctl nested and dotted',
  rejects,
  'spec:\n  sysctls:\n    net.core.somaxconn: 1024\n    net:\n      core:\n        somaxconn: 2048\n',
  { path: 'spec.sysctls.net.core.somaxconn', message: /set twice/ },
);

// Unclear messages
test(
  'misspelt value key is named',
  rejects,
  spec('kubelet', 'maxPods: {valeu: 200, reason: more}'),
  { path: 'spec.kubelet.maxPods.valeu', message: /did you mean "value"/ },
);
test('reason without value', rejects, spec('kubelet', 'maxPods: {reason: more pods}'), {
  path: 'spec.kubelet.maxPods',
  message: /no "value"/,
});
test(
  'misspelt value on a map knob',
  rejects,
  spec('kubelet', 'evictionHard: {vaule: {memory.available: 1Gi}, reason: x}'),
  { path: 'spec.kubelet.evictionHard.vaule', message: /did you mean "value"/ },
);
test('.nan says so', rejects, spec('controllerManager', 'node-eviction-rate: .nan'), {
  path: 'spec.controllerManager.node-eviction-rate',
  message: /got \.nan \(not a number\)/,
});
test('.nan in value form', rejects, spec('apiServer', 'goaway-chance: {value: .NaN}'), {
  path: 'spec.apiServer.goaway-chance.value',
  message: /\.nan/,
});
test('number in quotes', rejects, spec('kubelet', 'maxPods: "200"'), {
  path: 'spec.kubelet.maxPods',
  message: /without quotes/,
});

test('a cross-field rule blames the user file, not the built-in base', (t) => {
  const path = profile(
    'rule-blame',
    'extends: default\nspec:\n  kubelet:\n    nodeStatusUpdateFrequency: 40s\n',
  );
  const problems = problemsOf(path);
  const rule = problems.find((p) => /nodeStatusUpdateFrequency/.test(p.message));
  t.truthy(rule);
  t.is((rule as { file?: string }).file, path);
  t.is(rule!.line, 7);
});

// Crashes: parser limits are bad input, not internal errors
test(
  'billion laughs',
  rejects,
  `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
  { path: '', message: /aliases expand too far/ },
);
test(
  'alias bomb under a knob',
  rejects,
  `spec:\n  kubelet:\n    evictionHard: &e {memory.available: 1Gi}\n    kubeReserved: *e\n    systemReserved: *e\n`,
  { path: 'spec.kubelet.kubeReserved.memory.available', message: /unknown signal/ },
);
test(
  'twenty thousand aliases (quadratic in the parser)',
  rejects,
  `a: &a 1\n${Array.from({ length: 20_000 }, (_, i) => `b${i}: *a\n`).join('')}`,
  { path: '', message: /20000 aliases/ },
);
// shapes the YAML parser handles in quadratic time: bounded by counting first, or checked in O(n)
const lines = (n: number, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => line(i)).join('');
test(
  'five thousand anchors',
  rejects,
  lines(5000, (i) => `b${i}: &a${i} 1\n`),
  {
    path: '',
    message: /5000 anchors/,
  },
);
test(
  'ten thousand distinct top-level keys, one duplicated',
  rejects,
  `${lines(10_000, (i) => `k${i}: 1\n`)}k5: 2\n`,
  {
    path: '',
    line: 10_004,
    message: /Map keys must be unique: "k5" also on line 9/,
  },
);
test('a flow map of ten thousand keys', rejects, `x: {${lines(10_000, (i) => `k${i}: 1, `)}}\n`, {
  path: 'x',
  message: /unknown field/,
});
test('deep nesting', rejects, `x: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, {
  path: '',
  message: /nested too deeply/,
});
test('unterminated flow', rejects, 'spec: {kubelet: [\n', { path: '', message: /YAML/ });
test('multiple documents', rejects, 'spec: {}\n---\nspec: {}\n', { path: '', message: /YAML/ });
test('duplicate keys', rejects, 'spec:\n  kubelet:\n    maxPods: 1\n    maxPods: 2\n', {
  path: '',
  message: /YAML/,
});
test('__proto__ section', rejects, 'spec:\n  __proto__: {maxPods: 1}\n', {
  path: 'spec.__proto__',
  message: /unknown section/,
});
test('__proto__ top-level', rejects, '__proto__: {x: 1}\n', {
  path: '__proto__',
  message: /unknown field/,
});

// Hangs: kind and size are checked before a byte is read
const badFile = test.macro({
  exec(t, path: string, message: RegExp) {
    const started = Date.now();
    const e = t.throws(() => loadProfile(path), { instanceOf: ConfigError });
    t.regex(e!.problems[0]!.message, message);
    t.true(Date.now() - started < 15_000);
  },
  title: (title) => title ?? '',
});
test(
  'a FIFO',
  badFile,
  (() => {
    const p = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [p]);
    return p;
  })(),
  /FIFO/,
);
test('a device', badFile, '/dev/zero', /device/);
test(
  'a directory named .yaml',
  badFile,
  (() => {
    const p = join(dir, 'dir.yaml');
    execFileSync('mkdir', [p]);
    return p;
  })(),
  /directory/,
);
test(
  'a huge file',
  badFile,
  (() => {
    const p = join(dir, 'huge.yaml');
    writeFileSync(p, `${header}# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    return p;
  })(),
  /larger than 256 KiB/,
);
test(
  'a binary file',
  badFile,
  (() => {
    const p = join(dir, 'binary.yaml');
    writeFileSync(p, Buffer.from([0x61, 0x3a, 0x00, 0xff]));
    return p;
  })(),
  /binary/,
);
test(
  'a file that is not UTF-8',
  badFile,
  (() => {
    const p = join(dir, 'latin1.yaml');
    writeFileSync(p, Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    return p;
  })(),
  /UTF-8/,
);
test('a missing path', badFile, join(dir, 'none', 'x.yaml'), /no such file/);

test('sysctls render exactly what the kernel parses', (t) => {
  const path = profile(
    'render',
    'spec:\n  sysctls:\n    net.core.somaxconn: 2147483647\n    net.ipv4.ip_local_port_range: " 1024   65000 "\n',
  );
  const { profile: p } = loadProfile(path);
  const r = renderProfile(
    p,
    kindRenderContext({ nodes: [{ name: 'cp', role: 'control-plane', ip: '172.30.0.10' }] }),
  );
  t.is(r.nodes[0]!.sysctls['net.core.somaxconn'], '2147483647');
  t.is(r.nodes[0]!.sysctls['net.ipv4.ip_local_port_range'], '1024 65000');
});
