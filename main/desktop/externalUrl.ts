import { ExternalUrlSchema } from '../../shared/desktop';

/**
 * The URL to hand to the system browser, or undefined to refuse. Only http and
 * https: `file:`, `smb:`, `javascript:` or a custom scheme could run or open
 * something local. Credentials in the URL are refused too: they make a link
 * look like it goes to one host while it goes to another
 * (`https://bank.example@evil.example/`).
 */
export function safeExternalUrl(candidate: unknown): string | undefined {
  const parsed = ExternalUrlSchema.safeParse(candidate);
  if (!parsed.success) return undefined;
  let url: URL;
  try {
    url = new URL(parsed.data);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return url.href;
}
