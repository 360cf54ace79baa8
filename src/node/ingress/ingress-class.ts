// Which Ingresses the kubets controller serves: those whose class (ingressClassName, else the legacy
// annotation, else the cluster's default class) is an IngressClass naming the kubets controller.
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import { defaultIngressClass, LEGACY_INGRESS_CLASS_ANNOTATION } from '../../admission/default-ingress-class';

export const KUBETS_INGRESS_CLASS = 'kubets';
export const KUBETS_INGRESS_CONTROLLER = 'kubets.io/ingress-controller';

export function isServed(ing: Ingress, classes: IngressClass[], controller = KUBETS_INGRESS_CONTROLLER): boolean {
  const named = ing.spec?.ingressClassName ?? ing.metadata?.annotations?.[LEGACY_INGRESS_CLASS_ANNOTATION];
  const cls = named !== undefined ? classes.find((c) => c.metadata?.name === named) : defaultIngressClass(classes);
  return cls?.spec?.controller === controller;
}
