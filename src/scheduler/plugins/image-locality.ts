// ImageLocality: prefers nodes that already hold the pod's images, weighted by image size and by how
// widely the image is spread (so one node holding a popular image does not attract everything).
import type { ScorePlugin } from '../framework';
import { maxNodeScore } from '../framework';

const mb = 1024 * 1024;
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;

/** An image name with its tag made explicit, as nodes report them. */
export function normalizedImageName(image: string): string {
  return image.lastIndexOf(':') <= image.lastIndexOf('/') ? `${image}:latest` : image;
}

export const imageLocalityScore: ScorePlugin = {
  name: 'ImageLocality',
  weight: 1,
  prepare(pod, snapshot) {
    const images = (pod.spec?.containers ?? []).map((c) => normalizedImageName(c.image ?? ''));
    const total = snapshot.nodes.length;
    const maxThreshold = maxContainerThreshold * images.length;
    return {
      score(n) {
        const sizes = new Map<string, number>();
        for (const img of n.node?.status?.images ?? []) {
          for (const nm of img.names ?? []) sizes.set(normalizedImageName(nm), img.sizeBytes ?? 0);
        }
        let sum = 0;
        for (const img of images) {
          const size = sizes.get(img);
          if (size !== undefined && total > 0) sum += size * (snapshot.imageNodeCount(img) / total);
        }
        const clamped = Math.min(Math.max(sum, minThreshold), maxThreshold);
        return maxThreshold > minThreshold ? Math.trunc((maxNodeScore * (clamped - minThreshold)) / (maxThreshold - minThreshold)) : 0;
      },
    };
  },
};
