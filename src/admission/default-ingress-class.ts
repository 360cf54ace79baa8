// DefaultIngressClass: a new Ingress that names no class (neither ingressClassName nor the legacy
// kubernetes.io/ingress.class annotation) gets the default IngressClass, the newest when several claim it.
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import type { AdmissionPlugin } from './admission';

export const IS_DEFAULT_INGRESS_CLASS = 'ingressclass.kubernetes.io/is-default-class';
export const LEGACY_INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** The class new Ingresses default to: among those annotated default, the newest (then by name), as upstream. */
export function defaultIngressClass(classes: IngressClass[]): IngressClass | undefined {
  const defaults = classes.filter((c) => c.metadata?.annotations?.[IS_DEFAULT_INGRESS_CLASS] === 'true');
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    if (ta !== tb) return tb - ta;
    return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
  });
  return defaults[0];
}

export function defaultIngressClassAdmission(listClasses: () => Promise<IngressClass[]>): AdmissionPlugin {
  return {
    name: 'DefaultIngressClass',
    async mutate(a) {
      if (a.operation !== 'CREATE' || a.subresource || a.def.group !== 'networking.k8s.io' || a.def.plural !== 'ingresses') return;
      const ing = a.object as Ingress | undefined;
      if (!ing || ing.spec?.ingressClassName != null) return;
      if (ing.metadata?.annotations && LEGACY_INGRESS_CLASS_ANNOTATION in ing.metadata.annotations) return;
      const cls = defaultIngressClass(await listClasses());
      if (!cls?.metadata?.name) return;
      (ing as { spec: NonNullable<Ingress['spec']> }).spec = { ...ing.spec, ingressClassName: cls.metadata.name };
    },
  };
}
