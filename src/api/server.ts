// The apiserver's HTTPS front: health and version endpoints, then authentication, authorization,
// discovery, OpenAPI, /metrics and the resource handlers, in upstream's order.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from './registry';
import { Authenticator, type ServiceAccountAuthentication, type UserInfo } from './authn';
import type { Authorizer } from './authz';
import { Discovery } from './discovery';
import { parseRequestInfo } from './request-info';
import { ResourceHandler } from './resource-handler';
import { reviewRequester } from './review-requester';
import { writeError, writeJson } from './responses';
import { chooseDiscovery } from './negotiation';
import { badRequest, forbidden, statusError, unauthorized } from '../registry/errors';
import type { OpenApiDocs } from './openapi-docs';
import { versionInfo } from './version';
import { JWKS_PATH, OPENID_CONFIG_PATH, OPENID_MAX_AGE_SECONDS } from './service-account-issuer';
import { TokenRequests } from './token-request';
import { PodProxy, type KubeletClientConfig } from './pod-proxy';
import { PodStreams } from './pod-streams';
import { ApiMetrics } from './metrics';

export interface ServerOptions {
  cert: Buffer;
  key: Buffer;
  clientCA: Buffer;
  bindAddress: string;
  port: number;
  authenticator: Authenticator;
  authorizer: Authorizer;
  ready: () => boolean;
  /** Service-account tokens: TokenRequests (when the issuer can sign) and the OIDC discovery documents. */
  serviceAccounts?: ServiceAccountAuthentication;
  /** Client certificate for the apiserver's calls to kubelets (pods/log); without it those routes answer 503. */
  kubeletClient?: KubeletClientConfig;
}

export function createServer(reg: Registry, openapi: OpenApiDocs, opts: ServerOptions): https.Server {
  const discoveryAddress = `${opts.bindAddress}:${opts.port}`;
  const discovery = new Discovery(reg.table, () => discoveryAddress);
  const sa = opts.serviceAccounts;
  const tokenRequests = sa?.issuer.canSign() ? new TokenRequests(reg, sa.issuer, sa.apiAudiences) : undefined;
  const handler = new ResourceHandler(reg, (user) => reviewRequester(opts.authenticator, opts.authorizer, user), tokenRequests);
  const podProxy = opts.kubeletClient ? new PodProxy(reg, opts.kubeletClient) : undefined;
  const podStreams = podProxy && opts.kubeletClient ? new PodStreams(podProxy, opts.kubeletClient) : undefined;
  const metrics = new ApiMetrics(reg);

  // A plain request handler: routing here is a handful of prefix checks, and a router framework
  // cost a quarter of the CPU of a cached GET in the benchmark.
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '') || '/';
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    if (healthPaths.has(path)) {
      if (opts.ready()) { writeText(res, 200, 'ok'); return; }
      writeText(res, 500, '[-]etcd failed: not ready\nhealthz check failed');
      return;
    }
    if (path === '/version') { writeJson(res, 200, versionInfo()); return; }
    const serve = (user: UserInfo | undefined): void => {
      if (!user) { writeError(res, unauthorized()); return; }
      route(req, res, path, query, user).catch((e: unknown) => writeError(res, e));
    };
    // Only a service-account JWT needs an asynchronous check; every other request goes on in this turn.
    const user = opts.authenticator.authenticate(req);
    if (user instanceof Promise) user.then(serve, (e: unknown) => writeError(res, e));
    else serve(user);
  };

  const issuer = sa?.issuer;
  let jwks: Promise<object> | undefined;
  const openIdDocument = async (path: string): Promise<{ body: object; contentType: string } | undefined> => {
    if (!issuer) return undefined;
    if (path === OPENID_CONFIG_PATH) {
      return { body: issuer.openIdConfiguration(`https://${discoveryAddress}${JWKS_PATH}`), contentType: 'application/json' };
    }
    if (path === JWKS_PATH) return { body: await (jwks ??= issuer.jwks()), contentType: 'application/jwk-set+json' };
    return undefined;
  };

  async function route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, user: UserInfo): Promise<void> {
    const info = parseRequestInfo(req.method ?? 'GET', path, query);
    metrics.track(req, res, info, query);
    const decision = opts.authorizer.authorize(user, info);
    if (!decision.allowed) {
      throw forbidden({ group: info.apiGroup, resource: info.resource }, info.name,
        `User "${user.username}" cannot ${info.verb} resource "${info.resource}" in API group "${info.apiGroup}"${info.namespace ? ` in the namespace "${info.namespace}"` : ''}`);
    }
    if (info.isResourceRequest && info.resource === 'pods' && info.subresource === 'log') {
      if (!podProxy) throw statusError(503, 'ServiceUnavailable', 'the apiserver has no kubelet client certificate (--kubelet-client-certificate)');
      if (podProxy.handles(info)) return podProxy.serveLog(req, res, info, query);
    }
    if (info.isResourceRequest && PodStreams.handles(info)) {
      // exec, attach and portforward arrive as upgrades (onUpgrade); anything else is refused as upstream does.
      await podProxy?.getPod(info);
      throw badRequest('Upgrade request required');
    }
    if (info.isResourceRequest) return handler.handle(req, res, info, query, user);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw statusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    if (path === '/api' || path === '/apis') {
      const form = chooseDiscovery(req.headers.accept);
      if (form !== 'legacy') {
        const v = form === 'aggregated-v2' ? 'v2' : 'v2beta1';
        return writeJson(res, 200, discovery.aggregated(path === '/api', v),
          `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
      }
      return writeJson(res, 200, path === '/api' ? discovery.apiVersions() : discovery.apiGroupList());
    }
    if (path === '/api/v1') return writeJson(res, 200, discovery.resourceList('', 'v1'));
    if (info.apiPrefix === 'apis' && info.apiGroup && !info.apiVersion) {
      const g = discovery.apiGroupDoc(info.apiGroup);
      if (g) return writeJson(res, 200, g);
    }
    if (info.apiPrefix === 'apis' && info.apiGroup && info.apiVersion) {
      const l = discovery.resourceList(info.apiGroup, info.apiVersion);
      if (l) return writeJson(res, 200, l);
    }
    if (path.startsWith('/openapi/')) {
      const doc = openapi.serve(path, query, req.headers.accept);
      if (doc) {
        res.setHeader('Cache-Control', doc.immutable ? 'public, immutable' : 'no-cache, private');
        if (doc.etag) res.setHeader('Etag', `"${doc.etag}"`);
        res.writeHead(200, { 'Content-Type': doc.contentType, 'Content-Length': doc.body.length });
        res.end(doc.body);
        return;
      }
    }
    const oidc = await openIdDocument(path);
    if (oidc) {
      res.setHeader('Cache-Control', `public, max-age=${OPENID_MAX_AGE_SECONDS}`);
      return writeJson(res, 200, oidc.body, oidc.contentType);
    }
    if (path === '/metrics') return metrics.serve(res);
    if (path === '/') {
      return writeJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/metrics', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
    }
    throw statusError(404, 'NotFound', 'the server could not find the requested resource');
  }

  // Upgrade requests (SPDY and WebSocket): pods/exec, attach and portforward stream through the kubelet;
  // any other upgrade is answered as an ordinary request on a response bound to the raw socket.
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    const plain = (): ServerResponse => {
      const res = new http.ServerResponse(req);
      res.assignSocket(socket as Socket);
      res.shouldKeepAlive = false;
      res.on('finish', () => socket.end());
      return res;
    };
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = (q < 0 ? raw : raw.slice(0, q)).replace(/\/+$/, '') || '/';
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const info = parseRequestInfo(req.method ?? 'GET', path, query);
    if (!info.isResourceRequest || !PodStreams.handles(info)) { onRequest(req, plain()); return; }
    const stream = (user: UserInfo | undefined): void => {
      if (!user) { writeError(plain(), unauthorized()); return; }
      // Upstream authorizes these connect requests as `create`, whichever method (GET for WebSocket) they use.
      const streamInfo = { ...info, verb: 'create' };
      const decision = opts.authorizer.authorize(user, streamInfo);
      if (!decision.allowed) {
        writeError(plain(), forbidden({ group: '', resource: 'pods' }, info.name,
          `User "${user.username}" cannot create resource "pods/${info.subresource}" in API group "" in the namespace "${info.namespace}"`));
        return;
      }
      if (!podStreams) { writeError(plain(), statusError(503, 'ServiceUnavailable', 'the apiserver has no kubelet client certificate (--kubelet-client-certificate)')); return; }
      podStreams.serve(req, socket, head, streamInfo, query).catch((e: unknown) => {
        if (!socket.destroyed && socket.writable) writeError(plain(), e);
      });
    };
    const authenticated = opts.authenticator.authenticate(req);
    if (authenticated instanceof Promise) authenticated.then(stream, (e: unknown) => writeError(plain(), e));
    else stream(authenticated);
  };

  const server = https.createServer({
    cert: opts.cert, key: opts.key, ca: opts.clientCA, requestCert: true, rejectUnauthorized: false,
    keepAliveTimeout: 65_000,
  }, onRequest);
  server.on('upgrade', onUpgrade);
  return server;
}

const healthPaths = new Set(['/healthz', '/livez', '/readyz']);

function writeText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
