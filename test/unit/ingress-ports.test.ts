// The ingress controller's ports in the cluster layout: 80/443 for the default cluster, a derived pair per
// apiserver port for the others (so two clusters on one machine never both want 80/443), probed when unusable.
import { chooseIngressPorts, derivedIngressPorts, isPortFree } from '../../src/cmd/cluster-layout';

describe('ingress ports', () => {
  test('default cluster 80/443; others 8080 + 2 * (port - 6443) and the next one', () => {
    expect(derivedIngressPorts(6443)).toEqual({ httpPort: 80, httpsPort: 443 });
    expect(derivedIngressPorts(16443)).toEqual({ httpPort: 28080, httpsPort: 28081 });
    expect(derivedIngressPorts(6444)).toEqual({ httpPort: 8082, httpsPort: 8083 });
    expect(derivedIngressPorts(40000)).toBeUndefined();
    expect(derivedIngressPorts(2000)).toBeUndefined();
  });

  test('an unusable derived pair gives free ports distinct from the apiserver and etcd ports', async () => {
    const p = await chooseIngressPorts(40000, undefined, false, [44001, 44002]);
    expect(p.httpPort).not.toBe(p.httpsPort);
    for (const port of [p.httpPort, p.httpsPort]) {
      expect([40000, 44001, 44002]).not.toContain(port);
      expect(await isPortFree(port, '0.0.0.0')).toBe(true);
    }
  });

  test('a persisted pair is kept while the controller holding it runs', async () => {
    expect(await chooseIngressPorts(16443, { httpPort: 1, httpsPort: 2 }, true, [])).toEqual({ httpPort: 1, httpsPort: 2 });
  });
});
