import { ensureBinaries } from '../../clusters/images/binaries.ts';
import type { Tools } from '../scenario/types.ts';

/** Host tools scenarios run (k6), from the versioned cache (built on first use). */
export async function hostTools(): Promise<Tools> {
  const k6 = process.env.TUNEPROOF_K6 ?? (await ensureBinaries({ groups: ['k6'] })).paths.k6;
  return { k6 };
}
