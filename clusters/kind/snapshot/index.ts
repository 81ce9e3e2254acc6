export { buildSnapshot } from './build-snapshot.ts';
export { checkRestored, type RestoreCheck } from './check-restored.ts';
export { compareEffectiveConfig, desiredFromSnapshot } from './compare-effective-config.ts';
export { nthAddress, parseAnswer, queryEscapes, resolveInCluster } from './dns-probe.ts';
export { leaderLeases, quiesce, redateTokens } from './quiesce.ts';
export { type RestoredCluster, restoreSnapshot, SnapshotBusy } from './restore-snapshot.ts';
export { RestoringProvider } from './restoring-provider.ts';
export { saveSnapshot } from './save-snapshot.ts';
export { keyChanges, recipeDigest, SNAPSHOT_RECIPE_VERSION, snapshotKey } from './snapshot-key.ts';
export {
  SnapshotKeyParts,
  SnapshotManifest,
  SnapshotNode,
  snapshotBytes,
} from './snapshot-manifest.ts';
export {
  commitSnapshot,
  listSnapshots,
  readSnapshot,
  removeSnapshot,
  SNAPSHOT_MAX_AGE_MS,
  SNAPSHOT_REPO,
  type StoredSnapshot,
  snapshotCapBytes,
  snapshotsDir,
  snapshotsToPrune,
  snapshotUnusable,
  supersededBy,
  tidySnapshots,
  touchSnapshot,
} from './snapshot-store.ts';
export { pickSnapshotSubnet, subnetTaken } from './snapshot-subnet.ts';
export {
  fillVarVolume,
  linkedVarDirs,
  SNAPSHOT_VOLUME_LABEL,
  saveVarTree,
  tarFlags,
} from './var-tree.ts';
export { waitRestarted } from './wait-restarted.ts';
