// Authentication: x509 client certificates signed by the cluster CA (user = CN, groups = O) and
// bearer tokens from a static token file (upstream's --token-auth-file CSV format).
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface UserInfo { username: string; uid?: string; groups: string[] }

export class Authenticator {
  private readonly tokens = new Map<string, UserInfo>();
  // A client certificate is fixed for the life of a TLS connection: read it once per socket.
  private readonly bySocket = new WeakMap<TLSSocket, UserInfo | null>();

  constructor(tokenFile?: string) {
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
  authenticate(req: IncomingMessage): UserInfo | undefined {
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

  private fromToken(header: string | undefined): UserInfo | undefined {
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? this.authenticateToken(m[1]) : undefined;
  }

  /** A bearer token's user, as TokenReview asks (with system:authenticated, as for requests). */
  authenticateToken(token: string): UserInfo | undefined {
    const u = this.tokens.get(token);
    return u && { ...u, groups: [...new Set([...u.groups, 'system:authenticated'])] };
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
