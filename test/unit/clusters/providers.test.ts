import test from 'ava';
import type { ResolvedImages } from '../../../clusters/images/index.ts';
import { openProvider, providerNames } from '../../../clusters/providers.ts';
import { ConfigError } from '../../../harness/errors.ts';

// option checking only: nothing here reaches a cluster or resolves an image
const noImages = async (): Promise<ResolvedImages> => {
  throw new Error('images resolved while checking options');
};

const refused = test.macro(
  async (t, name: string, opts: Record<string, string>, paths: string[], pattern: RegExp) => {
    const e = await t.throwsAsync(openProvider(name, opts, noImages), { instanceOf: ConfigError });
    t.deepEqual(
      (e as ConfigError).problems.map((p) => p.path),
      paths,
    );
    t.regex(e!.message, pattern);
  },
);

test('kind and existing are registered by name', (t) => {
  t.deepEqual(providerNames(), ['kind', 'existing']);
});
test(
  'an unknown provider is refused with the known ones',
  refused,
  'kwok',
  {},
  ['--provider'],
  /known: kind, existing/,
);
test(
  'kind takes no --kubeconfig or --context',
  refused,
  'kind',
  { kubeconfig: 'k', context: 'c' },
  ['--kubeconfig', '--context'],
  /takes no --kubeconfig/,
);
test(
  'existing needs both, named explicitly',
  refused,
  'existing',
  {},
  ['--kubeconfig', '--context'],
  /needs --context/,
);
test(
  'existing with a kubeconfig that is not there',
  refused,
  'existing',
  { kubeconfig: '/nonexistent/kubeconfig', context: 'c' },
  ['--kubeconfig'],
  /no such file/,
);
