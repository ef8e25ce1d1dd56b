import { BlockList, isIP } from 'node:net';

/** Retries back off exponentially from the base (30 s in production) up to 24 h. */
export const RETRY_CAP_MS = 24 * 60 * 60 * 1000;
/** An endpoint whose deliveries all failed for this long is disabled. */
export const DISABLE_AFTER_MS = 3 * 24 * 60 * 60 * 1000;
/** After a rotation the previous secret keeps signing for this long. */
export const PREVIOUS_SECRET_MS = 24 * 60 * 60 * 1000;

/** The wait after failed attempt n (1-based): base, 2·base, 4·base, ... capped at 24 h. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(RETRY_CAP_MS, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
}

/** A 2xx is delivered; 3xx (redirects are not followed), 4xx and 5xx are failures to retry. */
export const isDelivered = (status: number) => status >= 200 && status < 300;

export const shouldDisable = (failingSince: Date | null, now: Date) =>
  failingSince !== null && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;

/** Addresses a webhook may not target (SSRF): loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved. */
const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** True for an address a webhook must not reach; IPv4-mapped IPv6 is checked as IPv4. */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return blocked.check(ip, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped?.[1]) return blocked.check(mapped[1], 'ipv4');
    return blocked.check(ip, 'ipv6');
  }
  return true;
}

export interface UrlPolicy {
  allowHttp: boolean;
  allowPrivate: boolean;
}

/** What is wrong with a webhook URL before any DNS lookup, or null. */
export function urlProblem(raw: string, policy: UrlPolicy): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'Not a URL';
  }
  if (u.protocol !== 'https:' && !(policy.allowHttp && u.protocol === 'http:'))
    return policy.allowHttp ? 'Must be http or https' : 'Must be https';
  if (u.username || u.password) return 'Must not contain credentials';
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivate) {
    if (isIP(host) && isPrivateAddress(host)) return 'Points at a private, loopback or link-local address';
    if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal'))
      return 'Points at a local name';
  }
  return null;
}
