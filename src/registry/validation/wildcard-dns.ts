// Wildcard DNS names (`*.example.com`) as Ingress hosts and TLS hosts allow them (upstream
// IsWildcardDNS1123Subdomain), with upstream's message.
import { maxLenError, regexError } from './names';

const wildcardFmt = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const wildcardRe = new RegExp(`^${wildcardFmt}$`);
const wildcardMsg = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

export function isWildcardDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!wildcardRe.test(v)) errs.push(regexError(wildcardMsg, wildcardFmt, '*.example.com'));
  return errs;
}
