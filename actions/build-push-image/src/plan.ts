import type { ExistingImage } from './ecr-api';

export type ImagePlan =
  | { kind: 'build'; reason: string }
  | {
      kind: 'reuse';
      image: ExistingImage;
      /** Requested tags that already point at the image. */
      present: string[];
      /** Requested tags to point at it now. */
      add: string[];
      /** Requested tags left off because pushing is turned off. */
      withheld: string[];
    };

export interface PlanOptions {
  tags: readonly string[];
  skipIfExists: boolean;
  push: boolean;
}

/**
 * Build, or reuse the image the first tag already names. The first tag names the source (the commit), so an image
 * under it is this very build done before: re-running it would only cost time.
 */
export function planImage(options: PlanOptions, existing: ExistingImage | undefined): ImagePlan {
  const first = options.tags[0] as string;
  if (!options.skipIfExists) return { kind: 'build', reason: 'skip-if-exists is off' };
  if (!existing) return { kind: 'build', reason: `no image is tagged "${first}" yet` };
  const present = options.tags.filter((tag) => existing.tags.includes(tag));
  const missing = options.tags.filter((tag) => !existing.tags.includes(tag));
  return {
    kind: 'reuse',
    image: existing,
    present,
    add: options.push ? missing : [],
    withheld: options.push ? [] : missing,
  };
}
