// One import point for the helpers every printer uses.
export { ageSince, humanDuration } from './age';
export { ageColumn, col, containerCells, containersColumn, imagesColumn, nameColumn, selectorString } from './columns';
