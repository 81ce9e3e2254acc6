import type Dockerode from 'dockerode';
import { getContainerRuntimeClient } from 'testcontainers';

/**
 * testcontainers' runtime client: the same Docker connection testcontainers uses (DOCKER_HOST,
 * ~/.testcontainers.properties), with dockerode for what its builders do not cover (networks
 * with a fixed subnet, pause, disconnect). Ryuk (its reaper) cannot be pulled offline, so it is
 * off: tuneproof removes what it makes itself, by label.
 */
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

let client: Promise<Dockerode> | undefined;
export function docker(): Promise<Dockerode> {
  client ??= getContainerRuntimeClient().then((c) => c.container.dockerode);
  return client;
}
