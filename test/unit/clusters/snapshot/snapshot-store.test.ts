import test from 'ava';
import {
  type SnapshotManifest,
  snapshotBytes,
} from '../../../../clusters/kind/snapshot/snapshot-manifest.ts';
import {
  snapshotCapBytes,
  snapshotsToPrune,
  supersededBy,
} from '../../../../clusters/kind/snapshot/snapshot-store.ts';

function manifest(key: string, lastUsedAt: string, mb: number, over = {}): SnapshotManifest {
  return {
    format: 3,
    key,
    keyParts: {
      nodeImage: 'tuneproof/node:v1',
      nodeImageId: 'sha256:1',
      profile: 'default',
      profileDigest: 'sha256:2',
      controlPlanes: 1,
      workers: 2,
      privileged: false,
      recipe: 'r',
      ...over,
    },
    createdAt: lastUsedAt,
    lastUsedAt,
    templateCluster: 'tps-x',
    network: { subnet: '172.30.130.0/24', gateway: '172.30.130.1' },
    podSubnet: '10.244.0.0/16',
    serviceSubnet: '10.96.0.0/16',
    apiServerPort: 6443,
    nodes: [
      {
        name: 'tps-x-control-plane',
        role: 'control-plane',
        ip: '172.30.130.10',
        suffix: 'control-plane',
        podCIDR: '10.244.0.0/24',
        imageId: 'sha256:3',
        imageRef: 'tuneproof/snapshot:x',
        varVolume: 'tuneproof-snapshot-x-control-plane',
        varBytes: (mb - 1) * 1e6,
        imageLayerBytes: 1e6,
        sysctls: {},
        ulimits: [],
        taints: ['node-role.kubernetes.io/control-plane:NoSchedule'],
      },
    ],
    effectiveConfig: [],
    bootstrapTokens: [],
    freshSeconds: 57,
    saveSeconds: 20,
  };
}

test('size counts the archives and committed layers', (t) => {
  t.is(snapshotBytes(manifest('a', '2026-01-01T00:00:00Z', 300)), 300e6);
});

test('pruning removes the least recently used until under the cap, never the one kept', (t) => {
  const all = [
    manifest('new', '2026-01-03T00:00:00Z', 500),
    manifest('old', '2026-01-01T00:00:00Z', 500),
    manifest('mid', '2026-01-02T00:00:00Z', 500),
  ];
  t.deepEqual(
    snapshotsToPrune(all, 1600e6).map((m) => m.key),
    [],
  );
  t.deepEqual(
    snapshotsToPrune(all, 1000e6).map((m) => m.key),
    ['old'],
  );
  t.deepEqual(
    snapshotsToPrune(all, 500e6).map((m) => m.key),
    ['old', 'mid'],
  );
  t.deepEqual(
    snapshotsToPrune(all, 0, 'old').map((m) => m.key),
    ['mid', 'new'],
  );
});

test('a new snapshot supersedes the same profile and topology made from other key parts', (t) => {
  const fresh = manifest('k2', '2026-01-02T00:00:00Z', 1, { recipe: 'r2' });
  const all = [
    manifest('k1', '2026-01-01T00:00:00Z', 1),
    manifest('k3', '2026-01-01T00:00:00Z', 1, { workers: 1 }),
    manifest('k4', '2026-01-01T00:00:00Z', 1, { profile: 'tuned' }),
    fresh,
  ];
  t.deepEqual(
    supersededBy(all, fresh).map((m) => m.key),
    ['k1'],
  );
});

test('the cap comes from TUNEPROOF_SNAPSHOT_CAP_GB, 20 GB by default', (t) => {
  t.is(snapshotCapBytes({}), 20e9);
  t.is(snapshotCapBytes({ TUNEPROOF_SNAPSHOT_CAP_GB: '5' }), 5e9);
  t.is(snapshotCapBytes({ TUNEPROOF_SNAPSHOT_CAP_GB: 'lots' }), 20e9);
});
