// Turns a URL and method into upstream's RequestInfo: verb, API group/version, resource, subresource,
// namespace and name, so authorization, admission and handlers all see the same parsed request.
export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: 'api' | 'apis' | '';
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const specialVerbs = new Set(['watch', 'proxy']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', apiGroup: '', apiVersion: '',
    namespace: '', resource: '', subresource: '', name: '', parts: [],
  };
  let parts = path.split('/').filter((p) => p !== '');
  if (path.includes('%')) parts = parts.map((p) => decodeURIComponent(p));
  if (parts.length < 1 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  info.apiPrefix = parts[0] as 'api' | 'apis';
  parts = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (parts.length < 1) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  if (parts.length < 1) return info;
  info.apiVersion = parts[0];
  parts = parts.slice(1);
  if (parts.length < 1) return info;
  info.isResourceRequest = true;
  let legacyWatch = false;
  if (specialVerbs.has(parts[0])) {
    if (parts.length < 2) { info.isResourceRequest = false; return info; }
    legacyWatch = parts[0] === 'watch';
    info.verb = parts[0];
    parts = parts.slice(1);
  } else {
    switch (method) {
      case 'POST': info.verb = 'create'; break;
      case 'GET': case 'HEAD': info.verb = 'get'; break;
      case 'PUT': info.verb = 'update'; break;
      case 'PATCH': info.verb = 'patch'; break;
      case 'DELETE': info.verb = 'delete'; break;
      default: info.verb = '';
    }
  }
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      // /namespaces/{name} and /namespaces/{name}/{status|finalize} address the namespace itself.
      if (parts.length > 2 && parts[2] !== 'status' && parts[2] !== 'finalize') parts = parts.slice(2);
    }
  } else {
    info.namespace = '';
  }
  info.parts = parts;
  if (parts.length >= 3) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];
  if (info.resource === 'namespaces' && parts.length >= 2 && parts[0] === 'namespaces') {
    // For the namespace resource, the name is the namespace and it is not "in" a namespace.
    info.name = parts[1];
    info.namespace = '';
  }
  if (info.name === '' && info.verb === 'get') {
    const watch = query.get('watch');
    info.verb = watch === 'true' || watch === '1' ? 'watch' : 'list';
  }
  if (legacyWatch) info.verb = 'watch';
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  if (info.name !== '' && info.verb === 'get' && (query.get('watch') === 'true' || query.get('watch') === '1')) info.verb = 'watch';
  return info;
}
