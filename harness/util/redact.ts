/**
 * Results, logs and reports are uploaded as CI artifacts: no credential may land in them.
 * Everything tuneproof writes to disk or prints passes through `redact` first.
 */
const patterns: ReadonlyArray<[RegExp, string]> = [
  // kubeconfig / kubeadm fields that hold keys, certificates and tokens
  [
    /((?:client-key-data|client-certificate-data|certificate-authority-data|token|password|caCertHashes|certificateKey)\s*:\s*)("?)[^\s"]+\2/gi,
    '$1<redacted>',
  ],
  [
    /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g,
    '$1<redacted>$2',
  ],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1<redacted>'],
  // JWTs (ServiceAccount tokens) wherever they appear
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '<redacted-jwt>'],
  // kubeadm bootstrap tokens: [a-z0-9]{6}.[a-z0-9]{16}
  [/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, '<redacted-bootstrap-token>'],
  [/(--(?:token|discovery-token-ca-cert-hash|certificate-key)[= ])\S+/g, '$1<redacted>'],
];

export function redact(text: string): string {
  let out = text;
  for (const [re, replacement] of patterns) out = out.replace(re, replacement);
  return out;
}
