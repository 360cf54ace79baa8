// The default profile: upstream's filters in their order (a node's first failing filter is its reason)
// and its scores with their weights.
import type { FilterPlugin, ScorePlugin } from '../framework';
import { balancedAllocationScore } from './balanced-allocation';
import { imageLocalityScore } from './image-locality';
import { interPodAffinityFilter, interPodAffinityScore } from './inter-pod-affinity';
import { nodeAffinityFilter, nodeAffinityScore } from './node-affinity';
import { nodeNameFilter } from './node-name';
import { nodePortsFilter } from './node-ports';
import { leastAllocatedScore, nodeResourcesFitFilter } from './node-resources-fit';
import { nodeUnschedulableFilter } from './node-unschedulable';
import { podTopologySpreadFilter, podTopologySpreadScore } from './pod-topology-spread';
import { taintTolerationFilter, taintTolerationScore } from './taint-toleration';

export const defaultFilters: readonly FilterPlugin[] = [
  nodeUnschedulableFilter, nodeNameFilter, taintTolerationFilter, nodeAffinityFilter, nodePortsFilter,
  nodeResourcesFitFilter, podTopologySpreadFilter, interPodAffinityFilter,
];

export const defaultScores: readonly ScorePlugin[] = [
  taintTolerationScore, nodeAffinityScore, leastAllocatedScore, podTopologySpreadScore, interPodAffinityScore,
  balancedAllocationScore, imageLocalityScore,
];
