/**
 * Go's time.Duration syntax ("1h2m3.5s", "300ms", "250µs", "0"), parsed by hand in this one
 * place: component flags, kubelet and kube-proxy configuration and the kubelet's event messages
 * all use exactly this syntax, and no npm library parses it strictly (unit-less numbers and
 * spaces are refused, as Go refuses them).
 */
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  // both spellings Go accepts: U+00B5 micro sign and U+03BC Greek mu
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds of a Go duration, or undefined if `text` is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/y;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * unitMs[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched > 0 && matched === text.length ? total : undefined;
}

/** Canonical Go form (what `time.Duration.String()` prints), for ms-resolution values. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
