// The service-account token issuer: signs tokens RS256 with the cluster's service-account key, verifies
// presented ones against the public keys (--service-account-key-file, several allowed for rotation), and
// renders the OIDC discovery document and JWKS that let others verify them. JWS/JWT handling is jose's.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { exportJWK, jwtVerify, SignJWT, errors as joseErrors, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { CLOCK_LEEWAY_SECONDS, type ServiceAccountClaims } from './service-account-claims';

/** Upstream's paths (pkg/serviceaccount/openidmetadata.go). */
export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';
/** How long clients may cache the two documents, as upstream's static key getter says. */
export const OPENID_MAX_AGE_SECONDS = 3600;

export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

interface PublicKey { kid: string; key: KeyObject }

/** Upstream's key id: the unpadded base64url SHA-256 of the public key's PKIX DER, so it never reveals the key. */
export function keyId(pub: KeyObject): string {
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('base64url');
}

export class ServiceAccountIssuer {
  private readonly keys: PublicKey[];
  private readonly signingKid: string | undefined;

  /** `signingKeyPem` absent: this process only verifies (an apiserver without a signing key serves no TokenRequest). */
  constructor(readonly issuer: string, publicKeyPems: string[], private readonly signingKey?: KeyObject) {
    const pubs = publicKeyPems.map((pem) => createPublicKey(pem));
    if (signingKey) pubs.push(createPublicKey(signingKey));
    const seen = new Set<string>();
    this.keys = pubs.map((key) => ({ kid: keyId(key), key })).filter((k) => !seen.has(k.kid) && !!seen.add(k.kid));
    this.signingKid = signingKey ? keyId(createPublicKey(signingKey)) : undefined;
  }

  static fromPem(issuer: string, publicKeyPems: string[], signingKeyPem?: string): ServiceAccountIssuer {
    return new ServiceAccountIssuer(issuer, publicKeyPems, signingKeyPem ? createPrivateKey(signingKeyPem) : undefined);
  }

  canSign(): boolean { return this.signingKey !== undefined; }

  async sign(claims: ServiceAccountClaims): Promise<string> {
    if (!this.signingKey || !this.signingKid) throw new Error('no service-account signing key (--service-account-signing-key-file)');
    // Upstream's claim order (go-jose sorts keys): iss among the registered claims.
    const { aud, exp, iat, ...rest } = claims;
    return new SignJWT({ aud, exp, iat, iss: this.issuer, ...rest } as unknown as JWTPayload)
      .setProtectedHeader({ alg: 'RS256', kid: this.signingKid }).sign(this.signingKey);
  }

  /** Whether a bearer token claims to be ours (upstream looks at the unverified issuer before anything else). */
  claimsIssuer(token: string): boolean {
    if (token.split('.').length !== 3) return false;
    try { return decodeJwt(token).iss === this.issuer; } catch { return false; }
  }

  /**
   * The verified payload: signature by one of our keys (the one the header's kid names, else any),
   * our issuer, and exp/nbf within a minute's leeway. Undefined for anything else.
   */
  async verify(token: string): Promise<JWTPayload | undefined> {
    let kid: string | undefined;
    try { kid = decodeProtectedHeader(token).kid; } catch { return undefined; }
    const candidates = kid ? this.keys.filter((k) => k.kid === kid) : this.keys;
    for (const k of candidates) {
      try {
        const r = await jwtVerify(token, k.key, { issuer: this.issuer, algorithms: ['RS256'], clockTolerance: CLOCK_LEEWAY_SECONDS });
        return r.payload;
      } catch (e) {
        // An expired or not-yet-valid token fails with every key alike.
        if (e instanceof joseErrors.JWTExpired || e instanceof joseErrors.JWTClaimValidationFailed) return undefined;
      }
    }
    return undefined;
  }

  /** The OIDC discovery document; `jwksUri` is where this apiserver serves the key set. */
  openIdConfiguration(jwksUri: string): object {
    return {
      issuer: this.issuer, jwks_uri: jwksUri, response_types_supported: ['id_token'],
      subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  async jwks(): Promise<object> {
    const keys = await Promise.all(this.keys.map(async (k) => {
      const { kty, n, e } = await exportJWK(k.key);
      return { use: 'sig', kty, kid: k.kid, alg: 'RS256', n, e };
    }));
    return { keys };
  }
}
