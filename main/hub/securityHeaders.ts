/** On every HTTP answer of the hub, success or refusal (docs/protocol/appendix-discovery-http.md). */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const;
