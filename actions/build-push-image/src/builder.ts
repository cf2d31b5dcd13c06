/** The builder this action creates when the current one cannot export a registry cache; reused on later runs. */
export const OWN_BUILDER = 'notebook-ship';

/** The driver line of `docker buildx inspect` (the builder's, which comes before its nodes). */
export function driverOf(inspect: string): string | undefined {
  return /^Driver:\s*(\S+)/m.exec(inspect)?.[1];
}

/**
 * The `docker` driver cannot export a registry cache nor build several platforms at once, so those builds get a
 * docker-container builder; every other driver (one set up by docker/setup-buildx-action, say) is used as it is.
 */
export function needsContainerBuilder(currentInspect: string, options: { cache: boolean; platforms: number }): boolean {
  return driverOf(currentInspect) === 'docker' && (options.cache || options.platforms > 1);
}
