// Authentication: x509 client certificates signed by the cluster CA (user = CN, groups = O), bearer
// tokens from a static token file (upstream's --token-auth-file CSV format) and service-account JWTs.
// Certificates and static tokens answer at once; only a JWT costs a verification (asynchronous).
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { TokenRejected, userForClaims, type ServiceAccountTokenGetter } from './service-account-claims';
import type { ServiceAccountIssuer } from './service-account-issuer';
import { logger } from '../log';

export interface UserInfo { username: string; uid?: string; groups: string[]; extra?: Record<string, string[]> }

/** A token's user and the audiences it was accepted for (TokenReview reports them). */
export interface TokenAuthentication { user: UserInfo; audiences: string[] }

/** Service-account tokens: who verifies them, what they must be meant for, and where their objects are read. */
export interface ServiceAccountAuthentication {
  issuer: ServiceAccountIssuer;
  /** --api-audiences: a token must name one of them to be used against this apiserver. */
  apiAudiences: string[];
  getter: ServiceAccountTokenGetter;
}

export class Authenticator {
  private readonly tokens = new Map<string, UserInfo>();
  // A client certificate is fixed for the life of a TLS connection: read it once per socket.
  private readonly bySocket = new WeakMap<TLSSocket, UserInfo | null>();

  constructor(tokenFile?: string, private readonly serviceAccounts?: ServiceAccountAuthentication) {
    if (tokenFile) this.loadTokens(readFileSync(tokenFile, 'utf8'));
  }

  private loadTokens(csv: string): void {
    for (const line of csv.split('\n')) {
      const fields = splitCsvLine(line.trim());
      if (fields.length < 3) continue;
      const [token, username, uid, groups] = fields;
      this.tokens.set(token, authenticated({ username, uid, groups: groups ? groups.split(',').filter(Boolean) : [] }));
    }
  }

  /** The authenticated user; callers share the returned object and must not change it. */
  authenticate(req: IncomingMessage): UserInfo | undefined | Promise<UserInfo | undefined> {
    return this.fromCertificate(req.socket as TLSSocket) ?? this.fromToken(req.headers.authorization);
  }

  private fromCertificate(sock: TLSSocket): UserInfo | undefined {
    let u = this.bySocket.get(sock);
    if (u === undefined) {
      const cert = this.readCertificate(sock);
      u = cert ? authenticated(cert) : null;
      this.bySocket.set(sock, u);
    }
    return u ?? undefined;
  }

  private readCertificate(sock: TLSSocket): UserInfo | undefined {
    if (!sock.authorized || typeof sock.getPeerCertificate !== 'function') return undefined;
    const cert = sock.getPeerCertificate();
    const cn = cert?.subject?.CN;
    if (!cn) return undefined;
    const o: string | string[] | undefined = cert.subject.O;
    return { username: Array.isArray(cn) ? cn[0] : cn, groups: o === undefined ? [] : Array.isArray(o) ? o : [o] };
  }

  private fromToken(header: string | undefined): UserInfo | undefined | Promise<UserInfo | undefined> {
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return undefined;
    const token = m[1];
    const u = this.tokens.get(token);
    if (u) return u;
    if (!this.serviceAccounts?.issuer.claimsIssuer(token)) return undefined;
    return this.serviceAccountToken(token, this.serviceAccounts, this.serviceAccounts.apiAudiences).then((r) => r?.user);
  }

  /**
   * A bearer token's user, as TokenReview asks: accepted only for one of `audiences` (this apiserver's
   * when none are asked for). Static tokens carry no audience and are good for this apiserver's.
   */
  async authenticateToken(token: string, audiences: string[] = []): Promise<TokenAuthentication | undefined> {
    const sa = this.serviceAccounts;
    const apiAudiences = sa?.apiAudiences ?? [];
    const wanted = audiences.length ? audiences : apiAudiences;
    const u = this.tokens.get(token);
    if (u) {
      const auds = apiAudiences.length ? wanted.filter((a) => apiAudiences.includes(a)) : wanted;
      return apiAudiences.length && !auds.length ? undefined : { user: u, audiences: auds };
    }
    if (!sa?.issuer.claimsIssuer(token)) return undefined;
    return this.serviceAccountToken(token, sa, wanted);
  }

  private async serviceAccountToken(token: string, sa: ServiceAccountAuthentication, wanted: string[]): Promise<TokenAuthentication | undefined> {
    const payload = await sa.issuer.verify(token);
    if (!payload) return undefined;
    const tokenAuds = typeof payload.aud === 'string' ? [payload.aud] : payload.aud ?? [];
    // A token naming no audience (a legacy one) is good for this apiserver's audiences.
    const auds = (tokenAuds.length ? tokenAuds : sa.apiAudiences).filter((a) => wanted.includes(a));
    if (!auds.length) return undefined;
    try {
      return { user: await userForClaims(payload, sa.getter, Date.now()), audiences: auds };
    } catch (e) {
      if (!(e instanceof TokenRejected)) throw e;
      logger.info({ sub: payload.sub, reason: e.message }, 'service-account token refused');
      return undefined;
    }
  }
}

/** Every authenticated user is also in system:authenticated. */
function authenticated(user: UserInfo): UserInfo {
  return { ...user, groups: [...new Set([...user.groups, 'system:authenticated'])] };
}

/** One CSV line with double-quoted fields (groups are a quoted, comma-separated list). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { out.push(cur); cur = ''; }
    else cur += ch;
  }
  if (line) out.push(cur);
  return out;
}
