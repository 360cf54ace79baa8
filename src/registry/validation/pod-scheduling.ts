// Pod spec fields the scheduler reads: tolerations, node/pod (anti-)affinity and topology spread
// constraints, validated with upstream's rules and wording (ValidateTolerations, validateAffinity,
// validateTopologySpreadConstraints).
import type { Affinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, Toleration, TopologySpreadConstraint,
  WeightedPodAffinityTerm } from 'kubernetes-types/core/v1';
import { duplicate, FieldError, FieldPath, invalidValue, notSupported, required } from '../field-error';
import { goQuote, invalidRendered } from './go-format';
import { setOperatorErrors, validateLabelSelector } from './label-selector';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names';

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

const labelName = (key: string, p: FieldPath): FieldError[] => isQualifiedName(key).map((m) => invalidValue(p, key, m));

/** A toleration as Go's %#v prints core.Toleration. */
function goToleration(t: Toleration): string {
  const secs = t.tolerationSeconds === undefined ? '(*int64)(nil)' : `(*int64)(${t.tolerationSeconds})`;
  return `core.Toleration{Key:${goQuote(t.key ?? '')}, Operator:${goQuote(t.operator ?? '')}, Value:${goQuote(t.value ?? '')}, Effect:${goQuote(t.effect ?? '')}, TolerationSeconds:${secs}}`;
}

export function validateTolerations(tolerations: Toleration[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const tp = p.index(i);
    if (t.key) errs.push(...labelName(t.key, tp.child('key')));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(invalidValue(tp.child('operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(invalidValue(tp.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case 'Equal': case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(invalidValue(tp.child('operator'), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(invalidRendered(tp.child('operator'), t, goToleration(t), "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(tp.child('operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !taintEffects.includes(t.effect)) errs.push(notSupported(tp.child('effect'), t.effect, taintEffects));
  });
  return errs;
}

function nodeSelectorRequirement(r: NodeSelectorRequirement, p: FieldPath): FieldError[] {
  const values = r.values ?? [];
  let errs = setOperatorErrors(r.operator, values, p);
  if (!errs) {
    // Node selectors add the numeric comparisons.
    errs = r.operator === 'Gt' || r.operator === 'Lt'
      ? (values.length !== 1 ? [required(p.child('values'), "must be specified single value when `operator` is 'Lt' or 'Gt'")] : [])
      : [invalidValue(p.child('operator'), r.operator, 'not a valid selector operator')];
  }
  return [...errs, ...labelName(r.key ?? '', p.child('key'))];
}

function nodeFieldRequirement(r: NodeSelectorRequirement, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (r.operator === 'In' || r.operator === 'NotIn') {
    if ((r.values ?? []).length !== 1) errs.push(required(p.child('values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(invalidValue(p.child('operator'), r.operator, 'not a valid selector operator'));
  }
  if (r.key !== 'metadata.name') errs.push(invalidValue(p.child('key'), r.key, 'not a valid field selector key'));
  else (r.values ?? []).forEach((v, i) => { for (const m of isDNS1123Subdomain(v)) errs.push(invalidValue(p.child('values').index(i), v, m)); });
  return errs;
}

function nodeSelectorTerm(t: NodeSelectorTerm, p: FieldPath): FieldError[] {
  return [
    ...(t.matchExpressions ?? []).flatMap((r, j) => nodeSelectorRequirement(r, p.child('matchExpressions').index(j))),
    ...(t.matchFields ?? []).flatMap((r, j) => nodeFieldRequirement(r, p.child('matchFields').index(j))),
  ];
}

export function validateNodeSelector(s: NodeSelector, p: FieldPath): FieldError[] {
  const terms = p.child('nodeSelectorTerms');
  if (!s.nodeSelectorTerms?.length) return [required(terms, 'must have at least one node selector term')];
  return s.nodeSelectorTerms.flatMap((t, i) => nodeSelectorTerm(t, terms.index(i)));
}

const weightError = (p: FieldPath, weight: number): FieldError[] =>
  (weight <= 0 || weight > 100) ? [invalidValue(p.child('weight'), weight, 'must be in the range 1-100')] : [];

function podAffinityTerm(t: PodAffinityTerm, p: FieldPath): FieldError[] {
  const errs = [...validateLabelSelector(t.labelSelector, p.child('labelSelector')), ...validateLabelSelector(t.namespaceSelector, p.child('namespaceSelector'))];
  for (const ns of t.namespaces ?? []) for (const m of isDNS1123Label(ns)) errs.push(invalidValue(p.child('namespace'), ns, m));
  if (!t.topologyKey) return [...errs, required(p.child('topologyKey'), 'can not be empty')];
  return [...errs, ...labelName(t.topologyKey, p.child('topologyKey'))];
}

function podAffinityTerms(required: PodAffinityTerm[] | undefined, preferred: WeightedPodAffinityTerm[] | undefined, p: FieldPath): FieldError[] {
  return [
    ...(required ?? []).flatMap((t, i) => podAffinityTerm(t, p.child('requiredDuringSchedulingIgnoredDuringExecution').index(i))),
    ...(preferred ?? []).flatMap((w, i) => {
      const wp = p.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      return [...weightError(wp, w.weight), ...podAffinityTerm(w.podAffinityTerm, wp.child('podAffinityTerm'))];
    }),
  ];
}

export function validateAffinity(a: Affinity | undefined, p: FieldPath): FieldError[] {
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = a.nodeAffinity;
  if (na) {
    const np = p.child('nodeAffinity');
    const req = na.requiredDuringSchedulingIgnoredDuringExecution;
    if (req) errs.push(...validateNodeSelector(req, np.child('requiredDuringSchedulingIgnoredDuringExecution')));
    (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const tp = np.child('preferredDuringSchedulingIgnoredDuringExecution').index(i);
      errs.push(...weightError(tp, t.weight), ...nodeSelectorTerm(t.preference, tp.child('preference')));
    });
  }
  if (a.podAffinity) {
    errs.push(...podAffinityTerms(a.podAffinity.requiredDuringSchedulingIgnoredDuringExecution, a.podAffinity.preferredDuringSchedulingIgnoredDuringExecution, p.child('podAffinity')));
  }
  if (a.podAntiAffinity) {
    errs.push(...podAffinityTerms(a.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution, a.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution, p.child('podAntiAffinity')));
  }
  return errs;
}

const whenUnsatisfiable = ['DoNotSchedule', 'ScheduleAnyway'];

export function validateTopologySpreadConstraints(constraints: TopologySpreadConstraint[] | undefined, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const all = constraints ?? [];
  all.forEach((c, i) => {
    const cp = p.index(i);
    if (!(c.maxSkew > 0)) errs.push(invalidValue(cp.child('maxSkew'), c.maxSkew, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(required(cp.child('topologyKey'), 'can not be empty'));
    if (!c.whenUnsatisfiable) errs.push(required(cp.child('whenUnsatisfiable'), 'can not be empty'));
    else if (!whenUnsatisfiable.includes(c.whenUnsatisfiable)) errs.push(notSupported(cp.child('whenUnsatisfiable'), c.whenUnsatisfiable, whenUnsatisfiable));
    if (all.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errs.push(duplicate(cp.child('{topologyKey, whenUnsatisfiable}'), `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    }
    if (c.minDomains !== undefined && c.minDomains !== null) {
      if (c.minDomains <= 0) errs.push(invalidValue(cp.child('minDomains'), c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(invalidValue(cp.child('minDomains'), c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
      }
    }
    errs.push(...validateLabelSelector(c.labelSelector, cp.child('labelSelector')));
  });
  return errs;
}
