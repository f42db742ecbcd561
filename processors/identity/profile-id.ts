import { hash } from 'node:crypto';

/**
 * The profile id named by an anchor identifier key (`type:value`): a salted SHA-256 prefix, so the id
 * is stable, collision-resistant (96 bits) and does not reveal the e-mail or user id it derives from.
 */
export function profileIdFor(anchorKey: string, prefix: string, salt: string): string {
  return prefix + hash('sha256', salt === '' ? anchorKey : `${salt}\u0000${anchorKey}`, 'hex').slice(0, 24);
}
