// One import point for the helpers every printer uses.
export { ageSince, humanDuration } from './age';
export {
  ageColumn, col, containerCells, containersColumn, formatLabelSelector, imagesColumn, nameColumn, selectorString,
} from './columns';
export { formatLabels } from '../label-selector';
