/**
 * Results, logs and reports are uploaded as CI artifacts: no credential may land in them.
 * Everything tuneproof writes to disk or prints passes through `redact` (text) or `redactValue`
 * (structured data) first. No npm library redacts Kubernetes/k6 credential shapes in free text
 * (error messages quoting a kubeconfig, JSON inside a log line, HTML-escaped JSON in a report),
 * so the shapes are listed here, each for a reason.
 */
export const redacted = '<redacted>';

/**
 * Key names whose values are credentials, in any spelling: kebab (client-key-data), camel
 * (clientKeyData), snake or env style (K6_TOKEN), with any prefix (bootstrap-token, x-auth-token).
 */
const secretKeyCore = [
  'client-?key(?:-?data)?',
  'key-?data',
  'client-?certificate-?data',
  'certificate-?authority-?data',
  'token(?:-?(?:secret|data))?',
  'bearer-?token',
  'password',
  'passwd',
  'secret',
  'client-?secret',
  'api-?key',
  'private-?key',
  'certificate-?key',
  'ca-?cert-?hashes',
  'authorization',
].map((k) => k.replaceAll('-?', '[-_.]?'));
// any prefix, kebab, snake or camel (K6_TOKEN, x-auth-token, k6Token), the credential word last
const secretKeyRe = new RegExp(`^[a-z0-9._-]*?(?:${secretKeyCore.join('|')})$`, 'i');

/** Whether a key (JSON field, YAML key, env variable, header) names a credential. */
export function isSecretKey(key: string): boolean {
  return secretKeyRe.test(key);
}

// A quote as it may appear around a key or value: plain, backslash-escaped (JSON inside JSON,
// at any depth), or HTML-escaped (JSON shown in report.html).
const quote = String.raw`(?:\\*(?:["'\x60]|&quot;|&#0*34;|&#x0*22;|&#0*39;|&#x0*27;|&apos;))`;

type Replacement = string | ((match: string, ...groups: string[]) => string);

const patterns: ReadonlyArray<[RegExp, Replacement]> = [
  // PEM private keys, also with their newlines escaped inside JSON
  [
    /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g,
    `$1${redacted}$2`,
  ],
  // Authorization headers, any case, Bearer or Basic (before key: value, which would take only
  // the word "Bearer" as the value)
  [/\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1$2${redacted}`],
  // key: value, "key": "value", key=value, &quot;key&quot;: &quot;value&quot;, \"key\":\"value\"
  // (the key's prefix is bounded so a long text without a match costs linear time; a quoted
  // value cut short by a kill is redacted to the end of its line)
  [
    new RegExp(
      String.raw`(?<![A-Za-z0-9])(${quote}?)([A-Za-z0-9._-]{0,40}?(?:${secretKeyCore.join('|')}))\1(\s*[:=][ \t]*)(?:(${quote})(?:(?!\4).)*?(\4|$)|(?!${quote}|<redacted|(?:bearer|basic)\s+<redacted)[^\s,;{}\[\]"'&<>]+)`,
      'gim',
    ),
    (_m, q1 = '', k, sep, q2, close) =>
      `${q1}${k}${q1}${sep}${q2 ? `${q2}${redacted}${close ?? ''}` : redacted}`,
  ],
  // command-line flags that take a credential
  [
    /(--(?:token|password|discovery-token-ca-cert-hash|certificate-key|client-key)[= ])[^\s"'\\,;&<>]+/g,
    `$1${redacted}`,
  ],
  // JWTs (ServiceAccount tokens, OIDC id tokens) wherever they appear
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '<redacted-jwt>'],
  // base64 of a PEM block ("-----BEGIN" -> LS0tLS1CRUdJTi) or of a JWT ("eyJ" -> ZXlK), as in
  // kubeconfig *-data fields and Secret data, under whatever key they travel
  [/(?:LS0tLS1CRUdJTi|ZXlK)[A-Za-z0-9+/]{16,}={0,2}/g, '<redacted-base64>'],
  // kubeadm bootstrap tokens: [a-z0-9]{6}.[a-z0-9]{16}
  [/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, '<redacted-bootstrap-token>'],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, replacement] of patterns)
    out = out.replace(re, replacement as (m: string, ...g: string[]) => string);
  return out;
}

/**
 * Structured redaction: a copy of `value` in which every field named like a credential, at any
 * depth, holds `<redacted>`, and every string is redacted as text (an error message quoting a
 * token). Used before JSON is written, so the result stays valid JSON.
 */
export function redactValue<T>(value: T): T {
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value !== 'object' || value === null || depth > 64) return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const safeKey = redact(k);
    // numbers and booleans under a secret-looking key ("tokenCount": 3) are not credentials
    out[safeKey] =
      isSecretKey(k) && v !== null && (typeof v === 'string' || typeof v === 'object')
        ? redacted
        : walk(v, depth + 1);
  }
  return out;
}
