// The namespace controller's conditions: upstream's reasons and messages, and lastTransitionTime moving
// only when a condition's status flips.
import { updatedConditions, type DeletionPass } from '../../src/controllers/namespace/namespace-conditions';

const empty = (): DeletionPass => ({ discoveryFailures: [], contentFailures: [], remaining: new Map(), finalizers: new Map() });

test('a clean pass sets every condition to its ok variant', () => {
  const c = updatedConditions(undefined, empty(), 'T1');
  expect(c).toEqual([
    { type: 'NamespaceDeletionDiscoveryFailure', status: 'False', lastTransitionTime: 'T1', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
    { type: 'NamespaceDeletionGroupVersionParsingFailure', status: 'False', lastTransitionTime: 'T1', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
    { type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: 'T1', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
    { type: 'NamespaceContentRemaining', status: 'False', lastTransitionTime: 'T1', reason: 'ContentRemoved', message: 'All content successfully removed' },
    { type: 'NamespaceFinalizersRemaining', status: 'False', lastTransitionTime: 'T1', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
  ]);
  expect(updatedConditions({ conditions: c }, empty(), 'T2')).toBeUndefined();
});

test('remaining content, finalizers and failures are named, sorted, and flip lastTransitionTime', () => {
  const first = updatedConditions(undefined, empty(), 'T1')!;
  const p = empty();
  p.remaining.set('pods.', 2).set('deployments.apps', 1);
  p.finalizers.set('example.com/b', 1).set('example.com/a', 3);
  p.contentFailures.push('secrets.: boom');
  p.discoveryFailures.push('x.io/v1: 503');
  const c = updatedConditions({ conditions: first }, p, 'T2')!;
  const by = new Map(c.map((x) => [x.type, x]));
  expect(by.get('NamespaceContentRemaining')).toEqual({ type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: 'T2',
    reason: 'SomeResourcesRemain', message: 'Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances' });
  expect(by.get('NamespaceFinalizersRemaining')).toMatchObject({ status: 'True', reason: 'SomeFinalizersRemain',
    message: 'Some content in the namespace has finalizers remaining: example.com/a in 3 resource instances, example.com/b in 1 resource instances' });
  expect(by.get('NamespaceDeletionContentFailure')).toMatchObject({ status: 'True', reason: 'ContentDeletionFailed',
    message: 'Failed to delete all resource types, 1 remaining: secrets.: boom' });
  expect(by.get('NamespaceDeletionDiscoveryFailure')).toMatchObject({ status: 'True', reason: 'DiscoveryFailed' });
  expect(by.get('NamespaceDeletionGroupVersionParsingFailure')).toMatchObject({ status: 'False', lastTransitionTime: 'T1' });
});
