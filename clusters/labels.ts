/**
 * Every Docker object tuneproof makes carries these labels, so `tuneproof clean` can find the
 * leftovers of a crashed run and nothing else (testcontainers' session-label idea).
 */
export const labelKeys = {
  tool: 'dev.tuneproof.tool',
  run: 'dev.tuneproof.run',
  cluster: 'dev.tuneproof.cluster',
  role: 'dev.tuneproof.role',
  node: 'dev.tuneproof.node',
  createdAt: 'dev.tuneproof.created-at',
} as const;

export const toolLabel = 'tuneproof';

export function ownerLabels(runId: string, cluster: string): Record<string, string> {
  return {
    [labelKeys.tool]: toolLabel,
    [labelKeys.run]: runId,
    [labelKeys.cluster]: cluster,
    [labelKeys.createdAt]: new Date().toISOString(),
  };
}
