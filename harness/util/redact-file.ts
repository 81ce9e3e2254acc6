import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createInterface } from 'node:readline';
import { redact, redactValue } from './redact.ts';

/**
 * Redacts, in place, a file another program wrote under a results directory (k6's summary and
 * its `--out json` points): tuneproof's own writers redact before writing, these files arrive
 * whole. JSON is redacted by structure (then stays valid JSON); NDJSON line by line, streamed,
 * because k6's points file can be hundreds of megabytes.
 */
export function redactJsonFile(path: string): void {
  if (!existsSync(path)) return;
  const text = readFileSync(path, 'utf8');
  let out: string;
  try {
    out = `${JSON.stringify(redactValue(JSON.parse(text)), null, 2)}\n`;
  } catch {
    out = redact(text); // cut short by a kill: still no credential in it
  }
  writeFileSync(`${path}.tmp`, out);
  renameSync(`${path}.tmp`, path);
}

export async function redactNdjsonFile(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  const lines = createInterface({
    input: createReadStream(path),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    let safe: string;
    try {
      safe = JSON.stringify(redactValue(JSON.parse(line)));
    } catch {
      safe = redact(line);
    }
    if (!out.write(`${safe}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, path);
}
