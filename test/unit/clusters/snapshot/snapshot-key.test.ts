import test from 'ava';
import {
  keyChanges,
  recipeDigest,
  snapshotKey,
} from '../../../../clusters/kind/snapshot/snapshot-key.ts';
import type { SnapshotKeyParts } from '../../../../clusters/kind/snapshot/snapshot-manifest.ts';

const parts: SnapshotKeyParts = {
  nodeImage: 'tuneproof/node:v1.34.4',
  nodeImageId: 'sha256:aaa',
  profile: 'tuned',
  profileDigest: 'sha256:bbb',
  controlPlanes: 1,
  workers: 2,
  privileged: false,
  recipe: 'ccc',
};

test('the key changes with every key part, and only with them', (t) => {
  const key = snapshotKey(parts);
  t.regex(key, /^[0-9a-f]{64}$/);
  t.is(snapshotKey({ ...parts }), key);
  // the image's name and the profile's name are labels; their content is what counts
  t.is(snapshotKey({ ...parts, nodeImage: 'other:tag', profile: 'renamed' }), key);
  for (const change of [
    { nodeImageId: 'sha256:ddd' },
    { profileDigest: 'sha256:eee' },
    { workers: 1 },
    { controlPlanes: 3 },
    { privileged: true },
    { recipe: 'fff' },
  ])
    t.not(snapshotKey({ ...parts, ...change }), key, JSON.stringify(change));
});

test('keyChanges names what changed', (t) => {
  t.deepEqual(keyChanges(parts, parts), []);
  t.deepEqual(keyChanges(parts, { ...parts, workers: 0, recipe: 'x' }), ['topology', 'recipe']);
});

test('the recipe digest covers the kind provider and profile rendering sources', (t) => {
  const d = recipeDigest();
  t.regex(d, /^[0-9a-f]{64}$/);
  t.is(recipeDigest(), d);
});
